"""The `crm` command line."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from crm.settings import SettingsError, load_settings

cli = typer.Typer(help="The CRM: serve it, migrate it, manage plugins and users.", no_args_is_help=True)
db_cli = typer.Typer(help="Database migrations.", no_args_is_help=True)
plugins_cli = typer.Typer(help="Installed and enabled plugins.", no_args_is_help=True)
schema_cli = typer.Typer(help="The GraphQL schema.", no_args_is_help=True)
users_cli = typer.Typer(help="Users.", no_args_is_help=True)
import_cli = typer.Typer(help="Bring records in from files (modules add their kinds of record).", no_args_is_help=True)
bench_cli = typer.Typer(help="Data at scale for the benchmarks under bench/.", no_args_is_help=True)
export_cli = typer.Typer(help="Write records out to files (modules add their kinds of record).", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(plugins_cli, name="plugins")
cli.add_typer(schema_cli, name="schema")
cli.add_typer(users_cli, name="users")
cli.add_typer(import_cli, name="import")
cli.add_typer(export_cli, name="export")
cli.add_typer(bench_cli, name="bench")
console = Console()


@import_cli.callback()
def _import_group() -> None:
    """Bring records in from files (modules add their kinds of record)."""  # a callback keeps a group of one command a group


@export_cli.callback()
def _export_group() -> None:
    """Write records out to files (modules add their kinds of record)."""


SCHEMA_FILE = Path("graphql/schema.graphql")


def fail(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(1)


async def command_runtime():
    """A started runtime (settings from the environment, no scheduled jobs) for commands that act as the system, such
    as checks and repairs; stop it when done. Public as `crm.command_runtime`."""
    from crm.runtime import Runtime

    return await Runtime.start(load_settings().model_copy(update={"jobs_enabled": False}))


async def runtime_as(email: str):
    """A started runtime and the access of the active user `email`, for commands that act as a user (imports, exports).
    Stop the runtime when done."""
    from sqlalchemy import select

    from crm.api.access import Access
    from crm.identity.models import User
    from crm.identity.policy import user_subject
    from crm.runtime import Runtime

    runtime = await Runtime.start(load_settings())
    async with runtime.db.read() as session:
        user_id = await session.scalar(select(User.id).where(User.email == email.strip().lower(), User.is_active.is_(True)))
    if user_id is None:
        await runtime.stop()
        fail(f"no active user {email}")
    return runtime, Access(user_id, await runtime.policy.grants(user_subject(user_id)), runtime.db.read)


def read_import_file(file: Path) -> tuple[list[str], list[dict[str, str]]]:
    """A CSV file's header and records (any encoding, any of the usual delimiters); a file that is no CSV ends the
    command with one line. Public as `crm.read_import_file`, for every module's `crm import` command."""
    import csv

    from crm.csvfiles import read_csv_file

    try:
        headers, rows, encoding = read_csv_file(file)
    except (ValueError, csv.Error) as exc:
        fail(f"{file}: {exc}")
    if encoding != "utf-8":
        console.print(f"{file.name} is in {encoding}; read as such")
    return headers, rows


def report_import(imported: int, rejected: list, what: str, dry_run: bool, file: Path, report_file: Path | None) -> None:
    """The import's outcome: counts, the first 200 rejected rows (row, errors), and every one of them in a CSV report file
    (exit status 2 when any was rejected). Public as `crm.report_import`."""
    from crm.csvfiles import write_rejections

    verb = "would import" if dry_run else "imported"
    console.print(f"{verb} {imported} {what}; rejected {len(rejected)} rows")
    for row, errors in rejected[:200]:
        console.print(f"  row {row}: " + "; ".join(f"{e.field or 'row'}: {e.message}" for e in errors))
    if rejected:
        target = report_file or file.with_name(file.stem + ".rejected.csv")
        write_rejections(target, rejected)
        more = f"the other {len(rejected) - 200} and " if len(rejected) > 200 else ""
        console.print(f"{more}all rejected rows with every reason: {target}")
        raise typer.Exit(2)


