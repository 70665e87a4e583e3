"""The per-request context every resolver gets as `info.context`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
import contextlib
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from strawberry.dataloader import DataLoader

from crm.api.access import Access


class Context:
    def __init__(self, runtime, request, access: Access, principal=None):
        self.runtime = runtime
        self.request = request
        self.access = access
        self.principal = principal  # crm.identity.auth.Principal, or None
        self.db = runtime.db
        self.settings = runtime.settings
        self.extras: dict[str, Any] = {}  # what plugins add through crm_prepare_context
        self._loaders: dict[str, DataLoader] = {}

    @property
    def user_id(self) -> int | None:
        return self.access.user_id

    @asynccontextmanager
    async def analysis_session(self) -> AsyncIterator[Any]:
        """A read session for an analysis query (a funnel, a forecast), opened when one of this worker's analysis slots
        is free (CRM_ANALYSIS_CONCURRENCY). A burst of heavy reports then queues here, instead of taking every
        connection of the pool and sharing the CPU until they all time out (seen with SQLite at 1M deals)."""
        async with self.runtime.analysis_slots, self.db.read() as session:
            if self.db.dialect != "postgresql":
                yield session
                return
            # Planned for its own arguments every time: after five runs of a prepared statement PostgreSQL may switch
            # to a generic plan that ignores them (the SLA report's two parallel scans: 0.85 s, then 1.3 s from the
            # sixth run on). A report is planned in a millisecond and runs for many; the pooled connection is reset.
            await session.execute(text("SET plan_cache_mode = force_custom_plan"))
            try:
                yield session
            finally:
                with contextlib.suppress(Exception):  # a connection that broke is discarded by the pool anyway
                    await session.execute(text("RESET plan_cache_mode"))

    def loader(self, key: str, load: Callable[[Sequence[Any]], Awaitable[list[Any]]]) -> DataLoader:
        """The request's DataLoader named `key`, made from `load` on first use. Loaders never outlive the request:
        what they cache was filtered by this caller's permissions."""
        found = self._loaders.get(key)
        if found is None:
            found = self._loaders[key] = DataLoader(load_fn=load)
        return found


async def acting_as(runtime, user_id: int) -> Context:
    """A context for work done outside a request on a user's behalf (a scheduled job that opens a renewal deal for a
    contract's owner): that user's grants and scope, no HTTP request. Public as `crm.acting_as`."""
    from crm.identity.policy import user_subject

    return Context(runtime, None, Access(user_id, await runtime.policy.grants(user_subject(user_id)), runtime.db.read))
