"""The case from the issue: the 40,000 customers who lost a deal in the last three months get a tag and a follow-up
task in one request, each change audited once; 10,000 others stay as they were."""

import time
from datetime import timedelta

from sqlalchemy import func, select, text

import crm
from crm.plugins.sales.models import Opportunity, Pipeline, Stage
from crm import parse_id

LOST, WON = 40_000, 10_000
START = """mutation($i: BulkUpdateCustomersInput!) { bulkUpdateCustomers(input: $i) { job { id total } errors { field code } } }"""


async def many_deals(api) -> None:
    """50,000 customers with one closed deal each, written as plain rows (the API would take minutes to make them)."""
    now = crm.utcnow()
    owner = parse_id((await api.admin("{ me { id } }"))["me"]["id"])
    async with api.runtime.db.write() as session:
        pipeline = await session.scalar(select(Pipeline.id).where(Pipeline.is_default.is_(True)))
        stages = dict((await session.execute(select(Stage.kind, Stage.id).where(Stage.pipeline_id == pipeline, Stage.kind != "open"))).all())
        customers = [{"kind": "company", "name": f"Bulk {n}", "search_name": f"bulk {n}", "lifecycle_stage": "customer", "addresses": [],
                      "custom_fields": {}, "created_at": now, "updated_at": now, "owner_id": owner, "version": 1}
                     for n in range(LOST + WON)]
        ids = await crm.insert_rows(session, crm.Customer.__table__, customers)
        deals = []
        for n, customer_id in enumerate(ids):
            kind = "lost" if n < LOST else "won"
            closed = now - timedelta(days=1 + n % 80)
            deals.append({"name": f"Deal {n}", "customer_id": customer_id, "pipeline_id": pipeline, "stage_id": stages[kind], "status": kind,
                          "amount": 1000, "currency": "EUR", "probability": 0 if kind == "lost" else 100, "probability_set": False,
                          "opened_at": closed - timedelta(days=30), "closed_at": closed, "stage_entered_at": closed, "competitors": [],
                          "custom_fields": {}, "lost_reason": "price" if kind == "lost" else None, "created_at": now, "updated_at": now,
                          "owner_id": owner, "version": 1})
        await crm.insert_rows(session, Opportunity.__table__, deals)


async def test_forty_thousand_customers_who_lost_a_deal_get_a_tag_and_a_task(make_app):
    from test_bulk_jobs import finished

    api = await make_app(plugins=["sales"])
    await many_deals(api)
    since = (crm.utcnow() - timedelta(days=91)).date().isoformat()
    began = time.perf_counter()
    started = (await api.admin(START, {"i": {"filter": {"dealLostFrom": since}, "addTags": ["win-back"],
                                             "task": {"subject": "Follow up on the lost deal"}}}))["bulkUpdateCustomers"]
    answered = time.perf_counter() - began
    assert started["errors"] == [] and started["job"]["total"] == LOST
    job = await finished(api, started["job"]["id"])
    print(f"\n40,000 customers: the request answered in {answered:.2f} s, the job was done {time.perf_counter() - began:.1f} s after it")
    assert (job["status"], job["done"], job["failed"]) == ("DONE", LOST, 0)
    async with api.runtime.db.read() as session:
        tagged = await session.scalar(select(func.count()).select_from(crm.CustomerTag).where(crm.CustomerTag.tag == "win-back"))
        tasks = await session.scalar(select(func.count()).select_from(crm.Activity).where(
            crm.Activity.kind == "task", crm.Activity.subject == "Follow up on the lost deal"))
        audited = dict((await session.execute(text(  # the audit table by name: its model is not public
            "SELECT resource, count(*) FROM core_audit_entry WHERE action IN ('update', 'create') "
            "AND resource IN ('customer', 'activity') GROUP BY resource"))).all())
        versions = dict((await session.execute(select(crm.Customer.version, func.count()).group_by(crm.Customer.version))).all())
    assert (tagged, tasks) == (LOST, LOST)
    assert audited == {"customer": LOST, "activity": LOST}
    assert versions == {2: LOST, 1: WON}
