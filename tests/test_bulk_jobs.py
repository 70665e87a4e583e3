"""Bulk work on customers through one request: the records are fixed when it starts, among those the caller may
change; progress is polled; each change is audited once; a restart resumes after the last committed batch; a
record gone meanwhile is reported, not changed."""

import asyncio

from sqlalchemy import func, select
from crm import parse_id

START = """mutation($i: BulkUpdateCustomersInput!) { bulkUpdateCustomers(input: $i) {
  job { id total status } errors { field code message } } }"""
JOB = """query($id: ID!) { bulkJob(id: $id) { status total done failed errors { recordId message } startedBy { email } } }"""
CUSTOMER = """query($id: ID!) { customer(id: $id) { tags version owner { id } } }"""


async def finished(api, job_id, token=None, timeout=600.0) -> dict:
    """Poll the job as a front-end would until it is over."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        job = (await api.gql(JOB, {"id": job_id}, token or api.admin_token))["bulkJob"]
        if job["status"] in ("DONE", "CANCELLED", "FAILED"):
            return job
        assert loop.time() < deadline, job
        await asyncio.sleep(0.05)


async def test_tags_an_owner_and_a_task_for_every_customer_a_filter_finds(make_app):
    api = await make_app()
    rep, rep_token = await api.as_user("sales_rep")
    other, other_token = await api.as_user("sales_rep")
    mine = [await api.create_customer(rep_token, name=f"Mine {i}", tags=["lost-q3", "old"]) for i in range(3)]
    theirs = await api.create_customer(other_token, name="Theirs", tags=["lost-q3"])
    untagged = await api.create_customer(rep_token, name="Untagged")
    started = (await api.gql(START, {"i": {"filter": {"tags": ["lost-q3"]}, "addTags": ["Win-back"], "removeTags": ["old"],
                                            "task": {"subject": "Call about the lost deal", "dueAt": "2027-01-15T09:00:00+00:00"}}},
                             rep_token))["bulkUpdateCustomers"]
    assert started["errors"] == [] and started["job"]["total"] == 3  # the colleague's customer is not the rep's to change
    job = await finished(api, started["job"]["id"], rep_token)
    assert job == {"status": "DONE", "total": 3, "done": 3, "failed": 0, "errors": [], "startedBy": {"email": rep["email"]}}
    for c in mine:
        after = (await api.gql(CUSTOMER, {"id": c["id"]}, rep_token))["customer"]
        assert after["tags"] == ["lost-q3", "win-back"] and after["version"] == 2  # one step
    assert (await api.gql(CUSTOMER, {"id": theirs["id"]}, other_token))["customer"]["tags"] == ["lost-q3"]
    assert (await api.gql(CUSTOMER, {"id": untagged["id"]}, rep_token))["customer"]["version"] == 1
    tasks = await api.gql("""query { myTasks { edges { node { subject dueAt customer { name } } } } }""", token=rep_token)
    assert sorted(t["node"]["customer"]["name"] for t in tasks["myTasks"]["edges"]) == ["Mine 0", "Mine 1", "Mine 2"]
    audit = await api.admin("""query($id: ID!) { auditLog(filter: {resource: "customer", recordId: $id}) {
      edges { node { action changes { field old new } actor { email } } } } }""", {"id": mine[0]["id"]})
    entries = [e["node"] for e in audit["auditLog"]["edges"]]
    assert [e["action"] for e in entries] == ["update", "create"]
    assert entries[0]["changes"] == [{"field": "tags", "old": ["lost-q3", "old"], "new": ["lost-q3", "win-back"]}]
    assert entries[0]["actor"] == {"email": rep["email"]}
    # Handing them over: a transfer each, to a user within the caller's reach only.
    admin_id = (await api.admin("{ me { id } }"))["me"]["id"]
    refused = (await api.gql(START, {"i": {"filter": {"tags": ["win-back"]}, "ownerId": admin_id}}, rep_token))["bulkUpdateCustomers"]
    assert refused["errors"][0]["field"] == "ownerId" and refused["job"] is None
    moved = (await api.admin(START, {"i": {"filter": {"tags": ["win-back"]}, "ownerId": other["id"]}}))["bulkUpdateCustomers"]
    assert (await finished(api, moved["job"]["id"]))["done"] == 3
    assert (await api.gql(CUSTOMER, {"id": mine[1]["id"]}, other_token))["customer"]["owner"] == {"id": other["id"]}


async def test_bad_requests_change_nothing(make_app):
    api = await make_app()
    _, viewer = await api.as_user("viewer")
    await api.create_customer(name="Acme")
    for variables, field, code in (
        ({"filter": {}}, None, "REQUIRED"),
        ({"filter": {}, "addTags": ["a"], "removeTags": ["A"]}, "removeTags", "INVALID"),
        ({"filter": {}, "task": {"subject": "  "}}, "task.subject", "REQUIRED"),
        ({"filter": {}, "task": {"subject": "x", "assigneeId": "999"}}, "task.assigneeId", "NOT_FOUND"),
    ):
        answer = (await api.admin(START, {"i": variables}))["bulkUpdateCustomers"]
        assert [(e["field"], e["code"]) for e in answer["errors"]] == [(field, code)], variables
    denied = await api.gql(START, {"i": {"filter": {}, "addTags": ["a"]}}, viewer, expect_errors=True)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await api.admin("{ bulkJobs { totalCount } }"))["bulkJobs"]["totalCount"] == 0


async def test_a_restart_resumes_after_the_last_batch_and_gone_records_are_reported(make_app, monkeypatch):
    from crm.bulk import runner
    from crm.bulk.models import BulkJob
    from crm.customers.models import Customer, CustomerTag
    from crm.audit.models import AuditEntry

    api = await make_app()
    made = [await api.create_customer(name=f"C{i}", tags=["batch"]) for i in range(7)]
    admin_id = parse_id((await api.admin("{ me { id } }"))["me"]["id"])
    monkeypatch.setattr(runner, "BATCH", 3)
    async with api.runtime.db.write() as session:  # started as the mutation starts it, but no worker takes it yet
        job = await runner.start(session, api.runtime, "customers.update", admin_id,
                                 select(Customer.id).where(Customer.id.in_([parse_id(c["id"]) for c in made])), {"addTags": ["done"]})
    job_id = job.id
    await runner.work_on(api.runtime, job_id, max_batches=1)  # then the worker dies
    await api.gql("mutation($i: IdInput!) { deleteCustomer(input: $i) { errors { code } } }", {"i": {"id": made[6]["id"]}}, api.admin_token)
    progress = (await api.admin(JOB, {"id": str(job_id)}))["bulkJob"]
    assert (progress["status"], progress["done"], progress["total"]) == ("RUNNING", 3, 7)
    await runner.resume(api.runtime)  # the scheduled job of another worker, after the restart
    job = await finished(api, str(job_id))
    assert (job["done"], job["failed"]) == (6, 1)
    assert job["errors"] == [{"recordId": made[6]["id"], "message": "deleted, or no longer yours to change"}]
    async with api.runtime.db.read() as session:
        tagged = await session.scalar(select(func.count()).select_from(CustomerTag).where(CustomerTag.tag == "done"))
        entries = await session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.resource == "customer", AuditEntry.action == "update"))
        lease = await session.scalar(select(BulkJob.locked_until).where(BulkJob.id == job_id))
    assert (tagged, entries, lease) == (6, 6, None)  # each once: a batch commits with the items it did


async def test_a_cancelled_job_stops_between_batches(make_app, monkeypatch):
    from crm.bulk import runner

    api = await make_app()
    for i in range(5):
        await api.create_customer(name=f"C{i}")
    monkeypatch.setattr(runner, "BATCH", 2)
    monkeypatch.setattr(api.runtime, "spawn", lambda work: work.close())  # no worker starts it: we cancel first
    started = (await api.admin(START, {"i": {"filter": {}, "addTags": ["x"]}}))["bulkUpdateCustomers"]["job"]
    cancel = "mutation($i: IdInput!) { cancelBulkJob(input: $i) { job { status } errors { code } } }"
    assert (await api.admin(cancel, {"i": {"id": started["id"]}}))["cancelBulkJob"] == {"job": {"status": "CANCELLED"}, "errors": []}
    await runner.resume(api.runtime)
    job = (await api.admin(JOB, {"id": started["id"]}))["bulkJob"]
    assert (job["status"], job["done"]) == ("CANCELLED", 0)
    assert (await api.admin(cancel, {"i": {"id": started["id"]}}))["cancelBulkJob"]["errors"] == [{"code": "INVALID"}]
