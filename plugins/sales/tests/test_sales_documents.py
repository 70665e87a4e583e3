"""Quotes with exact totals from the catalogue's prices, orders and the events other plugins receive."""

from decimal import Decimal

from sales_helpers import QUOTE_FIELDS, open_deal, product

CREATE_QUOTE = f"mutation($i: CreateQuoteInput!) {{ createQuote(input: $i) {{ quote {{ {QUOTE_FIELDS} }} errors {{ field code message }} }} }}"


async def test_quote_totals_are_exact_with_discounts_and_taxes(make_app):
    api = await make_app(plugins=["sales"])
    customer = await api.create_customer(tags=["gold"])
    widget = await product(api, "W", "19.99")
    service = await product(api, "S", "100")
    data = await api.admin(CREATE_QUOTE, {"i": {"customerId": customer["id"], "validUntil": "2999-01-01", "lines": [
        {"productId": widget, "quantity": "3", "discountPercent": "10", "taxPercent": "19"},   # 59.97 - 5.997 = 53.973 -> 53.97; tax 10.2543 -> 10.25
        {"productId": service, "quantity": "1.5", "unitPrice": "80", "taxPercent": "7"},      # 120.00; tax 8.40
        {"description": "Travel", "unitPrice": "0.005", "quantity": "1"},                     # 0.005 -> 0.00 (half-even)
    ]}})
    quote = data["createQuote"]["quote"]
    assert data["createQuote"]["errors"] == []
    assert [(line["net"], line["tax"]) for line in quote["lines"]] == [("53.97", "10.25"), ("120.00", "8.40"), ("0.00", "0.00")]
    assert (quote["subtotal"], quote["taxTotal"], quote["total"]) == ("173.97", "18.65", "192.62")
    assert quote["number"].startswith("Q-") and quote["status"] == "DRAFT"

    # A price list for the customer's segment (tag) beats the list price.
    await api.admin("""mutation($i: PriceListInput!) { createPriceList(input: $i) { errors { field code } } }""",
                    {"i": {"name": "Gold", "currency": "EUR", "segment": "gold", "items": [{"productId": widget, "price": "15.00"}]}})
    priced = await api.admin(CREATE_QUOTE, {"i": {"customerId": customer["id"], "lines": [{"productId": widget}]}})
    assert priced["createQuote"]["quote"]["lines"][0]["unitPrice"] == "15.00"
    other = await api.create_customer()
    listed = await api.admin(CREATE_QUOTE, {"i": {"customerId": other["id"], "lines": [{"productId": widget}]}})
    assert listed["createQuote"]["quote"]["lines"][0]["unitPrice"] == "19.99"

    bad = await api.admin(CREATE_QUOTE, {"i": {"customerId": customer["id"], "lines": [
        {"productId": widget, "quantity": "0"}, {"description": " ", "discountPercent": "120"}]}})
    assert sorted((e["field"], e["code"]) for e in bad["createQuote"]["errors"]) == [
        ("lines.0.quantity", "INVALID"), ("lines.1.description", "REQUIRED"), ("lines.1.discountPercent", "INVALID"), ("lines.1.unitPrice", "REQUIRED")]
    usd = await api.admin(CREATE_QUOTE, {"i": {"customerId": customer["id"], "currency": "USD", "lines": [{"productId": service}]}})
    assert usd["createQuote"]["errors"][0]["code"] == "INVALID"
    assert (await api.admin("{ quotes { totalCount } }"))["quotes"]["totalCount"] == 3


async def test_one_rule_for_quotes_from_a_customer_or_from_a_deal(make_app):
    """A rep who owns a deal on a colleague's customer may quote it by neither path: documents need the customer."""
    api = await make_app(plugins=["sales"])
    rep, rep_token = await api.as_user("sales_rep")
    colleague, colleague_token = await api.as_user("sales_rep")
    theirs = await api.create_customer(colleague_token, name="Colleague's account")
    deal = await open_deal(api, theirs["id"], name="Rep's deal there", ownerId=rep["id"])
    from_deal = await api.gql("""mutation($i: QuoteFromOpportunityInput!) { createQuoteFromOpportunity(input: $i) {
        quote { id } errors { field code } } }""", {"i": {"opportunityId": deal["id"]}}, rep_token)
    assert from_deal["createQuoteFromOpportunity"] == {"quote": None, "errors": [{"field": "opportunityId", "code": "FORBIDDEN"}]}
    direct = await api.gql(CREATE_QUOTE, {"i": {"customerId": theirs["id"], "opportunityId": deal["id"],
                                                "lines": [{"description": "x", "unitPrice": "1"}]}}, rep_token)
    assert direct["createQuote"]["quote"] is None and direct["createQuote"]["errors"][0]["code"] == "NOT_FOUND"
    assert (await api.admin("{ quotes { totalCount } }"))["quotes"]["totalCount"] == 0
    # Their own customer and deal: both paths work.
    mine = await api.create_customer(rep_token, name="Rep's account")
    own_deal = await open_deal(api, mine["id"], rep_token, name="Own deal", amount="100")
    ok = await api.gql("""mutation($i: QuoteFromOpportunityInput!) { createQuoteFromOpportunity(input: $i) {
        quote { id total } errors { code } } }""", {"i": {"opportunityId": own_deal["id"]}}, rep_token)
    assert ok["createQuoteFromOpportunity"]["errors"] == [] and ok["createQuoteFromOpportunity"]["quote"]["total"] == "100.00"


async def test_confirmed_orders_count_as_customer_value_once(make_app):
    """RFM's monetary counts a confirmed order as a purchase; one made from a won deal is counted once, by the deal."""
    api = await make_app(plugins=["sales"])
    seat = await product(api, "SEAT", "480")
    buyer = await api.create_customer(name="Order-only buyer")
    made = await api.admin("mutation($i: CreateOrderInput!) { createOrder(input: $i) { order { id version } errors { code } } }",
                           {"i": {"customerId": buyer["id"], "lines": [{"productId": seat, "quantity": "2"}]}})
    order = made["createOrder"]["order"]
    step = "mutation($i: DocumentStepInput!) { confirmOrder(input: $i) { order { status } errors { code } } }"
    assert (await api.admin(step, {"i": {"id": order["id"], "version": order["version"]}}))["confirmOrder"]["errors"] == []
    dealer = await api.create_customer(name="Deal buyer")
    deal = await open_deal(api, dealer["id"], amount="1000")
    win = "mutation($i: WinOpportunityInput!) { winOpportunity(input: $i) { opportunity { id } errors { code } } }"
    assert (await api.admin(win, {"i": {"id": deal["id"], "version": deal["version"]}}))["winOpportunity"]["errors"] == []
    from_deal = await api.admin("mutation($i: CreateOrderInput!) { createOrder(input: $i) { order { id version } errors { code } } }",
                                {"i": {"customerId": dealer["id"], "opportunityId": deal["id"], "lines": [{"productId": seat, "quantity": "1"}]}})
    second = from_deal["createOrder"]["order"]
    assert (await api.admin(step, {"i": {"id": second["id"], "version": second["version"]}}))["confirmOrder"]["errors"] == []
    segments = (await api.admin("{ customerSegments { segments { customers monetary } } }"))["customerSegments"]["segments"]
    # 960 for the order alone, 1000 for the deal; its order (480) is not counted again
    assert sum(Decimal(s["monetary"]) for s in segments) == Decimal("1960")
