"""The prepared executor answers exactly as graphql-core does: same data, same errors (message, path, locations).

Two bodies of operations run through both executors: one on a small schema built to reach every rule (null
propagation before and after an await, errors in lists, fragments, aliases, @skip/@include, introspection, serial
mutations, DataLoader batching), and the front-end's real operations on the CRM's own schema, as an admin and as a
sales rep whose grants make parts of the answers fail.
"""

from __future__ import annotations

import asyncio
import hashlib

import pytest
import strawberry
import strawberry.extensions
from graphql import get_introspection_query
from strawberry.dataloader import DataLoader
from strawberry.types import ExecutionResult

from crm.api.access import Access
from crm.api.context import Context
from crm.api.schema import CRMSchema, Refused
from crm.identity.auth import authenticate


def shown(result) -> dict:
    """A result as a client sees it; errors in a stable order (the two executors may find them in another order)."""
    errors = sorted(
        ({"message": e.message, "path": e.path, "locations": [(loc.line, loc.column) for loc in e.locations or []]}
         for e in result.errors or []),
        key=repr,
    )
    return {"data": result.data, "errors": errors}


async def both(schema: CRMSchema, query: str, variables: dict | None = None, context=None, operation_name=None) -> tuple[dict, dict]:
    """Both executors' answers before the CRM masks unexpected errors (crm.api.reporting), which strawberry does not."""
    plan = schema.prepared(query, operation_name)
    if isinstance(plan, Refused):
        prepared = ExecutionResult(data=None, errors=list(plan))
    else:
        prepared = await schema.run_plan(plan, query, variables, context, None, operation_name, None, None)
    standard = await strawberry.Schema.execute(schema, query, variables, context, operation_name=operation_name)
    return shown(prepared), shown(standard)


# --- a schema that reaches every rule -------------------------------------------------------------------------------

LOG: list[str] = []


def item_loader(info) -> DataLoader:
    batches = info.context.setdefault("batches", [])

    async def load(ids):
        batches.append(list(ids))
        return [Item(id=i, name=f"item {i}") for i in ids]

    return info.context.setdefault("loader", DataLoader(load_fn=load))


@strawberry.type
class Item:
    id: strawberry.ID
    name: str
    note: str | None = None

    @strawberry.field
    async def later(self) -> str:
        await asyncio.sleep(0)
        return self.name.upper()

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError(f"no luck for {self.name}")

    @strawberry.field
    async def fails_later(self) -> str:
        await asyncio.sleep(0)
        raise ValueError(f"no luck later for {self.name}")

    @strawberry.field
    def missing(self) -> str:
        return None  # type: ignore[return-value] - a broken resolver, on purpose

    @strawberry.field
    async def missing_later(self) -> str:
        return None  # type: ignore[return-value]

    @strawberry.field
    async def neighbour(self, info: strawberry.Info) -> Item:
        return await item_loader(info).load(int(self.id) + 100)

    @strawberry.field
    def awaited_names(self) -> list[str | None]:
        async def name(i):
            if i == 1:
                raise ValueError("item 1 has no name")
            return f"n{i}"

        return [name(i) for i in range(3)]

    @strawberry.field
    def strict_names(self) -> list[str]:
        return ["a", None, "c"]  # type: ignore[list-item]


@strawberry.type
class Query:
    @strawberry.field
    def items(self, first: int = 3) -> list[Item]:
        return [Item(id=i, name=f"item {i}", note="n" if i % 2 else None) for i in range(first)]

    @strawberry.field
    async def item(self, info: strawberry.Info, id: strawberry.ID) -> Item | None:
        return await item_loader(info).load(int(id))

    @strawberry.field
    def strict_items(self) -> list[Item]:
        return [Item(id=1, name="one")]

    @strawberry.field
    def echo(self, text: str, times: int = 1) -> str:
        return text * times


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def append(self, value: str) -> list[str]:
        await asyncio.sleep(0.01 if value == "first" else 0)
        LOG.append(value)
        return list(LOG)


SMALL = CRMSchema(query=Query, mutation=Mutation)

