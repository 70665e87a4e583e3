"""Sales' order events as a third party sees them: the orderwatch test plugin (tests/plugins) listens to
crm_on_order_confirmed / crm_on_order_cancelled, and its refusal rolls the confirmation back."""

from crm_orderwatch.plugin import EVENTS
from sales_helpers import ORDER_FIELDS, QUOTE_FIELDS, open_deal, product


async def test_quote_to_order_and_order_events(make_app):
    api = await make_app(plugins=["sales", "orderwatch"])
    customer = await api.create_customer()
    seat = await product(api, "SEAT", "480")
    deal = await open_deal(api, customer["id"], lines=[{"productId": seat, "quantity": "10", "discountPercent": "5"}])
    assert deal["amount"] == "4560.00"
    made = await api.admin(f"""mutation($i: QuoteFromOpportunityInput!) {{ createQuoteFromOpportunity(input: $i) {{
        quote {{ {QUOTE_FIELDS} }} errors {{ code }} }} }}""", {"i": {"opportunityId": deal["id"]}})
    quote = made["createQuoteFromOpportunity"]["quote"]
    assert quote["subtotal"] == "4560.00" and quote["lines"][0]["quantity"] == "10.00"
    step = "mutation($i: DocumentStepInput!) {{ {op}(input: $i) {{ {what} {{ status version }} errors {{ code }} }} }}"
    sent = await api.admin(step.format(op="sendQuote", what="quote"), {"i": {"id": quote["id"], "version": quote["version"]}})
    accepted = await api.admin(f"""mutation($i: AcceptQuoteInput!) {{ acceptQuote(input: $i) {{ quote {{ status }} order {{ {ORDER_FIELDS} }}
        errors {{ code }} }} }}""", {"i": {"id": quote["id"], "version": sent["sendQuote"]["quote"]["version"]}})
    order = accepted["acceptQuote"]["order"]
    assert accepted["acceptQuote"]["quote"]["status"] == "ACCEPTED" and order["status"] == "DRAFT" and order["total"] == "4560.00"

    confirmed = await api.admin(step.format(op="confirmOrder", what="order"), {"i": {"id": order["id"], "version": order["version"]}})
    assert confirmed["confirmOrder"]["order"]["status"] == "CONFIRMED"
    assert ("confirmed", order["number"]) in EVENTS
    timeline = await api.admin('query($id: ID!) { customer(id: $id) { timeline(kinds: ["order_confirmed"]) { edges { node { title } } } } }',
                               {"id": customer["id"]})
    assert timeline["customer"]["timeline"]["edges"] == [{"node": {"title": order["number"]}}]
    cancelled = await api.admin(step.format(op="cancelOrder", what="order"),
                                {"i": {"id": order["id"], "version": confirmed["confirmOrder"]["order"]["version"], "reason": "changed mind"}})
    assert cancelled["cancelOrder"]["order"]["status"] == "CANCELLED" and ("cancelled", order["number"]) in EVENTS

    # A listener refuses a confirmation: the order stays a draft, the caller gets its error.
    huge = await api.admin("mutation($i: CreateOrderInput!) { createOrder(input: $i) { order { id version } errors { code } } }",
                           {"i": {"customerId": customer["id"], "lines": [{"productId": seat, "quantity": "5000"}]}})
    big = huge["createOrder"]["order"]
    refused = await api.admin(step.format(op="confirmOrder", what="order"), {"i": {"id": big["id"], "version": big["version"]}})
    assert refused["confirmOrder"]["errors"] == [{"code": "OUT_OF_STOCK"}]
    still = await api.admin("query($id: ID!) { order(id: $id) { status confirmedAt } }", {"id": big["id"]})
    assert still["order"] == {"status": "DRAFT", "confirmedAt": None}
