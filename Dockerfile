# The CRM as a container: `crm serve` on port 8000, as a non-root user, with no build tools in the final image.
# Migrations are a separate step (`crm db upgrade`, the `migrate` service of compose.yaml), so that several replicas
# never migrate at once; the server refuses to start while the database is behind (`serve --no-migrate`).
#
#   docker build -t crm .
#   docker run --rm -e CRM_DATABASE_URL=postgresql://crm:secret@db:5432/crm crm db upgrade
#   docker run -p 8000:8000 -e CRM_DATABASE_URL=postgresql://crm:secret@db:5432/crm crm

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY core core
COPY plugins plugins
# Wheels of the CRM and of everything it needs, so the final stage installs offline from them.
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CRM_MODE=production \
    CRM_LOG_FORMAT=json
COPY --from=build /wheels /wheels
# Versions are pinned by the wheels the build stage resolved; only those are installed (--no-index).
# hadolint ignore=DL3013
RUN pip install --no-cache-dir --no-index --find-links=/wheels crm && rm -rf /wheels \
    && useradd --system --uid 10001 --create-home --home-dir /var/lib/crm crm
USER 10001
WORKDIR /var/lib/crm
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# SIGTERM lets requests in flight finish and gives scheduled jobs' leases back (docs: README, "Running it for real").
STOPSIGNAL SIGTERM
ENTRYPOINT ["crm"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--no-migrate"]
