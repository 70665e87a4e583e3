"""Phone numbers and e-mail addresses with maintained libraries: one number however it is written, found as a duplicate
and by search; addresses checked by email-validator; stored numbers renewed when the region changes."""

import asyncio

from sqlalchemy import select
from typer.testing import CliRunner

from crm.customers.models import Channel

CREATE = """mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id phones { value } } errors { field code message } } }"""


async def test_national_and_international_forms_are_one_number(make_app):
    api = await make_app(phone_region="DE")
    first = (await api.admin(CREATE, {"i": {"kind": "COMPANY", "name": "Berlin GmbH", "phones": [{"value": "030 1000000"}]}}))["createCustomer"]
    second = (await api.admin(CREATE, {"i": {"kind": "COMPANY", "name": "Hauptstadt AG", "phones": [{"value": "+49 (30) 100 00 00"}]}}))["createCustomer"]
    third = (await api.admin(CREATE, {"i": {"kind": "COMPANY", "name": "Wien KG", "phones": [{"value": "0043 1 234567"}]}}))["createCustomer"]
    assert first["errors"] == second["errors"] == third["errors"] == []
    async with api.runtime.db.read() as session:
        stored = (await session.scalars(select(Channel.normalized).where(Channel.kind == "phone").order_by(Channel.id))).all()
    assert stored == ["+49301000000", "+49301000000", "+431234567"]
    dupes = await api.admin("query($i: ID!) { duplicateCustomers(customerId: $i) { customer { name } reasons } }", {"i": first["customer"]["id"]})
    assert [d["customer"]["name"] for d in dupes["duplicateCustomers"]] == ["Hauptstadt AG"]
    for typed in ("030 1000", "+49 30 100", "49301"):
        found = await api.admin("query($s: String) { customers(filter: {search: $s}) { totalCount } }", {"s": typed})
        assert found["customers"]["totalCount"] == 2, typed


async def test_addresses_and_numbers_that_are_not_are_refused(make_app):
    api = await make_app()
    bad = (await api.admin(CREATE, {"i": {"kind": "PERSON", "name": "Nobody", "emails": [{"value": "a b@c.de"}, {"value": "ok@host"}],
                                         "phones": [{"value": "12"}]}}))["createCustomer"]
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("emails.0.value", "INVALID"), ("emails.1.value", "INVALID"),
                                                                 ("phones.0.value", "INVALID")]
    fine = (await api.admin(CREATE, {"i": {"kind": "PERSON", "name": "Zoë", "emails": [{"value": "Zoë@Bücher.de"}],
                                          "phones": [{"value": "0301000000"}]}}))["createCustomer"]
    assert fine["errors"] == []  # without CRM_PHONE_REGION a national number is kept by its digits


async def test_a_new_region_renews_every_stored_number(make_app, monkeypatch):
    api = await make_app(plugins=["leads"])
    await api.admin(CREATE, {"i": {"kind": "COMPANY", "name": "Early", "phones": [{"value": "030 1000000"}]}})
    lead = await api.admin('mutation { createLead(input: {name: "Lead", phones: ["+49 30 1000000"]}) { lead { id } errors { code } } }')
    assert lead["createLead"]["errors"] == []
    query = "query($i: ID!) { lead(id: $i) { duplicates { resource name } } }"
    assert (await api.admin(query, {"i": lead["createLead"]["lead"]["id"]}))["lead"]["duplicates"] == []  # 0301000000 is not +49...
    monkeypatch.setenv("CRM_DATABASE_URL", api.runtime.settings.database_url)
    monkeypatch.setenv("CRM_PHONE_REGION", "DE")
    from crm.cli import cli

    result = await asyncio.to_thread(CliRunner().invoke, cli, ["db", "renormalise-phones"])
    assert result.exit_code == 0 and "1 phone numbers of customers and contacts took a new normal form (region: DE)" in result.output, result.output
    assert (await api.admin(query, {"i": lead["createLead"]["lead"]["id"]}))["lead"]["duplicates"] == [{"resource": "customer", "name": "Early"}]
