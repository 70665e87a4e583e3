"""Setting up a database, enabling and disabling plugins: what `crm db` and `crm plugins` do.

Enabling enables the plugins it depends on too, runs the migrations and, the first time only, writes its default grants
for the built-in roles (later an admin's changes to those grants are never overwritten). Disabling keeps every
table and row; enabling again brings them back.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.db import Database
from crm.declarations import Resource
from crm.identity.models import CasbinRule, Role
from crm.identity.policy import role_subject
from crm.audit.listener import record
from crm.migrate import MigrationFailed, Migrator
from crm.plugin_host import InstalledPlugin, PluginError, build_plugin_manager, resolve, with_dependencies
from crm.runtime import collect_resources
from crm.system.models import Counter, PluginState
from crm.system.state import bump, enabled_plugins, plugin_states, set_state
from crm.version import __version__

SEEDED = "grants:"  # core_counter rows naming the resources whose default grants were written

BUILTIN_ROLES = {
    "admin": "Everything, everywhere.",
    "manager": "Reads and writes the records of their teams.",
    "sales_rep": "Reads and writes their own records.",
    "viewer": "Reads everything, changes nothing.",
}


@dataclass
class PluginRow:
    name: str
    version: str
    installed: bool
    enabled: bool
    depends: tuple[str, ...]
    origin: str
    description: str


class Manager:
    def __init__(self, db: Database, installed: dict[str, InstalledPlugin]):
        self.db = db
        self.installed = installed
        self.migrator = Migrator(db, installed)

    async def setup(self) -> None:
        """Migrate the core and every enabled plugin; create built-in roles and any grants not yet written."""
        await self.migrator.upgrade(["core"])
        enabled = with_dependencies(await enabled_plugins(self.db), self.installed)
        manifests = resolve(enabled, self.installed)
        await self._apply(manifests, collect_resources(build_plugin_manager(manifests)), added=[])

    async def enable(self, name: str, *, actor_id: int | None = None) -> list[str]:
        """Enable `name`, the plugins it depends on, and bridges that now apply; returns the plugins newly enabled.

        Atomic: what can be checked without the database is checked first (installed, dependencies, the core API
        version, hooks that import, resources and a GraphQL schema that compose); then the migrations, the plugins'
        rows, their first grants and the audit entries are written in one transaction. Whatever fails, the plugins
        stay disabled, the database is as it was, and the PluginError names the plugin."""
        if name not in self.installed:
            known = ", ".join(sorted(self.installed)) or "none"
            raise PluginError(f"no plugin named {name!r} is installed (installed: {known})", "NOT_FOUND")
        await self.migrator.upgrade(["core"])
        before = set(await enabled_plugins(self.db))
        manifests = resolve(with_dependencies(before | {name}, self.installed), self.installed)
        added = [m.name for m in manifests if m.name not in before]
        if added:
            await self._apply(manifests, composed(manifests), added=added, actor_id=actor_id)
        return added

    async def disable(self, name: str, *, actor_id: int | None = None) -> list[str]:
        """Disable `name` and the bridges that need it; returns them. Every table and row stays."""
        enabled = set(await enabled_plugins(self.db))
        if name not in enabled:
            raise PluginError(f"plugin {name!r} is not enabled", "NOT_FOUND")
        depends = {other: self.installed[other].manifest for other in enabled if other in self.installed}
        dependents = sorted(o for o, m in depends.items() if name in m.depends and not m.bridge)
        if dependents:
            raise PluginError(f"{', '.join(dependents)} depend on {name!r}; disable them first", "IN_USE")
        bridges = sorted(o for o, m in depends.items() if m.bridge and name in m.depends)
        async with self.db.write() as session:
            session.info["actor_id"] = actor_id
            for plugin in (name, *bridges):
                version = self.installed[plugin].manifest.version if plugin in self.installed else "?"
                await set_state(session, plugin, version, enabled=False)
                await record(session, "disable", "plugin", plugin, [{"field": "enabled", "old": True, "new": False}])
            await bump(session, "plugins")
        return [name, *bridges]

    async def _apply(self, manifests, resources, *, added: list[str], actor_id: int | None = None) -> None:
        """Migrations, plugin rows and first grants of `manifests`, in one transaction."""
        async with self.db.migrating() as conn:
            try:
                await self.migrator.upgrade_on(conn, [m.name for m in manifests if m.migrations])
            except MigrationFailed as exc:
                raise PluginError(f"{exc}; nothing was changed and {', '.join(added) or 'no plugin'} stays disabled") from exc
            session = AsyncSession(bind=conn, expire_on_commit=False)
            session.info["actor_id"] = actor_id
            await self._seed(session, manifests, resources)
            for plugin in added:
                await record(session, "enable", "plugin", plugin, [{"field": "enabled", "old": False, "new": True}])
            await session.flush()

    async def downgrade(self, name: str) -> None:
        """Take a plugin's tables away (its data too): disable it, then migrate its branch to base."""
        if name == "core":
            raise PluginError("the core cannot be downgraded on its own; drop the database instead")
        if name in await enabled_plugins(self.db):
            await self.disable(name)
        await self.migrator.downgrade(name)
        async with self.db.write() as session:
            await set_state(session, name, self.installed[name].manifest.version, enabled=False, grants_seeded=False)

    async def rows(self) -> list[PluginRow]:
        states = await plugin_states(self.db)
        out = []
        for name, plugin in sorted(self.installed.items()):
            m = plugin.manifest
            state = states.get(name)
            out.append(PluginRow(name, m.version, True, bool(state and state.enabled), m.depends, plugin.origin, m.description))
        for name, state in sorted(states.items()):
            if name not in self.installed and name != "core":
                out.append(PluginRow(name, state.version, False, state.enabled, (), "not installed", ""))
        return out

    async def _seed(self, session, manifests, resources) -> None:
        """Default grants for each resource once: when its owner is enabled for the first time (or again after its
        data was dropped), and for a resource a later release of the core or a plugin adds to an owner seeded long
        ago. A `grants:<resource>` row in core_counter says a resource's defaults were written, so that grants an
        admin removes later are not written again."""
        states = {row.name: row for row in (await session.scalars(select(PluginState))).all()}
        roles = await _builtin_roles(session)
        owners = {"core"} | {m.name for m in manifests}
        seeded = set((await session.scalars(select(Counter.name).where(Counter.name.like(f"{SEEDED}%")))).all())
        changed = False
        for res_owner, resource in resources.values():
            owner = _owner_group(res_owner)
            fresh = owner not in states or not states[owner].grants_seeded
            if owner in owners and (fresh or SEEDED + resource.name not in seeded):
                changed |= await _write_default_grants(session, roles, resource)
                if SEEDED + resource.name not in seeded:
                    session.add(Counter(name=SEEDED + resource.name, value=1))
                    seeded.add(SEEDED + resource.name)
        for owner in sorted(owners):
            state = states.get(owner)
            version = __version__ if owner == "core" else self.installed[owner].manifest.version
            changed |= state is None or not state.grants_seeded or not state.enabled or state.version != version
            await set_state(session, owner, version, enabled=True, grants_seeded=True)
        if changed:  # running workers reload grants and switch plugin sets when these move; `crm db upgrade` alone does not
            await bump(session, "policy")
            await bump(session, "plugins")


