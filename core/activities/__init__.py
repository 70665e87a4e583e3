"""Touchpoints with customers: calls, emails, meetings, notes, tasks, and kinds that plugins add."""
