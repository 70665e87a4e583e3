"""Which runtime a worker serves, and switching to a new one when plugins are enabled or disabled elsewhere.

Enabling a plugin (`enablePlugin`, `crm plugins enable`) bumps the `plugins` counter in the database, as a change of
grants bumps `policy`. Each worker looks at that counter at most every `plugin_check_seconds` (at once after a change
made through itself) and, when it moved, starts a new runtime on the same database pool: the new plugin set, schema,
policy and routes. Requests already running keep the runtime they started with; once the last of them has finished,
the old runtime's plugins get `crm_shutdown`. A failed start keeps the old runtime serving and is retried at the next
check, so a broken plugin never takes a serving worker down.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import select

from crm.system.models import Counter

log = logging.getLogger("crm.plugins")
PLUGINS_COUNTER = "plugins"


async def plugins_version(db) -> int:
    async with db.read() as session:
        return await session.scalar(select(Counter.value).where(Counter.name == PLUGINS_COUNTER)) or 0


class Serving:
    """The current runtime's GraphQL app (`current`), and the switch to the next one."""

    def __init__(self, make_graphql):
        self.make_graphql = make_graphql  # runtime -> the ASGI GraphQL app that serves it
        self.current = None
        self._checked_at = 0.0
        self._switching = False
        self._inflight: dict[int, int] = {}  # id(app) -> requests running on it
        self._retired: dict[int, object] = {}  # id(app) -> app replaced, waiting for its last request

    def serve(self, runtime) -> None:
        previous = self.current
        self.current = self.make_graphql(runtime)
        if previous is not None:
            self._retired[id(previous)] = previous
            self._release(previous)

    async def enter(self):
        """The app a new request runs on (after switching, if plugins changed); pair with `leave`."""
        await self._check()
        app = self.current
        self._inflight[id(app)] = self._inflight.get(id(app), 0) + 1
        return app

    def leave(self, app) -> None:
        self._inflight[id(app)] -= 1
        self._release(app)

    def _release(self, app) -> None:
        if id(app) in self._retired and not self._inflight.get(id(app)):
            del self._retired[id(app)]
            self._inflight.pop(id(app), None)
            try:
                app.runtime.retire()
            except Exception:  # noqa: BLE001 - a plugin's crm_shutdown must not fail the request that happened to be last
                log.exception("a plugin failed in crm_shutdown of the runtime it replaced")

    async def _check(self) -> None:
        app = self.current
        if app is None or self._switching:
            return
        runtime = app.runtime
        interval = runtime.settings.plugin_check_seconds
        if not runtime.plugins_changed_here and time.monotonic() - self._checked_at < interval:
            return
        self._switching = True  # one switch at a time; other requests go on with the current runtime meanwhile
        try:
            self._checked_at = time.monotonic()
            runtime.plugins_changed_here = False
            try:
                version = await plugins_version(runtime.db)
            except Exception:  # noqa: BLE001 - the database is away: the request itself will say so (UNAVAILABLE)
                return
            if version == runtime.plugins_version:
                return
            try:
                new = await runtime.successor()
            except Exception:  # noqa: BLE001 - keep serving what works; the log names the plugin
                log.exception("the new plugin set could not start; this worker keeps serving %s", runtime.enabled)
                return
            log.info("plugins changed: now serving %s", new.enabled)
            self.serve(new)
        finally:
            self._switching = False
