"""Inventory: warehouses, a stock ledger with levels derived from it, reservations for sales' orders, valuation.
A CRM's view of stock (what can be promised and reserved), not a warehouse-management system. Built only with the
public plugin surface (`crm`) and the plugins it depends on (their products and orders)."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="inventory",
    version="1.0.0",
    hooks="crm.plugins.inventory.plugin",
    depends=("sales", "catalogue"),
    description="Warehouses, a stock ledger and levels, reservations for orders, low stock and valuation.",
)
