"""The leads plugin's scheduled work (registered in plugin.py; the scheduler runs each on one worker at a time)."""

from __future__ import annotations

from crm.plugins.leads.pool import recycle


async def recycle_neglected_leads(runtime) -> None:
    """Scheduled: leads their owners neglected go back to their pools (pool.recycle)."""
    await recycle(runtime)