def column_map(items: list[str], lower: bool = False) -> dict[str, str]:
    """`--map COLUMN=FIELD` options of the import commands as {column: field}; a malformed one stops the command."""
    mapping = {}
    for item in items:
        column, sep, field = item.partition("=")
        if not sep:
            fail(f"--map {item!r}: write COLUMN=FIELD")
        mapping[column.strip()] = field.strip().lower() if lower else field.strip()
    return mapping


def run(coro):
    """Run a command's coroutine; a plugin, settings or migration problem ends it with its message (crm.run_command)."""
    from crm.plugin_host import PluginError
    from crm.system.state import NotMigrated

    from crm.db import sqlite_path_problem

    try:
        problem = sqlite_path_problem(load_settings().database_url)
    except SettingsError as exc:
        problem = str(exc)
    if problem:
        coro.close()  # never started: said so, not warned about
        fail(problem)
    try:
        return asyncio.run(coro)
    except (PluginError, NotMigrated, SettingsError) as exc:
        fail(str(exc))
    except Exception as exc:  # an unreachable, missing or unwritable database: one line that names the setting, not a traceback
        from crm.db import connection_problem

        problem = connection_problem(exc, load_settings().database_url)
        if problem is None:
            raise
        fail(problem)


def _manager():
    from crm.db import Database
    from crm.plugin_host import installed_plugins
    from crm.system.manage import Manager

    settings = load_settings()
    db = Database(settings.database_url)
    return settings, db, Manager(db, installed_plugins())


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Migrate the core and every enabled plugin to their latest revisions."""

    async def go():
        _, db, manager = _manager()
        await manager.setup()
        for branch in await manager.migrator.status():
            console.print(f"{branch.name}: {branch.current or '-'}")
        await db.dispose()

    run(go())


@db_cli.command("downgrade")
def db_downgrade(plugin: str, yes: bool = typer.Option(False, "--yes", help="Do not ask.")) -> None:
    """Take PLUGIN's tables away (its data is dropped): the plugin is disabled and its branch goes to base."""
    if not yes and not typer.confirm(f"drop every table of {plugin} with its data?"):
        raise typer.Exit(1)

    async def go():
        _, db, manager = _manager()
        await manager.downgrade(plugin)
        await db.dispose()
        console.print(f"{plugin}: downgraded to base and disabled")

    run(go())


@db_cli.command("renormalise-phones")
def db_renormalise_phones() -> None:
    """Store every phone number's normal form again under the current rules (after changing CRM_PHONE_REGION), for
    customers, contacts and every enabled module's records."""

    async def go():
        from sqlalchemy import select, update

        from crm.customers import normalise
        from crm.customers.models import Channel
        from crm.events import publish

        runtime = await command_runtime()
        try:
            async with runtime.db.write() as session:
                session.info["runtime"] = runtime
                rows = (await session.execute(select(Channel.id, Channel.value, Channel.normalized).where(Channel.kind == "phone"))).all()
                changed = normalise.renormalised(rows)
                if changed:
                    await session.execute(update(Channel), changed)
                await publish(session, "crm_on_phone_rules_changed")
            return len(changed)
        finally:
            await runtime.stop()

    count = run(go())
    console.print(f"{count} phone numbers of customers and contacts took a new normal form (region: "
                  f"{load_settings().phone_region or 'none'}); enabled modules renewed theirs")


@db_cli.command("status")
def db_status() -> None:
    """Each branch's current and latest revision."""

    async def go():
        _, db, manager = _manager()
        table = Table("branch", "current", "head", "state")
        from crm.system.state import NotMigrated, enabled_plugins

        try:
            enabled = {"core", *await enabled_plugins(db)}
        except NotMigrated:
            enabled = {"core"}
        for b in await manager.migrator.status():
            # A plugin never enabled has no tables yet: nothing is behind until someone enables it.
            state = "ok" if b.at_head else "behind" if b.name in enabled or b.current else "not enabled"
            table.add_row(b.name, b.current or "-", b.head or "-", state)
        console.print(table)
        await db.dispose()

    run(go())


