"""Sales: the default pipeline, opportunities moving through it with history, conflicts, scope, timeline, merge."""

from sales_helpers import CREATE, LOSE, MOVE, PIPELINES, REOPEN, WIN, open_deal, stages, step
from crm import global_id, parse_id


async def test_default_pipeline_and_a_deal_from_open_to_won(make_app):
    api = await make_app(plugins=["sales"])
    pipelines = (await api.admin(PIPELINES))["pipelines"]
    assert [(s["name"], s["probability"], s["kind"]) for s in pipelines[0]["stages"]] == [
        ("Qualification", 10, "OPEN"), ("Needs analysis", 25, "OPEN"), ("Proposal", 50, "OPEN"),
        ("Negotiation", 75, "OPEN"), ("Won", 100, "WON"), ("Lost", 0, "LOST")]
    s = await stages(api)
    customer = await api.create_customer(name="Buyer")
    opp = await open_deal(api, customer["id"], amount="1000.50", expectedCloseDate="2026-12-31")
    assert opp["stage"]["name"] == "Qualification" and opp["probability"] == 10 and opp["amount"] == "1000.50" and opp["currency"] == "EUR"

    moved = await step(api, MOVE, "moveOpportunity", id=opp["id"], stageId=s["Proposal"], version=opp["version"])
    assert moved["probability"] == 50 and moved["status"] == "OPEN"
    stale = await api.admin(MOVE, {"i": {"id": opp["id"], "stageId": s["Negotiation"], "version": opp["version"]}})
    assert stale["moveOpportunity"]["errors"][0]["code"] == "CONFLICT"
    wrong = await api.admin(MOVE, {"i": {"id": opp["id"], "stageId": s["Won"], "version": moved["version"]}})
    assert wrong["moveOpportunity"]["errors"][0]["field"] == "stageId"

    won = await step(api, WIN, "winOpportunity", id=opp["id"], version=moved["version"])
    assert won["status"] == "WON" and won["probability"] == 100 and won["closedAt"] and won["stage"]["name"] == "Won"
    again = await api.admin(WIN, {"i": {"id": opp["id"], "version": won["version"]}})
    assert again["winOpportunity"]["errors"][0]["code"] == "INVALID"
    back = await step(api, REOPEN, "reopenOpportunity", id=opp["id"], version=won["version"])
    assert back["stage"]["name"] == "Proposal" and back["closedAt"] is None and back["probability"] == 50

    detail = await api.admin("""query($id: ID!) { opportunity(id: $id) {
        history { stage { name } probability amount } stageVisits { stage { name } leftAt } } }""", {"id": opp["id"]})
    history = detail["opportunity"]["history"]
    assert [h["stage"]["name"] for h in history] == ["Qualification", "Proposal", "Won", "Proposal"]
    assert [h["probability"] for h in history] == [10, 50, 100, 50]
    visits = detail["opportunity"]["stageVisits"]
    assert [v["stage"]["name"] for v in visits] == ["Qualification", "Proposal", "Won", "Proposal"]
    assert [v["leftAt"] is None for v in visits] == [False, False, False, True]


async def test_probability_override_amount_changes_and_losing(make_app):
    api = await make_app(plugins=["sales"])
    s = await stages(api)
    customer = await api.create_customer()
    opp = await open_deal(api, customer["id"], probability=40, amount="500")
    moved = await step(api, MOVE, "moveOpportunity", id=opp["id"], stageId=s["Negotiation"], version=opp["version"])
    assert moved["probability"] == 40  # set by hand: stage moves keep it
    update = """mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { probability amount version } errors { field code } } }"""
    reset = await api.admin(update, {"i": {"id": opp["id"], "version": moved["version"], "probability": None, "amount": "750"}})
    assert reset["updateOpportunity"]["opportunity"]["probability"] == 75
    bad = await api.admin(update, {"i": {"id": opp["id"], "version": reset["updateOpportunity"]["opportunity"]["version"], "amount": "-1"}})
    assert bad["updateOpportunity"]["errors"] == [{"field": "amount", "code": "INVALID"}]
    no_reason = await api.admin(LOSE, {"i": {"id": opp["id"], "version": reset["updateOpportunity"]["opportunity"]["version"], "reason": " "}})
    assert no_reason["loseOpportunity"]["errors"][0]["code"] == "REQUIRED"
    lost = await step(api, LOSE, "loseOpportunity", id=opp["id"], version=reset["updateOpportunity"]["opportunity"]["version"], reason="price")
    assert lost["status"] == "LOST" and lost["lostReason"] == "price" and lost["probability"] == 0
    history = await api.admin('query($id: ID!) { opportunity(id: $id) { history { amount probability } } }', {"id": opp["id"]})
    assert [(h["amount"], h["probability"]) for h in history["opportunity"]["history"]] == [
        ("500.00", 40), ("500.00", 40), ("750.00", 75), ("750.00", 0)]


