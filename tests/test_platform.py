"""Guards on the platform itself: the committed schema, hook documentation, central access checks, manifests."""

import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from crm import Manifest, hookspecs
from crm.api.access import access_of
from crm.cli import print_schema
from crm.plugin_host import PluginError, build_plugin_manager, installed_plugins, resolve
from crm.plugin_host import InstalledPlugin

ROOT = Path(__file__).parent.parent


def test_committed_schema_is_current():
    committed = (ROOT / "graphql" / "schema.graphql").read_text()
    assert committed == print_schema(), "graphql/schema.graphql is stale: run `crm schema print` and commit it"


def test_every_hook_is_documented():
    documented = set(re.findall(r"^### (crm_\w+)\(", (ROOT / "docs" / "plugins.md").read_text(), re.M))
    hooks = {name for name in dir(hookspecs) if name.startswith("crm_")}
    assert hooks - documented == set(), "document these hooks in docs/plugins.md"
    assert documented - hooks == set(), "docs/plugins.md documents hooks that do not exist"


def test_every_public_name_is_in_the_reference():
    import crm

    text = (ROOT / "docs" / "plugins.md").read_text()
    reference = text.split("## Reference: the public surface", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`crm\.(\w+)`", reference))
    assert set(crm.__all__) - listed == set(), "document these public names in docs/plugins.md's reference"
    assert listed - set(crm.__all__) == set(), "docs/plugins.md's reference lists names that are not public"


def _resolvers(schema):
    for name, definition in schema.schema_converter.type_map.items():
        obj = definition.definition
        if getattr(obj, "is_input", True) or not hasattr(obj, "fields"):
            continue
        for field in obj.fields:
            yield name, field


async def test_every_resolver_declares_its_access(make_app):
    api = await make_app(plugins=["example"])
    unguarded = [
        f"{type_name}.{field.python_name}"
        for type_name, field in _resolvers(api.runtime.schema)
        if field.base_resolver is not None and access_of(field.base_resolver.wrapped_func) is None
    ]
    assert unguarded == [], "these resolvers have no access decorator (requires/authenticated/public/inherited)"
    for root in ("Query", "Mutation"):
        definition = api.runtime.schema.schema_converter.type_map[root].definition
        for field in definition.fields:
            assert field.base_resolver is not None, f"{root}.{field.python_name} has no resolver"


def _plugin(name, depends=(), requires_core=">=1,<2"):
    return InstalledPlugin(Manifest(name=name, version="1.0", hooks="x", depends=tuple(depends), requires_core=requires_core), "test")


def test_missing_dependency_names_plugin_and_fix():
    with pytest.raises(PluginError, match="'b' needs 'a', which is not enabled; run `crm plugins enable a`"):
        resolve(["b"], {"a": _plugin("a"), "b": _plugin("b", ["a"])})
    with pytest.raises(PluginError, match="'b' needs 'zz', which is not installed"):
        resolve(["b"], {"b": _plugin("b", ["zz"])})


def test_dependency_cycle_is_refused():
    with pytest.raises(PluginError, match="cycle: a -> b -> a"):
        resolve(["a", "b"], {"a": _plugin("a", ["b"]), "b": _plugin("b", ["a"])})


def test_incompatible_core_version_is_refused():
    with pytest.raises(PluginError, match="needs core API >=2"):
        resolve(["a"], {"a": _plugin("a", requires_core=">=2")})


def test_dependencies_come_first_and_bridges_join():
    plugins = {"a": _plugin("a"), "b": _plugin("b", ["a"])}
    plugins["ab"] = InstalledPlugin(Manifest(name="ab", version="1", hooks="x", depends=("a", "b"), bridge=True), "test")
    assert [m.name for m in resolve(["b", "a"], plugins)] == ["a", "b", "ab"]
    assert [m.name for m in resolve(["a"], plugins)] == ["a"]


def test_duplicate_plugin_names_are_refused():
    eps = lambda: [SimpleNamespace(name="example", value="crm_example", dist=None)] * 2  # noqa: E731
    with pytest.raises(PluginError, match="two plugins are named 'example'"):
        installed_plugins(entry_points=eps)


def test_entry_point_plugins_are_discovered():
    found = installed_plugins(entry_points=lambda: [SimpleNamespace(name="example", value="crm_example", dist=None)])
    assert found["example"].manifest.version == "1.0.0"


def test_misspelled_hook_is_a_startup_error():
    module = SimpleNamespace(__name__="typo")

    @hookspecs.hookimpl
    def crm_register_modles():
        return []

    module.crm_register_modles = crm_register_modles
    with pytest.raises(PluginError, match="crm_register_modles"):
        build_plugin_manager([], extra_modules=[module])


async def test_field_clash_between_plugins_is_refused():
    import strawberry

    from crm.api.composition import CompositionError, compose
    from crm.declarations import GraphQLContribution
    from crm.runtime import collect
    from crm.settings import load_settings

    @strawberry.type
    class Clash:
        @strawberry.field
        def name(self) -> str:
            return "x"

    pm = build_plugin_manager([])
    contributions = [*collect(pm, "crm_register_graphql"), ("intruder", GraphQLContribution(extends={"Customer": [Clash]}))]
    with pytest.raises(CompositionError, match="Customer.name is defined twice: by core:customers and by intruder"):
        compose(contributions, settings=load_settings())
