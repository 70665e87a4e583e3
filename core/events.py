"""Publishing a domain event to every plugin that listens, inside the publishing transaction.

`await crm.publish(session, "crm_on_order_confirmed", order=order)` calls every implementation of that hook with
`session=session, order=order`, through pluggy (so `tryfirst`, `trylast` and wrappers work), and then awaits each
result that is awaitable, in the order pluggy called them. An implementation may therefore be a plain function or an
`async def` that queries and writes with `session` (a plain function cannot: the session is asynchronous). Raising
(`crm.Invalid` to refuse with typed errors) rolls the whole transaction back, the publisher's change included.
"""

from __future__ import annotations

import inspect


async def publish(session, event: str, **kwargs) -> None:
    runtime = session.info.get("runtime")
    if runtime is None:
        raise RuntimeError("publish needs a session from crm.mutation (or one whose info carries the runtime)")
    caller = getattr(runtime.pm.hook, event, None)
    if caller is None:
        raise LookupError(f"nobody declared the hook {event}; its publisher declares it with crm_add_hookspecs")
    for result in caller(session=session, **kwargs):
        if inspect.isawaitable(result):
            await result
