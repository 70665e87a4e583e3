"""Optional OpenTelemetry tracing: with CRM_OTEL_ENDPOINT set (an OTLP/HTTP collector, e.g. http://collector:4318),
each request is a span (starlette's instrumentation) with the SQL statements it ran inside (SQLAlchemy's), sent in
batches to the collector. Without the setting nothing is imported; the packages come with `pip install 'crm[otel]'`.
"""

from __future__ import annotations

from typing import Any


def start(settings) -> Any | None:
    """A tracer provider exporting to the configured collector, or None when tracing is off."""
    if not settings.otel_endpoint:
        return None
    try:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor
    except ImportError as exc:
        raise RuntimeError("CRM_OTEL_ENDPOINT is set but OpenTelemetry is not installed: pip install 'crm[otel]'") from exc
    provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{settings.otel_endpoint.rstrip('/')}/v1/traces")))
    return provider


def instrument_app(app, provider) -> None:
    from opentelemetry.instrumentation.starlette import StarletteInstrumentor

    StarletteInstrumentor.instrument_app(app, tracer_provider=provider)


def instrument_engines(engines, provider) -> None:
    """Spans for the SQL of these engines (the runtime's; once per process, as SQLAlchemy's instrumentor allows)."""
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    # Its declared range stops below SQLAlchemy 2.1, which it instruments through the same engine events as 2.0
    # (the tracing test checks the spans arrive).
    SQLAlchemyInstrumentor().instrument(engines=[e.sync_engine for e in engines], tracer_provider=provider, skip_dep_check=True)


def stop(provider) -> None:
    """Send what is buffered and let a later runtime in this process instrument its own engines."""
    from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

    provider.shutdown()
    SQLAlchemyInstrumentor().uninstrument()
