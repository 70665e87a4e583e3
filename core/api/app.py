"""The ASGI application: GraphQL at /graphql (GraphiQL in a browser), /healthz and /readyz."""

from __future__ import annotations

import contextlib
import gc
import logging

from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router
from strawberry.asgi import GraphQL
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
from cross_web import HTTPException

from crm.api import metrics, reporting, tracing
from crm.api.access import Access
from crm.api.context import Context
from crm.api.http import BodyTooLarge, Protect, decode_json, error_body
from crm.api.request_log import RequestLog, configure_logging
from crm.api.serving import Serving
from crm.identity.auth import authenticate
from crm.plugin_host import PluginError
from crm.web import routes as console
from crm.web import session as console_session
from crm.runtime import Runtime
from crm.settings import Settings, load_settings, unknown_variables


class CRMGraphQL(GraphQL):
    def __init__(self, runtime: Runtime):
        # GraphiQL reads the schema, so it is there only where introspection is (development, by default).
        ide = "graphiql" if runtime.settings.introspection_allowed else None
        super().__init__(runtime.schema, graphql_ide=ide, allow_queries_via_get=False)
        self.runtime = runtime

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL as the console's build has it, from this server's own files (strawberry's page loads it from a CDN,
        which a network without internet access does not reach)."""
        return console.graphiql()

    async def __call__(self, scope, receive, send) -> None:
        """Every answer is GraphQL-shaped JSON with a code, also when the body cannot be read or the database is away."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as exc:
            response = JSONResponse(error_body(exc.reason, "BAD_REQUEST" if exc.status_code < 500 else "INTERNAL"),
                                    status_code=exc.status_code)
        except BodyTooLarge:
            raise  # answered by Protect, which set the limit
        except Exception as exc:  # noqa: BLE001 - nothing unexpected reaches a client as a traceback or driver text
            error = reporting.internal(exc, f" serving {scope.get('path')}")
            status = reporting.status_of([error]) or 500
            headers = {"Retry-After": str(reporting.RETRY_AFTER_SECONDS)} if status == 503 else None
            response = JSONResponse({"data": None, "errors": [error.formatted]}, status_code=status, headers=headers)
        await response(scope, receive, send)

    def decode_json(self, data: str | bytes) -> object:
        try:
            return decode_json(data, self.runtime.settings.max_json_depth)
        except (ValueError, RecursionError) as exc:
            message = str(exc) if "nests deeper" in str(exc) else "the request body is not JSON"
            raise HTTPException(400, message) from None

    async def get_context(self, request, response) -> Context:
        runtime = self.runtime
        principal = await authenticate(runtime.db, console_session.bearer_of(request))  # the header, or the console's cookie
        await runtime.policy.refresh()
        grants = await runtime.policy.grants(principal.subject) if principal else {}
        access = Access(principal.user_id if principal else None, grants, runtime.db.read)
        context = Context(runtime, request, access, principal)
        facts = request.scope.get("state", {}).get("crm_request")
        if facts is not None and principal is not None:
            facts["user_id"] = principal.user_id
        context.response = response
        runtime.prepare_context(context)
        return context


class _PluginRoutes:
    """Plugins' HTTP routes (crm_register_routes) of the runtime that serves now: the set follows the enabled plugins,
    which are known only once the runtime has started and change when plugins are enabled. Anything else is a 404."""

    def __init__(self, serving: Serving):
        self.serving = serving
        self.routers: dict[int, Router] = {}  # id(runtime) -> its router, built on first use

    def _router(self, runtime: Runtime) -> Router:
        router = self.routers.get(id(runtime))
        if router is None:
            def bind(route):
                async def endpoint(request: Request) -> Response:
                    return await route.endpoint(request, runtime)
                return Route(route.path, endpoint, methods=list(route.methods))

            router = Router([bind(r) for r in runtime.routes])
            self.routers = {id(runtime): router}  # the previous runtime's requests hold their router already
        return router

    async def __call__(self, scope, receive, send) -> None:
        if self.serving.current is None:
            await JSONResponse({"error": "not found"}, status_code=404)(scope, receive, send)
            return
        app = await self.serving.enter()
        try:
            await self._router(app.runtime)(scope, receive, send)
        finally:
            self.serving.leave(app)


