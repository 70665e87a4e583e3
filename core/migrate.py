"""Running alembic for the core and the plugins.

Every installed plugin's revision folder is on alembic's `version_locations`, enabled or not: a disabled plugin
still has rows in the version table, and alembic fails on revisions it cannot find.
"""

from __future__ import annotations

import warnings

import os
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column

from crm.plugin_host import InstalledPlugin

HERE = Path(__file__).parent / "migrations"
CORE_VERSIONS = HERE / "versions"


def alembic_config(installed: dict[str, InstalledPlugin]) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    locations = [CORE_VERSIONS, *(p.manifest.migrations for p in installed.values() if p.manifest.migrations)]
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(p) for p in locations))
    return cfg


class MigrationFailed(Exception):
    def __init__(self, branch: str, cause: Exception):
        super().__init__(f"a migration of {branch!r} failed: {type(cause).__name__}: {str(cause).splitlines()[0][:300]}")
        self.branch = branch


@dataclass
class BranchStatus:
    name: str
    current: str | None
    head: str | None

    @property
    def at_head(self) -> bool:
        return self.current == self.head


class Migrator:
    def __init__(self, database, installed: dict[str, InstalledPlugin]):
        self.db = database
        self.installed = installed

    def _config(self, connection) -> Config:
        cfg = alembic_config(self.installed)
        cfg.attributes["connection"] = connection
        return cfg

    async def _run(self, fn, *args) -> object:
        """`fn(config, *args)` in the migrations' transaction (crm.db.Database.migrating)."""
        async with self.db.migrating() as conn:
            return await conn.run_sync(lambda sync_conn: fn(self._config(sync_conn), *args))

    async def _read(self, fn) -> object:
        """`fn(config)` that only reads (status, compare): on a plain read connection, so that `/readyz` takes no write
        lock and runs no foreign key check on SQLite."""
        async with self.db.engine.connect() as conn:
            return await conn.run_sync(lambda sync_conn: fn(self._config(sync_conn)))

    async def upgrade(self, branches: list[str]) -> None:
        """Bring `branches` (e.g. ["core", "sales"]) to their heads, in one transaction."""
        async with self.db.migrating() as conn:
            await self.upgrade_on(conn, branches)

    async def upgrade_on(self, conn, branches: list[str]) -> None:
        """Bring `branches` to their heads on `conn`, inside the caller's transaction: DDL is transactional on
        PostgreSQL and on our SQLite connections (which BEGIN IMMEDIATE before any statement), so a failure anywhere
        leaves no table of any branch behind once the caller rolls back. `MigrationFailed` names the branch."""

        def run(sync_conn) -> None:
            cfg = self._config(sync_conn)
            for name in branches:
                try:
                    command.upgrade(cfg, f"{name}@head")
                except Exception as exc:
                    raise MigrationFailed(name, exc) from exc

        await conn.run_sync(run)

    async def downgrade(self, branch: str, to: str | None = None) -> None:
        """Take one plugin's branch back to base, or to the revision `to` (alembic also takes down revisions of other
        branches that depend on those it removes)."""
        await self._run(lambda cfg: command.downgrade(cfg, to or f"{branch}@base"))

    async def status(self) -> list[BranchStatus]:
        def read(cfg: Config) -> list[BranchStatus]:
            script = ScriptDirectory.from_config(cfg)
            heads = MigrationContext.configure(cfg.attributes["connection"]).get_current_heads()
            # Every applied revision: alembic stores only heads, and a revision another branch depends on (core_0006,
            # which sales_0004 needs) is no head once that branch is past it.
            current = {rev.revision for rev in script.iterate_revisions(heads, "base")} if heads else set()
            result = []
            labels = sorted({label for rev in script.walk_revisions() for label in rev.branch_labels})
            for branch in labels:
                head = script.get_revision(f"{branch}@head")
                mine = sorted(current & _own_revisions(script, head.revision))
                result.append(BranchStatus(branch, mine[-1] if mine else None, head.revision))
            return sorted(result, key=lambda b: (b.name != "core", b.name))

        return await self._read(read)

    async def compare(self, plugins: set[str]) -> list:
        """Differences between the models and the migrated database for `plugins` ([] when they agree)."""
        from alembic.autogenerate import compare_metadata

        from crm.models import metadata

        def diff(cfg: Config) -> list:
            conn = cfg.attributes["connection"]
            ctx = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_object": lambda obj, name, type_, reflected, other: _belongs(obj, name, type_, reflected, plugins),
                },
            )
            # Expression indexes (lower(region)) cannot be reflected, so they are not compared: their migrations are
            # checked by running them. SQLAlchemy says so with a warning per index; that is expected here.
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
                warnings.filterwarnings("ignore", message="autogenerate skipping metadata-specified expression-based index")
                found = compare_metadata(ctx, metadata)
            # An index with expressions (DESC, lower()) is skipped on the models' side, and SQLite reflects it as plain
            # columns: alembic then reports it as both removed and added. Its migration is checked by running it.
            expressive = {i.name for t in metadata.tables.values() for i in t.indexes if any(not isinstance(e, Column) for e in i.expressions)}
            return [d for d in found if not (isinstance(d, tuple) and d[0] in ("add_index", "remove_index") and d[1].name in expressive)]

        return await self._read(diff)


def _own_revisions(script: ScriptDirectory, head: str) -> set[str]:
    """Revisions of one branch: follow down_revision only, not depends_on (which points into other branches)."""
    seen, todo = set(), [head]
    while todo:
        rev = script.get_revision(todo.pop())
        if rev is None or rev.revision in seen:
            continue
        seen.add(rev.revision)
        down = rev.down_revision
        todo.extend(down if isinstance(down, tuple) else [down] if down else [])
    return seen


def _belongs(obj, name, type_, reflected, plugins: set[str]) -> bool:
    from crm.models import metadata

    if type_ == "index" and name and name.endswith("_trgm"):
        return False  # trigram indexes exist only where pg_trgm could be created (core_0003): not part of the models
    if type_ != "table":
        table = getattr(obj, "table", None)
        if table is not None and not reflected:
            return table.info.get("plugin", "core") in plugins
        if table is not None and reflected:
            known = metadata.tables.get(table.name)
            return known is not None and known.info.get("plugin", "core") in plugins
        return True
    if name == "alembic_version":
        return False
    table = metadata.tables.get(name)
    return table is not None and table.info.get("plugin", "core") in plugins
