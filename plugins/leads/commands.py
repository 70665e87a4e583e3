"""`crm import leads FILE.csv`: registered in plugin.py (crm_register_commands)."""

from __future__ import annotations

import csv
from pathlib import Path

import typer

import crm


def register() -> None:
    if any(c.name == "leads" for c in crm.import_cli.registered_commands):
        return  # the command line was built already in this process

    @crm.import_cli.command("leads")
    def import_leads(
        file: Path = typer.Argument(..., exists=True, dir_okay=False, help="A CSV file with a header row."),
        as_user: str = typer.Option(..., "--as", help="Email of the user who imports (the rules, pools or they own the leads)."),
        map_: list[str] = typer.Option([], "--map", help="COLUMN=FIELD, e.g. --map 'E-Mail=emails' --map 'Queue=pool'."),
        dry_run: bool = typer.Option(False, "--dry-run", help="Validate and report; import nothing."),
    ) -> None:
        """Import leads: each row whole or not at all; rejected rows are listed with their reasons."""
        report = crm.run_command(_import(file, as_user, crm.column_map(map_, lower=True), dry_run))
        verb = "would import" if dry_run else "imported"
        crm.console.print(f"{verb} {report.imported} leads; rejected {len(report.rejected)} rows")
        for line, errors in report.rejected[:200]:
            crm.console.print(f"  row {line}: " + "; ".join(f"{e.field or 'row'}: {e.message}" for e in errors))
        if report.rejected:
            raise typer.Exit(2)


async def _import(file: Path, email: str, mapping: dict, dry_run: bool):
    from rich.progress import Progress

    from crm.plugins.leads.csv_import import import_leads, mapping_for

    runtime, access = await crm.runtime_as(email)
    try:
        if not access.can("lead", "write"):
            crm.fail(f"{email} may not write leads")
        with file.open(newline="", encoding="utf-8-sig") as handle:
            total = max(sum(1 for _ in handle) - 1, 0)
            handle.seek(0)
            reader = csv.DictReader(handle)
            try:
                columns = mapping_for(list(reader.fieldnames or []), mapping)
            except crm.Invalid as exc:
                crm.fail("; ".join(e.message for e in exc.errors))
            with Progress(console=crm.console) as bar:
                task = bar.add_task(f"importing {file.name}", total=total)
                return await import_leads(runtime, access, reader, columns, dry_run=dry_run, progress=lambda n: bar.advance(task, n))
    finally:
        await runtime.stop()
