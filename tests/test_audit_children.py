"""One change to a customer is one audit entry with every field that changed, its tags, emails and phones included
(as before/after lists), and one version step."""

from crm import parse_id

AUDIT = """query($id: ID!) { auditLog(filter: {resource: "customer", recordId: $id}) { edges { node { action changes { field old new } } } } }"""
UPDATE = """mutation($i: UpdateCustomerInput!) { updateCustomer(input: $i) { customer { version tags } errors { code } } }"""


def entries(data):
    return [e["node"] for e in data["auditLog"]["edges"]]


async def test_tags_emails_and_phones_are_in_the_customer_audit_entry(make_app):
    api = await make_app()
    customer = await api.create_customer(name="Acme", tags=["vip"], emails=[{"value": "a@acme.example"}], phones=[{"value": "+49 30 1234567"}])
    created = entries(await api.admin(AUDIT, {"id": customer["id"]}))
    assert [e["action"] for e in created] == ["create"]
    fields = {c["field"]: c for c in created[0]["changes"]}
    assert fields["tags"]["new"] == ["vip"] and fields["emails"]["new"] == ["a@acme.example"] and fields["phones"]["new"] == ["+49301234567"]

    updated = (await api.admin(UPDATE, {"i": {"id": customer["id"], "version": 1, "name": "Acme AG", "tags": ["vip", "north"],
                                              "emails": [{"value": "b@acme.example"}]}}))["updateCustomer"]
    assert updated["errors"] == [] and updated["customer"]["version"] == 2  # one step
    after = entries(await api.admin(AUDIT, {"id": customer["id"]}))
    assert sorted(e["action"] for e in after) == ["create", "update"]
    change = {c["field"]: c for c in next(e for e in after if e["action"] == "update")["changes"]}
    assert change["name"]["old"] == "Acme" and change["name"]["new"] == "Acme AG"
    assert change["tags"] == {"field": "tags", "old": ["vip"], "new": ["north", "vip"]}
    assert change["emails"] == {"field": "emails", "old": ["a@acme.example"], "new": ["b@acme.example"]}
    assert "phones" not in change  # untouched

    only_tags = (await api.admin(UPDATE, {"i": {"id": customer["id"], "version": 2, "tags": ["north"]}}))["updateCustomer"]
    assert only_tags["customer"]["version"] == 3
    last = entries(await api.admin(AUDIT, {"id": customer["id"]}))
    assert len(last) == 3


async def test_a_contacts_emails_are_in_its_audit_entries(make_app):
    api = await make_app()
    customer = await api.create_customer(name="Acme")
    made = await api.admin("""mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id version } errors { code } } }""",
                           {"i": {"customerId": customer["id"], "name": "Sam", "emails": [{"value": "Sam@Acme.example"}]}})
    contact = made["createContact"]["contact"]
    changed = await api.admin("""mutation($i: UpdateContactInput!) { updateContact(input: $i) { contact { version } errors { code } } }""",
                              {"i": {"id": contact["id"], "version": contact["version"], "title": "CTO", "phones": [{"value": "+49 30 7654321"}]}})
    assert changed["updateContact"]["contact"]["version"] == contact["version"] + 1
    log = await api.admin("""query($id: ID!) { auditLog(filter: {resource: "contact", recordId: $id}) { edges { node { action changes { field old new } } } } }""",
                          {"id": contact["id"]})
    by_action = {e["node"]["action"]: {c["field"]: c for c in e["node"]["changes"]} for e in log["auditLog"]["edges"]}
    assert set(by_action) == {"create", "update"}
    assert by_action["create"]["emails"]["new"] == ["sam@acme.example"]
    assert by_action["update"]["phones"] == {"field": "phones", "old": [], "new": ["+49307654321"]}
    assert by_action["update"]["title"]["new"] == "CTO"


async def test_several_flushes_of_one_record_in_one_transaction_make_one_entry(make_app):
    """Code may flush a record more than once in a transaction (to get its id, then set what needs it); the trail
    still has one entry per change: a create with the final values, changes folded, changes undone dropped."""
    from sqlalchemy import select

    from crm.audit.models import AuditEntry
    from crm.customers.models import Customer
    from crm.models import utcnow

    api = await make_app()
    owner = parse_id((await api.admin("{ me { id } }"))["me"]["id"])
    async with api.runtime.db.write() as session:
        made = Customer(kind="company", name="Fold", search_name="fold", lifecycle_stage="prospect", owner_id=owner)
        session.add(made)
        await session.flush()
        made.industry = "Retail"
        await session.flush()
        made.region = "North"
    async with api.runtime.db.write() as session:
        customer = await session.get(Customer, made.id)
        customer.name, customer.search_name = "Fold 2", "fold 2"
        await session.flush()
        customer.name, customer.search_name = "Fold 3", "fold 3"
        customer.deleted_at = utcnow()
        await session.flush()
        customer.deleted_at = None
    async with api.runtime.db.write() as session:
        customer = await session.get(Customer, made.id)
        customer.notes = "kept"
        await session.flush()
        async with session.begin_nested():  # changes inside a savepoint fold in too; after one ends, a new entry starts
            customer.notes = "kept too"
        customer.size = "big"
        customer.deleted_at = utcnow()
        await session.flush()
        customer.deleted_at = None  # deleted and restored at once: the delete is no change at all
    async with api.runtime.db.read() as session:
        rows = (await session.execute(select(AuditEntry.action, AuditEntry.changes).where(
            AuditEntry.resource == "customer", AuditEntry.record_id == str(made.id)).order_by(AuditEntry.id))).all()
    fields = [(action, {c["field"]: (c["old"], c["new"]) for c in changes}) for action, changes in rows]
    assert fields[0][0] == "create" and fields[0][1]["industry"] == (None, "Retail") and fields[0][1]["region"] == (None, "North")
    assert fields[1] == ("update", {"name": ("Fold", "Fold 3")})
    assert fields[2] == ("update", {"notes": (None, "kept too")})
    assert fields[3] == ("update", {"size": (None, "big")})
    assert len(fields) == 4
