"""Sales: pipelines and opportunities, the funnel, forecasts and performance, products and price lists, quotes,
orders and targets. Built only with the public plugin surface (`crm`)."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="sales",
    version="1.0.0",
    hooks="crm.plugins.sales.plugin",
    description="Pipelines, opportunities, funnel and forecast, products, quotes, orders, targets.",
)
