"""The ASGI application: GraphQL at /graphql (GraphiQL in a browser), /healthz and /readyz."""

from __future__ import annotations

import contextlib
import gc

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL

from crm.api.access import Access
from crm.api.context import Context
from crm.identity.auth import authenticate
from crm.runtime import Runtime
from crm.settings import Settings, load_settings

class CRMGraphQL(GraphQL):
    def __init__(self, runtime: Runtime):
        super().__init__(runtime.schema, graphql_ide="graphiql", allow_queries_via_get=False)
        self.runtime = runtime

    async def get_context(self, request, response) -> Context:
        runtime = self.runtime
        principal = await authenticate(runtime.db, request.headers.get("authorization"))
        await runtime.policy.refresh()
        grants = await runtime.policy.grants(principal.subject) if principal else {}
        access = Access(principal.user_id if principal else None, grants, runtime.db.read)
        context = Context(runtime, request, access, principal)
        runtime.pm.hook.crm_prepare_context(context=context)
        return context


class _Dispatch:
    """An ASGI app that forwards to the GraphQL app made when the runtime started (in the lifespan)."""

    def __init__(self, holder: dict):
        self.holder = holder

    async def __call__(self, scope, receive, send) -> None:
        await self.holder["graphql"](scope, receive, send)


def build_app(runtime: Runtime, *, lifespan=None) -> Starlette:
    holder = {"graphql": CRMGraphQL(runtime) if runtime else None}
    graphql = _Dispatch(holder)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        rt = holder["graphql"].runtime
        try:
            branches = await rt.migrator.status()
        except Exception as exc:  # the database is down: say so, do not crash
            return JSONResponse({"status": "unavailable", "error": str(exc)[:200]}, status_code=503)
        wanted = {"core", *(m.name for m in rt.manifests if m.migrations)}
        behind = [b.name for b in branches if b.name in wanted and not b.at_head]
        if behind:
            return JSONResponse({"status": "migrations pending", "branches": behind}, status_code=503)
        return JSONResponse({"status": "ready", "plugins": rt.enabled})

    app = Starlette(
        routes=[Route("/graphql", graphql, methods=["GET", "POST"]), Route("/healthz", healthz), Route("/readyz", readyz)],
        lifespan=lifespan,
    )
    app.state.holder = holder
    return app


def create_app(settings: Settings | None = None) -> Starlette:
    """The app uvicorn serves (`crm.api.app:create_app`, a factory): the runtime starts in the lifespan."""
    settings = settings or load_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        runtime = await Runtime.start(settings)
        app.state.holder["graphql"] = CRMGraphQL(runtime)
        from crm.system.jobs import Scheduler

        scheduler = Scheduler(runtime) if settings.jobs_enabled and runtime.jobs else None
        if scheduler:
            scheduler.start()
        # Everything made at start-up (schema, models, policy) lives as long as the process: keep it out of the
        # collector's way, so that a full collection during a request does not walk it again (p95 spikes).
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            if scheduler:
                await scheduler.stop()
            await runtime.stop()

    return build_app(None, lifespan=lifespan)