CORPUS = [
    ("{ items { id name note } }", None),
    ("{ items(first: 2) { ...F a: name b: name __typename } } fragment F on Item { id note }", None),
    ("{ items { ... on Item { name } later } }", None),
    ("{ items { name fails } }", None),
    ("{ items { name failsLater } }", None),
    ("{ items { name missing } }", None),
    ("{ items { name missingLater } }", None),
    ("{ strictItems { name missingLater } }", None),
    ("{ strictItems { name missing } echo(text: \"x\") }", None),
    ("{ items(first: 2) { awaitedNames } }", None),
    ("{ items(first: 2) { later strictNames } }", None),
    ("{ items(first: 4) { id neighbour { id neighbour { id name } } } }", None),
    ("query($id: ID!) { item(id: $id) { id name later } nothing: item(id: $id) { id } }", {"id": "7"}),
    ("query($s: Boolean!, $i: Boolean!) { items(first: 2) { id name @skip(if: $s) note @include(if: $i) } }", {"s": True, "i": False}),
    ("query($s: Boolean!, $i: Boolean!) { items(first: 2) { id name @skip(if: $s) note @include(if: $i) } }", {"s": False, "i": True}),
    ("{ items(first: 1) { id name @include(if: false) } }", None),
    ("query($t: String!, $n: Int) { echo(text: $t, times: $n) }", {"t": "ab", "n": 3}),
    ("query($t: String!) { echo(text: $t) }", {"t": 5}),  # a variable that does not fit
    ("{ items { nope } }", None),  # invalid
    ("{ __typename __type(name: \"Item\") { name fields { name type { kind name ofType { name } } } } }", None),
    (get_introspection_query(), None),
]


@pytest.mark.parametrize("query,variables", CORPUS, ids=[str(i) for i in range(len(CORPUS))])
async def test_prepared_and_standard_executors_agree(query, variables):
    prepared, standard = await both(SMALL, query, variables, context={})
    assert prepared == standard


async def test_every_valid_operation_of_the_corpus_runs_prepared():
    unprepared = [q for q, _ in CORPUS if isinstance(SMALL.prepared(q, None), Refused)]
    assert unprepared == ["{ items { nope } }"]


async def test_one_dataloader_batch_per_level_of_nesting():
    context: dict = {}
    result = await SMALL.execute("{ items(first: 5) { neighbour { neighbour { id } } } }", context_value=context)
    assert result.errors is None
    assert [sorted(batch) for batch in context["batches"]] == [[100, 101, 102, 103, 104], [200, 201, 202, 203, 204]]


async def test_mutation_fields_run_one_after_another():
    LOG.clear()
    result = await SMALL.execute('mutation { a: append(value: "first") b: append(value: "second") }')
    assert result.data == {"a": ["first"], "b": ["first", "second"]}


async def test_operation_name_picks_the_operation():
    query = "query A { echo(text: \"a\") } query B { echo(text: \"b\") }"
    assert (await SMALL.execute(query, operation_name="B")).data == {"echo": "b"}
    prepared, standard = await both(SMALL, query, context={})  # no name: whatever strawberry answers
    assert prepared == standard


async def test_persisted_queries_by_hash():
    query = '{ echo(text: "persisted") }'
    digest = hashlib.sha256(query.encode()).hexdigest()
    ask = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    unknown = await SMALL.execute(None, operation_extensions=ask)
    assert unknown.errors[0].message == "PersistedQueryNotFound"
    assert unknown.errors[0].extensions == {"code": "PERSISTED_QUERY_NOT_FOUND"}
    assert (await SMALL.execute(query, operation_extensions=ask)).data == {"echo": "persisted"}
    assert (await SMALL.execute(None, operation_extensions=ask)).data == {"echo": "persisted"}
    wrong = await SMALL.execute('{ echo(text: "other") }', operation_extensions=ask)
    assert wrong.errors[0].extensions == {"code": "PERSISTED_QUERY_HASH_MISMATCH"} and wrong.data is None


# --- the CRM's own schema and the front-end's operations ------------------------------------------------------------

