"""The platform's own API: which plugins are installed and enabled."""

from __future__ import annotations

import strawberry

from crm.api.access import authenticated
from crm.declarations import GraphQLContribution
from crm.hookspecs import hookimpl
from crm.system import models
from crm.system.manage import Manager


@strawberry.type(description="A plugin: installed in this deployment, and enabled or not.")
class PluginInfo:
    name: str
    version: str
    installed: bool
    enabled: bool
    depends: list[str]
    description: str


@strawberry.type
class SystemQuery:
    @strawberry.field(description="Installed plugins with version, dependencies and whether they are enabled.")
    @authenticated
    async def plugins(self, info: strawberry.Info) -> list[PluginInfo]:
        runtime = info.context.runtime
        rows = await Manager(runtime.db, runtime.installed).rows()
        return [
            PluginInfo(name=r.name, version=r.version, installed=r.installed, enabled=r.enabled, depends=list(r.depends), description=r.description)
            for r in rows
        ]


@hookimpl
def crm_register_models():
    from crm.sequences import NumberSequence

    return [models.PluginState, models.Counter, models.JobLease, NumberSequence]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[SystemQuery])
