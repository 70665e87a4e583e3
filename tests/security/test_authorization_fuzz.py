"""Authorisation fuzzing: users with random roles (read granted or not per resource, in a random scope) and random
team memberships ask every list of the schema, the lists under each customer, customers' timelines, summaries and
the modules' reports, and single reads of records; nothing they get may lie outside what an oracle, computed here
from the database and the grants alone, says they may read, and no number may count more than it. The schema is walked, so a module that lands later is covered without a line here."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

from graphql import GraphQLList, GraphQLNonNull, GraphQLObjectType, Undefined, get_named_type
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import or_, select

import crm
from crm import Team, TeamMember
from crm.declarations import SCOPES
from crm.api.access import access_of
from crm import parse_id

PASSWORD = "fuzzing-password-9"
ROLE = "mutation($i: CreateRoleInput!) { createRole(input: $i) { role { id } errors { code message } } }"
USER = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } errors { code message } } }"
MERGE = "mutation($i: MergeCustomersInput!) { mergeCustomers(input: $i) { errors { code message } } }"
MEMBER = "mutation($i: TeamMemberInput!) { addTeamMember(input: $i) { errors { code message } } }"


# Numbers of a customer's summary (CustomerSummary): the kind of record each counts or adds up, and the grant whose
# scope decides which of those records count (a contract's overdue amount is finance's: the `payment` grant's scope,
# applied to the contracts' owners).
SUMMARY_COUNTS = {"activityCount": ("activity", "activity"), "openTaskCount": ("activity", "activity"),
                  "openOpportunityCount": ("opportunity", "opportunity"), "openTickets": ("ticket", "ticket")}
SUMMARY_AMOUNTS = {"openPipelineValue": ("opportunity", "opportunity"), "lifetimeRevenue": ("opportunity", "opportunity"),
                   "overdueAmount": ("contract", "payment")}
# Reports: (query, (root field, the number counting records), the kind of record counted).
REPORTS = [
    ("query($p: ID!, $from: Date!, $to: Date!) { salesFunnel(pipelineId: $p, from: $from, to: $to) { opportunities } }",
     ("salesFunnel", "opportunities"), "opportunity"),
    ("query($from: Date!, $to: Date!) { slaReport(from: $from, to: $to) { tickets } }", ("slaReport", "tickets"), "ticket"),
]


async def report_variables(world) -> dict:
    """Every report over the last year and the next month (the demo's data), of the default pipeline."""
    today = crm.utcnow().date()
    found = {"from": str(today.replace(year=today.year - 1)), "to": str(today + timedelta(days=30))}
    if "pipelines" in world.runtime.schema._schema.query_type.fields:
        pipelines = (await world.post("{ pipelines { id isDefault } }")).json()["data"]["pipelines"]
        found["p"] = next(p["id"] for p in pipelines if p["isDefault"])
    return found


def connection_node(type_):
    """The node type of a `...Connection` field type, or None."""
    named = get_named_type(type_)
    if isinstance(named, GraphQLObjectType) and named.name.endswith("Connection") and "edges" in named.fields:
        return get_named_type(get_named_type(named.fields["edges"].type).fields["node"].type)
    return None


def checked_types(runtime) -> dict[str, tuple[str, type]]:
    """GraphQL type name -> (resource, model) for every owned resource whose records the API shows as a type of the
    model's name (Customer, Opportunity, TicketCore for Ticket ...)."""
    schema = runtime.schema._schema
    found = {}
    for resource, model in runtime.models_by_resource.items():
        if not hasattr(model, "owner_id") or resource not in runtime.resources or not runtime.resources[resource].owned:
            continue
        for name in (model.__name__, f"{model.__name__}Core"):
            if isinstance(schema.type_map.get(name), GraphQLObjectType) and "id" in schema.type_map[name].fields:
                found[name] = (resource, model)
    return found


def free_of_required_args(field) -> bool:
    return all(not isinstance(arg.type, GraphQLNonNull) or arg.default_value is not Undefined for arg in field.args.values())


class Oracle:
    """What a user may read, from the database and the grants, never from the API's own filters."""

    def __init__(self, session, user_id: int, grants: dict[str, str]):
        self.session, self.user_id, self.grants = session, user_id, grants
        self._cache: dict[str, set[int]] = {}  # by resource and table

    async def team(self) -> set[int]:
        mine = select(TeamMember.team_id).where(TeamMember.user_id == self.user_id).union(
            select(Team.id).where(Team.manager_id == self.user_id))
        members = await self.session.scalars(select(TeamMember.user_id).where(TeamMember.team_id.in_(mine.scalar_subquery())))
        return set(members.all()) | {self.user_id}

    async def visible(self, resource: str, model) -> set[int]:
        """Ids of `model`'s records within the user's scope of `resource` (its owners)."""
        key = f"{resource}:{model.__tablename__}"
        if key not in self._cache:
            scope = self.grants.get(resource)
            stmt = select(model.id)
            if scope is None:
                stmt = stmt.where(model.id.is_(None))
            elif scope == "own":
                stmt = stmt.where(model.owner_id == self.user_id)
            elif scope == "team":
                stmt = stmt.where(or_(model.owner_id.in_(await self.team()), model.owner_id == self.user_id))
            self._cache[key] = set((await self.session.scalars(stmt)).all())
        return self._cache[key]


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck),
          phases=(Phase.explicit, Phase.generate, Phase.shrink))