async def test_bad_input_is_refused_and_changes_nothing(make_app):
    api = await make_app(plugins=["sales"])
    customer = await api.create_customer()
    for fields, field, code in (
        ({"name": " "}, "name", "REQUIRED"),
        ({"name": "x", "currency": "euro"}, "currency", "INVALID"),
        ({"name": "x", "probability": 101}, "probability", "INVALID"),
        ({"name": "x", "pipelineId": "999"}, "pipelineId", "NOT_FOUND"),
        ({"name": "x", "customerId": "999"}, "customerId", "NOT_FOUND"),
        ({"name": "x", "openedAt": "2999-01-01T00:00:00Z"}, "openedAt", "INVALID"),
    ):
        data = await api.admin(CREATE, {"i": {"customerId": customer["id"], **fields}})
        assert [(e["field"], e["code"]) for e in data["createOpportunity"]["errors"]] == [(field, code)], fields
    assert (await api.admin("{ opportunities { totalCount } }"))["opportunities"]["totalCount"] == 0


async def test_reps_see_their_own_deals_and_the_customer_view_shows_sales(make_app):
    api = await make_app(plugins=["sales"])
    _, rep = await api.as_user("sales_rep")
    _, other = await api.as_user("sales_rep")
    mine = await api.create_customer(rep, name="Mine")
    await open_deal(api, mine["id"], rep, name="Rep deal", amount="100")
    theirs = await api.create_customer(other, name="Theirs")
    await open_deal(api, theirs["id"], other, name="Other deal", amount="200")
    listed = await api.gql("{ opportunities { totalCount edges { node { name } } } }", token=rep)
    assert listed["opportunities"]["totalCount"] == 1 and listed["opportunities"]["edges"][0]["node"]["name"] == "Rep deal"
    refused = await api.gql(CREATE, {"i": {"customerId": theirs["id"], "name": "Sneaky"}}, rep)
    assert refused["createOpportunity"]["errors"][0]["code"] == "NOT_FOUND"

    s = await stages(api)
    deal = await open_deal(api, mine["id"], amount="900", name="Big one")
    await step(api, WIN, "winOpportunity", id=deal["id"], version=deal["version"])
    view = await api.admin("""query($id: ID!) { customer(id: $id) {
        opportunities { totalCount edges { node { name status } } }
        summary { openOpportunityCount openPipelineValue lifetimeRevenue }
        timeline(kinds: ["opportunity_won"]) { edges { node { kind title } } } } }""", {"id": mine["id"]})
    c = view["customer"]
    assert c["opportunities"]["totalCount"] == 2
    assert c["summary"] == {"openOpportunityCount": 1, "openPipelineValue": "100.00", "lifetimeRevenue": "900.00"}
    assert c["timeline"]["edges"] == [{"node": {"kind": "opportunity_won", "title": "Big one"}}]
    assert s  # stages exist for the default pipeline

    # Merging customers moves their opportunities.
    merged = await api.admin("""mutation($i: MergeCustomersInput!) { mergeCustomers(input: $i) { changes { what count } errors { code } } }""",
                             {"i": {"targetId": theirs["id"], "sourceIds": [mine["id"]]}})
    assert {"what": "moved opportunities", "count": 2} in merged["mergeCustomers"]["changes"]
    after = await api.admin('query($id: ID!) { customer(id: $id) { opportunities { totalCount } } }', {"id": theirs["id"]})
    assert after["customer"]["opportunities"]["totalCount"] == 3


