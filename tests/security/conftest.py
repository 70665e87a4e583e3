"""The `world` fixture of the security tests (tests/security/world.py)."""

import pytest

from world import make_world


@pytest.fixture
async def world(database_url):
    async with make_world(database_url) as found:
        yield found
