"""`crm dump` and `crm restore`: every row of the core and of every enabled module, as JSON lines, portable between
SQLite and PostgreSQL and between machines.

A dump is one file (gzip-compressed when its name ends in .gz): a header line (format version, the CRM's release and
plugin API, the alembic revisions of the database, the enabled plugins), then for each table a line naming it and its
columns, one line per row (a JSON array, in column order), and a line closing it with its row count. It is written
table by table with streamed reads, so its size is bounded by the disk, not by memory.

Restoring needs an empty database and the same plugins installed: the database is migrated to exactly the dump's
revisions (so the rows fit the tables they came from), the rows are loaded in dependency order (a table's references
to itself are filled in afterwards), PostgreSQL's id sequences are moved past the loaded ids, and then the usual
`crm db upgrade` brings everything to the installed release, carrying the data through the migrations.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, func, select, text, update

from crm.models import metadata
from crm.version import API_VERSION, __version__

FORMAT = "crm-dump"
FORMAT_VERSION = 1
BATCH = 2000


class BackupError(Exception):
    """A dump that cannot be restored here; the message says why and what to do."""


def _open(path: Path, mode: str) -> io.TextIOBase:
    if path.suffix == ".gz":
        return gzip.open(path, mode + "t", encoding="utf-8")
    return open(path, mode, encoding="utf-8")


def _plain(value):
    """A value as JSON: what JSON has no type for is tagged, so that it comes back as it was whatever the column."""
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode()}
    return value


TAGS = {"$datetime": datetime.fromisoformat, "$date": date.fromisoformat, "$decimal": Decimal, "$bytes": base64.b64decode}


def _decoder(column):
    if isinstance(column.type, JSON) or isinstance(getattr(column.type, "impl", None), JSON):
        return None  # a JSON document is stored as it came, tags or not

    def decode(value):
        if isinstance(value, dict) and len(value) == 1:
            (tag, text_value), = value.items()
            if tag in TAGS:
                return TAGS[tag](text_value)
        return value

    return decode


def _tables(plugins: set[str]):
    """The tables of the core and of `plugins`, parents before children."""
    return [t for t in metadata.sorted_tables if t.info.get("plugin", "core") in plugins]


async def _revisions(conn) -> list[str]:
    return sorted(await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads()))


async def _branches(conn, installed: dict) -> set[str]:
    """The plugins whose tables the database has: enabled, or disabled with their data kept."""
    from alembic.script import ScriptDirectory

    from crm.migrate import alembic_config

    heads = await _revisions(conn)
    script = ScriptDirectory.from_config(alembic_config(installed))
    return {label for rev in script.iterate_revisions(heads, "base") for label in rev.branch_labels} if heads else set()


@contextlib.asynccontextmanager
async def _snapshot(db):
    """A read-only connection that sees one moment of the database for the whole dump, while others go on writing:
    a REPEATABLE READ transaction on PostgreSQL, a read transaction on SQLite's write-ahead log."""
    if db.dialect == "postgresql":
        async with db.write_engine.connect() as conn:
            await conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            async with conn.begin():
                yield conn
    else:
        async with db.engine.connect() as conn:
            await conn.exec_driver_sql("BEGIN")
            try:
                yield conn
            finally:
                await conn.exec_driver_sql("COMMIT")


async def dump(db, installed: dict, path: Path, progress=None) -> dict[str, int]:
    """Write every row of the core's tables and of every plugin that has tables here (enabled, or disabled with its
    data kept) to `path`; returns rows per table."""
    import importlib

    counts: dict[str, int] = {}
    async with _snapshot(db) as conn:
        plugins = await _branches(conn, installed)
        for name in sorted(plugins - {"core"}):
            importlib.import_module(installed[name].manifest.hooks)  # its models, for its tables' columns and types
        header = {"format": FORMAT, "version": FORMAT_VERSION, "crm": __version__, "api": API_VERSION,
                  "created_at": datetime.now(UTC).isoformat(), "dialect": db.dialect,
                  "revisions": await _revisions(conn),
                  "plugins": {name: installed[name].manifest.version for name in sorted(plugins - {"core"})}}
        with _open(path, "w") as out:
            out.write(json.dumps(header) + "\n")
            for table in _tables(plugins):
                columns = list(table.columns)
                out.write(json.dumps({"table": table.name, "columns": [c.name for c in columns]}) + "\n")
                count = 0
                stmt = select(*columns).order_by(*table.primary_key.columns)
                result = await conn.stream(stmt.execution_options(yield_per=BATCH))
                async for row in result:
                    out.write(json.dumps([_plain(v) for v in row], ensure_ascii=False) + "\n")
                    count += 1
                out.write(json.dumps({"end": table.name, "rows": count}) + "\n")
                counts[table.name] = count
                if progress:
                    progress(table.name, count)
    return counts


