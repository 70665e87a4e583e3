"""Which plugins are enabled, stored in the database so that every worker agrees."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError, ProgrammingError

from crm.models import utcnow
from crm.system.models import Counter, PluginState


class NotMigrated(Exception):
    pass


async def enabled_plugins(db) -> list[str]:
    try:
        async with db.read() as session:
            rows = await session.scalars(select(PluginState.name).where(PluginState.enabled.is_(True), PluginState.name != "core"))
            return sorted(rows.all())
    except (OperationalError, ProgrammingError) as exc:
        if "core_plugin" in str(exc):
            raise NotMigrated("the database has no CRM tables yet: run `crm db upgrade` (or `crm serve --demo` for a demo)") from None
        raise


async def plugin_states(db) -> dict[str, PluginState]:
    async with db.read() as session:
        return {row.name: row for row in (await session.scalars(select(PluginState))).all()}


async def set_state(session, name: str, version: str, *, enabled: bool, grants_seeded: bool | None = None) -> None:
    row = await session.get(PluginState, name)
    if row is None:
        row = PluginState(name=name, version=version, enabled=enabled, grants_seeded=False, changed_at=utcnow())
        session.add(row)
    row.enabled = enabled
    row.version = version
    row.changed_at = utcnow()
    if grants_seeded is not None:
        row.grants_seeded = grants_seeded
    await session.flush()


async def bump(session, counter: str) -> None:
    result = await session.execute(update(Counter).where(Counter.name == counter).values(value=Counter.value + 1))
    if result.rowcount == 0:
        session.add(Counter(name=counter, value=1))
        await session.flush()
