"""Contracts with sales enabled: the deal and order a contract came from, and a renewal deal at the notice date."""

from datetime import date, timedelta

from sales_helpers import open_deal
from test_contracts import SIGN, draft

from crm.plugins.contracts.renewals import give_notices
from crm import parse_id

ORIGIN = """mutation($i: SetContractOriginInput!) { setContractOrigin(input: $i) {
  contract { opportunity { name } order { number } } errors { field code message } } }"""


async def test_a_contract_points_at_its_deal_and_order_and_renewals_open_a_deal(make_app):
    api = await make_app(plugins=["contracts", "sales"])
    assert "contracts_sales" in api.runtime.enabled  # the bridge enabled itself
    rep, token = await api.as_user("sales_rep")
    customer = (await api.create_customer(token=token, name="Client"))["id"]
    other = (await api.create_customer(token=token, name="Other"))["id"]
    deal = await open_deal(api, customer, token, name="Support deal", amount="12000")
    order = await api.gql("""mutation($i: CreateOrderInput!) { createOrder(input: $i) { order { id number version } errors { code } } }""",
                          {"i": {"customerId": customer, "lines": [{"description": "Support", "unitPrice": "12000"}]}}, token)
    confirmed = await api.gql("""mutation($i: DocumentStepInput!) { confirmOrder(input: $i) { errors { code } } }""",
                              {"i": {"id": order["createOrder"]["order"]["id"], "version": order["createOrder"]["order"]["version"]}}, token)
    assert confirmed["confirmOrder"]["errors"] == []
    foreign = await open_deal(api, other, token, name="Elsewhere")
    contract = await draft(api, token, customer, endDate=(date.today() + timedelta(days=10)).isoformat(), noticeDays=30)
    wrong = await api.gql(ORIGIN, {"i": {"contractId": contract["id"], "opportunityId": foreign["id"]}}, token)
    assert wrong["setContractOrigin"]["errors"] == [{"field": "opportunityId", "code": "INVALID", "message": "the opportunity belongs to another customer"}]
    linked = await api.gql(ORIGIN, {"i": {"contractId": contract["id"], "opportunityId": deal["id"],
                                          "orderId": order["createOrder"]["order"]["id"]}}, token)
    assert linked["setContractOrigin"]["contract"] == {"opportunity": {"name": "Support deal"}, "order": {"number": order["createOrder"]["order"]["number"]}}
    async with api.runtime.db.read() as session:  # order-to-cash now starts at the order's confirmation
        from crm.plugins.contracts.models import Contract

        assert (await session.get(Contract, parse_id(contract["id"]))).cash_from == date.today()
    current = (await api.gql("query($i: ID!) { contract(id: $i) { version } }", {"i": contract["id"]}, token))["contract"]
    assert (await api.gql(SIGN, {"i": {"id": contract["id"], "version": current["version"]}}, token))["signContract"]["errors"] == []
    assert await give_notices(api.runtime) == 1 and await give_notices(api.runtime) == 0
    renewal = await api.gql("""query($i: ID!) { contract(id: $i) { renewalOpportunity { name amount currency expectedCloseDate source
      owner { id } } } }""", {"i": contract["id"]}, token)
    deal = renewal["contract"]["renewalOpportunity"]
    assert deal["name"].startswith(f"Renewal: {contract['number']}") and deal["amount"] == "12000.00" and deal["source"] == "renewal"
    assert deal["owner"]["id"] == rep["id"] and deal["expectedCloseDate"] == (date.today() + timedelta(days=10)).isoformat()
