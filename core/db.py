"""Engines and sessions. Async end to end: aiosqlite for SQLite, asyncpg for PostgreSQL.

SQLite is tuned so that several workers can write at once without "database is locked": WAL journal, a busy
timeout, foreign keys on, and write transactions that start with BEGIN IMMEDIATE (a deferred transaction that
later wants to write fails at once instead of waiting for the lock, whatever the busy timeout).

Read sessions run without a transaction (autocommit), on both databases. An API request opens several of them (the
caller's token, a page, one per DataLoader batch), and on PostgreSQL each BEGIN and ROLLBACK is a round trip of its
own; on SQLite each is a hop to aiosqlite's thread. Nothing is lost by it: PostgreSQL's READ COMMITTED gives every
statement its own snapshot inside a transaction too, and our reads never rely on two statements seeing one
snapshot. Measured on the list of 50 customers: about 1 ms of a 10 ms request on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import event, exc, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

# Every session writes through here, so the core's one flush listener (audit trail, change rules) is registered here.
from crm import changes  # noqa: F401
from crm.settings import async_database_url

SQLITE_BUSY_TIMEOUT_MS = 30_000
ANALYSIS_WORK_MEM_KB = 16 * 1024


def _sqlite_engine(url: str, begin: str | None, *, foreign_keys: bool = True, **options) -> AsyncEngine:
    """`begin` starts each transaction; None for the read engine, whose statements run in autocommit (and whose
    connections need no ROLLBACK when they go back to the pool)."""
    autocommit = {} if begin else {"isolation_level": "AUTOCOMMIT", "skip_autocommit_rollback": True}
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **autocommit, **options)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Take transaction control from the driver so that we can say BEGIN IMMEDIATE ourselves.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    if begin:

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql(begin)

    return engine


def _postgresql_engine(url: str) -> AsyncEngine:
    # JIT compilation pays off for long analytical scans, not for the short queries an API runs: it added ~10 ms to
    # single-page lists in the benchmarks, so it is off for the application's connections.
    engine = create_async_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800,
                                 connect_args={"server_settings": {"jit": "off"}})

    @event.listens_for(engine.sync_engine, "connect")
    def _analysis_memory(dbapi_conn, _record):
        # Analysis groups and sorts hundreds of thousands of rows; PostgreSQL's default of 4 MB per operation sends them
        # to disk (the forecast over 1M deals: 0.57 s against 0.35 s for its won half). Raise it to 16 MB for our
        # connections, never lower what the database or role already grants.
        cursor = dbapi_conn.cursor()
        cursor.execute("SELECT setting::bigint FROM pg_settings WHERE name = 'work_mem'")  # in kB
        if cursor.fetchone()[0] < ANALYSIS_WORK_MEM_KB:
            cursor.execute(f"SET work_mem = '{ANALYSIS_WORK_MEM_KB}kB'")
        cursor.close()
        dbapi_conn.commit()  # the driver opened a transaction for these; a SET rolled back with it would be undone

    @event.listens_for(engine.sync_engine, "checkout")
    def _closed_by_server(dbapi_conn, _record, _proxy):
        # A pooled connection the server closed (a restart, pg_terminate_backend, an idle timeout) is known to asyncpg
        # as closed without asking the server: the pool replaces it. pool_pre_ping would ask, a round trip for every
        # checkout (four per list request); connections dropped silently by the network are bounded by pool_recycle.
        if dbapi_conn.driver_connection.is_closed():
            raise exc.DisconnectionError("the server closed this connection")

    return engine


class Database:
    """The application's database: `read()` for queries, `write()` for a transaction that commits on success."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = async_database_url(url)
        self.dialect = "sqlite" if self.url.startswith("sqlite") else "postgresql"
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(self.url, None)
            self.write_engine = _sqlite_engine(self.url, "BEGIN IMMEDIATE")
            self.engines: tuple[AsyncEngine, ...] = (self.engine, self.write_engine)
        else:  # one pool; reads take its connections in autocommit
            self.write_engine = _postgresql_engine(self.url)
            self.engine = self.write_engine.execution_options(isolation_level="AUTOCOMMIT")
            self.engines = (self.write_engine,)  # listeners on it see the reads too
        if echo:
            for engine in self.engines:
                engine.echo = True
        self._read = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._write = async_sessionmaker(self.write_engine, expire_on_commit=False)

    @asynccontextmanager
    async def migrating(self) -> AsyncIterator[AsyncConnection]:
        """The one transaction migrations (and enabling plugins) run in. On SQLite, on a connection of its own with
        foreign keys off, as SQLite's procedure for changing a table requires (alembic's batch mode copies a table,
        drops it and renames the copy, and with foreign keys on, dropping a table other rows point at fails); the
        pragma cannot change inside a transaction, hence the connection. Before committing, `PRAGMA
        foreign_key_check` proves that no row points nowhere, or the whole migration rolls back."""
        if self.dialect != "sqlite":
            async with self.write_engine.begin() as conn:
                yield conn
            return
        engine = _sqlite_engine(self.url, "BEGIN IMMEDIATE", foreign_keys=False, poolclass=NullPool)
        try:
            async with engine.begin() as conn:
                yield conn
                dangling = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if dangling:
                    raise exc.IntegrityError("PRAGMA foreign_key_check", None,
                                             Exception(f"rows point at rows that are not there: {dangling[:5]}"))
        finally:
            await engine.dispose()

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed when the block ends, rolled back on any exception."""
        async with self._write() as session, session.begin():
            yield session

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()


async def insert_rows(session: AsyncSession, table, rows: list[dict]) -> list[int]:
    """Insert plain rows (dicts with the same keys) into `table` with one executemany and return their new ids in
    order, without building ORM objects (for imports: constructing and flushing an ORM object costs more than
    validating the row). Column defaults apply as in any INSERT. On SQLite the ids are given first (max + 1 on):
    SQLite cannot return a batch's ids in order, and its write transaction (BEGIN IMMEDIATE) is the only writer.
    PostgreSQL returns them in the order of the rows."""
    if not rows:
        return []
    if session.bind.dialect.name == "sqlite":
        start = (await session.scalar(select(func.max(table.c.id)))) or 0
        ids = list(range(start + 1, start + 1 + len(rows)))
        await session.execute(table.insert(), [{**row, "id": i} for row, i in zip(rows, ids)])
        return ids
    result = await session.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


def sqlite_path_problem(url: str) -> str | None:
    """Why the SQLite file of `url` cannot be opened, found before trying (a failed open leaves aiosqlite's thread
    behind, which then fails noisily); None for PostgreSQL or a usable path."""
    import os

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    folder = os.path.dirname(os.path.abspath(parsed.database))
    if os.path.isdir(folder) and os.access(folder, os.W_OK):
        return None
    shown = parsed.set(drivername="sqlite").render_as_string(hide_password=True)
    return (f"cannot open the SQLite database {parsed.database!r} (CRM_DATABASE_URL={shown}): its folder {folder} "
            f"{'is not writable' if os.path.isdir(folder) else 'does not exist'}; create it, or point CRM_DATABASE_URL at "
            "another file, e.g. sqlite:///./crm.db")


def connection_problem(exc: BaseException, url: str) -> str | None:
    """One line that says why the database at `url` could not be used, naming CRM_DATABASE_URL and the fix, for an
    exception raised while connecting; None when `exc` is not such a failure (a bug, which keeps its traceback)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    parsed = make_url(url)
    shown = parsed.set(drivername=parsed.get_backend_name())  # as the user wrote it: postgresql://, not postgresql+asyncpg://
    where = f"CRM_DATABASE_URL={shown.render_as_string(hide_password=True)}"
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(cause)
    if parsed.get_backend_name() == "sqlite":
        if isinstance(exc, OperationalError) and "unable to open database file" in text:
            return (f"cannot open the SQLite database {parsed.database!r} ({where}): make sure its folder exists and this "
                    "user may write there, or point CRM_DATABASE_URL at another file, e.g. sqlite:///./crm.db")
        return None
    name, server = parsed.database, f"{parsed.host or 'localhost'}:{parsed.port or 5432}"
    kind = type(cause).__name__
    if kind == "InvalidCatalogNameError" or (f'database "{name}" does not exist' in text):
        return f"the database {name!r} does not exist on {server} ({where}): create it (createdb {name}) or fix the URL"
    if (kind in ("InvalidPasswordError", "InvalidAuthorizationSpecificationError") or "password authentication failed" in text
            or (f'role "{parsed.username}" does not exist' in text)):
        return f"PostgreSQL at {server} refused the login of {parsed.username!r} ({where}): check the user name and password in the URL"
    if isinstance(cause, (ConnectionError, TimeoutError, OSError)) or isinstance(exc, (OperationalError, InterfaceError)) and "connect" in text.lower():
        return f"cannot reach PostgreSQL at {server} ({where}): is it running and listening there? ({text})"
    return None


def upsert(session, table):
    """`INSERT INTO table` of the session's database, with its `on_conflict_do_nothing` / `on_conflict_do_update`
    (PostgreSQL's and SQLite's share the ON CONFLICT clause but are separate constructs in SQLAlchemy). Public as
    `crm.upsert`: for rows made by whoever comes first (a stock level, a sequence, an account)."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)
