"""RFM segments and churn risk over the activity log, checked against hand-made histories."""

from datetime import UTC, datetime, timedelta

AS_OF = datetime(2026, 6, 30, tzinfo=UTC)
SEGMENTS = """query($at: DateTime) { customerSegments(asOf: $at) { total segments { segment customers share events } } }"""
CHURN = """query($at: DateTime) { churnRisk(asOf: $at) { customer { name } recentEvents expectedEvents drop } }"""


async def history(api, name: str, days_ago: list[int], token=None):
    customer = await api.create_customer(token, name=name)
    for days in days_ago:
        data = await api.gql(
            "mutation($i: LogActivityInput!) { logActivity(input: $i) { errors { code message } } }",
            {"i": {"customerId": customer["id"], "kind": "call", "subject": "call",
                   "occurredAt": (AS_OF - timedelta(days=days)).isoformat()}},
            token or api.admin_token,
        )
        assert data["logActivity"]["errors"] == []
    return customer


async def test_rfm_segments(make_app):
    api = await make_app()
    await history(api, "A recent and frequent", [1] * 8)
    await history(api, "B new", [2])
    await history(api, "C used to be frequent", [300] * 8)
    await history(api, "D rare and old", [340])
    await history(api, "E middling", [100] * 3)
    await history(api, "F silent", [])
    await history(api, "G outside the window", [500])
    data = (await api.admin(SEGMENTS, {"at": AS_OF.isoformat()}))["customerSegments"]
    counts = {s["segment"]: s["customers"] for s in data["segments"]}
    assert data["total"] == 7
    assert counts == {"champions": 1, "loyal": 0, "new": 1, "promising": 1, "at_risk": 1, "hibernating": 1, "inactive": 2}
    assert next(s for s in data["segments"] if s["segment"] == "at_risk")["events"] == 8

    # A rep's numbers cover only their own customers.
    _, rep = await api.as_user("sales_rep")
    await history(api, "Rep's", [5, 6], token=rep)
    mine = (await api.gql(SEGMENTS, {"at": AS_OF.isoformat()}, rep))["customerSegments"]
    assert mine["total"] == 1 and sum(s["customers"] for s in mine["segments"] if s["segment"] != "inactive") == 1


async def test_churn_risk(make_app):
    api = await make_app()
    await history(api, "Gone quiet", [300] * 6)
    await history(api, "Slowing down", [200] * 9 + [10])
    await history(api, "Steady", [200, 150, 100, 50, 20, 10])
    await history(api, "Too few to tell", [200, 10])
    data = (await api.admin(CHURN, {"at": AS_OF.isoformat()}))["churnRisk"]
    assert [(r["customer"]["name"], r["recentEvents"], r["expectedEvents"], r["drop"]) for r in data] == [
        ("Gone quiet", 0, 2.0, 1.0), ("Slowing down", 1, 3.0, 0.6667),
    ]
    bad = await api.gql("{ churnRisk(recentDays: 0) { drop } }", token=api.admin_token, expect_errors=True)
    assert bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