async def test_pipelines_are_edited_by_admins(make_app):
    api = await make_app(plugins=["sales"])
    create = """mutation($i: CreatePipelineInput!) { createPipeline(input: $i) { pipeline { id version stages { id name } } errors { field code } } }"""
    renewals = {"name": "Renewals", "stages": [{"name": "Due", "probability": 60}, {"name": "Renewed", "probability": 100, "kind": "WON"},
                                               {"name": "Churned", "probability": 0, "kind": "LOST"}]}
    made = (await api.admin(create, {"i": renewals}))["createPipeline"]
    assert made["errors"] == [] and [s["name"] for s in made["pipeline"]["stages"]] == ["Due", "Renewed", "Churned"]
    bad = await api.admin(create, {"i": {"name": "Broken", "stages": [{"name": "Only", "probability": 10}]}})
    assert bad["createPipeline"]["errors"] == [{"field": "stages", "code": "INVALID"}]
    customer = await api.create_customer()
    due = made["pipeline"]["stages"][0]["id"]
    await open_deal(api, customer["id"], pipelineId=made["pipeline"]["id"])
    update = """mutation($i: UpdatePipelineInput!) { updatePipeline(input: $i) { pipeline { stages { name } } errors { field code } } }"""
    keep_used = await api.admin(update, {"i": {"id": made["pipeline"]["id"], "version": made["pipeline"]["version"], "stages": [
        {"name": "Early", "probability": 20}, {"name": "Renewed", "probability": 100, "kind": "WON"},
        {"name": "Churned", "probability": 0, "kind": "LOST"}]}})  # leaves out "Due", where a deal is
    assert keep_used["updatePipeline"]["errors"][0]["code"] == "IN_USE"
    edited = await api.admin(update, {"i": {"id": made["pipeline"]["id"], "version": made["pipeline"]["version"], "stages": [
        {"name": "Early", "probability": 20}, {"id": due, "name": "Due soon", "probability": 60},
        {"name": "Renewed", "probability": 100, "kind": "WON"}, {"name": "Churned", "probability": 0, "kind": "LOST"}]}})
    assert [s["name"] for s in edited["updatePipeline"]["pipeline"]["stages"]] == ["Early", "Due soon", "Renewed", "Churned"]
    _, rep = await api.as_user("sales_rep")
    refused = await api.gql(create, {"i": renewals}, rep, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_stage_visits_follow_their_deals_owner_and_deletion(make_app):
    """Sales' ChangeRule: the visits (which the funnel scans alone) carry the deal's owner and deletion, whichever
    mutation changed them, and a refused change leaves them as they were."""
    from sqlalchemy import select

    from crm.plugins.sales.models import StageVisit

    api = await make_app(plugins=["sales"])
    s = await stages(api)
    rep = await api.create_user("sales_rep")
    customer = await api.create_customer()
    opp = await open_deal(api, customer["id"])
    moved = await step(api, MOVE, "moveOpportunity", id=opp["id"], stageId=s["Proposal"], version=opp["version"])

    async def visits():
        async with api.runtime.db.read() as session:
            rows = (await session.execute(select(StageVisit.owner_id, StageVisit.deleted_at)
                                          .where(StageVisit.opportunity_id == parse_id(opp["id"])))).all()
        return {(global_id("User", owner), deleted is not None) for owner, deleted in rows}

    update = """mutation($i: UpdateOpportunityInput!) { updateOpportunity(input: $i) { opportunity { version } errors { code } } }"""
    given = await api.admin(update, {"i": {"id": opp["id"], "version": moved["version"], "ownerId": rep["id"]}})
    assert given["updateOpportunity"]["errors"] == []
    assert await visits() == {(rep["id"], False)}
    refused = await api.admin(update, {"i": {"id": opp["id"], "version": given["updateOpportunity"]["opportunity"]["version"],
                                             "ownerId": rep["id"], "amount": "-5"}})
    assert refused["updateOpportunity"]["errors"] == [{"code": "INVALID"}]
    deleted = await api.admin("mutation($i: IdInput!) { deleteOpportunity(input: $i) { errors { code } } }", {"i": {"id": opp["id"]}})
    assert deleted["deleteOpportunity"]["errors"] == []
    assert await visits() == {(rep["id"], True)}
    restored = await api.admin("mutation($i: IdInput!) { restoreOpportunity(input: $i) { errors { code } } }", {"i": {"id": opp["id"]}})
    assert restored["restoreOpportunity"]["errors"] == []
    assert await visits() == {(rep["id"], False)}


async def test_filters_a_manager_needs(make_app):
    api = await make_app(plugins=["sales"])
    customer = await api.create_customer()
    await open_deal(api, customer["id"], name="Small", amount="100", source="Web", campaign="Spring 26", expectedCloseDate="2026-03-10")
    big = await open_deal(api, customer["id"], name="Big", amount="5000", source="referral", expectedCloseDate="2026-06-10",
                          openedAt="2026-01-05T09:00:00Z")
    await step(api, WIN, "winOpportunity", id=big["id"], version=big["version"], closedAt="2026-02-14T23:30:00Z")
    query = "query($f: OpportunityFilter) { opportunities(filter: $f) { edges { node { name } } } }"

    async def names(**f):
        return sorted(e["node"]["name"] for e in (await api.admin(query, {"f": f}))["opportunities"]["edges"])

    assert await names(source="WEB") == ["Small"] and await names(campaign=" spring 26 ") == ["Small"]
    assert await names(amountMin="1000") == ["Big"] and await names(amountMax="100") == ["Small"]
    assert await names(closedFrom="2026-02-14", closedTo="2026-02-14") == ["Big"]  # the whole day, in UTC
    assert await names(closedFrom="2026-02-15") == []
    assert await names(expectedCloseFrom="2026-03-01", expectedCloseTo="2026-03-31") == ["Small"]
    assert await names(closeFrom="2026-06-01") == ["Big"]  # the deprecated name still filters the expected close date
