"""Users, teams, roles, login tokens, API keys and the permission checks built on Casbin."""
