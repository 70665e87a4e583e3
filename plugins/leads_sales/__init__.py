"""Leads and sales together: converting a lead can open an opportunity. A bridge: enabled by itself whenever both
are, so neither plugin imports the other."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="leads_sales",
    version="1.0.0",
    hooks="crm.plugins.leads_sales.plugin",
    depends=("leads", "sales"),
    bridge=True,
    description="Opens the opportunity of a converted lead; campaign returns from won deals.",
)