LIST = """query($after: String) { customers(first: 50, after: $after) {
  totalCount edges { cursor node { id name kind lifecycleStage tags owner { id name email } contacts { id name title isPrimary } } }
  pageInfo { hasNextPage endCursor } } }"""
VIEW = """query($id: ID!) { customer(id: $id) { id name kind industry region lifecycleStage tags version
  owner { name } emails { value label } phones { value } contacts { id name title emails { value } customer { name } }
  summary { lastContactAt activityCount openTaskCount openOpportunityCount openPipelineValue }
  opportunities(first: 5) { edges { node { name amount stage { name } } } }
  timeline(first: 20) { edges { node { id kind title occurredAt } } pageInfo { hasNextPage } } } }"""
ME = "{ me { name roles { name } effectiveGrants { resource action scope } } }"


async def _context(api, token: str) -> Context:
    runtime = api.runtime
    principal = await authenticate(runtime.db, f"Bearer {token}")
    access = Access(principal.user_id, await runtime.policy.grants(principal.subject), runtime.db.read)
    return Context(runtime, None, access, principal)


async def test_the_front_ends_operations_agree_on_the_crm_schema(make_app):
    api = await make_app(plugins=["sales"])
    _rep, rep_token = await api.as_user("sales_rep")
    customers = []
    for i in range(4):
        customer = await api.create_customer(name=f"Agree {i}", emails=[{"value": f"a{i}@x.example"}], tags=["vip"] if i % 2 else [])
        customers.append(customer)
        await api.admin("mutation($i: CreateContactInput!) { createContact(input: $i) { errors { code } } }",
                        {"i": {"customerId": customer["id"], "name": f"Person {i}", "emails": [{"value": f"p{i}@x.example"}]}})
        await api.admin("mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code } } }",
                        {"i": {"customerId": customer["id"], "kind": "call", "subject": f"call {i}"}})
    await api.create_customer(rep_token, name="Rep's own")
    # A role that reads customers but not contacts: `contacts` fails, and the null climbs as far as the types say.
    await api.admin("""mutation { createRole(input: {name: "customers-only", grants: [{resource: "customer", action: READ, scope: ALL}]}) {
        errors { code } } }""")
    _, narrow_token = await api.as_user("customers-only")
    schema = api.runtime.schema
    for token in (api.admin_token, rep_token, narrow_token):
        context = await _context(api, token)
        for query, variables in ((LIST, {}), (VIEW, {"id": customers[1]["id"]}), (ME, None)):
            prepared, standard = await both(schema, query, variables, context)
            assert prepared == standard, (token, query)
        assert schema.prepared(LIST, None) is not None and schema.prepared(VIEW, None) is not None


async def test_operation_types_the_transport_does_not_allow_are_refused_as_strawberry_refuses_them():
    from strawberry.schema.exceptions import InvalidOperationTypeError
    from strawberry.types.graphql import OperationType

    with pytest.raises(InvalidOperationTypeError):
        await SMALL.execute('mutation { append(value: "over GET") }', allowed_operation_types={OperationType.QUERY})
    assert (await SMALL.execute("{ echo(text: \"ok\") }", allowed_operation_types={OperationType.QUERY})).data == {"echo": "ok"}


class Masking(strawberry.extensions.SchemaExtension):
    """An extension that hooks every resolver, as tracing or error masking does."""

    calls = 0

    def resolve(self, _next, root, info, *args, **kwargs):
        Masking.calls += 1
        return _next(root, info, *args, **kwargs)


async def test_an_execution_extension_or_the_setting_sends_every_operation_to_strawberry():
    hooked = CRMSchema(query=Query, mutation=Mutation, extensions=[Masking])
    off = CRMSchema(query=Query, mutation=Mutation, prepared_execution=False)
    for schema in (hooked, off):
        assert schema.prepared("{ items { id } }", None) is None  # validated, then left to strawberry
        result = await schema.execute("{ items { id } }", context_value={})
        assert result.errors is None and result.data["items"]
    assert Masking.calls > 0  # the extension saw the resolvers: nothing bypassed it
    assert SMALL.prepared("{ items { id } }", None) is not None
    assert isinstance(off.prepared("{ nope }", None), Refused)  # limits and validation still apply
