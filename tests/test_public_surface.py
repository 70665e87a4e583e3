"""Bundled and example plugins are written with the public surface only: `from crm import ...` and `crm.<name>` for
names in `crm.__all__`, their own package, and the packages of the plugins their manifest `depends` on (sales uses
the catalogue's models, as odoo's `sale` uses `product`'s). What they need, a third party needs too, and then it is public."""

import ast
import importlib
from pathlib import Path

import crm

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = {path.parent: f"crm.plugins.{path.parent.name}" for path in (ROOT / "plugins").glob("*/plugin.py")}
PLUGINS.update({path.parent: path.parent.name for path in (ROOT / "tests" / "plugins").glob("*/plugin.py")})
PLUGINS.update({path.parent: path.parent.name for path in (ROOT / "examples").glob("*/*/plugin.py")})  # pip packages


def allowed_packages(folder: Path, package: str) -> tuple[str, ...]:
    """A plugin's own package, crm.testing (the fixtures every plugin's tests share) and what it depends on."""
    if not package.startswith("crm.plugins."):
        return (package, "crm.testing")
    depends = importlib.import_module(package).manifest.depends
    return (package, "crm.testing", *(f"crm.plugins.{name}" for name in depends))


def problems(folder: Path, package: str) -> list[str]:
    found = []
    package = allowed_packages(folder, package)
    for path in folder.rglob("*.py"):
        if "migrations" in path.parts:
            continue  # alembic scripts import alembic and sqlalchemy only
        tree = ast.parse(path.read_text(), str(path))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module == "crm":
                    found += [f"{where}: crm.{a.name} is not public" for a in node.names if a.name not in crm.__all__]
                elif node.module.startswith("crm.") and not node.module.startswith(package):
                    found.append(f"{where}: imports {node.module}")
            elif isinstance(node, ast.Import):
                found += [f"{where}: imports {a.name}" for a in node.names
                          if a.name.startswith("crm.") and not a.name.startswith(package)]
            elif isinstance(node, ast.Attribute) and node.attr == "listens_for":
                found.append(f"{where}:{node.lineno}: registers a SQLAlchemy listener; declare a crm.ChangeRule")
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "crm":
                if node.attr not in crm.__all__:
                    found.append(f"{where}:{node.lineno}: crm.{node.attr} is not public")
    return found


def test_plugins_use_only_public_names():
    assert len(PLUGINS) >= 3
    found = [p for folder, package in PLUGINS.items() for p in problems(folder, package)]
    assert found == []


def test_a_payload_name_cannot_mean_two_things():
    import pytest
    import strawberry

    @strawberry.type
    class Thing:
        id: strawberry.ID

    made = crm.payload_type("SurfaceThing", thing=Thing)
    assert crm.payload_type("SurfaceThing", thing=Thing) is made
    with pytest.raises(ValueError, match="already defined"):
        crm.payload_type("SurfaceThing", other=Thing)
