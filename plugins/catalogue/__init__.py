"""Catalogue: products, price lists and the line items that documents of other modules (quotes, orders, contracts)
are made of. Sales, contracts and inventory depend on it, as odoo's `sale` and `stock` depend on `product`.
Built only with the public plugin surface (`crm`)."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="catalogue",
    version="1.0.0",
    hooks="crm.plugins.catalogue.plugin",
    description="Products, price lists by currency, segment and date, and line items with exact totals.",
)
