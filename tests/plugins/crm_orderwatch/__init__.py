"""A third-party plugin that depends on sales and listens to its order events, as an inventory plugin would."""

from crm import Manifest

manifest = Manifest.here(__file__, name="orderwatch", version="1.0.0", hooks="crm_orderwatch.plugin", depends=("sales",),
                         description="Records sales' order events; refuses orders above 1,000,000 like a stock check would.")
