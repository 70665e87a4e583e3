"""The loyalty plugin's tests need it pip-installed, as a customer installs it (`pip install ./examples/crm-loyalty`):
the CRM then finds it through its `crm.plugins` entry point. Run from the CRM's own test command without it, they are
skipped with that reason; `.ci/run` installs it and sets CRM_REQUIRE_EXAMPLES, which turns the skip into a failure."""

import os

import pytest

try:
    import crm_loyalty  # noqa: F401
except ImportError:
    if os.environ.get("CRM_REQUIRE_EXAMPLES"):
        raise
    pytest.skip("crm-loyalty is not installed: pip install ./examples/crm-loyalty to test the external plugin",
                allow_module_level=True)
