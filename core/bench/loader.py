"""Bulk loading through each database's fast path: COPY on PostgreSQL, batched executemany in large transactions on
SQLite. Rows are tuples in the order of the `columns` given; nothing goes through the ORM."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import DateTime, Table, text
from sqlalchemy.engine import make_url


def _sqlite_datetime(value):
    # The format SQLAlchemy's SQLite dialect writes and reads back: naive UTC with microseconds.
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Loader:
    """`await loader.load(table, columns, rows)`; `await loader.finish()` commits and fixes id sequences."""

    def __init__(self, db):
        self.db = db
        self.dialect = db.dialect
        self.rows = 0
        self._tables: set[Table] = set()
        self._sqlite: sqlite3.Connection | None = None
        self._pg = None
        self._pg_conn = None

    async def start(self) -> None:
        if self.dialect == "sqlite":
            path = make_url(self.db.url).database
            self._sqlite = sqlite3.connect(str(Path(path)), isolation_level=None)
            self._sqlite.execute("PRAGMA journal_mode=WAL")
            self._sqlite.execute("PRAGMA synchronous=OFF")  # a crash mid-load loses the load, never the database
            self._sqlite.execute("PRAGMA foreign_keys=OFF")
            self._sqlite.execute("BEGIN")
        else:
            self._pg_conn = await self.db.engines[0].connect()
            raw = await self._pg_conn.get_raw_connection()
            self._pg = raw.driver_connection
            # Generated rows are consistent by construction: skip per-row foreign-key triggers where allowed
            # (a superuser or a role with that right); otherwise load with them, only slower.
            try:
                await self._pg.execute("SET session_replication_role = replica")
            except Exception:  # noqa: BLE001 - any refusal just means the slower path
                pass
            await self._pg.execute("SET synchronous_commit = off")

    async def load(self, table: Table, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        self._tables.add(table)
        self.rows += len(rows)
        if self._pg is not None:
            await self._pg.copy_records_to_table(table.name, records=rows, columns=list(columns))
            return
        times = {i for i, c in enumerate(columns) if isinstance(getattr(table.c[c].type, "impl", table.c[c].type), DateTime)}
        if times:
            rows = [tuple(_sqlite_datetime(v) if i in times else v for i, v in enumerate(row)) for row in rows]
        marks = ", ".join("?" for _ in columns)
        self._sqlite.executemany(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows)
        if self.rows > 500_000:
            self._sqlite.execute("COMMIT")
            self._sqlite.execute("BEGIN")

    async def next_id(self, table: Table) -> int:
        async with self.db.read() as session:
            return (await session.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {table.name}"))) + 1

    async def finish(self) -> None:
        if self._sqlite is not None:
            self._sqlite.execute("COMMIT")
            self._sqlite.execute("ANALYZE")
            self._sqlite.close()
            return
        for table in self._tables:
            if "id" in table.c and table.c.id.autoincrement:
                await self._pg.execute(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT MAX(id) FROM {table.name}))")
        await self._pg.execute("ANALYZE")
        await self._pg_conn.close()


def utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
