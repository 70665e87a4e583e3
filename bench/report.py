"""Render bench/results/*.json as the tables of docs/benchmarks.md: `python -m bench.report`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def table(report: dict) -> str:
    lines = [f"#### {'SQLite' if 'sqlite' in report['database'] else 'PostgreSQL'}, "
             f"{report['customers']:,} customers, {report['workers']} workers",
             "", "| scenario | c | ops/s | p50 ms | p95 ms | p99 ms | errors |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in report["results"]:
        lines.append(f"| {r['scenario']} | {r['concurrency']} | {r['throughput']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} | "
                     f"{r['p99']:.1f} | {r['errors']} |")
    by = {(r["scenario"], r["concurrency"]): r["throughput"] for r in report["results"]}
    ratios = []
    for page in ("first page", "deep page"):
        for c in sorted({r["concurrency"] for r in report["results"]}):
            gql, raw = by.get((f"list 50: {page}", c)), by.get((f"raw list 50: {page}", c))
            if gql and raw:
                ratios.append(f"{page} c={c}: {gql / raw:.2f}")
    first, deep = by.get(("list 50: first page", 1)), by.get(("list 50: deep page", 1))
    p50 = {(r["scenario"], r["concurrency"]): r["p50"] for r in report["results"]}
    lines += ["", f"GraphQL/raw throughput: {', '.join(ratios)}."]
    if first and deep:
        lines.append(f"Deep page ({report['deep_offset']:,} rows in) / first page p50 at c=1: "
                     f"{p50[('list 50: deep page', 1)] / p50[('list 50: first page', 1)]:.2f}.")
    lines.append(f"SQL statements per request: {', '.join(f'{k}: {v}' for k, v in report['statements'].items())}. "
                 f"Peak memory per worker: {', '.join(f'{k} {v:.0f} MiB' for k, v in report['peak_memory_mib'].items())}.")
    return "\n".join(lines) + "\n"


def main() -> None:
    files = sorted(RESULTS.glob("*.json"), key=lambda p: (int(p.stem.split("-")[-1]), p.stem))
    sys.stdout.write("\n".join(table(json.loads(f.read_text())) for f in files))


if __name__ == "__main__":
    main()
