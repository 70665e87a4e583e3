"""Service: tickets with numbers, public replies and internal notes, a kept history, and SLA targets counted in a
business calendar with the clock stopped while the customer is awaited. Built only with the public plugin surface
(`crm`); it needs nothing but the core."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="service",
    version="0.1.0",
    hooks="crm.plugins.service.plugin",
    description="Tickets, replies and internal notes, SLA targets in business hours.",
)
