"""Presentation: turning results into things people read (terminal tables, charts, HTML)."""
