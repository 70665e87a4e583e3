"""`crm inventory check`: registered in plugin.py (crm_register_commands)."""

from __future__ import annotations

import typer

import crm


def register(cli) -> None:
    if any(group.name == "inventory" for group in cli.registered_groups):
        return  # the command line was built already in this process
    group = typer.Typer(help="Stock: check the levels against the ledger.", no_args_is_help=True)
    cli.add_typer(group, name="inventory")

    @group.command("check")
    def check() -> None:
        """Recompute every stock level from the ledger and report any difference (exit status 1 if there is one)."""
        found = crm.run_command(_check())
        if not found:
            crm.console.print("every stock level equals the ledger's sum")
            return
        for d in found:
            crm.console.print(f"product {d.product_id} in warehouse {d.warehouse_id}: level on hand {d.on_hand}, reserved {d.reserved}; "
                              f"ledger on hand {d.ledger_on_hand}, reserved {d.ledger_reserved}")
        crm.console.print(f"{len(found)} levels differ from the ledger")
        raise typer.Exit(1)


async def _check():
    from crm.plugins.inventory.check import differences

    runtime = await crm.command_runtime()
    try:
        async with runtime.db.read() as session:
            return await differences(session)
    finally:
        await runtime.stop()