def composed(manifests) -> dict:
    """Check that `manifests` make a working server without touching the database: their hooks import, their
    resources and GraphQL contributions compose. Returns the resources; a PluginError names what failed."""
    from crm.runtime import compose_schema
    from crm.settings import load_settings

    pm = build_plugin_manager(manifests)
    resources = collect_resources(pm)
    try:
        compose_schema(pm, load_settings())
    except PluginError:
        raise
    except Exception as exc:  # strawberry's and graphql-core's own errors name the type, not the plugin
        names = ", ".join(m.name for m in manifests) or "the core"
        raise PluginError(f"the GraphQL schema of {names} does not compose: {type(exc).__name__}: {exc}") from exc
    return resources


def _owner_group(plugin_name: str) -> str:
    return "core" if plugin_name.startswith("core:") else plugin_name


async def _builtin_roles(session) -> dict[str, Role]:
    existing = {r.name: r for r in (await session.scalars(select(Role).where(Role.name.in_(BUILTIN_ROLES)))).all()}
    for name, description in BUILTIN_ROLES.items():
        if name not in existing:
            role = Role(name=name, description=description, builtin=True)
            session.add(role)
            existing[name] = role
    await session.flush()
    return existing


async def _write_default_grants(session, roles: dict[str, Role], resource: Resource) -> bool:
    """Write `resource`'s default grants unless a grant names it already; True when written."""
    # A resource that moved to another plugin (products from sales to the catalogue) keeps the grants it has,
    # an admin's changes included: defaults are for a resource no grant names yet.
    if await session.scalar(select(CasbinRule.id).where(CasbinRule.ptype == "p", CasbinRule.v1 == resource.name).limit(1)):
        return False
    grants = {role: dict(g) for role, g in resource.default_grants.items()}
    grants["admin"] = {"read": "all", "write": "all"}
    for role_name, by_action in grants.items():
        role = roles.get(role_name)
        if role is None:
            continue
        for action, scope in by_action.items():
            session.add(CasbinRule(ptype="p", v0=role_subject(role.id), v1=resource.name, v2=action, v3=scope))
    await session.flush()
    return True
