"""Files attached to records, the core's mechanism, with contracts as the first user: versions, limits, permissions,
soft delete, and the same through an S3-compatible backend (moto's local S3 server)."""

import hashlib

import pytest

CREATE = """mutation($i: CreateContractInput!) { createContract(input: $i) { contract { id } errors { code } } }"""
FILES = """query($i: ID!) { attachments(recordType: "contract", recordId: $i) { id name latest downloadPath
  versions { number size sha256 contentType downloadPath } } }"""
PDF = b"%PDF-1.7\n" + b"signed contract " * 20


async def contract_of(api, token):
    customer = await api.create_customer(token=token, name="Client")
    made = await api.gql(CREATE, {"i": {"customerId": customer["id"], "title": "Support"}}, token)
    return made["createContract"]["contract"]["id"]


def put(api, token, path, body, content_type="application/pdf"):
    headers = {"Content-Type": content_type, **({"Authorization": f"Bearer {token}"} if token else {})}
    return api.client.put(path, content=body, headers=headers)


async def test_versions_limits_permissions_and_soft_delete(make_app, tmp_path):
    api = await make_app(plugins=["contracts"], storage_url=f"file:{tmp_path / 'files'}", max_upload_bytes=2000)
    _, rep = await api.as_user("sales_rep")
    _, colleague = await api.as_user("sales_rep")
    _, viewer = await api.as_user("viewer")
    cid = await contract_of(api, rep)

    first = await put(api, rep, f"/files/contract/{cid}/Signed contract.pdf", PDF)
    assert first.status_code == 201, first.text
    assert first.json() == {"id": first.json()["id"], "name": "Signed contract.pdf", "version": 1, "size": len(PDF),
                            "sha256": hashlib.sha256(PDF).hexdigest(), "contentType": "application/pdf"}
    second = await put(api, rep, f"/files/contract/{cid}/Signed contract.pdf", PDF + b"v2")
    assert second.json()["version"] == 2 and second.json()["id"] == first.json()["id"]
    listed = (await api.gql(FILES, {"i": cid}, rep))["attachments"]
    assert [(f["name"], f["latest"]) for f in listed] == [("Signed contract.pdf", 2)]
    assert [v["number"] for v in listed[0]["versions"]] == [2, 1]

    latest = await api.client.get(listed[0]["downloadPath"], headers={"Authorization": f"Bearer {viewer}"})
    assert latest.status_code == 200 and latest.content == PDF + b"v2" and latest.headers["content-type"] == "application/pdf"
    assert latest.headers["content-disposition"] == "attachment; filename*=UTF-8''Signed%20contract.pdf"
    older = await api.client.get(listed[0]["versions"][1]["downloadPath"], headers={"Authorization": f"Bearer {rep}"})
    assert older.content == PDF

    assert (await api.client.get(listed[0]["downloadPath"], headers={"Authorization": f"Bearer {colleague}"})).status_code == 404
    assert (await api.client.get(listed[0]["downloadPath"])).status_code == 401
    assert (await put(api, colleague, f"/files/contract/{cid}/x.pdf", PDF)).status_code == 404  # not theirs
    assert (await put(api, viewer, f"/files/contract/{cid}/x.pdf", PDF)).status_code == 404  # reads, does not write
    assert (await put(api, rep, f"/files/contract/{cid}/run.exe", b"MZ", "application/x-msdownload")).status_code == 415
    assert (await put(api, rep, f"/files/contract/{cid}/big.pdf", b"x" * 2001)).status_code == 413
    assert (await put(api, rep, f"/files/customer/{cid}/x.pdf", PDF)).status_code == 404  # customers take no files
    assert (await put(api, rep, f"/files/contract/{cid}/..%5Cetc", PDF)).status_code == 400
    assert len([p for p in (tmp_path / "files").rglob("*") if p.is_file()]) == 2  # refused uploads left nothing behind
    assert (await api.gql(FILES, {"i": cid}, colleague))["attachments"] == []

    role = await api.admin("""mutation { createRole(input: {name: "no documents", grants: [{resource: "contract", action: READ, scope: ALL},
        {resource: "customer", action: READ, scope: ALL}]}) { role { id } errors { code } } }""")
    assert role["createRole"]["errors"] == []
    _, clerk = await api.as_user("no documents")
    assert (await api.gql("query($i: ID!) { contract(id: $i) { id } }", {"i": cid}, clerk))["contract"] == {"id": cid}
    assert (await api.client.get(listed[0]["downloadPath"], headers={"Authorization": f"Bearer {clerk}"})).status_code == 404  # no document grant

    gone = await api.gql("mutation($i: IdInput!) { deleteAttachment(input: $i) { errors { code } } }", {"i": {"id": listed[0]["id"]}}, rep)
    assert gone["deleteAttachment"]["errors"] == []
    assert (await api.gql(FILES, {"i": cid}, rep))["attachments"] == []
    assert (await api.client.get(listed[0]["downloadPath"], headers={"Authorization": f"Bearer {rep}"})).status_code == 404
    back = await api.gql("mutation($i: IdInput!) { restoreAttachment(input: $i) { attachment { latest } errors { code } } }",
                         {"i": {"id": listed[0]["id"]}}, rep)
    assert back["restoreAttachment"]["attachment"] == {"latest": 2}
    audit = await api.admin("""query($r: ID) { auditLog(filter: {resource: "contract", recordId: $r}) { edges { node { changes { field new } } } } }""",
                            {"r": cid})
    assert {"field": "attachment", "new": f"Signed contract.pdf (version 2, {len(PDF) + 2} bytes)"} in [
        c for e in audit["auditLog"]["edges"] for c in e["node"]["changes"]]


@pytest.fixture
def s3(monkeypatch):
    from moto.server import ThreadedMotoServer

    from crm.testing import free_port

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"), ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    import boto3

    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="crm-files")
    yield endpoint
    server.stop()


async def test_the_same_through_an_s3_compatible_backend(make_app, s3):
    api = await make_app(plugins=["contracts"], storage_url="s3://crm-files/tenant-1", storage_s3_endpoint=s3)
    _, rep = await api.as_user("sales_rep")
    cid = await contract_of(api, rep)
    made = await put(api, rep, f"/files/contract/{cid}/scan.png", b"\x89PNG" + b"0" * 500, "image/png")
    assert made.status_code == 201
    back = await api.client.get(f"/files/{made.json()['id']}", headers={"Authorization": f"Bearer {rep}"})
    assert back.status_code == 200 and back.content == b"\x89PNG" + b"0" * 500
    import boto3

    keys = [o["Key"] for o in boto3.client("s3", endpoint_url=s3).list_objects_v2(Bucket="crm-files")["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("tenant-1/")
