#!/usr/bin/env bash
# The full benchmark matrix of docs/benchmarks.md: SQLite and PostgreSQL, 10k and 1M customers, core and sales.
# Each configuration gets a fresh database, `crm bench generate`, then `python -m bench.run`; results go to
# bench/results/<database>-<size>.json. Takes about an hour on a 2-core machine. Usage: bash bench/all.sh [10000 1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
. .venv/bin/activate
export CRM_PASSWORD_HASH_PROFILE=CHEAPEST
PG="${CRM_BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"
SIZES="${*:-10000 1000000}"
mkdir -p bench/results /tmp/crm-bench
for size in $SIZES; do
  for db in postgresql sqlite; do
    if [ "$db" = postgresql ]; then
      name="crm_bench_$size"
      psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
      export CRM_DATABASE_URL="$PG/$name"
    else
      rm -f "/tmp/crm-bench/$size.db"*
      export CRM_DATABASE_URL="sqlite:////tmp/crm-bench/$size.db"
    fi
    crm db upgrade >/dev/null
    crm plugins enable sales >/dev/null
    crm bench generate --customers "$size" | tail -2
    python -m bench.run --runs "${RUNS:-3}" --duration "${DURATION:-5}" --output "bench/results/$db-$size.json" | grep -v '^ \|^{\|^}'
  done
done
