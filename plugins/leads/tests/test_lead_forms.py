"""The public web form: a lead from a site's form with no login, and every kind of abuse answered with a 4xx that
makes nothing."""

from leads_helpers import pool

FORM = """mutation($i: CreateLeadFormInput!) { createLeadForm(input: $i) { form { id key path fields } errors { field code message } } }"""


async def count(api) -> int:
    return (await api.admin("{ leads { totalCount } }"))["leads"]["totalCount"]


async def test_a_site_posts_leads_into_its_pool(make_app):
    api = await make_app(plugins=["leads"])
    pid = await pool(api, name="Inbound")
    spring = await api.admin("""mutation { createCampaign(input: {name: "Spring", channel: WEB}) { campaign { id } } }""")
    spring = spring["createCampaign"]["campaign"]["id"]
    made = await api.admin(FORM, {"i": {"name": "Contact us", "poolId": pid, "campaignId": spring, "redirectUrl": "https://example.com/thanks",
                                        "fields": ["name", "companyName", "email", "phone"]}})
    form = made["createLeadForm"]["form"]
    assert made["createLeadForm"]["errors"] == [] and form["path"] == f"/forms/leads/{form['key']}" and len(form["key"]) >= 30

    browser = await api.client.post(form["path"], content="name=Ada+Byron&companyName=Engines&email=ada%40engines.example&notes=ignored",
                                     headers={"content-type": "application/x-www-form-urlencoded"})
    assert browser.status_code == 303 and browser.headers["location"] == "https://example.com/thanks"
    script = await api.client.post(form["path"], json={"email": "bob@example.com", "phone": "+44 20 7946 0000"})
    assert script.status_code == 201 and script.json() == {"ok": True}
    leads = await api.admin("""{ leads(orderBy: NAME, direction: ASC) { edges { node { name companyName emails phones source campaign
      poolId ownerId notes history { kind actorId } } } } }""")
    nodes = [e["node"] for e in leads["leads"]["edges"]]
    assert nodes[0] == {"name": "Ada Byron", "companyName": "Engines", "emails": ["ada@engines.example"], "phones": [], "source": "web form",
                        "campaign": "Spring", "poolId": pid, "ownerId": None, "notes": None, "history": [{"kind": "CREATED", "actorId": None}]}
    assert nodes[1]["name"] == "bob@example.com" and nodes[1]["phones"] == ["+44 20 7946 0000"]
    stats = await api.admin("query($c: ID!) { campaignStats(campaignId: $c) { leads } }", {"c": spring})
    assert stats["campaignStats"]["leads"] == 2  # the form's leads count for its campaign
    await api.restart(plugins=[])  # the route goes with the plugin
    assert (await api.client.post(form["path"], json={"email": "late@example.com"})).status_code == 404


async def test_abuse_is_refused_and_makes_nothing(make_app):
    api = await make_app(plugins=["leads"])
    pid = await pool(api, name="Inbound")
    form = (await api.admin(FORM, {"i": {"name": "F", "poolId": pid, "perAddressPerHour": 3}}))["createLeadForm"]["form"]
    path = form["path"]
    tries = [
        (await api.client.post("/forms/leads/no-such-key", json={"name": "x"}), 404),
        (await api.client.post(path, content=b"x" * 20_000, headers={"content-type": "application/json"}), 413),
        (await api.client.post(path, content="name=x", headers={"content-type": "text/plain"}), 415),
        (await api.client.post(path, content="{not json", headers={"content-type": "application/json"}), 400),
        (await api.client.post(path, json=["a", "list"]), 400),
        (await api.client.post(path, json={"name": {"nested": 1}}), 400),
        (await api.client.post(path, json={"name": "Ann", "email": "not-an-address"}), 400),
        (await api.client.post(path, json={"name": "N\u0000UL"}), 400),
    ]
    for response, status in tries:
        assert response.status_code == status, (response.status_code, response.text)
        assert response.json()["ok"] is False and response.json()["errors"][0]["code"]
    assert tries[6][0].json()["errors"] == [{"field": "emails.0", "code": "INVALID", "message": "'not-an-address' is not an email address"}]
    bot = await api.client.post(path, json={"name": "Bot", "fax": "buy now"})
    assert bot.status_code == 201  # a filled honeypot looks like success and makes nothing
    assert await count(api) == 0

    answers = [await api.client.post(path, json={"name": f"Real {i}"}) for i in range(2)]
    assert [a.status_code for a in answers] == [201, 429]  # the bad address and the bot counted too
    assert int(answers[1].headers["retry-after"]) > 0 and answers[1].json()["errors"][0]["code"] == "THROTTLED"
    assert await count(api) == 1

    await api.admin("mutation($i: IdInput!) { deleteLeadForm(input: $i) { errors { code } } }", {"i": {"id": form["id"]}})
    assert (await api.client.post(path, json={"name": "Late"})).status_code == 404
    bad = await api.admin(FORM, {"i": {"name": "G", "poolId": pid, "fields": ["colour"], "redirectUrl": "javascript:alert(1)"}})
    assert bad["createLeadForm"]["errors"][0]["field"] == "fields.0"
