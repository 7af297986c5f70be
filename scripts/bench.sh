#!/usr/bin/env bash
# `make bench`: speed figures on a synthetic catalogue of BENCH_SERVICES services, on SQLite and,
# when the server answers, on PostgreSQL (BENCH_PG_URL). The databases are built once and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
N="${BENCH_SERVICES:-20000}"
PG_ADMIN_URL="${BENCH_PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_URL="${BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/facciamorete_bench}"
mkdir -p var
export STATIC_MANIFEST=0  # pages are measured without collectstatic; static files are not served here

prepare() {  # $1 = DATABASE_URL; builds the catalogue unless it is already there
  export DATABASE_URL="$1"
  $PY manage.py migrate -v0 --noinput
  have=$($PY manage.py shell --no-imports -v 0 -c "from facciamorete.directory.models import Service; print(Service.objects.count())")
  if [ "$have" -lt "$N" ]; then
    $PY manage.py load_reference
    $PY manage.py seed_synthetic --services "$((N - have))"
  fi
}

prepare "sqlite:///$PWD/var/bench-$N.sqlite3"
$PY manage.py bench --hsds
$PY manage.py bench_search

if $PY - "$PG_ADMIN_URL" "$PG_URL" <<'PY'
import sys, psycopg
admin, target = sys.argv[1], sys.argv[2].rsplit("/", 1)[1]
try:
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [target]).fetchone():
            conn.execute(f'CREATE DATABASE "{target}"')
except psycopg.OperationalError:
    sys.exit(1)
PY
then
  prepare "$PG_URL"
  $PY manage.py bench --hsds
  $PY manage.py bench_search
else
  echo "PostgreSQL non raggiungibile: misure solo su SQLite."
fi

# Page weight in a real browser, on the demo network (`make setup` built it).
if command -v chromium >/dev/null 2>&1; then
  unset DATABASE_URL
  $PY scripts/page_weight.py
else
  echo "Chromium non installato: peso delle pagine non misurato (apt-get install chromium)."
fi