def read_header(path: Path) -> dict:
    with _open(path, "r") as src:
        try:
            header = json.loads(src.readline())
        except ValueError:
            header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a CRM dump (written by `crm dump`)")
    if header.get("version") != FORMAT_VERSION:
        raise BackupError(f"{path} is a dump of format {header.get('version')}; this release reads format {FORMAT_VERSION}")
    return header


def _sections(src) -> Iterator[tuple[str, list[str], Iterator[list]]]:
    """(table, columns, rows) of each table in the dump, rows read lazily."""
    for line in src:
        opening = json.loads(line)
        table, columns = opening["table"], opening["columns"]

        def rows(name=table):
            for row_line in src:
                row = json.loads(row_line)
                if isinstance(row, dict):
                    if row.get("end") != name:
                        raise BackupError(f"the dump is damaged: table {name} is not closed")
                    return
                yield row
            raise BackupError(f"the dump ends inside table {name}: it was cut short")

        yield table, columns, rows()


async def restore(db, installed: dict, path: Path, progress=None) -> dict[str, int]:
    """Load the dump at `path` into `db`, which must have no CRM data yet; returns rows per table. The caller then
    runs `Manager.setup()` (`crm db upgrade`) to bring the schema and data to the installed release."""
    from crm.migrate import alembic_config

    import importlib

    header = read_header(path)
    missing = sorted(set(header["plugins"]) - set(installed))
    if missing:
        raise BackupError(f"the dump holds data of {', '.join(missing)}, which is not installed here: install it first")
    for name in header["plugins"]:
        importlib.import_module(installed[name].manifest.hooks)
    async with db.write_engine.begin() as conn:
        if await _revisions(conn):  # migrated already: fine while nothing was made in it (`crm db upgrade` alone)
            made = await conn.scalar(text("SELECT (SELECT count(*) FROM core_user) + (SELECT count(*) FROM core_customer) + "
                                          "(SELECT count(*) FROM core_plugin WHERE name <> 'core' AND enabled)"))
            if made:
                raise BackupError("the database is not empty: restore into a new, empty database (CRM_DATABASE_URL)")

    counts: dict[str, int] = {}
    async with db.migrating() as conn:  # foreign keys are checked once, at the end, on SQLite too
        def migrate(sync_conn) -> None:
            cfg = alembic_config(installed)
            cfg.attributes["connection"] = sync_conn
            for revision in header["revisions"]:
                command.upgrade(cfg, revision)

        await conn.run_sync(migrate)
        known = {t.name: t for t in metadata.sorted_tables}
        dumped: list = []
        with _open(path, "r") as src:
            src.readline()
            # Rows the migrations wrote (a default pipeline, the loyalty programme) are the dump's to give.
            for table in reversed([t for t in metadata.sorted_tables if t.info.get("plugin", "core") in {"core", *header["plugins"]}]):
                if await conn.run_sync(lambda c, name=table.name: c.dialect.has_table(c, name)):
                    await conn.execute(table.delete())
            for name, columns, rows in _sections(src):
                table = known.get(name)
                if table is None:
                    raise BackupError(f"the dump has table {name}, which no installed module defines")
                cols = [table.c[c] for c in columns]
                decoders = [_decoder(c) for c in cols]
                selfref = [c.name for c in cols if any(fk.column.table is table for fk in c.foreign_keys)]
                later: list[dict] = []
                count, batch = 0, []
                for row in rows:
                    values = {c.name: (d(v) if d and v is not None else v) for c, d, v in zip(cols, decoders, row)}
                    if selfref and any(values[c] is not None for c in selfref):
                        # Filled in once every row is there; columns with an ON UPDATE default (updated_at) keep theirs.
                        kept = [c.name for c in cols if c.onupdate is not None]
                        later.append({"pk": values[table.primary_key.columns[0].name], **{c: values[c] for c in (*selfref, *kept)}})
                        values.update({c: None for c in selfref})
                    batch.append(values)
                    count += 1
                    if len(batch) >= BATCH:
                        await conn.execute(table.insert(), batch)
                        batch = []
                if batch:
                    await conn.execute(table.insert(), batch)
                pk = table.primary_key.columns[0]
                for values in later:  # references of a table to itself, now that every row is there
                    await conn.execute(update(table).where(pk == values.pop("pk")).values(**values))
                counts[name] = count
                dumped.append(table)
                if progress:
                    progress(name, count)
        if conn.dialect.name == "postgresql":
            for table in dumped:
                pk = list(table.primary_key.columns)
                if len(pk) == 1 and pk[0].autoincrement is not False and pk[0].type.python_type is int:
                    top = await conn.scalar(select(func.max(pk[0])))
                    if top is not None:
                        await conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), :v)"),
                                           {"t": table.name, "c": pk[0].name, "v": top})
    return counts
