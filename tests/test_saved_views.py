"""Saved views: a user names a list's filter and order, runs it as the list's variables, shares it with a team;
bad values are refused as GraphQL would refuse them, names are unique per user and list, deletes are undone."""

SAVE = """mutation($i: SaveViewInput!) { saveView(input: $i) {
  view { id name list filter orderBy version mine runs owner { email } sharedWithTeam { name } } errors { field code message } } }"""
UPDATE = """mutation($i: UpdateSavedViewInput!) { updateSavedView(input: $i) { view { name filter version } errors { field code } } }"""
VIEWS = """query($l: String!, $d: Boolean! = false) { savedViews(list: $l, deleted: $d) { id name mine filter orderBy } }"""
LIST = """query($f: CustomerFilter, $o: CustomerOrder) { customers(filter: $f, orderBy: $o) { edges { node { name } } } }"""


async def save(api, token, **fields):
    data = await api.gql(SAVE, {"i": {"list": "customers", **fields}}, token)
    return data["saveView"]


async def test_a_view_is_saved_run_and_shared_with_a_team(make_app):
    api = await make_app(plugins=["sales"])
    manager, manager_token = await api.as_user("manager", email="boss@example.com")
    rep, rep_token = await api.as_user("sales_rep")
    outsider, outsider_token = await api.as_user("sales_rep")
    team = (await api.admin("""mutation($i: CreateTeamInput!) { createTeam(input: $i) { team { id } errors { code } } }""",
                            {"i": {"name": "North", "managerId": manager["id"]}}))["createTeam"]["team"]
    joined = await api.admin("mutation($i: TeamMemberInput!) { addTeamMember(input: $i) { errors { code } } }",
                             {"i": {"teamId": team["id"], "userId": rep["id"]}})
    assert joined["addTeamMember"]["errors"] == []
    for name, region in (("Acme", "North"), ("Bolt", "South"), ("Core", "north")):
        await api.create_customer(rep_token, name=name, region=region, tags=["vip"] if name != "Bolt" else [])

    lists = await api.gql("{ savedViewLists { name filterType orderType } }", token=rep_token)
    assert {"name": "customers", "filterType": "CustomerFilter", "orderType": "CustomerOrder"} in lists["savedViewLists"]
    assert {"name": "opportunities", "filterType": "OpportunityFilter", "orderType": None} in lists["savedViewLists"]

    made = await save(api, manager_token, name="North VIPs", filter={"region": "north", "tags": ["vip"], "dealWonFrom": "2026-01-01"},
                      orderBy={"field": "NAME", "direction": "DESC"}, sharedWithTeamId=team["id"])
    assert made["errors"] == [] and made["view"]["mine"] and made["view"]["runs"]
    assert made["view"]["sharedWithTeam"] == {"name": "North"} and made["view"]["owner"] == {"email": "boss@example.com"}
    # The rep sees the shared view and runs it as the list's variables; someone outside the team does not see it.
    seen = (await api.gql(VIEWS, {"l": "customers"}, rep_token))["savedViews"]
    assert [(v["name"], v["mine"]) for v in seen] == [("North VIPs", False)]
    view = seen[0]
    view["filter"].pop("dealWonFrom")  # no deal is won here; the rest of the filter keeps Acme and Core
    ran = await api.gql(LIST, {"f": view["filter"], "o": view["orderBy"]}, rep_token)
    assert [e["node"]["name"] for e in ran["customers"]["edges"]] == ["Core", "Acme"]
    assert (await api.gql(VIEWS, {"l": "customers"}, outsider_token))["savedViews"] == []
    # Only its owner changes it.
    refused = await api.gql(UPDATE, {"i": {"id": made["view"]["id"], "version": 1, "name": "Mine now"}}, rep_token)
    assert refused["updateSavedView"]["errors"] == [{"field": "id", "code": "NOT_FOUND"}]
    renamed = await api.gql(UPDATE, {"i": {"id": made["view"]["id"], "version": 1, "name": "North VIPs 2026"}}, manager_token)
    assert renamed["updateSavedView"]["view"]["version"] == 2
    stale = await api.gql(UPDATE, {"i": {"id": made["view"]["id"], "version": 1, "name": "Again"}}, manager_token)
    assert stale["updateSavedView"]["errors"] == [{"field": "version", "code": "CONFLICT"}]
    assert outsider


