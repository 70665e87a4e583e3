"""Prometheus metrics at `/metrics` (`CRM_METRICS_ENABLED`, optionally behind `CRM_METRICS_TOKEN`).

Requests by operation and status, requests in flight, errors by code, latency histograms, database connections in use, job runs. With
several workers each process writes its numbers to files in `CRM_METRICS_DIR` (prometheus-client's multiprocess
mode) and any worker answers a scrape with the sum of all. `crm serve` makes that directory when metrics are on;
prometheus-client reads `PROMETHEUS_MULTIPROC_DIR` when it is first imported, so `enable()` sets it before that.

Operation names come from clients, so they are labels only while they look like names and while fewer than
`MAX_OPERATIONS` have been seen by this process; the rest count as "other".
"""

from __future__ import annotations

import hmac
import os
import re

MAX_OPERATIONS = 200
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_metrics = None


class _Metrics:
    def __init__(self):
        from prometheus_client import Counter, Gauge, Histogram

        self.requests = Counter("crm_requests", "HTTP requests answered", ["operation", "status"])
        self.errors = Counter("crm_request_errors", "GraphQL errors by code", ["operation", "code"])
        self.duration = Histogram("crm_request_duration_seconds", "Time to answer a request", ["operation"],
                                  buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.in_flight = Gauge("crm_requests_in_flight", "GraphQL requests being answered now",
                               multiprocess_mode="livesum")
        self.connections = Gauge("crm_db_connections_in_use", "Database connections checked out of the pools",
                                 multiprocess_mode="livesum")
        self.jobs = Counter("crm_job_runs", "Scheduled job runs by outcome", ["job", "outcome"])
        self.operations: set[str] = set()

    def operation(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if name in self.operations:
            return name
        if NAME.match(name) and len(self.operations) < MAX_OPERATIONS:
            self.operations.add(name)
            return name
        return "other"


def enable(directory: str | None) -> None:
    """Turn metrics on in this process; `directory`: the shared multiprocess directory, if several workers run."""
    global _metrics
    if _metrics is None:
        if directory:
            os.makedirs(directory, exist_ok=True)
            os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", directory)
        _metrics = _Metrics()


def enabled() -> _Metrics | None:
    return _metrics


def request_started(path: str | None) -> None:
    # What an operator watches while a worker drains on shutdown, and how a test knows a request is under way.
    if _metrics is not None and path == "/graphql":
        _metrics.in_flight.inc()


def observe_request(facts: dict, status: int, seconds: float) -> None:
    if _metrics is None or facts.get("path") != "/graphql":
        return
    _metrics.in_flight.dec()
    operation = _metrics.operation(facts.get("operation"))
    _metrics.requests.labels(operation, str(status)).inc()
    _metrics.duration.labels(operation).observe(seconds)
    for code in facts.get("codes") or ():
        _metrics.errors.labels(operation, code).inc()


def observe_job(name: str, failed: bool) -> None:
    if _metrics is not None:
        _metrics.jobs.labels(name, "failed" if failed else "succeeded").inc()


def watch_pools(engines) -> None:
    """Count connections in use through the pools' checkout and checkin events."""
    from sqlalchemy import event

    if _metrics is None:
        return
    for engine in engines:
        event.listen(engine.sync_engine, "checkout", lambda *a: _metrics.connections.inc())
        event.listen(engine.sync_engine, "checkin", lambda *a: _metrics.connections.dec())


def exposition(authorization: str | None, token: str | None) -> tuple[int, bytes, str]:
    """Status, body and content type of a scrape."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
    from prometheus_client.multiprocess import MultiProcessCollector

    if token and not hmac.compare_digest((authorization or "").encode(), f"Bearer {token}".encode()):
        return 401, b"send Authorization: Bearer <CRM_METRICS_TOKEN>\n", "text/plain"
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    return 200, generate_latest(registry), CONTENT_TYPE_LATEST
