"""Finding plugins, checking their manifests and building the pluggy manager.

The manager is built by a factory, never at import time, so that a test (or a second app in one process) can
have exactly the plugins it asks for.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pluggy
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from crm import hookspecs
from crm.declarations import Manifest
from crm.plugin_failures import register_package
from crm.version import API_VERSION

ENTRY_POINT_GROUP = "crm.plugins"

# The core's own parts are plugins too, always enabled, in this order.
CORE_HOOK_MODULES = (
    "crm.identity.plugin",
    "crm.customers.plugin",
    "crm.activities.plugin",
    "crm.audit.plugin",
    "crm.system.plugin",
    "crm.money.plugin",
    "crm.assignment.plugin",
    "crm.approvals.plugin",
    "crm.files.plugin",
    "crm.views.plugin",
    "crm.bulk.plugin",
    "crm.calendars.plugin",
    "crm.web.plugin",
)


class PluginError(Exception):
    """A plugin set that cannot start. The message names the plugin and the fix; `code` is what enablePlugin and
    disablePlugin answer with (NOT_FOUND: not installed, IN_USE: others depend on it, PLUGIN_FAILED: the rest)."""

    def __init__(self, message: str, code: str = "PLUGIN_FAILED"):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class InstalledPlugin:
    manifest: Manifest
    origin: str  # "bundled" or the distribution that ships it

    @property
    def name(self) -> str:
        return self.manifest.name


def _load_manifest(module_name: str, origin: str) -> Manifest:
    module = importlib.import_module(module_name)
    manifest = getattr(module, "manifest", None)
    if not isinstance(manifest, Manifest):
        raise PluginError(f"{module_name} (from {origin}) has no `manifest = crm.Manifest(...)`; every plugin needs one")
    return manifest


def installed_plugins(entry_points: Callable[[], Iterable] | None = None) -> dict[str, InstalledPlugin]:
    """Bundled plugins (folders under plugins/) and every distribution declaring the `crm.plugins` entry point."""
    found: dict[str, InstalledPlugin] = {}

    def add(manifest: Manifest, origin: str) -> None:
        if manifest.name in found or manifest.name == "core":
            other = found[manifest.name].origin if manifest.name in found else "the core"
            raise PluginError(
                f"two plugins are named {manifest.name!r}: one from {other}, one from {origin}; "
                "uninstall one of them or rename it"
            )
        found[manifest.name] = InstalledPlugin(manifest, origin)

    import crm.plugins as bundled

    for info in sorted(pkgutil.iter_modules(bundled.__path__), key=lambda i: i.name):
        if info.ispkg:
            add(_load_manifest(f"crm.plugins.{info.name}", "bundled"), "bundled")

    eps = entry_points() if entry_points else importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    for ep in eps:
        origin = f"distribution {ep.dist.name}" if getattr(ep, "dist", None) else f"entry point {ep.name}"
        manifest = _load_manifest(ep.value, origin)
        if manifest.name != ep.name:
            raise PluginError(f"entry point {ep.name!r} ({origin}) loads a plugin named {manifest.name!r}; make them equal")
        add(manifest, origin)
    return found


def with_dependencies(names: Iterable[str], installed: dict[str, InstalledPlugin]) -> set[str]:
    """`names` and every installed plugin they depend on, directly or not: what enabling them enables.

    Also what an upgrade enables when a new release of an enabled plugin depends on a plugin it did not depend on
    before (sales 1.0 on the catalogue that took over its products). A dependency that is not installed is left
    for `resolve` to refuse with its fix."""
    out, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in out:
            continue
        out.add(name)
        if name in installed:
            todo.extend(installed[name].manifest.depends)
    return out


def resolve(enabled: Iterable[str], installed: dict[str, InstalledPlugin]) -> list[Manifest]:
    """Check the enabled set and return manifests in dependency order (dependencies first).

    Bridge plugins join by themselves when all their dependencies are enabled.
    """
    names = set(enabled)
    for name in sorted(names):
        if name not in installed:
            raise PluginError(f"plugin {name!r} is enabled but not installed; install it or run `crm plugins disable {name}`")
    changed = True
    while changed:  # bridges may depend on bridges
        changed = False
        for plugin in installed.values():
            m = plugin.manifest
            if m.bridge and m.name not in names and m.depends and all(d in names for d in m.depends):
                names.add(m.name)
                changed = True

    for name in sorted(names):
        m = installed[name].manifest
        _check_core_version(m)
        for dep in m.depends:
            if dep not in installed:
                raise PluginError(f"plugin {name!r} needs {dep!r}, which is not installed; install {dep!r} first")
            if dep not in names:
                raise PluginError(f"plugin {name!r} needs {dep!r}, which is not enabled; run `crm plugins enable {dep}` first")

    ordered: list[Manifest] = []
    state: dict[str, str] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            cycle = " -> ".join((*path[path.index(name):], name))
            raise PluginError(f"plugins depend on each other in a cycle: {cycle}; remove one of these dependencies")
        state[name] = "visiting"
        for dep in installed[name].manifest.depends:
            visit(dep, (*path, name))
        state[name] = "done"
        ordered.append(installed[name].manifest)

    for name in sorted(names):
        visit(name, ())
    return ordered


def _check_core_version(m: Manifest) -> None:
    try:
        spec = SpecifierSet(m.requires_core)
    except InvalidSpecifier as exc:
        raise PluginError(f"plugin {m.name!r} has an invalid requires_core {m.requires_core!r}: {exc}") from None
    if Version(API_VERSION) not in spec:
        raise PluginError(
            f"plugin {m.name!r} {m.version} needs core API {m.requires_core}, this core is {API_VERSION}; "
            f"upgrade or downgrade {m.name!r} to a release made for core API {API_VERSION}"
        )


def build_plugin_manager(manifests: Iterable[Manifest], extra_modules: Iterable[object] = ()) -> pluggy.PluginManager:
    """A plugin manager with the core's parts, then `manifests` in order, then `extra_modules` (tests)."""
    pm = pluggy.PluginManager("crm")
    pm.add_hookspecs(hookspecs)
    for name in CORE_HOOK_MODULES:
        pm.register(importlib.import_module(name), name=f"core:{name.rsplit('.', 2)[-2]}")
    for m in manifests:
        try:
            module = importlib.import_module(m.hooks)
        except ImportError as exc:
            raise PluginError(f"plugin {m.name!r}: cannot import its hooks module {m.hooks!r}: {exc}") from exc
        pm.register(module, name=m.name)
        register_package(m.hooks.rsplit(".", 1)[0] if "." in m.hooks else m.hooks, m.name)
    for module in extra_modules:
        pm.register(module)
    pm.hook.crm_add_hookspecs(pm=pm)
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"{exc}; check the hook's name against docs/plugins.md") from exc
    return pm
