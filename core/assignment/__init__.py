"""Assignment rules: who gets a new record (a lead, a ticket) that nobody was given. See `crm.assign`."""
