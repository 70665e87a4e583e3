"""Leads: capture, the shared lead pool reps claim from and that takes back neglected leads, assignment by rules,
qualification and conversion into customers. Built only with the public plugin surface (`crm`); with sales enabled
too, the `leads_sales` bridge makes the opportunity of a conversion."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="leads",
    version="1.0.0",
    hooks="crm.plugins.leads.plugin",
    description="Leads, lead pools with claims and recycling, assignment rules, qualification and conversion.",
)
