"""`crm import customers` and `crm export customers`: the CSV import and export, for files of any size."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import typer


def register(import_cli: typer.Typer, export_cli: typer.Typer) -> None:
    if any(c.name == "customers" for c in import_cli.registered_commands):
        return  # the command line was built already in this process

    @import_cli.command("customers")
    def import_customers(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A CSV file with a header row."),
        as_user: str = typer.Option(..., "--as", help="Email of the user who imports; they own the rows unless a column says otherwise."),
        map_: list[str] = typer.Option([], "--map", help="COLUMN=FIELD, e.g. --map 'Company=name' --map 'Tier=custom:tier'."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; import nothing."),
        allow_duplicates: bool = typer.Option(False, "--allow-duplicates", help="Import rows that look like existing customers."),
        report_file: Path = typer.Option(None, "--report", help="Where to write every rejected row (default: FILE.rejected.csv)."),
        update_by: str = typer.Option(None, "--update-by", help="id or email: rows that match an existing customer change it "
                                      "(filled cells only; an export's version column refuses rows changed since)."),
    ) -> None:
        """Import customers from a CSV file in any encoding, separated by commas, semicolons or tabs: each row whole or not
        at all; rejected rows are listed with their reasons, and all of them written to a report file."""
        from crm.cli import column_map, console, fail, report_import, run
        from crm.customers.csv_io import MATCH_BY

        if update_by not in (None, *MATCH_BY):
            fail(f"--update-by is one of {', '.join(MATCH_BY)}")
        mapping = column_map(map_)
        report = run(_import(file, as_user, mapping, dry_run, allow_duplicates, update_by))
        if report.updated:
            console.print(f"{'would update' if dry_run else 'updated'} {report.updated} existing customers")
        report_import(report.imported, [(r.row, r.errors) for r in report.rejected], "customers", dry_run, file, report_file)

    @export_cli.command("customers")
    def export_customers(
        as_user: str = typer.Option(..., "--as", help="Export what this user may read."),
        output: Path = typer.Option(Path("-"), "--output", "-o", help="The CSV file; - for standard output."),
        excel: bool = typer.Option(False, "--excel", help="Start the file with a UTF-8 byte order mark, so Excel opens accents right."),
        search: str = typer.Option(None, help="Name, email or phone prefix."),
        tag: list[str] = typer.Option([], help="Customers with any of these tags."),
        lifecycle_stage: str = typer.Option(None),
        region: str = typer.Option(None),
        industry: str = typer.Option(None),
    ) -> None:
        """Export customers to CSV, streamed: no limit on the number of rows."""
        from crm.cli import run
        from crm.customers.schema.queries import CustomerFilterCore as CustomerFilter

        f = CustomerFilter(search=search, tags=tag or None, lifecycle_stage=lifecycle_stage, region=region, industry=industry)
        run(_export(as_user, f, output, excel))


async def _runtime_and_access(email: str):
    from crm.cli import runtime_as

    return await runtime_as(email)


async def _import(file: Path, email: str, mapping: dict, dry_run: bool, allow_duplicates: bool, update_by: str | None = None):
    from rich.progress import Progress

    from crm.api.errors import Invalid
    from crm.cli import console, fail, read_import_file
    from crm.customers.csv_io import Importer, resolve_mapping

    runtime, access = await _runtime_and_access(email)
    try:
        if not access.can("customer", "write"):
            fail(f"{email} may not write customers")
        headers, rows = read_import_file(file)
        try:
            mapping = resolve_mapping(headers, mapping, update_by)
        except Invalid as exc:
            fail("; ".join(e.message for e in exc.errors))
        importer = Importer(runtime.db, runtime, access, allow_duplicates=allow_duplicates, dry_run=dry_run, update_by=update_by)
        with Progress(console=console) as bar:
            task = bar.add_task(f"importing {file.name}", total=len(rows))  # records, not lines: a cell may span several
            return await importer.run(rows, mapping, lambda n: bar.advance(task, n))
    finally:
        await runtime.stop()


async def _export(email: str, f, output: Path, excel: bool = False) -> None:
    from sqlalchemy import and_

    from crm.cli import console, fail
    from crm.customers.csv_io import export_rows
    from crm.customers.models import Customer
    from crm.customers.schema.queries import customer_conditions

    runtime, access = await _runtime_and_access(email)
    try:
        if not access.can("customer", "read"):
            fail(f"{email} may not read customers")
        handle = sys.stdout if str(output) == "-" else output.open("w", newline="", encoding="utf-8-sig" if excel else "utf-8")
        if excel and handle is sys.stdout:
            handle.write("\ufeff")
        writer = csv.writer(handle)
        count = -1
        async for row in export_rows(runtime.db, [and_(access.filter(Customer, "customer"), *customer_conditions(f))]):
            writer.writerow(row)
            count += 1
        if handle is not sys.stdout:
            handle.close()
            console.print(f"exported {count} customers to {output}")
    finally:
        await runtime.stop()
