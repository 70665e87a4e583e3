"""The core's tests use crm.testing (`make_app`, `live_server`, `database_url`), the pytest plugin every plugin
tests with; here the test plugins under tests/plugins are made visible as installed, as a third party's pip package
would be: through the `crm.plugins` entry point."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).parent / "plugins"))

from crm.plugin_host import installed_plugins  # noqa: E402


def example_entry_points():
    return [SimpleNamespace(name="example", value="crm_example", dist=None),
            SimpleNamespace(name="orderwatch", value="crm_orderwatch", dist=None)]


def installed():
    return installed_plugins(entry_points=example_entry_points)


@pytest.fixture
def crm_installed():
    return installed
