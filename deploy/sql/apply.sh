#!/usr/bin/env bash
# Applies every numbered script in deploy/sql, in order, to one PostgreSQL database.
#   bash deploy/sql/apply.sh "Host=127.0.0.1;Port=5432;Username=orleans;Password=…;Database=orleansreminders"
# The argument (or $ORLEANSREMINDERS_PG) is the same Npgsql connection string the service uses.
# Every script is idempotent: running this twice changes nothing the second time.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
conn="${1:-${ORLEANSREMINDERS_PG:-}}"
if [[ -z "$conn" ]]; then
    echo "usage: apply.sh '<Npgsql connection string>' (or set ORLEANSREMINDERS_PG)" >&2
    exit 2
fi
command -v psql >/dev/null || { echo "apply.sh: psql not found (install the postgresql-client package)" >&2; exit 2; }

# shellcheck source=pg-env.sh
source "$here/pg-env.sh"
pg_env_from_npgsql "$conn"
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

shopt -s nullglob
scripts=("$here"/[0-9][0-9][0-9]_*.sql)
for script in "${scripts[@]}"; do
    name="$(basename "$script")"
    psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 --single-transaction -f "$script" >/dev/null
    psql --no-psqlrc --quiet -v ON_ERROR_STOP=1 -v name="$name" >/dev/null <<'SQL'
INSERT INTO schema_scripts (script) VALUES (:'name')
ON CONFLICT (script) DO UPDATE SET applied_at = now();
SQL
    echo "applied $name"
done
