"""The platform's own API: which plugins are installed and enabled, and switching them on and off."""

from __future__ import annotations

import strawberry

from crm.api.access import authenticated, requires
from crm.api.errors import Invalid, UserError
from crm.api.inputs import clean_text
from crm.declarations import GraphQLContribution
from crm.hookspecs import hookimpl
from crm.plugin_host import PluginError
from crm.system import models
from crm.system.manage import Manager, PluginRow


@strawberry.type(description="A plugin: installed in this deployment, and enabled or not.")
class PluginInfo:
    name: str = strawberry.field(description="The plugin's name.")
    version: str = strawberry.field(description="The plugin's own version.")
    installed: bool = strawberry.field(description="Whether its code is installed on this server.")
    enabled: bool = strawberry.field(description="Whether it is enabled.")
    depends: list[str] = strawberry.field(description="Plugins it needs (enabled with it).")
    description: str = strawberry.field(description="What it does.")
    origin: str = strawberry.field(description="`bundled`, or the pip distribution that ships it.")


def _info(r: PluginRow) -> PluginInfo:
    return PluginInfo(name=r.name, version=r.version, installed=r.installed, enabled=r.enabled, depends=list(r.depends),
                      description=r.description, origin=r.origin)


@strawberry.input(description="The plugin to enable or disable, by its name (`plugins { name }`).")
class PluginNameInput:
    name: str = strawberry.field(description="The plugin's name.")


@strawberry.type(description="What enablePlugin or disablePlugin changed.")
class PluginPayload:
    plugins: list[PluginInfo] = strawberry.field(
        default_factory=list, description="Every plugin whose state changed: the one named, the plugins it depends on that "
        "were enabled with it, and bridges that joined or left with it. Empty when it already was so.")
    errors: list[UserError] = strawberry.field(default_factory=list)


def _manager(info: strawberry.Info) -> Manager:
    runtime = info.context.runtime
    return Manager(runtime.db, runtime.discover())  # looked up again: a plugin may have been pip-installed since start


async def _change(info: strawberry.Info, input: PluginNameInput, enable: bool) -> PluginPayload:
    try:
        name = clean_text(input.name, "name", limit=100, required=True)
    except Invalid as exc:
        return PluginPayload(errors=exc.errors)
    manager = _manager(info)
    try:
        if enable:
            changed = await manager.enable(name, actor_id=info.context.user_id)
        else:
            changed = await manager.disable(name, actor_id=info.context.user_id)
    except PluginError as exc:
        return PluginPayload(errors=[UserError(field="name", code=exc.code, message=str(exc))])
    info.context.runtime.plugins_changed_here = True  # this worker serves the new set from its next request
    rows = {r.name: r for r in await manager.rows()}
    return PluginPayload(plugins=[_info(rows[n]) for n in changed if n in rows])


@strawberry.type
class SystemQuery:
    @strawberry.field(description="Installed plugins with version, dependencies and whether they are enabled.")
    @authenticated
    async def plugins(self, info: strawberry.Info) -> list[PluginInfo]:
        return [_info(r) for r in await _manager(info).rows()]


@strawberry.type
class SystemMutation:
    @strawberry.mutation(description="Enable an installed plugin, the plugins it depends on and the bridges that then apply: "
                         "checks, migrations and first grants succeed together or nothing changes. Every worker serves "
                         "the new schema within `CRM_PLUGIN_CHECK_SECONDS`, without a restart. Audited. Needs the "
                         "grant to manage roles (role write), since a plugin brings new kinds of records to grant.")
    @requires("role", "write")
    async def enable_plugin(self, info: strawberry.Info, input: PluginNameInput) -> PluginPayload:
        return await _change(info, input, enable=True)

    @strawberry.mutation(description="Disable a plugin (and bridges that need it). Its tables and rows stay; enabling it "
                         "again brings them back. Refused (IN_USE) while enabled plugins depend on it. Audited.")
    @requires("role", "write")
    async def disable_plugin(self, info: strawberry.Info, input: PluginNameInput) -> PluginPayload:
        return await _change(info, input, enable=False)


@hookimpl
def crm_register_models():
    from crm.sequences import NumberSequence

    return [models.PluginState, models.Counter, models.JobLease, NumberSequence]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[SystemQuery], mutation=[SystemMutation])
