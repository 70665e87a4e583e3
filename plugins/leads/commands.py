"""`crm import leads FILE.csv`: registered in plugin.py (crm_register_commands)."""

from __future__ import annotations

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
        report_file: Path = typer.Option(None, "--report", help="Where to write every rejected row (default: FILE.rejected.csv)."),
    ) -> None:
        """Import leads from a CSV file in any encoding, separated by commas, semicolons or tabs: each row whole or not
        at all; rejected rows are listed with their reasons, and all of them written to a report file."""
        report = crm.run_command(_import(file, as_user, crm.column_map(map_, lower=True), dry_run))
        crm.report_import(report.imported, report.rejected, "leads", dry_run, file, report_file)


async def _import(file: Path, email: str, mapping: dict, dry_run: bool):
    from rich.progress import Progress

    from crm.plugins.leads.csv_import import import_leads, mapping_for

    runtime, access = await crm.runtime_as(email)
    try:
        if not access.can("lead", "write"):
            crm.fail(f"{email} may not write leads")
        headers, rows = crm.read_import_file(file)
        try:
            columns = mapping_for(headers, mapping)
        except crm.Invalid as exc:
            crm.fail("; ".join(e.message for e in exc.errors))
        with Progress(console=crm.console) as bar:
            task = bar.add_task(f"importing {file.name}", total=len(rows))  # records, not lines
            return await import_leads(runtime, access, rows, columns, dry_run=dry_run, progress=lambda n: bar.advance(task, n))
    finally:
        await runtime.stop()
