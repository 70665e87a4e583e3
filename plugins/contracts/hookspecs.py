"""Hooks the contracts plugin declares for other plugins (the contracts_sales bridge opens renewal deals). Contracts
publishes them with `crm.publish`; implementations may be `async def` and use the session."""

from crm import hookspec


@hookspec
def crm_on_contract_renewal_due(session, contract):
    """An active contract reached its notice date (its end date less its notice period), once per term, inside the
    transaction that gives the notice: the owner already has a renewal task; open what else renewing needs."""
