"""Engines and sessions. Async end to end: aiosqlite for SQLite, asyncpg for PostgreSQL.

SQLite is tuned so that several workers can write at once without "database is locked": WAL journal, a busy
timeout, foreign keys on, and write transactions that start with BEGIN IMMEDIATE (a deferred transaction that
later wants to write fails at once instead of waiting for the lock, whatever the busy timeout).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from crm.settings import async_database_url

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_engine(url: str, begin: str) -> AsyncEngine:
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Take transaction control from the driver so that we can say BEGIN IMMEDIATE ourselves.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(begin)

    return engine


class Database:
    """The application's database: `read()` for queries, `write()` for a transaction that commits on success."""

    def __init__(self, url: str, *, echo: bool = False):
        self.url = async_database_url(url)
        self.dialect = "sqlite" if self.url.startswith("sqlite") else "postgresql"
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(self.url, "BEGIN")
            self.write_engine = _sqlite_engine(self.url, "BEGIN IMMEDIATE")
        else:
            # JIT compilation pays off for long analytical scans, not for the short queries an API runs: it added
            # ~10 ms to single-page lists in the benchmarks, so it is off for the application's connections.
            self.engine = create_async_engine(self.url, pool_size=10, max_overflow=20, pool_pre_ping=True,
                                              connect_args={"server_settings": {"jit": "off"}})
            self.write_engine = self.engine
        if echo:
            self.engine.echo = self.write_engine.echo = True
        self._read = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._write = async_sessionmaker(self.write_engine, expire_on_commit=False)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read() as session:
            yield session

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """A write transaction: committed when the block ends, rolled back on any exception."""
        async with self._write() as session, session.begin():
            yield session

    @property
    def engines(self) -> tuple[AsyncEngine, ...]:
        return (self.engine,) if self.engine is self.write_engine else (self.engine, self.write_engine)

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()
