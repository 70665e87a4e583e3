"""crm.next_number: gap-free numbers from patterns, safe under concurrent creators, per period when the pattern says."""

import asyncio
from datetime import date

import pytest

import crm
from crm.sequences import check_pattern


async def test_numbers_are_gap_free_under_concurrent_writers_and_rollbacks(make_app):
    api = await make_app()
    db = api.runtime.db

    async def take(fail: bool = False) -> str | None:
        try:
            async with db.write() as session:
                number = await crm.next_number(session, "ticket", "T-{seq:05}")
                await asyncio.sleep(0.01)  # hold the row while others wait for it
                if fail:
                    raise RuntimeError("the creating transaction fails")
                return number
        except RuntimeError:
            return None

    got = await asyncio.gather(*[take(fail=i % 5 == 4) for i in range(20)])
    numbers = sorted(n for n in got if n)
    assert numbers == [f"T-{i:05d}" for i in range(1, 17)]  # 16 kept, the 4 rolled back gave theirs back


async def test_a_dated_pattern_numbers_each_period_from_one(make_app):
    api = await make_app()
    async with api.runtime.db.write() as session:
        made = [await crm.next_number(session, "contract", "C-{YYYY}-{seq:03}", day=date(2026, 12, 31)),
                await crm.next_number(session, "contract", "C-{YYYY}-{seq:03}", day=date(2026, 12, 31)),
                await crm.next_number(session, "contract", "C-{YYYY}-{seq:03}", day=date(2027, 1, 1)),
                await crm.next_number(session, "invoice", "{YY}{MM}/{seq}", day=date(2027, 1, 1))]
    assert made == ["C-2026-001", "C-2026-002", "C-2027-001", "2701/1"]


def test_patterns_are_checked():
    for bad in ("C-{YYYY}", "{seq}-{seq}", "X-{yyyy}-{seq}", "{seq} }"):
        with pytest.raises(ValueError):
            check_pattern(bad)
    check_pattern("Q-{seq:06}")
