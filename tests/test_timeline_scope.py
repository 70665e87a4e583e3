"""A timeline shows only what its reader may read: change entries are checked against the record they are about."""

from sales_helpers import open_deal

TIMELINE = """query($id: ID!) { customer(id: $id) { timeline(first: 50) { totalCount edges { node { kind recordType recordId } } } } }"""


async def test_a_colleagues_deal_leaves_no_trace_in_my_timeline(make_app):
    api = await make_app(plugins=["sales"])
    rep, rep_token = await api.as_user("sales_rep")
    colleague, _ = await api.as_user("sales_rep")
    customer = await api.create_customer(rep_token, name="Shared account")
    mine = await open_deal(api, customer["id"], rep_token, name="My deal")
    theirs = await open_deal(api, customer["id"], name="Their deal", ownerId=colleague["id"])
    entries = (await api.gql(TIMELINE, {"id": customer["id"]}, rep_token))["customer"]["timeline"]
    about = {(e["node"]["recordType"], e["node"]["recordId"]) for e in entries["edges"]}
    assert ("opportunity", mine["id"]) in about
    assert ("opportunity", theirs["id"]) not in about
    assert entries["totalCount"] == len(entries["edges"])
    # The admin reads every deal, so sees both.
    admin_view = (await api.admin(TIMELINE, {"id": customer["id"]}))["customer"]["timeline"]
    assert ("opportunity", theirs["id"]) in {(e["node"]["recordType"], e["node"]["recordId"]) for e in admin_view["edges"]}
