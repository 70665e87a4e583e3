"""The web console at scale, in a real browser: what a user waits for on the customer list and the 360 view when the
database holds a million customers.

Starts the server (uvicorn, `--workers`) on the database of CRM_DATABASE_URL (`crm bench generate`'s data), then
drives Debian's Chromium with Playwright as the bench admin (who sees every customer) and as the rep who owns the
most: log in, open the customer list (its first page and `totalCount`), page forward, search, filter by kind, open a
360 view. Each step is timed from the click or key to the moment its answer is on the screen, `--runs` times; the
median and the slowest are printed and written to `--output` (JSON).

    CRM_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/crm_bench_1000000 python -m bench.console
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shutil
import statistics
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import text

from bench.run import ADMIN, ROOT, start_server, wait_until_up
from crm.bench.generate import BENCH_PASSWORD
from crm.settings import load_settings

PORT = 8765


async def users(settings) -> list[str]:
    """The bench admin (made if missing) and the rep who owns the most customers."""
    from crm.db import Database
    from crm.identity.admin import create_admin

    db = Database(settings.database_url)
    async with db.read() as session:
        if not await session.scalar(text("SELECT id FROM core_user WHERE email = :e"), {"e": ADMIN}):
            await create_admin(db, settings, ADMIN, BENCH_PASSWORD, "Bench Admin")
        rep = await session.scalar(text(
            "SELECT u.email FROM core_user u JOIN core_customer c ON c.owner_id = u.id WHERE u.email LIKE 'bench-%' AND u.email <> :a "
            "GROUP BY u.email ORDER BY count(*) DESC LIMIT 1"), {"a": ADMIN})
    await db.dispose()
    return [ADMIN, rep]


async def measure(base: str, email: str, runs: int, timings: dict[str, list[float]]) -> dict:
    from playwright.async_api import async_playwright, expect

    seen = {}
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for _ in range(runs):
            page = await browser.new_page(viewport={"width": 1280, "height": 900})

            async def timed(step: str, action, done):
                started = time.perf_counter()
                await action()
                await done()
                timings[f"{step}"].append((time.perf_counter() - started) * 1000)

            await page.goto(f"{base}/app/")
            await page.get_by_label("Email").fill(email)
            await page.get_by_label("Password").fill(BENCH_PASSWORD)
            await timed("log in, My day shown", page.get_by_role("button", name="Log in").click,
                        lambda: expect(page.get_by_role("heading", name="My day")).to_be_visible())
            count = page.get_by_text(re.compile(r"^\d+ customers$"))
            started = time.perf_counter()
            await page.get_by_role("link", name="Customers").click()
            await expect(page.locator("tbody tr td a").first).to_be_visible()
            timings["customer list: first page shown"].append((time.perf_counter() - started) * 1000)
            await expect(count).to_be_visible()  # counted in a request of its own, beside the page's
            timings["customer list: its total shown"].append((time.perf_counter() - started) * 1000)
            seen["total"] = await count.inner_text()
            for _ in range(3):
                first = await page.locator("tbody tr td a").first.inner_text()
                await timed("next page", page.get_by_role("button", name="Next").click,
                            lambda: expect(page.locator("tbody tr td a").first).not_to_have_text(first))
            search = page.get_by_label("Search customers")
            await search.fill("")
            await timed("search by name prefix (typed, 200 ms pause included)", lambda: search.fill("Summit"),
                        lambda: expect(page.locator("tbody tr td a").first).to_have_text(re.compile("^Summit")))
            await search.fill("")
            await expect(count).not_to_have_text(re.compile("^0 "))
            before = await count.inner_text()
            await timed("filter: companies only", lambda: page.get_by_label("Kind").select_option("COMPANY"),
                        lambda: expect(count).not_to_have_text(before))
            name = await page.locator("tbody tr td a").first.inner_text()
            await timed("open a 360 view with its timeline", page.locator("tbody tr td a").first.click,
                        lambda: expect(page.locator(".entries li").first).to_be_visible())
            await expect(page.get_by_role("heading", level=1)).to_have_text(name)
            await page.close()
        await browser.close()
    return seen


async def run(args) -> dict:
    settings = load_settings()
    server = start_server("crm.api.app:create_app", PORT, args.workers, settings.database_url)
    base = f"http://127.0.0.1:{PORT}"
    results = {}
    try:
        await wait_until_up(f"{base}/graphql")
        for email in await users(settings):
            timings: dict[str, list[float]] = defaultdict(list)
            seen = await measure(base, email, args.runs, timings)
            results[email] = {"sees": seen.get("total"), "steps": {
                step: {"median_ms": round(statistics.median(v), 1), "max_ms": round(max(v), 1), "runs": len(v)} for step, v in timings.items()}}
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "console.json")
    args = parser.parse_args()
    results = asyncio.run(run(args))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=1))
    for email, result in results.items():
        print(f"{email} ({result['sees']})")
        for step, t in result["steps"].items():
            print(f"  {step:55} median {t['median_ms']:7.1f} ms   slowest {t['max_ms']:7.1f} ms")


if __name__ == "__main__":
    main()
