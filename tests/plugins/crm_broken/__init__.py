"""A plugin whose migration fails halfway (after creating a table and writing a row): enabling it must leave the
database as it was, the plugin it depends on included (tests/test_plugin_enabling.py)."""

from crm import Manifest

manifest = Manifest.here(__file__, name="broken", version="0.1.0", hooks="crm_broken.plugin", depends=("example",),
                         description="Fails to migrate, on purpose.")
