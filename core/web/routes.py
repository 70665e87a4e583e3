"""The console's files at /app: the single-page app (index.html for every path under /app, so that a page's address
can be reloaded or shared) and its assets, whose names carry their content's hash and are cached for a year.

The app talks to /graphql on the same origin only: its Content-Security-Policy allows scripts, styles and requests
from this server and nowhere else. The files are built from console/ by `npm run build` and shipped in the package,
so serving them needs no Node.js.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from crm.api.http import HTML_CSP
from crm.web import scripts, session
from crm.web.scripts import IMMUTABLE

BUILD = Path(__file__).parent / "console"


async def page(request) -> Response:
    index = BUILD / "index.html"
    if not index.is_file():
        return PlainTextResponse("the console is not built: cd console && npm ci && npm run build", status_code=404)
    # Never cached: a new release's page names its new assets.
    return FileResponse(index, headers={"Content-Security-Policy": HTML_CSP, "Cache-Control": "no-cache"})


def graphiql() -> Response:
    ide = BUILD / "graphiql.html"
    if not ide.is_file():
        return PlainTextResponse("GraphiQL is not built: cd console && npm ci && npm run build", status_code=404)
    return FileResponse(ide, headers={"Content-Security-Policy": HTML_CSP, "Cache-Control": "no-cache"})


async def asset(request) -> Response:
    name = request.path_params["name"]
    path = (BUILD / "assets" / name).resolve()
    if path.parent != (BUILD / "assets").resolve() or not path.is_file():
        return PlainTextResponse("not found", status_code=404)
    return FileResponse(path, headers={"Cache-Control": IMMUTABLE, "Content-Security-Policy": HTML_CSP})


def routes() -> list[Route]:
    return [Route("/app/assets/{name}", asset), Route("/app/pages/{name}", scripts.serve), *session.routes(), Route("/app", page),
            Route("/app/{rest:path}", page)]
