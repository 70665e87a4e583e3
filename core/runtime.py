"""The running application: settings, database, enabled plugins, the composed schema and the policy.

`Runtime.start()` is what `crm serve` runs in each worker and what tests call to get an app with exactly the
plugins they want.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pluggy
import strawberry

from crm import changes
from crm.api.composition import compose
from crm.api.errors import CORE_ERROR_CODES
from crm.db import Database
from crm.declarations import (ApprovalTarget, AssignmentTarget, AttachmentTarget, BulkTarget, ConsolePage, CustomerReference, GraphQLContribution, HttpRoute, Job, Resource, SavedList, TimelineSource,
                               ValueSource)
from crm.identity.policy import Policy
from crm.migrate import Migrator
from crm.plugin_failures import PluginFailures, failing_plugin
from crm.plugin_host import InstalledPlugin, PluginError, build_plugin_manager, installed_plugins, resolve
from crm.settings import Settings
from crm.system.state import enabled_plugins
from crm.web.scripts import PageScript, page_scripts


def collect(pm: pluggy.PluginManager, hook: str, **kwargs) -> list[tuple[str, Any]]:
    """Call `hook` on every plugin, keeping who answered what (for error messages and composition).

    Each plugin is called through pluggy (argument checks, its own wrappers) in registration order: the core's
    modules first, then the enabled plugins, each after the plugins it depends on. That order is deterministic, and
    it is the order in which contributions are composed (a plugin extends what its dependencies declared).
    """
    everyone = [plugin for _, plugin in pm.list_name_plugin()]
    answering = {impl.plugin for impl in getattr(pm.hook, hook).get_hookimpls()}
    out = []
    for name, plugin in pm.list_name_plugin():
        if plugin not in answering:
            continue
        only = pm.subset_hook_caller(hook, remove_plugins=[p for p in everyone if p is not plugin])
        try:
            results = only(**kwargs)
        except PluginError:
            raise
        except Exception as exc:  # a plugin that cannot declare itself stops start-up (or enabling) with its name
            raise PluginError(f"plugin {name!r} failed in {hook}: {type(exc).__name__}: {exc}") from exc
        out.extend((name, result) for result in results)
    return out


def collect_resources(pm: pluggy.PluginManager) -> dict[str, tuple[str, Resource]]:
    resources: dict[str, tuple[str, Resource]] = {}
    for owner, declared in collect(pm, "crm_register_permissions"):
        for resource in declared:
            if resource.name in resources:
                raise PluginError(
                    f"resource {resource.name!r} is declared by both {resources[resource.name][0]} and {owner}; rename one"
                )
            resources[resource.name] = (owner, resource)
    return resources


def compose_schema(pm: pluggy.PluginManager, settings: Settings) -> strawberry.Schema:
    contributions: list[tuple[str, GraphQLContribution]] = collect(pm, "crm_register_graphql")
    models = [m for _, group in collect(pm, "crm_register_models") for m in group]
    return compose(contributions, settings=settings, models=models)


class Runtime:
    def __init__(self, settings: Settings, db: Database, installed: dict[str, InstalledPlugin], enabled: list[str],
                 pm: pluggy.PluginManager, *, plugins_version: int = 0, discover=installed_plugins):
        self.settings = settings
        self.plugins_version = plugins_version  # the `plugins` counter this runtime was started at (crm.api.serving)
        self.plugins_changed_here = False  # set by enablePlugin/disablePlugin: this worker looks again at once
        self.discover = discover  # finds installed plugins again for a successor (one pip-installed since start)
        self.db = db
        self.installed = installed
        self.manifests = resolve(enabled, installed)
        self.enabled = [m.name for m in self.manifests]
        self.pm = pm
        self.resources = {name: r for name, (_, r) in collect_resources(pm).items()}
        self.timeline_sources: list[TimelineSource] = [s for _, group in collect(pm, "crm_register_timeline_sources") for s in group]
        self.customer_references: list[CustomerReference] = [
            r for _, group in collect(pm, "crm_register_customer_references") for r in group
        ]
        self.value_sources: list[ValueSource] = [v for _, group in collect(pm, "crm_register_value_sources") for v in group]
        self.activity_kinds: set[str] = {k for _, kinds in collect(pm, "crm_register_activity_kinds") for k in kinds}
        self.models_by_resource: dict[str, type] = {}  # the first model a resource names is its record (Stage audits as pipeline)
        for _, models in collect(pm, "crm_register_models"):
            for m in models:
                if getattr(m, "__resource__", ""):
                    self.models_by_resource.setdefault(m.__resource__, m)
        self.assignment_targets: dict[str, AssignmentTarget] = {
            t.resource: t for _, group in collect(pm, "crm_register_assignment_targets") for t in group}
        self.approval_targets: dict[str, ApprovalTarget] = {
            t.resource: t for _, group in collect(pm, "crm_register_approval_targets") for t in group}
        self.attachment_targets: dict[str, AttachmentTarget] = {
            t.resource: t for _, group in collect(pm, "crm_register_attachment_targets") for t in group}
        self.saved_lists: dict[str, SavedList] = {s.name: s for _, group in collect(pm, "crm_register_saved_lists") for s in group}
        self.bulk_targets: dict[str, BulkTarget] = {t.name: t for _, group in collect(pm, "crm_register_bulk_targets") for t in group}
        self._background: set[asyncio.Task] = set()
        self.routes: list[HttpRoute] = [r for _, group in collect(pm, "crm_register_routes") for r in group]
        pages = collect(pm, "crm_register_console_pages")
        self.console_pages: list[ConsolePage] = [p for _, group in pages for p in group]
        self.console_scripts: dict[str, PageScript] = page_scripts(pages)  # pages plugins draw with their own script
        self.jobs: list[Job] = [j for _, group in collect(pm, "crm_register_jobs") for j in group]
        changes.install(r for _, group in collect(pm, "crm_register_change_rules") for r in group)
        self.error_codes: dict[str, str] = dict(CORE_ERROR_CODES)
        for _, codes in collect(pm, "crm_register_error_codes"):
            for code, meaning in codes.items():
                self.error_codes.setdefault(code, meaning)
        self.schema: strawberry.Schema = compose_schema(pm, settings)
        self.policy = Policy(db, settings.policy_check_seconds)
        self.analysis_slots = asyncio.Semaphore(settings.analysis_concurrency)  # see Context.analysis_session
        self.migrator = Migrator(db, installed)
        self.plugin_failures = PluginFailures()

    def prepare_context(self, context) -> None:
        """Let every plugin add to the request's context. A plugin that raises is left out of this request (its log
        line and `/readyz` name it) instead of failing every request, `login` included."""
        from crm.api import reporting

        caller = self.pm.hook.crm_prepare_context
        left_out: list[object] = []
        while True:
            try:
                caller(context=context)
                return
            except Exception as exc:  # noqa: BLE001 - one plugin's fault must not take the API down
                plugin = failing_plugin(exc, caller)
                if plugin is None:
                    raise
                name = self.pm.get_name(plugin)
                failure = reporting.internal(reporting.PluginFailure(name, "crm_prepare_context", exc), "")
                self.plugin_failures.record(name, "crm_prepare_context", failure.extensions["errorId"])
                left_out.append(plugin)
                # Implementations that already ran run again: crm_prepare_context must set keys, not append.
                caller = self.pm.subset_hook_caller("crm_prepare_context", remove_plugins=left_out)

    @classmethod
    async def start(
        cls,
        settings: Settings,
        *,
        installed: dict[str, InstalledPlugin] | None = None,
        db: Database | None = None,
        discover=installed_plugins,
    ) -> Runtime:
        """A runtime with the plugins the database says are enabled. `discover()` finds the installed plugins
        (tests pass their own); `installed` skips that once."""
        from crm.api.serving import plugins_version
        from crm.customers import normalise

        normalise.configure(settings.phone_region)  # one region for every module's numbers in this process
        db = db or Database(settings.database_url)
        installed = installed if installed is not None else discover()
        version = await plugins_version(db)  # read before the set: a change in between is seen at the next check
        enabled = await enabled_plugins(db)
        pm = build_plugin_manager(resolve(enabled, installed))
        runtime = cls(settings, db, installed, enabled, pm, plugins_version=version, discover=discover)
        await runtime.policy.load()
        try:
            pm.hook.crm_startup(app=runtime)
        except Exception as exc:
            plugin = failing_plugin(exc, pm.hook.crm_startup)
            name = pm.get_name(plugin) if plugin is not None else "the core"
            raise PluginError(f"plugin {name!r} failed in crm_startup: {type(exc).__name__}: {exc}; "
                              f"fix it or disable it (`crm plugins disable {name}`)") from exc
        return runtime

    async def successor(self) -> Runtime:
        """A runtime for the plugins enabled now, on this one's database pool (crm.api.serving switches to it)."""
        return await Runtime.start(self.settings, db=self.db, discover=self.discover)

    def retire(self) -> None:
        """This runtime was replaced and its last request has finished: its plugins let go of what they hold. The
        database pool stays, the successor uses it; background work started here finishes on its own."""
        self.pm.hook.crm_shutdown(app=self)

    def spawn(self, work) -> None:
        """Run the coroutine `work` in this worker after the request that started it (a bulk job's first batches);
        cancelled when the worker stops, which the work must survive (bulk jobs give their lease back)."""
        task = asyncio.create_task(work)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def stop(self) -> None:
        for task in list(self._background):
            task.cancel()
        if self._background:
            await asyncio.gather(*self._background, return_exceptions=True)
        self.pm.hook.crm_shutdown(app=self)
        await self.db.dispose()
