"""The console's navigation through the API: every module declares its pages (`crm.ConsolePage`), and the console
lists those the caller may open (`consolePages`). The core's own pages are declared here like any plugin's."""

from __future__ import annotations

import strawberry

from crm.api.access import authenticated
from crm.declarations import ConsolePage, GraphQLContribution
from crm.hookspecs import hookimpl


@strawberry.type(name="ConsolePage", description="A page of the web console and its navigation entry.")
class ConsolePageType:
    path: str = strawberry.field(description="Where the console shows it, under /app (e.g. /customers).")
    title: str = strawberry.field(description="Its navigation entry.")
    resource: str = strawberry.field(description="The kind of record it is about: only those who may read it see the page.")
    script: str | None = strawberry.field(description="A plugin's own page: the address of the JavaScript module the console "
                                                      "imports to draw it (docs/plugins.md); null for the console's own pages.")


@strawberry.type
class ConsoleQuery:
    @strawberry.field(description="The console's pages the caller may open, in navigation order: those of enabled modules whose "
                                  "records the caller may read.")
    @authenticated
    def console_pages(self, info: strawberry.Info) -> list[ConsolePageType]:
        access = info.context.access
        runtime = info.context.runtime
        return [ConsolePageType(path=p.path, title=p.title, resource=p.resource,
                                script=runtime.console_scripts[p.path].url if p.path in runtime.console_scripts else None)
                for p in runtime.console_pages if access.can(p.resource, "read")]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[ConsoleQuery])


@hookimpl
def crm_register_console_pages():
    return [ConsolePage("/my-day", "My day", "activity"), ConsolePage("/customers", "Customers", "customer")]