class _Dispatch:
    """An ASGI app that forwards to the GraphQL app of the runtime that serves now (crm.api.serving)."""

    def __init__(self, serving: Serving):
        self.serving = serving

    async def __call__(self, scope, receive, send) -> None:
        app = await self.serving.enter()
        try:
            await app(scope, receive, send)
        finally:
            self.serving.leave(app)


def build_app(runtime: Runtime, *, lifespan=None, settings: Settings | None = None) -> RequestLog:
    serving = Serving(CRMGraphQL)
    if runtime:
        serving.serve(runtime)
    graphql = _Dispatch(serving)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        rt = serving.current.runtime
        try:
            branches = await rt.migrator.status()
        except Exception as exc:  # the database is down: say so, do not crash
            reporting.internal(exc, " checking readiness")
            return JSONResponse({"status": "unavailable", "error": "the database is not reachable"}, status_code=503)
        wanted = {"core", *(m.name for m in rt.manifests if m.migrations)}
        behind = [b.name for b in branches if b.name in wanted and not b.at_head]
        if behind:
            return JSONResponse({"status": "migrations pending", "branches": behind}, status_code=503)
        failing = rt.plugin_failures.failing()
        if failing:
            return JSONResponse({"status": "degraded", "plugins": rt.enabled, "failing": failing})
        return JSONResponse({"status": "ready", "plugins": rt.enabled})

    settings = settings or (runtime.settings if runtime else load_settings())

    async def metrics_page(request: Request) -> Response:
        status, body, content_type = metrics.exposition(request.headers.get("authorization"), settings.metrics_token)
        return Response(body, status_code=status, media_type=content_type)

    routes = [Route("/graphql", graphql, methods=["GET", "POST"]), Route("/healthz", healthz), Route("/readyz", readyz),
              *console.routes()]
    if settings.metrics_enabled:
        metrics.enable(settings.metrics_dir)
        routes.append(Route("/metrics", metrics_page))
        if runtime:
            metrics.watch_pools(runtime.db.engines)
    app = Starlette(routes=routes, lifespan=lifespan)
    # What no core route matches goes to the plugins' routes: they cannot shadow a core path, and a core path with
    # another method still answers 405.
    app.router.default = _PluginRoutes(serving)
    app.state.serving = serving
    app.state.tracer_provider = tracing.start(settings)
    if app.state.tracer_provider:
        tracing.instrument_app(app, app.state.tracer_provider)
        if runtime:
            tracing.instrument_engines(runtime.db.engines, app.state.tracer_provider)
    inner = app
    if settings.cors_origins:  # none by default: a browser on another origin is refused
        inner = CORSMiddleware(app, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                               allow_headers=["Authorization", "Content-Type", "X-Request-ID"], expose_headers=["X-Request-ID", "Retry-After"],
                               allow_credentials=settings.cors_allow_credentials, max_age=settings.cors_max_age)
    protected = Protect(inner, settings.max_body_bytes, settings.max_upload_bytes)
    if settings.trusted_proxies:  # the client is the address the proxy names, for login throttling and rate limits
        protected = ProxyHeadersMiddleware(protected, trusted_hosts=settings.trusted_proxies)
    protected = RequestLog(protected)
    protected.state = app.state
    return protected


def create_app(settings: Settings | None = None) -> RequestLog:
    """The app uvicorn serves (`crm.api.app:create_app`, a factory): the runtime starts in the lifespan."""
    settings = settings or load_settings()
    configure_logging(settings.log_format)
    for line in unknown_variables():
        logging.getLogger("crm.settings").warning(line)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        try:
            runtime = await Runtime.start(settings)
        except PluginError as exc:  # one line that names the plugin, before uvicorn's traceback
            logging.getLogger("crm.plugins").critical("cannot start: %s", exc)
            raise
        serving: Serving = app.state.serving
        serving.serve(runtime)
        if app.state.tracer_provider:
            tracing.instrument_engines(runtime.db.engines, app.state.tracer_provider)
        if settings.metrics_enabled:
            metrics.watch_pools(runtime.db.engines)
        from crm.system.jobs import Scheduler

        # Always, where jobs are enabled: a plugin enabled later brings its jobs to the runtime it switches to.
        scheduler = Scheduler(lambda: serving.current.runtime) if settings.jobs_enabled else None
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
            await serving.current.runtime.stop()
            if app.state.tracer_provider:
                tracing.stop(app.state.tracer_provider)

    return build_app(None, lifespan=lifespan, settings=settings)
