"""`crm dump` and `crm restore`: a dump of the demo company with every module restored into an empty database has
every row of every table, on the same kind of database and across kinds; bad dumps and non-empty targets are refused."""

import gzip
import json

import pytest
from sqlalchemy import select

from crm import Team
from crm.backup import BackupError, dump, restore
from crm.db import Database
from crm.models import metadata
from crm.plugin_host import installed_plugins
from crm.system.manage import Manager
from crm.testing import create_pg_database, drop_pg_database, settings_for
from world import make_world


async def every_row(db, tables) -> dict[str, list[tuple]]:
    async with db.read() as session:
        return {t.name: [tuple(r) for r in (await session.execute(select(t).order_by(*t.primary_key.columns))).all()] for t in tables}


async def test_a_dump_restores_every_row_of_every_module(database_url, tmp_path):
    async with make_world(database_url) as world:
        customer = await world.post('mutation { createCustomer(input: {kind: COMPANY, name: "Twice"}) { customer { id } } }')
        customer_id = customer.json()["data"]["createCustomer"]["customer"]["id"]
        ticket = "mutation($i: CreateTicketInput!) { createTicket(input: $i) { ticket { id } errors { code message } } }"
        ids = [(await world.post(ticket, {"i": {"customerId": customer_id, "subject": "Printer jam", "channel": "EMAIL"}}))
               .json()["data"]["createTicket"]["ticket"]["id"] for _ in range(2)]
        merged = await world.post("mutation($i: MergeTicketsInput!) { mergeTickets(input: $i) { errors { code message } } }",
                                  {"i": {"targetId": ids[0], "sourceIds": [ids[1]]}})
        assert merged.json()["data"]["mergeTickets"]["errors"] == []  # a row pointing at a row of its own table
        source = world.runtime.db
        installed = installed_plugins()
        path = tmp_path / "crm-dump.jsonl.gz"
        counts = await dump(source, installed, path)
        assert counts["core_customer"] == 121 and counts["service_ticket"] > 0 and counts["contracts_installment"] > 0
        tables = [metadata.tables[name] for name in counts]
        before = await every_row(source, tables)

        targets = [f"sqlite:///{tmp_path / 'restored.db'}"]
        if not database_url.startswith("sqlite"):
            targets.append(await create_pg_database(database_url))  # PostgreSQL to PostgreSQL, and to SQLite
        for url in targets:
            db = Database(settings_for(url).database_url)
            try:
                restored = await restore(db, installed, path)
                assert restored == counts
                after = await every_row(db, tables)
                for name in counts:
                    assert after[name] == before[name], f"{name} differs after restoring into {url.split(':')[0]}"
                await Manager(db, installed).setup()  # what `crm restore` does next: migrate to this release (a no-op here)
                assert (await every_row(db, [metadata.tables["core_customer"]])) == {"core_customer": before["core_customer"]}
                async with db.write() as session:  # new rows get new ids (PostgreSQL's sequences were moved on)
                    session.add(Team(name="Formed after the restore"))
                    await session.flush()
                again = await restore_refusal(db, installed, path)
                assert "not empty" in again
            finally:
                await db.dispose()
                if url.startswith("postgresql"):
                    await drop_pg_database(url)


async def restore_refusal(db, installed, path) -> str:
    with pytest.raises(BackupError) as refused:
        await restore(db, installed, path)
    return str(refused.value)


async def test_damaged_or_foreign_files_are_refused(tmp_path):
    installed = installed_plugins()
    db = Database(settings_for(f"sqlite:///{tmp_path / 'empty.db'}").database_url)
    try:
        foreign = tmp_path / "notes.txt"
        foreign.write_text("hello\n")
        assert "is not a CRM dump" in await restore_refusal(db, installed, foreign)

        cut = tmp_path / "cut.jsonl.gz"
        header = {"format": "crm-dump", "version": 1, "revisions": [], "plugins": {}}
        with gzip.open(cut, "wt") as out:
            out.write(json.dumps(header) + "\n" + json.dumps({"table": "core_team", "columns": ["id", "name"]}) + "\n")
        assert "cut short" in await restore_refusal(db, installed, cut)

        future = tmp_path / "future.jsonl"
        future.write_text(json.dumps({**header, "version": 99}) + "\n")
        assert "format 99" in await restore_refusal(db, installed, future)

        elsewhere = tmp_path / "elsewhere.jsonl"
        elsewhere.write_text(json.dumps({**header, "plugins": {"telepathy": "1.0"}}) + "\n")
        assert "telepathy, which is not installed here" in await restore_refusal(db, installed, elsewhere)
    finally:
        await db.dispose()