@plugins_cli.command("list")
def plugins_list() -> None:
    """Installed plugins: version, enabled, dependencies."""

    async def go():
        _, db, manager = _manager()
        await manager.migrator.upgrade(["core"])
        table = Table("plugin", "version", "enabled", "depends", "from")
        for r in await manager.rows():
            table.add_row(r.name, r.version, "yes" if r.enabled else "no", ", ".join(r.depends) or "-", r.origin)
        console.print(table)
        await db.dispose()

    run(go())


@plugins_cli.command("enable")
def plugins_enable(name: str) -> None:
    """Enable a plugin and what it depends on: checks, migrations and first grants succeed together or nothing
    changes. Running servers serve it within CRM_PLUGIN_CHECK_SECONDS, without a restart."""

    async def go():
        _, db, manager = _manager()
        try:
            return await manager.enable(name)
        finally:
            await db.dispose()

    added = run(go())
    console.print(f"enabled: {', '.join(added) if added else name + ' (already)'}")


@plugins_cli.command("disable")
def plugins_disable(name: str) -> None:
    """Disable a plugin. Its tables and data stay; enabling it again brings them back."""

    async def go():
        _, db, manager = _manager()
        try:
            return await manager.disable(name)
        finally:
            await db.dispose()

    console.print(f"disabled: {', '.join(run(go()))} (data kept)")


@plugins_cli.command("uninstall")
def plugins_uninstall(
    name: str,
    drop_data: bool = typer.Option(False, "--drop-data", help="Required: say that the plugin's tables and rows go."),
    yes: bool = typer.Option(False, "--yes", help="Do not ask again."),
) -> None:
    """Remove a plugin's tables with all their rows, through its own migrations (down to base), after disabling it.
    Then `pip uninstall` its package. `disable` is the way to switch a plugin off and keep its data."""
    if not drop_data:
        fail(f"uninstalling {name} drops its tables and every row in them; say so with --drop-data "
             f"(or keep the data with `crm plugins disable {name}`)")
    if not yes and not typer.confirm(f"drop every table of {name} with its data?"):
        raise typer.Exit(1)

    async def go():
        _, db, manager = _manager()
        try:
            await manager.downgrade(name)
        finally:
            await db.dispose()

    run(go())
    console.print(f"{name}: its tables are dropped and it is disabled; `pip uninstall` its package if it is not bundled")


@cli.command("dump")
def dump_command(file: Path = typer.Argument(..., help="Where to write it; .gz compresses.")) -> None:
    """Write every row of the CRM (the core and every module with tables here) to FILE as JSON lines: a backup that
    `crm restore` loads into an empty database, SQLite or PostgreSQL."""
    from crm.backup import dump

    async def go_to(path):
        _, db, manager = _manager()
        try:
            return await dump(db, manager.installed, path)
        finally:
            await db.dispose()

    counts = run(go_to(file))
    console.print(f"wrote {file}: {sum(counts.values())} rows of {len(counts)} tables")


