"""Customers (companies and people), their contacts, custom fields, duplicates and merging."""
