#!/usr/bin/env bash
# What announcing appends costs concurrent appenders (V011). pgbench on a throwaway PostgreSQL (fsync on): CLIENTS
# clients, each transaction locking one random counter row of 16 partitions FOR UPDATE and advancing it, as the
# append's last step does. Three arrangements of credit_log_partitions, alternated ROUNDS times:
#   baseline   no trigger;
#   v011       the V011 row trigger with every reader awake (the steady state: it only compares);
#   every      a trigger that notifies on every append (the design V011 replaced).
# Prints transactions/s per run and each arrangement's median ÷ the baseline's.
#
#   bench/notify/commit-rate.sh [--clients 16] [--rounds 3] [--seconds 10]
set -euo pipefail

clients=16 rounds=3 seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) clients="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "commit-rate.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

repo="$(cd "$(dirname "$0")/../.." && pwd)"
v011="$repo/deploy/sql/V011__credit_log_append_notifications.sql"
initdb_path="$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)"
bin="${PG_BIN:-$(dirname "$(readlink -f "${initdb_path:-/nonexistent}")")}"
[ -x "$bin/initdb" ] || { echo "commit-rate.sh: PostgreSQL binaries not found: install postgresql or set PG_BIN" >&2; exit 1; }
tool() { if [ -x "$bin/$1" ]; then echo "$bin/$1"; elif command -v "$1" >/dev/null; then command -v "$1"; else echo "commit-rate.sh: $1 not found" >&2; exit 1; fi; }
pgbench="$(tool pgbench)"
psql_bin="$(tool psql)"

# PostgreSQL refuses to run as root: run its binaries as the postgres user then.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

state="$(mktemp -d "${TMPDIR:-/tmp}/creditgrid-notify-XXXXXX")"
[ "$(id -u)" -eq 0 ] && chown postgres "$state"
port=$(( 20000 + RANDOM % 20000 ))
stop() { as_pg "$bin/pg_ctl" -D "$state/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$state"; }
trap stop EXIT
as_pg "$bin/initdb" -D "$state/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
as_pg "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -o "-p $port -k $state -c listen_addresses=''" start >/dev/null
psql() { as_pg "$psql_bin" -h "$state" -p "$port" -U postgres -d postgres -qX "$@"; }

psql -c "CREATE TABLE credit_log_partitions (partition integer PRIMARY KEY, last_pos bigint NOT NULL DEFAULT 0)" \
     -c "INSERT INTO credit_log_partitions (partition) SELECT generate_series(0, 15)"
psql -f "$v011" >/dev/null
psql <<'SQL'
CREATE FUNCTION notify_every_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('credit_log_appended', NEW.partition::text);
    RETURN NEW;
END
$$;
CREATE TRIGGER every_append BEFORE UPDATE ON credit_log_partitions FOR EACH ROW EXECUTE FUNCTION notify_every_append();
SQL
cat > "$state/append.sql" <<'SQL'
\set p random(0, 15)
BEGIN;
SELECT last_pos FROM credit_log_partitions WHERE partition = :p FOR UPDATE;
UPDATE credit_log_partitions SET last_pos = last_pos + 1 WHERE partition = :p;
COMMIT;
SQL
[ "$(id -u)" -eq 0 ] && chown postgres "$state/append.sql"

arrange() {
  local v011_state=DISABLE every_state=DISABLE
  case "$1" in v011) v011_state=ENABLE ;; every) every_state=ENABLE ;; esac
  psql -c "ALTER TABLE credit_log_partitions $v011_state TRIGGER credit_log_partitions_wake_reader" \
       -c "ALTER TABLE credit_log_partitions $every_state TRIGGER every_append"
}

echo "commit rate of concurrent single-partition appends: $clients clients, $rounds rounds of $seconds s each, PostgreSQL $("$bin/postgres" --version | awk '{print $3}'), fsync on, $(nproc) cores"
declare -A runs
for round in $(seq 1 "$rounds"); do
  for arrangement in baseline v011 every; do
    arrange "$arrangement"
    tps=$(as_pg "$pgbench" -h "$state" -p "$port" -U postgres -n -c "$clients" -j 2 -T "$seconds" -f "$state/append.sql" postgres 2>/dev/null \
      | awk '/^tps/ {printf "%.0f", $3}')
    runs[$arrangement]="${runs[$arrangement]:-} $tps"
    printf '  round %d  %-9s %8s transactions/s\n' "$round" "$arrangement" "$tps"
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
base=$(echo "${runs[baseline]}" | median)
for arrangement in baseline v011 every; do
  m=$(echo "${runs[$arrangement]}" | median)
  printf '  median    %-9s %8.0f transactions/s  (%.2f of the baseline)\n' "$arrangement" "$m" "$(echo "$m / $base" | bc -l)"
done
