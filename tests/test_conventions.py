"""The API conventions of docs/api.md, checked by walking the schema of every bundled plugin: a plugin that breaks
one fails here, whoever wrote it."""

import re

from graphql import GraphQLInputObjectType, GraphQLObjectType, get_named_type

# Closed sets by name; the exceptions are sets that plugins extend, or values that are data (docs/api.md).
CLOSED = {"status", "kind", "metric", "lifecycleStage", "searchMode", "period", "groupBy", "scope"}
OPEN_SETS = {"Activity.kind", "LogActivityInput.kind", "TimelineEntry.kind", "ForecastRow.period"}
STRING_IDS = {"Activity.recordId", "LogActivityInput.recordId", "AuditEntry.recordId", "TimelineEntry.id", "TimelineEntry.recordId"}
NO_INPUT = {"logout"}
VERBS = ("create", "save", "update", "delete", "restore", "set", "move", "win", "lose", "reopen", "send", "accept", "reject",
         "confirm", "cancel", "log", "complete", "merge", "import", "define", "archive", "assign", "transfer", "add",
         "remove", "revoke", "unlock", "change", "login", "logout", "grant", "bulk", "explain", "reset", "mark", "deactivate",
         "reactivate", "unassign", "fulfill", "receive", "ship", "adjust", "follow", "qualify", "disqualify", "convert", "claim",
         "release", "rescore", "submit", "approve", "withdraw", "sign", "terminate", "record", "book", "reschedule", "enable", "disable")


async def schema_of_everything(make_app):
    api = await make_app(plugins=["sales", "leads", "inventory", "contracts", "contracts_sales", "service"])
    return api.runtime.schema._schema


def fields(schema):
    for type_name, kind in schema.type_map.items():
        if type_name.startswith("__") or not isinstance(kind, (GraphQLObjectType, GraphQLInputObjectType)):
            continue
        for name, field in kind.fields.items():
            yield f"{type_name}.{name}", name, field


async def test_mutations_take_one_input_and_answer_with_errors(make_app):
    schema = await schema_of_everything(make_app)
    wrong = []
    for name, field in schema.mutation_type.fields.items():
        if name not in NO_INPUT and list(field.args) != ["input"]:
            wrong.append(f"{name}: arguments {list(field.args)}")
        payload = get_named_type(field.type)
        if not payload.name.endswith("Payload") or "errors" not in payload.fields:
            wrong.append(f"{name}: returns {payload.name}")
        if not re.match(rf"^({'|'.join(VERBS)})([A-Z]|$)", name):
            wrong.append(f"{name}: does not start with a verb")
    assert wrong == []


async def test_closed_sets_are_enums_and_ids_are_ids(make_app):
    schema = await schema_of_everything(make_app)
    strings, not_ids = [], []
    for where, name, field in fields(schema):
        named = get_named_type(field.type).name
        if name in CLOSED and named == "String" and where not in OPEN_SETS:
            strings.append(where)
        for arg, value in getattr(field, "args", {}).items():
            if arg in CLOSED and get_named_type(value.type).name == "String":
                strings.append(f"{where}({arg})")
        if (name == "id" or name.endswith("Id") or name.endswith("Ids")) and named != "ID" and where not in STRING_IDS:
            not_ids.append(f"{where}: {named}")
    assert strings == [] and not_ids == []


async def test_type_names_are_not_python_names(make_app):
    schema = await schema_of_everything(make_app)
    assert [n for n in schema.type_map if not n.startswith("__") and (n.endswith("Type") or "_" in n)] == []


async def test_every_error_code_is_declared_and_documented(make_app):
    from pathlib import Path

    api = await make_app(plugins=["sales", "leads", "inventory", "contracts", "contracts_sales", "service"])
    documented = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text()
    assert [code for code in api.runtime.error_codes if f"`{code}`" not in documented] == []


async def test_every_connection_pages_both_ways(make_app):
    """Relay's four arguments on every list, the core's and every plugin's, nested lists included."""
    schema = await schema_of_everything(make_app)
    missing = [f"{where}: {sorted({'first', 'after', 'last', 'before'} - set(field.args))}"
               for where, _name, field in fields(schema)
               if get_named_type(field.type).name.endswith("Connection") and not {"first", "after", "last", "before"} <= set(field.args)]
    assert missing == []


async def test_every_type_and_argument_is_described_and_conventional_fields_too(make_app):
    """A type, an argument, or a field whose name has a meaning everywhere (crm.api.descriptions) without a description
    fails here; the core describes what is conventional, each module what is its own."""
    from graphql import GraphQLInterfaceType

    from crm.api.descriptions import INPUT, OUTPUT

    schema = await schema_of_everything(make_app)
    bare = [name for name, kind in schema.type_map.items() if not name.startswith("__") and not kind.description
            and name not in ("String", "Int", "Float", "Boolean", "ID")]
    bare += [f"{where}({arg})" for where, _name, field in fields(schema) for arg, value in getattr(field, "args", {}).items()
             if not value.description]
    bare += [f"{t}.{a}({arg})" for t, root in (("Query", schema.query_type), ("Mutation", schema.mutation_type))
             for a, field in root.fields.items() for arg, value in field.args.items() if not value.description]
    for type_name, kind in schema.type_map.items():
        if isinstance(kind, (GraphQLObjectType, GraphQLInputObjectType, GraphQLInterfaceType)) and not type_name.startswith("__"):
            conventional = INPUT if isinstance(kind, GraphQLInputObjectType) else OUTPUT
            bare += [f"{type_name}.{name}" for name, field in kind.fields.items()
                     if not field.description and (name in conventional or name.endswith("Id") or name.endswith("Ids"))]
    assert bare == []
