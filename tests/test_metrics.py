"""/metrics: Prometheus counters of requests, errors and latency, summed over every worker, behind a token."""

import re

import httpx


def sample(text: str, name: str, **labels) -> float:
    """The value of one sample in a Prometheus exposition, 0 when it is not there."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.match(r"^(\w+)\{(.*)\} (\S+)$", line)
        if match and match[1] == name and ",".join(sorted(match[2].split(","))) == wanted:
            return float(match[3])
    return 0.0


async def test_metrics_count_requests_and_errors_and_need_the_token(make_app):
    api = await make_app(metrics_enabled=True, metrics_token="scrape-secret")
    assert (await api.client.get("/metrics")).status_code == 401
    auth = {"Authorization": "Bearer scrape-secret"}
    before = (await api.client.get("/metrics", headers=auth)).text
    for _ in range(3):
        await api.client.post("/graphql", json={"query": "query Ping { __typename }"})
    await api.client.post("/graphql", json={"query": "query Broken { nope }", "operationName": "Broken"})
    after = (await api.client.get("/metrics", headers=auth)).text
    assert sample(after, "crm_requests_total", operation="Ping", status="200") - sample(before, "crm_requests_total", operation="Ping", status="200") == 3
    assert sample(after, "crm_request_errors_total", operation="Broken", code="GRAPHQL_VALIDATION_FAILED") >= 1
    assert sample(after, "crm_request_duration_seconds_count", operation="Ping") >= 3
    assert "crm_db_connections_in_use" in after
    assert "crm_requests_in_flight 0.0" in after  # every request answered is counted out again


async def test_metrics_are_summed_over_two_workers(make_app, live_server, tmp_path):
    api = await make_app()
    base = await live_server(api, workers=2, metrics_enabled=True, metrics_dir=str(tmp_path / "metrics"))
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for _ in range(40):  # fresh connections, so both workers take some
            async with httpx.AsyncClient(base_url=base, timeout=30) as one:
                await one.post("/graphql", json={"query": "query Ping { __typename }"})
        scrapes = [(await client.get("/metrics")).text for _ in range(4)]
    assert all(sample(text, "crm_requests_total", operation="Ping", status="200") == 40 for text in scrapes)
    assert len(list((tmp_path / "metrics").glob("counter_*.db"))) == 2  # one file per worker, both counted
