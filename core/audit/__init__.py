"""The audit trail: every change to a business record, by whom and when. Append-only."""