async def test_values_that_would_not_run_are_refused_and_nothing_is_saved(make_app):
    api = await make_app()
    _, token = await api.as_user("sales_rep")
    bad = await save(api, token, name="Broken", filter={"region": "north", "nope": 1, "kind": "ROBOT", "noContactDays": "ten"},
                     orderBy={"field": "SIZE"})
    assert sorted((e["field"], e["code"]) for e in bad["errors"]) == [
        ("filter", "INVALID"), ("filter.kind", "INVALID"), ("filter.noContactDays", "INVALID"), ("orderBy.field", "INVALID")]
    assert "nope" in next(e["message"] for e in bad["errors"] if e["field"] == "filter")
    # A list whose module is not enabled, a team the caller is not in, a name twice.
    assert (await save(api, token, list="opportunities", name="X", filter={}))["errors"][0]["code"] == "INVALID"
    assert (await save(api, token, name="X", filter={}, sharedWithTeamId="999"))["errors"] == [
        {"field": "sharedWithTeamId", "code": "NOT_FOUND", "message": "no team of yours with this id"}]
    first = await save(api, token, name="  Quiet ones ", filter={"noContactDays": 30})
    assert first["errors"] == [] and first["view"]["name"] == "Quiet ones"
    again = await save(api, token, name="Quiet ones", filter={})
    assert again["errors"][0]["code"] == "DUPLICATE"
    assert [v["name"] for v in (await api.gql(VIEWS, {"l": "customers"}, token))["savedViews"]] == ["Quiet ones"]


async def test_deleted_views_are_restored_and_a_view_of_a_disabled_module_says_so(make_app):
    api = await make_app(plugins=["sales"])
    _, token = await api.as_user("sales_rep")
    made = await save(api, token, name="Won lately", filter={"dealWonFrom": "2026-10-01"})
    deleted = await api.gql("mutation($i: IdInput!) { deleteSavedView(input: $i) { errors { code } } }", {"i": {"id": made["view"]["id"]}}, token)
    assert deleted["deleteSavedView"]["errors"] == []
    assert (await api.gql(VIEWS, {"l": "customers"}, token))["savedViews"] == []
    assert [v["name"] for v in (await api.gql(VIEWS, {"l": "customers", "d": True}, token))["savedViews"]] == ["Won lately"]
    # The name is free again while the view is deleted; restoring it then is a clash, said as such.
    twin = await save(api, token, name="Won lately", filter={})
    restore = "mutation($i: IdInput!) { restoreSavedView(input: $i) { view { name } errors { field code } } }"
    clash = await api.gql(restore, {"i": {"id": made["view"]["id"]}}, token)
    assert clash["restoreSavedView"]["errors"] == [{"field": "name", "code": "DUPLICATE"}]
    await api.gql("mutation($i: IdInput!) { deleteSavedView(input: $i) { errors { code } } }", {"i": {"id": twin["view"]["id"]}}, token)
    back = await api.gql(restore, {"i": {"id": made["view"]["id"]}}, token)
    assert back["restoreSavedView"] == {"view": {"name": "Won lately"}, "errors": []}
    # Without sales, the view is still there, and says it no longer runs.
    await api.restart(plugins=[])
    views = await api.gql("""query { savedViews(list: "customers") { name runs filter } }""", token=token)
    assert views["savedViews"] == [{"name": "Won lately", "runs": False, "filter": {"dealWonFrom": "2026-10-01"}}]
