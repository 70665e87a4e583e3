"""What a customer import costs: `python -m bench.csv_import [--rows 20000]` against `CRM_DATABASE_URL`.

Writes a CSV of distinct companies (name, kind, email, phone, website, two tags, industry), then times the importer
the CLI and `importCustomers` share: a dry run, the import itself, and the same file again (every row a duplicate).
Run it on an empty, migrated database with an admin `bench-import@example.com` (see docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import secrets
import time

from crm.customers.commands import _runtime_and_access
from crm.customers.csv_io import Importer, read_csv, resolve_mapping


def companies(n: int, tag: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Name", "Kind", "Email", "Phone", "Website", "Tags", "Industry"])
    phone = int(tag, 16) % 10_000 * 100_000  # distinct from other runs' numbers, as the emails and websites are
    for i in range(n):
        writer.writerow([f"Import {tag} {i}", "company", f"info{i}@{tag}-{i}.example.com", f"+49 30 {phone + i}",
                         f"https://{tag}-{i}.example.com", "a;b", "Retail"])
    return out.getvalue()


async def main(rows: int, email: str) -> None:
    runtime, access = await _runtime_and_access(email)
    headers, data = read_csv(companies(rows, secrets.token_hex(4)))
    mapping = resolve_mapping(headers, None)
    try:
        print(f"{runtime.db.dialect}: {rows} rows")
        for label, dry_run in (("dry run", True), ("import", False), ("again: all duplicates", False)):
            start, cpu = time.perf_counter(), time.process_time()
            report = await Importer(runtime.db, runtime, access, dry_run=dry_run).run(data, mapping)
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"  {label:<24} {seconds:6.2f} s  {rows / seconds:8.0f} rows/s  (Python {cpu:5.2f} s)  imported {report.imported}, rejected {len(report.rejected)}")
    finally:
        await runtime.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--as", dest="email", default="bench-import@example.com")
    args = parser.parse_args()
    asyncio.run(main(args.rows, args.email))
