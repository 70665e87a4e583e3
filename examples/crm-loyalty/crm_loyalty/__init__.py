"""Loyalty: a membership programme of the kind retailers run. Customers collect points on confirmed orders, spend
them on rewards, and climb tiers (member, silver, gold) by points or by a year's spend; points expire after a period
the admin sets; the owner of each customer gets a task a week before a contact's birthday.

Shipped as its own pip package and built only with the CRM's public plugin surface (`crm`) and the sales plugin's
published hooks: the proof that a third party can write a module like the bundled ones."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="loyalty",
    version="1.0.0",
    hooks="crm_loyalty.plugin",
    depends=("sales",),
    requires_core=">=1.2,<2",  # 1.2: its console page is its own script
    description="Membership tiers, points on orders that expire, redemptions and birthday gifts.",
)
