"""The web console: its pages' navigation (crm_register_console_pages), and the built single-page app served at /app."""
