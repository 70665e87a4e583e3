"""Console pages that plugins ship themselves (`crm.ConsolePage(script=...)`): a third-party plugin is installed with
pip long after the console was built, so its page cannot be in the console's bundle. It brings a JavaScript module
instead, which the server serves from the plugin's package under a name carrying its content's hash (cached for a
year like the console's assets, and on this origin, so the console's Content-Security-Policy allows it); the console
imports it when the page is opened and calls its `mount(element, api)`."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from starlette.responses import FileResponse, PlainTextResponse, Response

from crm.api.http import HTML_CSP
from crm.declarations import ConsolePage
from crm.plugin_host import PluginError

IMMUTABLE = "public, max-age=31536000, immutable"


@dataclasses.dataclass(frozen=True)
class PageScript:
    url: str  # /app/pages/<plugin>-<hash>.js
    file: Path


def page_scripts(collected: list[tuple[str, list[ConsolePage]]]) -> dict[str, PageScript]:
    """The scripts of the declared pages, by page path; a script that is not a .js file stops start-up (or enabling)
    with the plugin's name."""
    scripts = {}
    for owner, pages in collected:
        for page in pages:
            if page.script is None:
                continue
            file = Path(page.script)
            if file.suffix != ".js" or not file.is_file():
                raise PluginError(f"plugin {owner!r} declares the console page {page.path} with the script {file}, "
                                  "which is not a .js file of the plugin")
            digest = hashlib.sha256(file.read_bytes()).hexdigest()[:16]
            scripts[page.path] = PageScript(f"/app/pages/{owner}-{digest}.js", file)
    return scripts


async def serve(request) -> Response:
    """A plugin page's script, while its plugin is enabled (the runtime that serves now knows it)."""
    serving = request.app.state.serving
    app = await serving.enter()  # switches to a new runtime first when plugins were enabled or disabled meanwhile
    try:
        wanted = request.url.path
        found = next((s for s in app.runtime.console_scripts.values() if s.url == wanted), None)
    finally:
        serving.leave(app)
    if found is None:
        return PlainTextResponse("not found", status_code=404)
    return FileResponse(found.file, media_type="text/javascript",
                        headers={"Cache-Control": IMMUTABLE, "Content-Security-Policy": HTML_CSP})
