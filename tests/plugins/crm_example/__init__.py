"""A small plugin that uses every extension point, installed in tests through the `crm.plugins` entry point."""

from crm import Manifest

manifest = Manifest.here(
    __file__,
    name="example",
    version="1.0.0",
    hooks="crm_example.plugin",
    description="Widgets attached to customers: proves each extension point of the plugin surface.",
)
