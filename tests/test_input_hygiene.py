"""Values a front-end renders or follows must be safe to render and follow: websites are web addresses, and an
activity links only to a record its author may read, at the same customer."""

from sales_helpers import open_deal

LOG = """mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id recordType recordId } errors { field code } } }"""


async def test_websites_are_web_addresses(make_app):
    api = await make_app()
    create = "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id website } errors { field code } } }"
    for bad in ("javascript:alert(document.cookie)", " JaVaScRiPt:alert(1)", "data:text/html,<script>x</script>", "acme", "http://"):
        answer = (await api.admin(create, {"i": {"kind": "COMPANY", "name": "X", "website": bad}}))["createCustomer"]
        assert answer == {"customer": None, "errors": [{"field": "website", "code": "INVALID"}]}, bad
    ok = (await api.admin(create, {"i": {"kind": "COMPANY", "name": "Acme", "website": "acme.com:8080/about"}}))["createCustomer"]
    assert ok["errors"] == [] and ok["customer"]["website"] == "acme.com:8080/about"
    update = "mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { customer { website } errors { field code } } }"
    refused = await api.admin(update, {"i": {"id": ok["customer"]["id"], "version": 1, "website": "javascript:void(0)"}})
    assert refused["updateCustomer"]["errors"] == [{"field": "website", "code": "INVALID"}]
    assert (await api.admin('query($id: ID!) { customer(id: $id) { website } }', {"id": ok["customer"]["id"]}))["customer"]["website"] == "acme.com:8080/about"


async def test_an_activity_links_only_to_a_readable_record_of_its_customer(make_app):
    api = await make_app(plugins=["sales"])
    rep, rep_token = await api.as_user("sales_rep")
    colleague, _ = await api.as_user("sales_rep")
    customer = await api.create_customer(rep_token, name="Shared")
    mine = await open_deal(api, customer["id"], rep_token, name="Mine")
    theirs = await open_deal(api, customer["id"], name="Theirs", ownerId=colleague["id"])
    elsewhere = await open_deal(api, (await api.create_customer(rep_token, name="Other"))["id"], rep_token, name="Elsewhere")

    def call(**link):
        return api.gql(LOG, {"i": {"customerId": customer["id"], "kind": "note", "subject": "s", **link}}, rep_token)

    cases = [
        ({"recordType": "opportunity", "recordId": theirs["id"]}, ("recordId", "NOT_FOUND")),  # hidden: same as missing
        ({"recordType": "opportunity", "recordId": "999999"}, ("recordId", "NOT_FOUND")),
        ({"recordType": "opportunity", "recordId": elsewhere["id"]}, ("recordId", "INVALID")),  # another customer's
        ({"recordType": "spaceship", "recordId": "1"}, ("recordType", "INVALID")),
        ({"recordType": "opportunity"}, ("recordId", "REQUIRED")),
    ]
    for link, error in cases:
        answer = (await call(**link))["logActivity"]
        assert answer["activity"] is None and [(e["field"], e["code"]) for e in answer["errors"]] == [error], link
    linked = (await call(recordType="opportunity", recordId=mine["id"]))["logActivity"]
    assert linked["errors"] == [] and linked["activity"]["recordId"] == mine["id"]
    assert (await api.admin("{ activities { totalCount } }"))["activities"]["totalCount"] == 1


async def test_an_activity_cannot_happen_next_year_and_the_future_is_no_contact(make_app):
    from datetime import datetime, timedelta, timezone

    api = await make_app()
    customer = await api.create_customer(name="Acme")
    later = (datetime.now(timezone.utc) + timedelta(days=400)).isoformat()
    refused = await api.admin(LOG, {"i": {"customerId": customer["id"], "kind": "call", "subject": "s", "occurredAt": later}})
    assert [(e["field"], e["code"]) for e in refused["logActivity"]["errors"]] == [("occurredAt", "INVALID")]
    soon = (datetime.now(timezone.utc) + timedelta(hours=2)).isoformat()  # clock skew and time zones are fine
    assert (await api.admin(LOG, {"i": {"customerId": customer["id"], "kind": "call", "subject": "s", "occurredAt": soon}}))["logActivity"]["errors"] == []
    seen = await api.admin('query($id: ID!) { customer(id: $id) { summary { lastContactAt } } }', {"id": customer["id"]})
    assert seen["customer"]["summary"]["lastContactAt"] is None  # two hours ahead has not happened yet
