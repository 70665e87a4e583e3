"""What a permission decision costs once a caller's grants are cached: `python -m bench.decisions`.

Casbin decides a subject's grants once (`Policy.grants`); every check after that is a lookup in the per-process
table. This times those checks, and for contrast a raw `enforce()` on the same policy, with timeit (best of 5).
"""

from __future__ import annotations

import asyncio
import timeit

from sqlalchemy import select

from crm.api.access import Access
from crm.db import Database
from crm.identity.models import Role
from crm.identity.policy import Policy, role_subject
from crm.settings import load_settings


def per_call(statement, number: int) -> float:
    """Nanoseconds per call, best of 5 repeats."""
    return min(timeit.repeat(statement, number=number, repeat=5)) / number * 1e9


async def main() -> None:
    settings = load_settings()
    db = Database(settings.database_url)
    policy = Policy(db, settings.policy_check_seconds)
    await policy.load()
    async with db.read() as session:  # the built-in manager role: grants with team scope
        subject = role_subject(await session.scalar(select(Role.id).where(Role.name == "manager")))
    grants = await policy.grants(subject)
    access = Access(1, grants, db.read)
    resource, action = next(iter(grants))
    rows = [
        ("access.can(resource, action)", per_call(lambda: access.can(resource, action), 1_000_000)),
        ("access.require(resource, action)", per_call(lambda: access.require(resource, action), 1_000_000)),
        ("policy.enforcer.enforce(...) (never on a request path)",
         per_call(lambda: policy.enforcer.enforce(subject, resource, action, "own"), 2_000)),
    ]
    await db.dispose()
    print(f"{len(policy.enforcer.get_policy())} policy rules; grants of {subject}: {len(grants)}")
    for name, ns in rows:
        print(f"{name:<58} {ns:10.0f} ns")


if __name__ == "__main__":
    asyncio.run(main())