@cli.command("restore")
def restore_command(file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A file written by `crm dump`.")) -> None:
    """Load a dump into an empty database (CRM_DATABASE_URL), then migrate it to this release."""
    from crm.backup import BackupError, restore

    async def go():
        _, db, manager = _manager()
        try:
            counts = await restore(db, manager.installed, file)
            await manager.setup()
            return counts
        finally:
            await db.dispose()

    try:
        counts = run(go())
    except BackupError as exc:
        fail(str(exc))
    console.print(f"restored {sum(counts.values())} rows of {len(counts)} tables from {file}")


@plugins_cli.command("new")
def plugins_new(
    name: str,
    directory: Path = typer.Option(Path("."), "--dir", help="Where to write the plugin's folder (crm-NAME)."),
) -> None:
    """Write a working plugin to start from: package, manifest, a model and its migration, a GraphQL type, query and
    mutation with typed errors, a permission resource, a timeline source, and tests that pass straight away."""
    from crm.plugin_host import installed_plugins
    from crm.scaffold import ScaffoldError, generate

    try:
        target = generate(name, directory, set(installed_plugins()))
    except ScaffoldError as exc:
        fail(str(exc))
    console.print(f"wrote {target}\n  cd {target} && pytest            # its tests\n"
                  f"  pip install {target.resolve()} && crm plugins enable {name}")


def print_schema() -> str:
    """The schema with every bundled plugin enabled: the API a full installation serves."""
    from crm.plugin_host import build_plugin_manager, installed_plugins, resolve
    from crm.runtime import compose_schema

    installed = {n: p for n, p in installed_plugins(entry_points=lambda: []).items() if p.origin == "bundled"}
    pm = build_plugin_manager(resolve(installed, installed))
    return compose_schema(pm, load_settings()).as_str() + "\n"


@schema_cli.command("print")
def schema_print(output: Path = typer.Option(SCHEMA_FILE, help="Where to write it; - for standard output.")) -> None:
    """Write the GraphQL schema (core and every bundled plugin) to graphql/schema.graphql."""
    text = print_schema()
    if str(output) == "-":
        sys.stdout.write(text)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text)
        console.print(f"wrote {output}")


@users_cli.command("create-admin")
def users_create_admin(email: str = typer.Option(...), password: str = typer.Option(..., prompt=True, hide_input=True),
                       name: str = typer.Option("Administrator")) -> None:
    """Create a user with the admin role (the first login of a new installation)."""

    async def go():
        from crm.api.errors import Invalid
        from crm.identity.admin import create_admin

        settings, db, manager = _manager()
        await manager.setup()
        try:
            await create_admin(db, settings, email, password, name)
        except Invalid as exc:
            fail("; ".join(f"{e.field or 'input'}: {e.message}" for e in exc.errors))
        finally:
            await db.dispose()
        console.print(f"admin {email} created")

    run(go())


@bench_cli.command("generate")
def bench_generate(
    customers: int = typer.Option(..., min=1, help="How many customers to add (each with 2 contacts and 10 activities)."),
    seed: int = typer.Option(42, help="The same seed gives the same data."),
    users: int = typer.Option(200, min=1, help="Owners, skewed: a few hold many customers."),
) -> None:
    """Add realistic data for every enabled module, bulk-loaded (COPY on PostgreSQL), with flat memory."""
    import time

    async def go():
        from crm.bench.generate import BENCH_PASSWORD, generate
        from crm.runtime import Runtime

        settings, db, manager = _manager()
        await manager.setup()
        runtime = await Runtime.start(settings, db=db)
        started = time.perf_counter()
        with Progress(console=console) as bar:
            task = bar.add_task("customers", total=customers)
            rows = await generate(runtime, customers, seed=seed, users=users, progress=lambda n: bar.advance(task, n))
        await runtime.stop()
        seconds = time.perf_counter() - started
        console.print(f"{rows:,} rows in {seconds:.1f} s ({rows / seconds:,.0f} rows/s); "
                      f"users bench-1..{users}@example.com, password {BENCH_PASSWORD}")

    run(go())


@cli.command("demo")
def demo() -> None:
    """Load the demo data set across every enabled module (once) and print the logins."""
    run(_demo(enable_all=False))


async def _demo(enable_all: bool) -> None:
    from crm.demo import already_loaded, demo_logins, load_demo
    from crm.runtime import Runtime

    settings, db, manager = _manager()
    await manager.setup()
    if enable_all:
        for row in await manager.rows():
            if row.installed and row.origin == "bundled" and not row.enabled:
                await manager.enable(row.name)
    if await already_loaded(db):
        console.print(f"demo data is loaded already in {settings.database_url.split('///')[-1] if db.dialect == 'sqlite' else 'the database'}")
        logins = demo_logins()
    else:
        runtime = await Runtime.start(settings, db=db)
        with Progress(console=console) as bar:
            task = bar.add_task("demo data", total=1)

            def progress(step, total, label):
                bar.update(task, completed=step, total=total, description=f"demo: {label}")

            logins = await load_demo(runtime, progress)
    console.print("[bold]logins[/bold] (password for all: " + next(iter(logins.values())) + ")")
    for email in logins:
        console.print(f"  {email}")
    await db.dispose()


