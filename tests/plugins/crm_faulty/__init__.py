"""A plugin that fails where a test tells it to (`plugin.FAIL_IN`): at start-up, while declaring its schema, or while
answering a request. tests/test_plugin_failures.py."""

from crm import Manifest

manifest = Manifest.here(__file__, name="faulty", version="0.1.0", hooks="crm_faulty.plugin", description="Fails on purpose.")
