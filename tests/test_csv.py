"""CSV import (GraphQL and `crm import customers`) and export, with bad rows, duplicates and custom fields."""

import csv
import io

from typer.testing import CliRunner

IMPORT = """mutation($i: ImportCustomersInput!) { importCustomers(input: $i) {
  imported rejected { row errors { field code message } } errors { field code message } } }"""

FILE = """Company,Email,Phone,Tags,Stage,Tier,Owner
Alpha AG,info@alpha.example,+49 30 1234567,vip;north,customer,gold,
Beta Ltd,not-an-email,,,,silver,
,nobody@example.com,,,,,
Gamma Inc,INFO@alpha.example,,,,,
Delta SA,delta@example.com,,,,bronze,
Epsilon,eps@example.com,,,,,ghost@example.com
Zeta,zeta@example.com,,,,,{rep}
"""


async def test_import_reports_bad_rows_and_imports_the_rest(make_app):
    api = await make_app()
    await api.admin('mutation { defineCustomField(input: {entity: "customer", key: "tier", label: "Tier", type: CHOICE, choices: ["gold", "silver"]}) { errors { code } } }')
    rep, rep_token = await api.as_user("sales_rep")
    text = FILE.format(rep=rep["email"])
    variables = {"i": {"csv": text, "mapping": [{"column": "Tier", "field": "custom:tier"}], "dryRun": True}}
    dry = (await api.admin(IMPORT, variables))["importCustomers"]
    assert dry["imported"] == 2 and (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 0

    variables["i"]["dryRun"] = False
    done = (await api.admin(IMPORT, variables))["importCustomers"]
    assert done["imported"] == 2 and done["errors"] == []
    reasons = {r["row"]: [(e["field"], e["code"]) for e in r["errors"]] for r in done["rejected"]}
    assert reasons == {
        3: [("emails.0.value", "INVALID")], 4: [("name", "REQUIRED")], 5: [("emails", "DUPLICATE")],
        6: [("customFields.tier", "INVALID")], 7: [("owner_email", "NOT_FOUND")],
    }
    listed = await api.admin("{ customers { edges { node { name tags lifecycleStage owner { email } emails { value } customFields { key choices } } } } }")
    by_name = {e["node"]["name"]: e["node"] for e in listed["customers"]["edges"]}
    assert set(by_name) == {"Alpha AG", "Zeta"}
    assert by_name["Alpha AG"]["tags"] == ["north", "vip"] and by_name["Alpha AG"]["lifecycleStage"] == "CUSTOMER"
    assert by_name["Alpha AG"]["customFields"] == [{"key": "tier", "choices": ["gold"]}]
    assert by_name["Zeta"]["owner"]["email"] == rep["email"]

    # Importing the same file again: every good row is now a duplicate of what is there.
    again = (await api.admin(IMPORT, variables))["importCustomers"]
    assert again["imported"] == 0 and {r["row"] for r in again["rejected"]} >= {2, 8}

    # A rep can import, but cannot give rows to someone else's scope; a viewer cannot import at all.
    _, viewer = await api.as_user("viewer")
    refused = await api.gql(IMPORT, variables, viewer, expect_errors=True)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    bad_map = (await api.gql(IMPORT, {"i": {"csv": "Foo\nx\n", "mapping": [{"column": "Bar", "field": "nope"}]}}, rep_token))["importCustomers"]
    assert {e["code"] for e in bad_map["errors"]} == {"INVALID", "REQUIRED"}


async def test_export_follows_filter_and_scope(make_app):
    api = await make_app()
    rep_user, rep = await api.as_user("sales_rep")
    await api.create_customer(name="Visible, Inc.", tags=["vip"], emails=[{"value": "a@v.example"}, {"value": "b@v.example"}])
    await api.create_customer(name="Plain")
    await api.create_customer(rep, name="Rep's own", tags=["vip"])
    data = await api.admin('{ exportCustomers(filter: {tags: ["vip"]}) { rowCount truncated csv } }')
    export = data["exportCustomers"]
    rows = list(csv.DictReader(io.StringIO(export["csv"])))
    assert export["rowCount"] == 2 and not export["truncated"]
    assert [r["name"] for r in rows] == ["Visible, Inc.", "Rep's own"]
    assert rows[0]["emails"] == "a@v.example;b@v.example" and rows[0]["owner_email"] == "admin@example.com"
    mine = await api.gql("{ exportCustomers { rowCount csv } }", token=rep)
    assert mine["exportCustomers"]["rowCount"] == 1

    # What was exported imports again (into a fresh database) as the same customers.
    other = await make_app()
    await other.create_user("sales_rep", email=rep_user["email"])
    back = (await other.admin(IMPORT, {"i": {"csv": export["csv"]}}))["importCustomers"]
    assert back["rejected"] == [] and back["imported"] == 2


def test_cli_import_and_export(tmp_path, monkeypatch):
    from crm.cli import _add_plugin_commands, cli

    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("CRM_PASSWORD_HASH_PROFILE", "CHEAPEST")
    runner = CliRunner()
    assert runner.invoke(cli, ["users", "create-admin", "--email", "boss@example.com", "--password", "long-enough-pass-1"]).exit_code == 0
    _add_plugin_commands()  # what `crm` does at start: modules add their commands through crm_register_commands
    source = tmp_path / "in.csv"
    source.write_text("Name,Email,Region\n" + "".join(f"Customer {i},c{i}@example.com,north\n" for i in range(450)) + "Bad,bad,\n")
    result = runner.invoke(cli, ["import", "customers", str(source), "--as", "boss@example.com", "--map", "Region=region"])
    assert result.exit_code == 2, result.output  # some rows were rejected
    assert "imported 450 customers; rejected 1 rows" in result.output and "row 452" in result.output
    out = tmp_path / "out.csv"
    exported = runner.invoke(cli, ["export", "customers", "--as", "boss@example.com", "--region", "north", "-o", str(out)])
    assert exported.exit_code == 0, exported.output
    assert len(list(csv.DictReader(out.open()))) == 450
    unknown = runner.invoke(cli, ["export", "customers", "--as", "ghost@example.com"])
    assert unknown.exit_code == 1 and "no active user" in unknown.output


def rows(n: int, start: int = 0) -> str:
    return "Company,Email,Tags\n" + "".join(f"Firm {i},firm{i}@example.com,a;b\n" for i in range(start, start + n))


async def test_an_import_costs_statements_per_batch_not_per_row(make_app):
    api = await make_app()
    costs = []
    for n, start in ((20, 0), (400, 1000)):
        before = api.counter.count
        done = (await api.admin(IMPORT, {"i": {"csv": rows(n, start)}}))["importCustomers"]
        assert done["imported"] == n and done["rejected"] == []
        costs.append(api.counter.count - before)
    assert costs[1] <= costs[0] + 2, costs  # twenty times the rows, the same statements
    listed = await api.admin('{ customers(filter: {search: "Firm 1399"}) { edges { node { name tags emails { value } } } } }')
    assert listed["customers"]["edges"] == [{"node": {"name": "Firm 1399", "tags": ["a", "b"], "emails": [{"value": "firm1399@example.com"}]}}]


async def test_rows_per_request_are_capped_and_a_plugin_refusal_rejects_one_row(make_app):
    api = await make_app(plugins=["example"], import_max_rows=50)
    capped = (await api.admin(IMPORT, {"i": {"csv": rows(51)}}))["importCustomers"]
    assert capped["imported"] == 0 and capped["errors"][0]["code"] == "TOO_LARGE"
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 0
    text = rows(10) + "Refused by example,refused@example.com,\n" + rows(5, 100).split("\n", 1)[1]
    done = (await api.admin(IMPORT, {"i": {"csv": text}}))["importCustomers"]
    assert done["imported"] == 15
    assert [(r["row"], r["errors"][0]["code"]) for r in done["rejected"]] == [(12, "INVALID")]
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 15


async def test_every_problem_of_a_row_is_reported_at_once(make_app):
    api = await make_app()
    text = "Company,Kind,Email,Website,Owner\n,robot,not-an-email,javascript:alert(1),ghost@example.com\n"
    done = (await api.admin(IMPORT, {"i": {"csv": text}}))["importCustomers"]
    assert done["imported"] == 0
    assert sorted((e["field"], e["code"]) for e in done["rejected"][0]["errors"]) == [
        ("emails.0.value", "INVALID"), ("kind", "INVALID"), ("name", "REQUIRED"), ("owner_email", "NOT_FOUND"), ("website", "INVALID")]
    form = await api.admin("mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } errors { field code } } }",
                           {"i": {"kind": "COMPANY", "name": " ", "website": "data:x"}})
    assert sorted((e["field"], e["code"]) for e in form["createCustomer"]["errors"]) == [("name", "REQUIRED"), ("website", "INVALID")]
    # A closed set is an enum: a value outside it is refused before the mutation runs, with a code, and nothing is made.
    stage = await api.gql("mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { customer { id } } }",
                          {"i": {"kind": "COMPANY", "name": "Gamma", "lifecycleStage": "nope"}}, api.admin_token, expect_errors=True)
    assert stage["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT" and "LifecycleStage" in stage["errors"][0]["message"]
    assert (await api.admin("{ customers { totalCount } }"))["customers"]["totalCount"] == 0


def test_files_as_excel_saves_them(tmp_path, monkeypatch):
    """cp1252 with semicolons and a cell over two lines, as Excel on a German Windows saves it; every rejected row in the
    report file, however many; an export Excel opens with its accents."""
    from crm.cli import _add_plugin_commands, cli

    monkeypatch.setenv("CRM_DATABASE_URL", f"sqlite:///{tmp_path / 'excel.db'}")
    monkeypatch.setenv("CRM_PASSWORD_HASH_PROFILE", "CHEAPEST")
    runner = CliRunner()
    assert runner.invoke(cli, ["users", "create-admin", "--email", "boss@example.com", "--password", "long-enough-pass-1"]).exit_code == 0
    _add_plugin_commands()
    source = tmp_path / "kunden.csv"
    text = 'Name;Email;Notes\r\nMüller Straße GmbH;info@mueller.example;"Erste Zeile\r\nzweite Zeile"\r\nCafé Zoë;zoe@cafe.example;\r\n'
    text += "".join(f"Bad {i};not-an-address-{i};\r\n" for i in range(250))
    source.write_bytes(text.encode("cp1252"))
    result = runner.invoke(cli, ["import", "customers", str(source), "--as", "boss@example.com"])
    output = " ".join(result.output.split())
    assert result.exit_code == 2 and "kunden.csv is in cp125" in output, result.output  # cp1250 and cp1252 agree on these letters
    assert "imported 2 customers; rejected 250 rows" in output and "the other 50 and all rejected rows" in output
    report = list(csv.DictReader((tmp_path / "kunden.rejected.csv").open(encoding="utf-8")))
    assert len(report) == 250 and report[0] == {"row": "4", "field": "emails.0.value", "code": "INVALID",
                                                "message": "'not-an-address-0' is not an email address"}
    out = tmp_path / "out.csv"
    assert runner.invoke(cli, ["export", "customers", "--as", "boss@example.com", "--excel", "-o", str(out)]).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    exported = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert {r["name"] for r in exported} == {"Müller Straße GmbH", "Café Zoë"}
    assert next(r for r in exported if r["name"].startswith("Müller"))["notes"].splitlines() == ["Erste Zeile", "zweite Zeile"]


async def test_the_api_reads_semicolons_and_exports_for_excel(make_app):
    api = await make_app()
    done = (await api.admin(IMPORT, {"i": {"csv": "Name;Email;Region\nÅsa AB;asa@example.se;north\n"}}))["importCustomers"]
    assert done["imported"] == 1 and done["rejected"] == []
    exported = await api.admin('{ exportCustomers(excel: true) { csv } plain: exportCustomers { csv } }')
    assert exported["exportCustomers"]["csv"].startswith("\ufeffid,") and exported["plain"]["csv"].startswith("id,")
    assert "Åsa AB" in exported["exportCustomers"]["csv"]


async def test_an_export_edited_and_imported_again_updates_by_id_or_email(make_app):
    api = await make_app()
    _, rep = await api.as_user("sales_rep")
    mine = await api.create_customer(token=rep, name="Mine Ltd", emails=[{"value": "hello@mine.example"}], region="north")
    theirs = await api.create_customer(name="Theirs Ltd", emails=[{"value": "hello@theirs.example"}])
    exported = (await api.gql("{ exportCustomers { csv } }", token=rep))["exportCustomers"]["csv"]
    header, row = exported.splitlines()[:2]
    assert header.split(",")[-1] == "version" and row.split(",")[0] == mine["id"]
    # Edited in a spreadsheet: a new region and tags, the name cell left empty (kept); one new row, one of another rep's.
    edited = ("id,version,name,region,tags,emails\n"
              f"{mine['id']},1,,south,vip;renewal,\n"
              ",,New Co,east,,new@new.example\n"
              f"{theirs['id']},1,Hijacked,,,\n")
    done = (await api.gql(IMPORT.replace("imported", "imported updated"), {"i": {"csv": edited, "updateBy": "ID"}}, rep))["importCustomers"]
    assert (done["imported"], done["updated"]) == (1, 1)
    assert done["rejected"] == [{"row": 4, "errors": [{"field": "id", "code": "NOT_FOUND", "message": "customer not found"}]}]
    after = (await api.admin("query($i: ID!) { customer(id: $i) { name region tags version } }", {"i": mine["id"]}))["customer"]
    assert after == {"name": "Mine Ltd", "region": "south", "tags": ["renewal", "vip"], "version": 2}
    stale = (await api.gql(IMPORT, {"i": {"csv": f"id,version,region\n{mine['id']},1,west\n", "updateBy": "ID"}}, rep))["importCustomers"]
    assert stale["rejected"][0]["errors"][0]["code"] == "CONFLICT"  # changed since that export
    by_email = (await api.gql(IMPORT.replace("imported", "imported updated"), {"i": {
        "csv": "Name,Email,Industry\n,HELLO@mine.example,retail\n", "updateBy": "EMAIL"}}, rep))["importCustomers"]
    assert (by_email["imported"], by_email["updated"], by_email["rejected"]) == (0, 1, [])
    assert (await api.admin("query($i: ID!) { customer(id: $i) { industry } }", {"i": mine["id"]}))["customer"]["industry"] == "retail"
    no_key = (await api.gql(IMPORT, {"i": {"csv": "Name,Region\nX,north\n", "updateBy": "ID"}}, rep))["importCustomers"]
    assert no_key["errors"] == [{"field": "updateBy", "code": "REQUIRED", "message": "updating by id needs a column mapped to id"}]
    audit = await api.admin("""query($r: ID) { auditLog(first: 10, filter: {resource: "customer", recordId: $r}) {
      edges { node { action changes { field } } } } }""", {"r": mine["id"]})
    assert [e["node"]["action"] for e in audit["auditLog"]["edges"]].count("update") == 2
