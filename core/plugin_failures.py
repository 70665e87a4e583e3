"""Plugins that fail while serving requests: a failing plugin's part is left out of the request, and `/readyz`
names the plugins that keep failing, so an operator sees which one it is while the rest of the CRM keeps serving."""

from __future__ import annotations

import time
import traceback
from collections import deque

WINDOW_SECONDS = 300


class PluginFailures:
    def __init__(self):
        self._recent: dict[tuple[str, str], deque[float]] = {}
        self._last_error: dict[tuple[str, str], str] = {}

    def record(self, plugin: str, hook: str, error_id: str) -> None:
        times = self._recent.setdefault((plugin, hook), deque(maxlen=1000))
        times.append(time.monotonic())
        self._last_error[(plugin, hook)] = error_id

    def failing(self) -> list[dict]:
        """Plugins that failed within the last five minutes, with how often and the id of the last error."""
        since = time.monotonic() - WINDOW_SECONDS
        out = []
        for (plugin, hook), times in sorted(self._recent.items()):
            count = sum(1 for t in times if t >= since)
            if count:
                out.append({"plugin": plugin, "hook": hook, "failures": count, "lastErrorId": self._last_error[(plugin, hook)]})
        return out


def failing_plugin(exc: BaseException, hook_caller) -> object | None:
    """Which plugin of `hook_caller` raised `exc`: the implementation whose code is in the traceback."""
    codes = {impl.function.__code__: impl.plugin for impl in hook_caller.get_hookimpls() if hasattr(impl.function, "__code__")}
    for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
        if frame.f_code in codes:
            return codes[frame.f_code]
    return None


_packages: dict[str, str] = {}  # a plugin's package (crm.plugins.sales, crm_loyalty) -> its name


def register_package(package: str, plugin: str) -> None:
    """Called for every plugin the process loads, so that an error's traceback can be traced to its plugin."""
    _packages[package] = plugin


def plugin_in_traceback(exc: BaseException) -> str | None:
    """The plugin whose code raised `exc` (the innermost frame of a plugin's package), or None for the core's own."""
    for frame, _ in reversed(list(traceback.walk_tb(exc.__traceback__))):
        module = frame.f_globals.get("__name__", "")
        for package, plugin in _packages.items():
            if module == package or module.startswith(package + "."):
                return plugin
    return None
