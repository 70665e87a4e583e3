"""Sales: pipelines and opportunities, the funnel, forecasts and performance, quotes, orders and targets, on the
catalogue's products and price lists. Built only with the public plugin surface (`crm`) and the catalogue it
depends on."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="sales",
    version="1.0.0",
    hooks="crm.plugins.sales.plugin",
    depends=("catalogue",),
    description="Pipelines, opportunities, funnel and forecast, quotes, orders, targets.",
)
