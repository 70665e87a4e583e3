"""Service and sales together: a ticket points at the order and the product it is about, and the defect report counts
complaints per product. A bridge: enabled by itself whenever both are, so neither plugin imports the other."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="service_sales",
    version="1.0.0",
    hooks="crm.plugins.service_sales.plugin",
    depends=("service", "sales", "catalogue"),
    bridge=True,
    description="Links tickets to the orders and products they are about; complaints per product.",
)
