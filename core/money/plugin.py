"""Money: currencies, dated exchange rates and their import, registered like any plugin."""

from __future__ import annotations

from pathlib import Path

import typer

from crm.declarations import READ_ALL_GRANTS, BenchData, DemoData, GraphQLContribution, Resource
from crm.hookspecs import hookimpl
from crm.models import utcnow
from crm.money.models import ExchangeRate
from crm.money.schema import MoneyMutation, MoneyQuery



@hookimpl
def crm_register_models():
    return [ExchangeRate]


@hookimpl
def crm_register_permissions():
    return [Resource("exchange_rate", "Dated exchange rates into the reporting currency.", default_grants=READ_ALL_GRANTS, owned=False)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[MoneyQuery], mutation=[MoneyMutation])


async def _demo_rates(session, rng, users) -> int:
    from crm.money.sample import add_sample_rates
    from crm.settings import load_settings

    return await add_sample_rates(session, rng, load_settings().currency, 365, utcnow().date())


@hookimpl
def crm_register_demo_data():
    return [DemoData("a year of exchange rates", _demo_rates, order=10)]


async def _bench_rates(runtime):
    import random

    from crm.money.sample import add_sample_rates

    async with runtime.db.write() as session:
        return await add_sample_rates(session, random.Random(3), runtime.settings.currency, 3 * 365, utcnow().date())


@hookimpl
def crm_register_bench_data():
    return [BenchData("exchange_rates", (), lambda ctx, first, count: iter(()), order=10, prepare=_bench_rates)]


@hookimpl
def crm_register_commands(cli):
    from crm.cli import import_cli

    if any(c.name == "exchange-rates" for c in import_cli.registered_commands):
        return  # the command line was built already in this process

    @import_cli.command("exchange-rates")
    def import_exchange_rates(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A CSV file: date,currency,rate rows, or a date column and one column per currency."),
        map_: list[str] = typer.Option([], "--map", help="COLUMN=FIELD (date, currency, rate, base), e.g. --map TIME_PERIOD=date."),
        as_user: str = typer.Option(None, "--as", help="Email of the user the audit trail names."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Check the file; change nothing."),
    ) -> None:
        """Import exchange rates (units of each currency per one unit of the reporting currency): all rows or none."""
        from crm.cli import column_map, console, run

        mapping = column_map(map_, lower=True)
        report = run(_import(file, mapping, as_user, dry_run))
        for line, errors in report.rejected[:200]:
            console.print(f"  row {line}: " + "; ".join(f"{e.field or 'file'}: {e.message}" for e in errors))
        if report.rejected:
            console.print(f"[red]nothing imported:[/red] {len(report.rejected)} of {report.rows} rows have problems")
            raise typer.Exit(2)
        verb = "would import" if dry_run else "imported"
        console.print(f"{verb} {report.rows} rows: {report.created} new rates, {report.changed} changed, {report.unchanged} unchanged")


async def _import(file: Path, mapping: dict, email: str | None, dry_run: bool):
    from sqlalchemy import select

    from crm.cli import fail
    from crm.identity.models import User
    from crm.money.rates_csv import RateReport, read_rows, save_rows
    from crm.runtime import Runtime
    from crm.settings import load_settings

    settings = load_settings()
    report = RateReport()
    rows = read_rows(file, mapping, settings.currency, settings.exchange_rate_horizon_days, report)
    if report.rejected or dry_run:
        return report
    runtime = await Runtime.start(settings)
    try:
        async with runtime.db.write() as session:
            actor = None
            if email:
                actor = await session.scalar(select(User.id).where(User.email == email.strip().lower(), User.is_active.is_(True)))
                if actor is None:
                    fail(f"no active user {email}")
            session.info["actor_id"] = actor
            await save_rows(session, settings.currency, rows, report)
    finally:
        await runtime.stop()
    return report
