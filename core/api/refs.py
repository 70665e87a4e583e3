"""Lazy references to the core's assembled types, for annotations: `def owner(self, info) -> refs.User | None`.

Plugins make their own with `crm.api_type("Name")`; annotations must name a module-level alias like these (an
inline call inside an annotation is not resolved by strawberry).
"""

from crm.api.types import api_type

User = api_type("User")
Role = api_type("Role")
Team = api_type("Team")
Customer = api_type("Customer")
Contact = api_type("Contact")
CustomerSummary = api_type("CustomerSummary")
Activity = api_type("Activity")
