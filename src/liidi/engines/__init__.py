"""Scoring engines: incremental (per event, inside the ingest transaction)."""
