"""How fast the server refuses hostile documents: `python -m bench.hostile [--url http://127.0.0.1:8000]`.

Against a running server (`crm serve` or uvicorn), sends each document 20 times, one at a time, and prints the
median and slowest answer. The tests only check that each is refused with its code while /healthz answers; the
speed of a refusal is measured here, where a slow shared machine makes a number, not a red build.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx


def fan_out(levels: int) -> str:
    """Each fragment spreads the next twice: 2^levels fields from a document of a few hundred bytes."""
    fragments = " ".join(f"fragment F{i} on User {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels))
    return f"query {{ me {{ ...F0 }} }} {fragments} fragment F{levels} on User {{ id }}"


CASES = [
    ("fragment fan-out, 2^40 fields", fan_out(40)),
    ("440 kB of repeated fields", "{" + " __typename" * 40_000 + " }"),
    ("6,000 tokens in 12 kB", "{" + " a" * 6_000 + " }"),
    ("2.2 MB body", "{" + " __typename" * 200_000 + " }"),
    ("a valid query, for contrast", "{ __typename }"),
]


async def main(url: str, repeats: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        await client.post("/graphql", json={"query": "{ __typename }"})
        print(f"{'document':<32} {'status':>6} {'code':<20} {'median ms':>10} {'max ms':>8}")
        for name, query in CASES:
            times, response = [], None
            for _ in range(repeats):
                start = time.perf_counter()
                response = await client.post("/graphql", json={"query": query})
                times.append((time.perf_counter() - start) * 1000)
            errors = response.json().get("errors") or [{}]
            code = (errors[0].get("extensions") or {}).get("code", "-")
            print(f"{name:<32} {response.status_code:>6} {code:<20} {statistics.median(times):>10.1f} {max(times):>8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.repeats))
