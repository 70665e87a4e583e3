"""Service with sales enabled: a ticket points at the order and product it is about, and complaints add up per product."""

from sales_helpers import product
from test_tickets import CREATE, Clock

SUBJECT = """mutation($i: SetTicketSubjectInput!) { setTicketSubject(input: $i) {
  ticket { order { number } product { sku } } errors { field code message } } }"""


async def test_tickets_about_orders_and_products_and_complaints_per_product(make_app, monkeypatch):
    api = await make_app(plugins=["service", "sales"])
    assert "service_sales" in api.runtime.enabled  # the bridge enabled itself
    clock = Clock(monkeypatch)
    _, token = await api.as_user("sales_rep")
    customer = (await api.create_customer(token, name="Client"))["id"]
    other = (await api.create_customer(token, name="Other"))["id"]
    kettle, toaster = await product(api, "KETTLE", "40"), await product(api, "TOASTER", "30")
    order = (await api.gql("""mutation($i: CreateOrderInput!) { createOrder(input: $i) { order { id number } errors { code } } }""",
                           {"i": {"customerId": customer, "lines": [{"productId": kettle, "quantity": "2"}]}}, token))["createOrder"]["order"]
    clock.set("2026-11-20T10:00:00+00:00")
    before = (await api.gql(CREATE, {"i": {"customerId": customer, "subject": "Kettle leaks"}}, token))["createTicket"]["ticket"]
    clock.set("2026-12-05T10:00:00+00:00")
    tickets = [(await api.gql(CREATE, {"i": {"customerId": c, "subject": s}}, token))["createTicket"]["ticket"]
               for c, s in ((customer, "Kettle leaks again"), (customer, "Kettle lid"), (other, "Toaster burns"))]
    wrong = (await api.gql(SUBJECT, {"i": {"ticketId": tickets[2]["id"], "orderId": order["id"]}}, token))["setTicketSubject"]
    assert wrong["errors"] == [{"field": "orderId", "code": "INVALID", "message": "the order belongs to another customer"}]
    linked = (await api.gql(SUBJECT, {"i": {"ticketId": tickets[0]["id"], "orderId": order["id"]}}, token))["setTicketSubject"]
    assert linked == {"ticket": {"order": {"number": order["number"]}, "product": {"sku": "KETTLE"}}, "errors": []}  # the order's one product
    for ticket, pid in ((before, kettle), (tickets[1], kettle), (tickets[2], toaster)):
        done = (await api.gql(SUBJECT, {"i": {"ticketId": ticket["id"], "productId": pid}}, token))["setTicketSubject"]
        assert done["errors"] == []
    report = await api.gql("""{ productDefectReport(from: "2026-12-01", to: "2026-12-14") { product { sku } tickets previousTickets changeRate } }""",
                           token=token)
    assert report["productDefectReport"] == [{"product": {"sku": "KETTLE"}, "tickets": 2, "previousTickets": 1, "changeRate": 1.0},
                                             {"product": {"sku": "TOASTER"}, "tickets": 1, "previousTickets": 0, "changeRate": None}]


async def test_an_appointment_is_about_a_deal_of_its_customer(make_app):
    from sales_helpers import open_deal

    api = await make_app(plugins=["service", "sales"])
    staff, token = await api.as_user("sales_rep")
    customer = (await api.create_customer(token, name="Client"))["id"]
    other = (await api.create_customer(token, name="Other"))["id"]
    deal, foreign = await open_deal(api, customer, token, name="Big deal"), await open_deal(api, other, token, name="Elsewhere")
    booked = (await api.gql("""mutation($i: BookAppointmentInput!) { bookAppointment(input: $i) { appointment { id } errors { code } } }""",
                            {"i": {"customerId": customer, "staffId": staff["id"], "startsAt": "2027-01-05T09:00:00Z",
                                   "endsAt": "2027-01-05T10:00:00Z", "purpose": "Demo"}}, token))["bookAppointment"]["appointment"]
    link = """mutation($i: SetAppointmentOpportunityInput!) { setAppointmentOpportunity(input: $i) {
      appointment { purpose opportunity { name } } errors { field code } } }"""
    wrong = (await api.gql(link, {"i": {"appointmentId": booked["id"], "opportunityId": foreign["id"]}}, token))["setAppointmentOpportunity"]
    assert wrong["errors"] == [{"field": "opportunityId", "code": "INVALID"}]
    done = (await api.gql(link, {"i": {"appointmentId": booked["id"], "opportunityId": deal["id"]}}, token))["setAppointmentOpportunity"]
    assert done == {"appointment": {"purpose": "Demo", "opportunity": {"name": "Big deal"}}, "errors": []}
