"""`crm plugins new NAME`: a working plugin to start from, in the shape of the bundled ones.

The files under `template/` are the plugin with its name written as `{{name}}` (and `{{Name}}`, `{{camel}}`,
`{{Title}}`, `{{dist}}`, `{{today}}`), in paths as `NAME`; plain text replacement, because the files are Python and
GraphQL whose own `$` and braces a template language would trip over.
"""

from __future__ import annotations

import keyword
import re
from datetime import date
from pathlib import Path

TEMPLATE = Path(__file__).parent / "template"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,29}$")


class ScaffoldError(Exception):
    pass


def check_name(name: str, taken: set[str]) -> None:
    if not NAME.match(name) or name.endswith("_") or "__" in name or keyword.iskeyword(name):
        raise ScaffoldError(f"{name!r} cannot name a plugin: use 2 to 30 lower-case letters, digits and single underscores, "
                            "starting with a letter (e.g. gift_cards)")
    if name in taken or name == "core":
        raise ScaffoldError(f"a plugin named {name!r} is installed already; choose another name")


def words(name: str) -> dict[str, str]:
    parts = name.split("_")
    return {
        "name": name,
        "Name": "".join(p.title() for p in parts),
        "camel": parts[0] + "".join(p.title() for p in parts[1:]),
        "title": " ".join(parts),
        "Title": " ".join(parts).capitalize(),
        "dist": name.replace("_", "-"),
        "today": date.today().isoformat(),
    }


def generate(name: str, parent: Path, taken: set[str]) -> Path:
    """Write the plugin `name` into `parent/crm-<name>/`; returns that folder. Refuses to write over anything."""
    check_name(name, taken)
    values = words(name)
    target = parent / f"crm-{values['dist']}"
    if target.exists():
        raise ScaffoldError(f"{target} exists already; remove it or choose another folder with --dir")
    for source in sorted(TEMPLATE.rglob("*.tmpl")):
        relative = source.relative_to(TEMPLATE).with_suffix("")  # drop .tmpl
        path = target / Path(*(part.replace("NAME", name) for part in relative.parts))
        text = source.read_text()
        for key, value in values.items():
            text = text.replace("{{" + key + "}}", value)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return target