@given(data=st.data())
async def test_no_one_reads_outside_their_grants(world, data):
    runtime = world.runtime
    types = checked_types(runtime)
    assert {"Customer", "Opportunity", "Lead", "Ticket", "Contract", "Activity"} <= types.keys(), types.keys()
    resources = sorted(runtime.resources)
    grants = {r: s for r in resources if (s := data.draw(st.sampled_from([None, "own", "team", "all"]), label=r)) is not None}
    grants = {r: s if runtime.resources[r].owned else "all" for r, s in grants.items()}
    # Writing customers too, sometimes, in a scope no wider than reading them: merges are tried below.
    write = data.draw(st.sampled_from([None, "own", "team", "all"]), label="customer write") if "customer" in grants else None
    if write and SCOPES.index(write) > SCOPES.index(grants["customer"]):
        write = grants["customer"]
    wanted = [{"resource": r, "action": "READ", "scope": s.upper()} for r, s in grants.items()]
    wanted += [{"resource": "customer", "action": "WRITE", "scope": write.upper()}] if write else []
    role = (await world.post(ROLE, {"i": {"name": f"fuzz {uuid.uuid4().hex[:8]}", "grants": wanted}})).json()["data"]["createRole"]
    assert role["errors"] == [], role
    email = f"fuzz-{uuid.uuid4().hex[:8]}@example.com"
    user = (await world.post(USER, {"i": {"email": email, "name": "Fuzz", "password": PASSWORD, "roleIds": [role["role"]["id"]]}})).json()
    user_id = parse_id(user["data"]["createUser"]["user"]["id"])
    if data.draw(st.booleans(), label="in the field sales team"):
        async with runtime.db.read() as session:
            team_id = await session.scalar(select(Team.id).order_by(Team.id).limit(1))
        assert (await world.post(MEMBER, {"i": {"teamId": str(team_id), "userId": str(user_id)}})).json()["data"]["addTeamMember"]["errors"] == []
    for n in range(2):  # customers of their own, so that `own` scopes are never empty
        made = await world.post("mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { errors { code } } }",
                                {"i": {"kind": "PERSON", "name": f"Fuzz's own {n}", "ownerId": str(user_id)}})
        assert made.json()["data"]["createCustomer"]["errors"] == []
    login = await world.client.post("/graphql", json={"query": "mutation($i: LoginInput!) { login(input: $i) { token } }",
                                                      "variables": {"i": {"email": email, "password": PASSWORD}}})
    world.tokens["fuzz"] = login.json()["data"]["login"]["token"]

    schema = runtime.schema._schema
    checked = 0
    async with runtime.db.read() as session:
        oracle = Oracle(session, user_id, grants)

        async def assert_within(type_name: str, ids, where: str):
            resource, model = types[type_name]
            leaked = {parse_id(i) for i in ids} - await oracle.visible(resource, model)
            assert not leaked, f"{where}: {type_name} {sorted(leaked)[:5]} outside {resource} scope {grants.get(resource)}"

        # Every root list of a checked type: its nodes and its count.
        for name, field in sorted(schema.query_type.fields.items()):
            node = connection_node(field.type)
            if node is None or node.name not in types or not free_of_required_args(field):
                continue
            marker = access_of(field.resolve) if field.resolve else None
            body = (await world.post(f"{{ {name}(first: 100) {{ totalCount edges {{ node {{ id }} }} }} }}", role="fuzz")).json()
            page = (body.get("data") or {}).get(name)
            if page is None:
                codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors", [])}
                assert codes <= {"FORBIDDEN"}, (name, body)
                assert marker is None or marker[1] not in grants or marker[1] != types[node.name][0], (name, "refused a granted read")
                continue
            resource, model = types[node.name]
            await assert_within(node.name, [e["node"]["id"] for e in page["edges"]], name)
            assert page["totalCount"] <= len(await oracle.visible(resource, model)), (name, "the count tells of hidden records")
            checked += 1

        # The lists under each customer, and customers' timelines.
        customer_type = schema.type_map["Customer"]
        nested = {n: connection_node(f.type) for n, f in customer_type.fields.items()}
        nested = {n: t for n, t in nested.items() if t is not None and t.name in types}
        lists = {n: f for n, f in customer_type.fields.items()
                 if isinstance(get_named_type(f.type), GraphQLObjectType) and isinstance(
                     f.type.of_type if isinstance(f.type, GraphQLNonNull) else f.type, GraphQLList)
                 and get_named_type(f.type).name in types}
        parts = [f"{n}(first: 20) {{ edges {{ node {{ id }} }} }}" for n in nested] + [f"{n} {{ id }}" for n in lists]
        parts.append("timeline(first: 50) { edges { node { recordType recordId } } }")
        body = (await world.post(f"{{ customers(first: 30) {{ edges {{ node {{ id {' '.join(parts)} }} }} }} }}", role="fuzz")).json()
        customers = ((body.get("data") or {}).get("customers") or {}).get("edges", [])
        for edge in customers:
            node = edge["node"]
            for n, t in nested.items():
                if node.get(n) is not None:
                    await assert_within(t.name, [e["node"]["id"] for e in node[n]["edges"]], f"customer.{n}")
                    checked += 1
            for n in lists:
                if node.get(n) is not None:
                    await assert_within(get_named_type(lists[n].type).name, [x["id"] for x in node[n]], f"customer.{n}")
            for entry in (node.get("timeline") or {}).get("edges", []):
                kind, record = entry["node"]["recordType"], entry["node"]["recordId"]
                matching = [t for t, (resource, _) in types.items() if resource == kind]
                if matching and record and record.isdigit():
                    await assert_within(matching[0], [record], f"customer.timeline ({kind})")

        # A customer's summary counts only the records the user may read: no count above the visible records of its
        # kind for that customer, and no amount at all from records of which none is visible.
        summary_type = schema.type_map.get("CustomerSummary")
        counts = {f: r for f, r in SUMMARY_COUNTS.items() if summary_type and f in summary_type.fields and r[0] in runtime.models_by_resource}
        amounts = {f: r for f, r in SUMMARY_AMOUNTS.items() if summary_type and f in summary_type.fields and r[0] in runtime.models_by_resource}
        asked = " ".join([*counts, *amounts])
        for edge in customers[:15]:
            body = (await world.post(f'{{ customer(id: "{edge["node"]["id"]}") {{ summary {{ {asked} }} }} }}', role="fuzz")).json()
            summary = (((body.get("data") or {}).get("customer") or {}).get("summary")) or {}
            customer_id = parse_id(edge["node"]["id"])
            for field, (kind, resource) in {**counts, **amounts}.items():
                model = runtime.models_by_resource[kind]
                theirs = set((await session.scalars(select(model.id).where(model.customer_id == customer_id))).all())
                visible = len(theirs & await oracle.visible(resource, model))
                value = summary.get(field)
                if field in counts:
                    assert value is None or value <= visible, (f"summary.{field}", value, "of", visible, "visible", grants.get(resource))
                elif not visible:
                    assert value is None or float(value) == 0, (f"summary.{field}", value, "from records none of which is visible")
                checked += 1

        # The modules' reports add up only what the user may read.
        variables = await report_variables(world)
        for query, path, resource in REPORTS:
            if path[0] not in schema.query_type.fields or resource not in runtime.models_by_resource:
                continue
            body = (await world.post(query, {k: v for k, v in variables.items() if f"${k}" in query}, role="fuzz")).json()
            found = (body.get("data") or {}).get(path[0])
            if found is None:
                codes = {(e.get("extensions") or {}).get("code") for e in body.get("errors", [])}
                assert codes <= {"FORBIDDEN"}, (query, body)
                continue
            rows = found if isinstance(found, list) else [found]
            total = sum(row[path[1]] for row in rows)
            model = runtime.models_by_resource[resource]
            visible = await oracle.visible(resource, model)
            assert total <= len(visible), (path, total, "counted of", len(visible), "visible", grants.get(resource))
            checked += 1

        # Single reads of records outside the scope: null or refused, never the record.
        for name, field in sorted(schema.query_type.fields.items()):
            target = get_named_type(field.type)
            if list(field.args) != ["id"] or target.name not in types:
                continue
            resource, model = types[target.name]
            hidden = sorted(set((await session.scalars(select(model.id).limit(400))).all()) - await oracle.visible(resource, model))[:5]
            for record_id in hidden:
                body = (await world.post(f'{{ {name}(id: "{record_id}") {{ id }} }}', role="fuzz")).json()
                assert (body.get("data") or {}).get(name) is None, (name, record_id, grants.get(resource), body)
                checked += 1
        # Exports and duplicate candidates are lists too, in other shapes.
        customers_visible = await oracle.visible("customer", crm.Customer)
        body = (await world.post("{ exportCustomers { csv } }", role="fuzz")).json()
        if (body.get("data") or {}).get("exportCustomers"):
            rows = list(csv.DictReader(io.StringIO(body["data"]["exportCustomers"]["csv"])))
            await assert_within("Customer", [r["id"] for r in rows], "exportCustomers")
            checked += 1
        for customer_id in sorted(customers_visible)[:3]:
            body = (await world.post(f'{{ duplicateCustomers(customerId: "{customer_id}") {{ customer {{ id }} }} }}', role="fuzz")).json()
            found = (body.get("data") or {}).get("duplicateCustomers") or []
            await assert_within("Customer", [c["customer"]["id"] for c in found], "duplicateCustomers")

        # A merge that would swallow a customer the user may not read is refused, and the customer stays.
        if write:
            writable = await Oracle(session, user_id, {"customer": write}).visible("customer", crm.Customer)
            hidden = sorted(set((await session.scalars(select(crm.Customer.id).where(crm.Customer.deleted_at.is_(None)))).all())
                            - customers_visible)
            if writable and hidden:
                target, source = sorted(writable)[0], hidden[0]
                body = (await world.post(MERGE, {"i": {"targetId": str(target), "sourceIds": [str(source)]}}, role="fuzz")).json()
                errors = (body.get("data") or {}).get("mergeCustomers", {}) or {}
                assert body.get("errors") or errors.get("errors"), ("a merge took a hidden customer", body)
                still = await session.scalar(select(crm.Customer.deleted_at).where(crm.Customer.id == source))
                assert still is None, "the hidden customer was merged away"
                event("a merge of a hidden customer was tried")
                checked += 1
    assert checked > 5, "too little was checked: the walk found no lists"
