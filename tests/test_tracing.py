"""OpenTelemetry, when configured: a request's span reaches the collector with the SQL it ran inside it."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

pytest.importorskip("opentelemetry.sdk", reason="tracing needs the otel extra (pip install 'crm[otel]')")


class Collector(BaseHTTPRequestHandler):
    """A stand-in OTLP/HTTP collector: keeps every export it is sent."""

    received: list[tuple[str, bytes]] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Collector.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args):
        pass


async def test_requests_and_their_sql_are_traced_to_the_collector(make_app):
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    from crm.api import tracing

    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        api = await make_app(otel_endpoint=f"http://127.0.0.1:{server.server_port}", otel_service_name="crm-test")
        await api.admin("{ customers(first: 5) { totalCount } }")
        provider = api.client._transport.app.state.tracer_provider
        provider.force_flush()
        spans, services = [], set()
        for path, body in Collector.received:
            assert path == "/v1/traces"
            export = ExportTraceServiceRequest.FromString(body)
            for resource_spans in export.resource_spans:
                services |= {a.value.string_value for a in resource_spans.resource.attributes if a.key == "service.name"}
                spans += [s for scope in resource_spans.scope_spans for s in scope.spans]
        assert services == {"crm-test"}
        requests = [s for s in spans if s.name.startswith("POST /graphql")]
        sql = [s for s in spans if s.name.startswith(("SELECT", "INSERT", "UPDATE"))]
        assert requests and sql
        request_ids = {s.trace_id for s in requests}
        assert any(s.trace_id in request_ids for s in sql)  # the statements are inside the request's trace
        tracing.stop(provider)
    finally:
        server.shutdown()
