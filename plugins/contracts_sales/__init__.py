"""Contracts and sales together: a contract points at the deal or order it came from, and a renewal opens a renewal
deal. A bridge: enabled by itself whenever both are, so neither plugin imports the other."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="contracts_sales",
    version="1.0.0",
    hooks="crm.plugins.contracts_sales.plugin",
    depends=("contracts", "sales"),
    bridge=True,
    description="Links contracts to the deals and orders they came from; opens renewal deals.",
)
