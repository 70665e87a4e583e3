"""The leads plugin's scheduled work (registered in plugin.py; the scheduler runs each on one worker at a time)."""

from __future__ import annotations

from crm.plugins.leads.pool import recycle
from crm.plugins.leads.scoring import rescore_all


async def recycle_neglected_leads(runtime) -> None:
    """Scheduled: leads their owners neglected go back to their pools (pool.recycle)."""
    await recycle(runtime)


async def rescore_aged_leads(runtime) -> None:
    """Scheduled: leads whose last follow-up aged past a `within_days` scoring rule lose its points."""
    await rescore_all(runtime, only_aged=True)
