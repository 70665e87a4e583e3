"""Contracts: approval through the core's chains, signing, termination and expiry, with their history. Built only with
the public plugin surface (`crm`); it needs nothing but the core."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="contracts",
    version="1.0.0",
    hooks="crm.plugins.contracts.plugin",
    description="Contracts with numbers, approval of any depth, signing, termination and expiry.",
)
