"""Delivery of the outbox: the dispatcher, signed webhooks, Slack-style hooks, SMTP e-mail and the worker."""