@cli.command("serve")
def serve(
    host: str = typer.Option("127.0.0.1"),
    port: int = typer.Option(8000),
    workers: int = typer.Option(1, min=1),
    reload: bool = typer.Option(False, "--reload", help="Restart on code changes (development)."),
    demo: bool = typer.Option(False, "--demo", help="Create the database if needed, enable every bundled plugin, load demo data once."),
    migrate: bool = typer.Option(True, "--migrate/--no-migrate", help="Migrate the database first (the default), or leave that to a "
                                 "separate `crm db upgrade` (containers, several replicas) and refuse to start while it is behind."),
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql). Migrates the database first unless told not to."""
    import uvicorn

    async def prepare():
        if demo:
            await _demo(enable_all=True)
            return
        _, db, manager = _manager()
        try:
            if migrate:
                await manager.setup()
            else:
                from crm.system.state import NotMigrated, enabled_plugins

                try:
                    enabled = {"core", *await enabled_plugins(db)}
                except NotMigrated:
                    enabled = {"core"}
                behind = [b.name for b in await manager.migrator.status() if b.name in enabled and not b.at_head]
                if behind:
                    fail(f"the database is behind for {', '.join(behind)}: run `crm db upgrade` first")
        finally:
            await db.dispose()

    run(prepare())
    _share_metrics()
    console.print(f"GraphQL at http://{host}:{port}/graphql\nthe web console at http://{host}:{port}/app")
    # access_log off: every request gets one line of our own (crm.request), with its id, caller and operation.
    # proxy_headers off: the app itself trusts CRM_TRUSTED_PROXIES (whatever server runs it), not uvicorn's default.
    uvicorn.run("crm.api.app:create_app", factory=True, host=host, port=port, workers=workers, reload=reload, log_level="info",
                access_log=False, proxy_headers=False)


def _share_metrics() -> None:
    """With metrics on, the workers write them to one directory (prometheus-client's multiprocess mode), emptied at
    each start so that numbers of an earlier run do not count."""
    import os
    import tempfile

    settings = load_settings()
    if not settings.metrics_enabled:
        return
    directory = Path(settings.metrics_dir or tempfile.mkdtemp(prefix="crm-metrics-"))
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    os.environ["CRM_METRICS_DIR"] = str(directory)


def main() -> None:
    from crm.settings import unknown_variables

    for line in unknown_variables():
        console.print(f"[yellow]warning:[/yellow] {line}")
    try:
        _add_plugin_commands()
    except Exception as exc:  # a broken plugin must not take the whole command line down
        from crm.db import connection_problem

        # A database that cannot be reached is reported once, by the command that needs it; others run without it.
        if connection_problem(exc, load_settings().database_url) is None:
            console.print(f"[yellow]warning:[/yellow] plugin commands unavailable: {exc}")
    cli()


def _add_plugin_commands() -> None:
    """Enabled plugins add commands through `crm_register_commands`; without a database there are none."""
    from crm.db import Database
    from crm.plugin_host import build_plugin_manager, installed_plugins, resolve
    from crm.system.state import NotMigrated, enabled_plugins

    from crm.db import sqlite_path_problem

    settings = load_settings()
    if sqlite_path_problem(settings.database_url):
        return  # the command that needs the database says what is wrong with it

    async def enabled():
        db = Database(settings.database_url)
        try:
            return await enabled_plugins(db)
        except NotMigrated:
            return []
        finally:
            await db.dispose()

    names = asyncio.run(enabled())
    pm = build_plugin_manager(resolve(names, installed_plugins()))
    pm.hook.crm_register_commands(cli=cli)


run_command = run  # the public name (crm.run_command)
