"""The core: lists (first page and deep), search, the customer 360 view, writes."""

from bench.harness import Scenario, gql

LIST = """query($after: String) { customers(first: 50, after: $after) {
  edges { node { id name kind lifecycleStage owner { id name email } contacts { id name title isPrimary } } }
  pageInfo { hasNextPage endCursor } } }"""
SEARCH = """query($s: String!, $m: SearchMode!) { customers(first: 20, filter: {search: $s, searchMode: $m}) {
  edges { node { id name } } } }"""
VIEW = """query($id: ID!) { customer(id: $id) { id name kind industry region lifecycleStage tags version
  owner { name } emails { value } phones { value } contacts { id name title emails { value } }
  summary { lastContactAt activityCount openTaskCount }
  timeline(first: 20) { edges { node { id kind title occurredAt } } } } }"""
CREATE = """mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } errors { code message } } }"""
CONTACT = """mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id } errors { code message } } }"""
READ_VERSION = "query($id: ID!) { customer(id: $id) { version } }"
UPDATE = """mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { customer { version } errors { code message } } }"""
BY_CONTACT = """query($f: CustomerFilter) { customers(first: 50, filter: $f, orderBy: {field: LAST_CONTACT, direction: DESC}) {
  edges { node { id name } } pageInfo { hasNextPage endCursor } } }"""
SEGMENTS = """{ customerSegments(windowDays: 365) { total segments { segment customers monetary } unconverted { currency count } } }"""
WORDS = ["alpha", "blue", "cedar", "delta", "echo", "falcon", "granite", "harbor", "iris", "juniper"]


async def list_first(client, ctx, worker):
    await gql(client, ctx, LIST)


async def list_deep(client, ctx, worker):
    await gql(client, ctx, LIST, {"after": ctx.deep_cursor})


async def search_name_prefix(client, ctx, worker):
    await gql(client, ctx, SEARCH, {"s": f"{ctx.rng.choice(WORDS)} {ctx.rng.choice(WORDS)[:2]}", "m": "PREFIX"})


async def search_email_prefix(client, ctx, worker):
    await gql(client, ctx, SEARCH, {"s": f"info@{ctx.rng.choice(WORDS)}{ctx.rng.randrange(1, 99)}", "m": "PREFIX"})


async def search_phone_prefix(client, ctx, worker):
    await gql(client, ctx, SEARCH, {"s": f"+1555{ctx.rng.randrange(0, ctx.customers):08d}"[:10], "m": "PREFIX"})


async def search_contains(client, ctx, worker):
    await gql(client, ctx, SEARCH, {"s": f"bank {ctx.rng.randrange(1, ctx.customers)}", "m": "CONTAINS"})


async def view_360(client, ctx, worker):
    await gql(client, ctx, VIEW, {"id": str(ctx.rng.choice(ctx.customer_ids))})


async def create_with_contacts(client, ctx, worker):
    n = ctx.rng.randrange(10**9)
    made = await gql(client, ctx, CREATE, {"i": {"kind": "COMPANY", "name": f"Bench new {worker}-{n}", "emails": [{"value": f"new{n}@bench.example"}]}})
    customer = made["createCustomer"]["customer"]["id"]
    for k in range(2):
        await gql(client, ctx, CONTACT, {"i": {"customerId": customer, "name": f"Person {k}", "emails": [{"value": f"p{k}.{n}@bench.example"}]}})


async def update_with_version(client, ctx, worker):
    # Each worker updates its own customers, so that concurrent runs never conflict with each other.
    ids = ctx.customer_ids[worker::64] or ctx.customer_ids
    customer = str(ctx.rng.choice(ids))
    version = (await gql(client, ctx, READ_VERSION, {"id": customer}))["customer"]["version"]
    await gql(client, ctx, UPDATE, {"i": {"id": customer, "version": version, "notes": f"touched {ctx.rng.random()}"}})


async def by_last_contact_owner(client, ctx, worker):
    await gql(client, ctx, BY_CONTACT, {"f": {"ownerId": "20"}})  # a rep with 7,714 customers in the bench data


async def by_last_contact_all(client, ctx, worker):
    await gql(client, ctx, BY_CONTACT)


async def segments(client, ctx, worker):
    await gql(client, ctx, SEGMENTS)


SCENARIOS = [
    Scenario("list 50: first page", list_first),
    Scenario("list 50: deep page", list_deep),
    Scenario("search: name prefix", search_name_prefix),
    Scenario("search: email prefix", search_email_prefix),
    Scenario("search: phone prefix", search_phone_prefix),
    Scenario("search: contains", search_contains),
    Scenario("customer 360", view_360),
    Scenario("customer segments (RFM)", segments),
    Scenario("list 50 by last contact: one rep's customers", by_last_contact_owner),
    Scenario("list 50 by last contact: every customer", by_last_contact_all),
    Scenario("create customer + 2 contacts", create_with_contacts, writes=True),
    Scenario("update with version check", update_with_version, writes=True),
]
