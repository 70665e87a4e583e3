"""Every root field, for every built-in role: allowed exactly when the role holds the grant the field requires.

The fields and the arguments they need are read from the schema itself, so a field added by any module is
covered without touching this test.
"""

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, get_named_type, is_composite_type
from graphql.pyutils import Undefined

from crm.api.access import access_of

SCALARS = {"ID": "1", "String": "x", "Int": 1, "Float": 1.0, "Boolean": False, "Decimal": "1", "JSON": {},
           "DateTime": "2026-01-01T00:00:00+00:00", "Date": "2026-01-01"}


def dummy(graphql_type):
    """The smallest value GraphQL accepts for a type: required input fields only."""
    if isinstance(graphql_type, GraphQLNonNull):
        return dummy(graphql_type.of_type)
    if isinstance(graphql_type, GraphQLList):
        return []
    if isinstance(graphql_type, GraphQLEnumType):
        return next(iter(graphql_type.values))
    if isinstance(graphql_type, GraphQLInputObjectType):
        return {name: dummy(f.type) for name, f in graphql_type.fields.items()
                if isinstance(f.type, GraphQLNonNull) and f.default_value is Undefined}
    return SCALARS[graphql_type.name]


def operation(kind: str, name: str, field) -> tuple[str, dict]:
    required = {arg: a for arg, a in field.args.items() if isinstance(a.type, GraphQLNonNull) and a.default_value is Undefined}
    variables = {f"v{i}": dummy(a.type) for i, a in enumerate(required.values())}
    params = ", ".join(f"$v{i}: {a.type}" for i, a in enumerate(required.values()))
    args = ", ".join(f"{arg}: $v{i}" for i, arg in enumerate(required))
    selection = " { __typename }" if is_composite_type(get_named_type(field.type)) else ""
    text = f"{kind}{f'({params})' if params else ''} {{ {name}{f'({args})' if args else ''}{selection} }}"
    return text, variables


def guarded_roots(api):
    """(kind, GraphQL name, graphql-core field, (resource, action)) of every root field that requires a grant."""
    strawberry_schema = api.runtime.schema
    for root, kind in (("Query", "query"), ("Mutation", "mutation")):
        definition = strawberry_schema.schema_converter.type_map[root].definition
        core_type = strawberry_schema._schema.get_type(root)
        for field in definition.fields:
            marker = access_of(field.base_resolver.wrapped_func)
            if marker[0] == "requires":
                name = strawberry_schema.config.name_converter.get_graphql_name(field)
                yield kind, name, core_type.fields[name], marker[1:]


async def test_every_root_field_for_every_role(make_app):
    api = await make_app(plugins=["example", "sales", "leads", "inventory", "contracts", "contracts_sales"])
    roots = list(guarded_roots(api))
    assert len(roots) > 80
    mistakes = []
    for role in ("viewer", "sales_rep", "manager"):
        _, token = await api.as_user(role)
        grants = {(g["resource"], g["action"].lower()) for g in (await api.gql("{ me { effectiveGrants { resource action } } }", token=token))["me"]["effectiveGrants"]}
        for kind, name, field, (resource, action) in roots:
            text, variables = operation(kind, name, field)
            body = await api.gql(text, variables, token, expect_errors=True)
            codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors", [])}
            forbidden = "FORBIDDEN" in codes
            if forbidden == ((resource, action) in grants):
                mistakes.append(f"{role}: {name} needs {action} on {resource}; got {body.get('errors')}")
            assert not any(c is None for c in codes), f"{role}: {name} failed outright: {body['errors']}"
    assert mistakes == []


async def test_timeline_leaves_out_modules_the_caller_may_not_read(make_app):
    from sales_helpers import WIN, open_deal, step

    api = await make_app(plugins=["sales"])
    customer = await api.create_customer(name="Watched")
    await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }",
                    {"i": {"customerId": customer["id"], "kind": "call", "subject": "Hello"}})
    deal = await open_deal(api, customer["id"], amount="10")
    await step(api, WIN, "winOpportunity", id=deal["id"], version=deal["version"])
    role = await api.admin("""mutation { createRole(input: {name: "auditor", grants: [{resource: "customer", action: READ, scope: ALL}]}) {
        role { id } errors { code } } }""")
    user, token = await api.as_user()
    await api.admin("mutation($i: RoleAssignmentInput!) { assignRole(input: $i) { errors { code } } }",
                    {"i": {"userId": user["id"], "roleId": role["createRole"]["role"]["id"]}})
    query = 'query($id: ID!) { customer(id: $id) { timeline { totalCount edges { node { kind } } } summary { lifetimeRevenue activityCount } } }'
    everything = await api.admin(query, {"id": customer["id"]})
    assert {"call", "opportunity_won", "change"} <= {e["node"]["kind"] for e in everything["customer"]["timeline"]["edges"]}
    limited = (await api.gql(query, {"id": customer["id"]}, token))["customer"]
    kinds = {e["node"]["kind"] for e in limited["timeline"]["edges"]}
    assert "call" not in kinds and "opportunity_won" not in kinds and kinds <= {"change"}
    assert limited["summary"] == {"lifetimeRevenue": None, "activityCount": None}
