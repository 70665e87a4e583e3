"""Every mutation of every enabled module, given inputs generated from the schema (tests/security/inputs.py), as an
admin (who gets furthest into the code): the server never answers with an internal error, every refusal carries a
code, and a refused mutation leaves every table as it was."""

import asyncio
import os

from graphql import get_named_type
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer, inspect, text

from inputs import uses_uploads, value

# Mutations the fuzzing admin must not aim at itself: its own login, password, account, roles, and the plugin set
# (a disabled module would take its mutations out of the schema for the rest of the run). Each has its own tests.
SELF_HARM = {"login", "logout", "changePassword", "updateUser", "deactivateUser", "unassignRole", "enablePlugin", "disablePlugin"}
# Written on purpose by requests that change nothing else: login throttling, the scheduler's leases, API key use.
VOLATILE = {"core_login_throttle", "core_job", "core_api_key"}
EXAMPLES = int(os.environ.get("CRM_FUZZ_EXAMPLES", "200"))  # more with CRM_FUZZ_EXAMPLES=5000


def mutations(schema):
    for name, field in sorted(schema.mutation_type.fields.items()):
        if name in SELF_HARM or uses_uploads(field):
            continue
        params = ", ".join(f"${a}: {arg.type}" for a, arg in field.args.items())
        call = ", ".join(f"{a}: ${a}" for a in field.args)
        named = get_named_type(field.type)
        shape = "{ __typename errors { field code message } }" if "errors" in getattr(named, "fields", {}) else "{ __typename }"
        yield name, f"mutation{f'({params})' if params else ''} {{ {name}{f'({call})' if call else ''} {shape} }}", field.args


async def fingerprint(runtime) -> dict:
    """Per table: rows, the highest id, the sum of row versions and the latest update. A refused mutation moves none."""
    async with runtime.db.read() as session:
        def columns(sync_session):
            found = inspect(sync_session.connection())
            return {t: {c["name"]: c["type"] for c in found.get_columns(t)} for t in found.get_table_names()}

        tables = await session.run_sync(columns)
        parts = []
        for table, cols in sorted(tables.items()):
            if table in VOLATILE or table == "alembic_version":
                continue
            numeric_version = "version" in cols and isinstance(cols["version"], Integer)
            last_id = "CAST(MAX(id) AS TEXT)" if "id" in cols else "NULL"
            versions = "CAST(SUM(version) AS TEXT)" if numeric_version else "NULL"
            updated = "CAST(MAX(updated_at) AS TEXT)" if "updated_at" in cols else "NULL"
            parts.append(f"SELECT '{table}', COUNT(*), {last_id}, {versions}, {updated} FROM {table}")
        rows = (await session.execute(text(" UNION ALL ".join(parts)))).all()
    return {row[0]: tuple(row[1:]) for row in rows}


async def settle(runtime) -> None:
    """Wait for work a mutation started in the background (a bulk job's first batches)."""
    while runtime._background:
        await asyncio.gather(*list(runtime._background), return_exceptions=True)


@settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck),
          phases=(Phase.explicit, Phase.generate, Phase.shrink))
@given(data=st.data())
async def test_no_mutation_fails_internally_and_refusals_change_nothing(world, data):
    """One example is one mutation with generated arguments; the world (and its data) lives through all of them."""
    name, query, args = data.draw(st.sampled_from(list(mutations(world.runtime.schema._schema))), label="mutation")
    variables = {a: data.draw(value(arg.type, world.ids), label=a) for a, arg in args.items()}
    await settle(world.runtime)
    before = await fingerprint(world.runtime)
    response = await world.post(query, variables)
    assert response.status_code in (200, 400, 413), (name, response.status_code, response.text[:300])
    body = response.json()
    errors = body.get("errors") or []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        assert code and code not in ("INTERNAL", "UNAVAILABLE"), (name, variables, error)
    payload = (body.get("data") or {}).get(name)
    codes = [(e.get("extensions") or {}).get("code") for e in errors] + [e["code"] for e in (payload or {}).get("errors") or []]
    event(f"refused: {codes[0]}" if codes else "accepted")  # --hypothesis-show-statistics shows the mix
    if errors or payload is None or payload.get("errors"):
        await settle(world.runtime)
        after = await fingerprint(world.runtime)
        changed = {t: (before.get(t), after.get(t)) for t in after if before.get(t) != after.get(t)}
        assert not changed, (name, variables, body, changed)


def test_every_fuzzed_mutation_is_a_valid_operation():
    """The generated documents themselves are valid, so the fuzzing reaches the resolvers (the values may not be)."""
    from graphql import parse, validate

    from crm.plugin_host import build_plugin_manager, installed_plugins, resolve, with_dependencies
    from crm.runtime import compose_schema
    from crm.settings import load_settings
    from world import EVERY_PLUGIN

    schema = compose_schema(build_plugin_manager(resolve(with_dependencies(EVERY_PLUGIN, installed_plugins()), installed_plugins())), load_settings())._schema
    operations = list(mutations(schema))
    assert len(operations) > 150
    for name, query, _ in operations:
        assert validate(schema, parse(query)) == [], name
