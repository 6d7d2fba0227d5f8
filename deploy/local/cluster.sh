#!/usr/bin/env bash
# A throwaway multi-process CreditGrid on this machine: PostgreSQL in a temporary folder, N silo processes and
# M gateway processes, all on loopback. `stop` ends exactly what `start` started.
#
#   deploy/local/cluster.sh start [--silos N] [--gateways M]   start and print the gateway URLs and connection string
#   deploy/local/cluster.sh status                             what is running
#   deploy/local/cluster.sh stop                               stop everything and delete the temporary data
#   deploy/local/cluster.sh kill-silo I                        SIGKILL silo I (1-based), for fault tests
#   deploy/local/cluster.sh start-silo I                       start silo I again with its original ports
#   deploy/local/cluster.sh kill-gateway I                     SIGKILL gateway I (1-based), for fault tests
#   deploy/local/cluster.sh start-gateway I                    start gateway I again on its original port
#   deploy/local/cluster.sh stop-postgres                      stop PostgreSQL (fast shutdown), keeping its data
#   deploy/local/cluster.sh start-postgres                     start PostgreSQL again on the same data and port
#   deploy/local/cluster.sh token --role R [--uscc C] [...]    print a token the gateways accept (their `token` command)
#
# State lives in $CREDITGRID_CLUSTER_DIR (default /tmp/creditgrid-cluster); `cluster.env` there holds
# CONNECTION_STRING, GATEWAY_URLS and GATEWAY_TOKEN (an admin token valid for a day) for scripts and tests.
# $CREDITGRID_PG_OPTIONS, when set, is appended to the PostgreSQL server options (e.g. '-c shared_preload_libraries=pg_stat_statements').
# Silos and gateways run with server GC unless $DOTNET_gcServer is set (DOTNET_gcServer=0 for workstation GC).
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
state="${CREDITGRID_CLUSTER_DIR:-/tmp/creditgrid-cluster}"
configuration="${CREDITGRID_CONFIGURATION:-Release}"
silo_dll="$repo/src/Silo/bin/$configuration/net10.0/CreditGrid.Silo.dll"
gateway_dll="$repo/src/Gateway/bin/$configuration/net10.0/CreditGrid.Gateway.dll"

die() { echo "cluster.sh: $*" >&2; exit 1; }

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$found" ] || die "PostgreSQL binaries not found: install the postgresql package or set PG_BIN"
  echo "$found"
}

# PostgreSQL refuses to run as root: run its binaries as the postgres user then.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Ports are picked below the kernel's ephemeral range (ip_local_port_range, 32768–60999 by default): a port picked
# inside it can be taken by any outgoing connection's local end between the check and the process's bind.
port_range() {
  local low
  low="$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
  if [ "${low:-0}" -gt 12000 ]; then echo "10000 $(( low - 10000 ))"; else echo "20000 40000"; fi
}

free_port() {
  local port first span
  read -r first span <<<"$(port_range)"
  for _ in $(seq 1 200); do
    port=$(( first + RANDOM % span ))
    if ! port_in_use "$port" && ! grep -qx "$port" "$state/ports" 2>/dev/null; then
      echo "$port" >> "$state/ports"
      echo "$port"
      return
    fi
  done
  die "no free loopback port found"
}

wait_for() { # seconds, description, command...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $(( seconds * 5 ))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  die "$what did not come up within ${seconds}s (logs in $state)"
}

start_postgres() {
  local bin port
  bin="$(pg_bin)"
  port="$(free_port)"
  mkdir -p "$state/pg"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown -R postgres "$state/pg"
    chmod 755 "$state"
  fi
  as_pg "$bin/initdb" -D "$state/pg/data" -U postgres -A trust -E UTF8 --no-locale >"$state/pg/initdb.log" 2>&1
  echo "$port" > "$state/pg/port"
  run_postgres
  local psql="$bin/psql"
  [ -x "$psql" ] || psql="$(command -v psql)" || die "psql not found: install postgresql-client"
  as_pg "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE creditgrid" >/dev/null
}

# Starts the server of $state/pg/data on the port recorded in $state/pg/port (first start and restarts alike).
run_postgres() {
  as_pg "$(pg_bin)/pg_ctl" -D "$state/pg/data" -l "$state/pg/server.log" -w -t 60 \
    -o "-p $(cat "$state/pg/port") -k $state/pg -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200 ${CREDITGRID_PG_OPTIONS:-}" start >/dev/null
}

postgres_running() { [ -f "$state/pg/data/postmaster.pid" ]; }

connection_string() {
  echo "Host=127.0.0.1;Port=$(cat "$state/pg/port");Database=creditgrid;Username=postgres;Maximum Pool Size=50"
}

common_env() {
  export ConnectionStrings__CreditGrid="$(connection_string)"
  export Orleans__ClusterId=creditgrid-local Orleans__ServiceId=creditgrid
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_gcServer="${DOTNET_gcServer:-1}"
}

start_silo() { # index
  local i=$1 silo_port gateway_port
  if [ -f "$state/silo$i.ports" ]; then
    read -r silo_port gateway_port < "$state/silo$i.ports"
  else
    silo_port="$(free_port)"; gateway_port="$(free_port)"
    echo "$silo_port $gateway_port" > "$state/silo$i.ports"
  fi
  (
    common_env
    export CreditGrid__Silo__SiloPort="$silo_port" CreditGrid__Silo__GatewayPort="$gateway_port"
    cd "$(dirname "$silo_dll")"
    exec dotnet "$silo_dll" >>"$state/silo$i.log" 2>&1
  ) &
  echo $! > "$state/silo$i.pid"
}

start_gateway() { # index
  local i=$1 http_port
  if [ -f "$state/gateway$i.url" ]; then
    http_port="$(sed 's/.*://' "$state/gateway$i.url")"
  else
    http_port="$(free_port)"
  fi
  (
    common_env
    export CreditGrid__Gateway__Mode=client CreditGrid__Demo__Enabled=false
    cd "$(dirname "$gateway_dll")"
    exec dotnet "$gateway_dll" --urls "http://127.0.0.1:$http_port" >>"$state/gateway$i.log" 2>&1
  ) &
  echo $! > "$state/gateway$i.pid"
  echo "http://127.0.0.1:$http_port" > "$state/gateway$i.url"
}

# Running, and not a zombie: a killed process whose new parent has not reaped it yet still answers kill -0.
alive() {
  [ -f "$1" ] || return 1
  local pid state
  pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)"
  [ -n "$state" ] && [ "$state" != "Z" ]
}

# SIGKILL, then wait until the process is gone, so a following start never races the dying one for its ports.
kill_now() { # pid file, description
  local pid
  pid="$(cat "$1")"
  kill -KILL "$pid"
  for _ in $(seq 1 50); do alive "$1" || { echo "killed $2 (pid $pid)"; return 0; }; sleep 0.1; done
  die "$2 (pid $pid) did not die"
}

# The gateways' own token command, run where they run, so it signs with the key they validate against (the
# development key of appsettings.json unless CreditGrid__Auth__SigningKey is set in this environment).
mint_token() {
  ( cd "$(dirname "$gateway_dll")" && timeout 60 dotnet "$gateway_dll" token "$@" )
}

cmd_start() {
  local silos=2 gateways=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --silos) silos="$2"; shift 2 ;;
      --gateways) gateways="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ ! -d "$state" ] || die "$state exists: a cluster may be running (run stop first)"
  if [ ! -f "$silo_dll" ] || [ ! -f "$gateway_dll" ]; then
    dotnet build "$repo/src/Silo" -c "$configuration" -nologo -v quiet >/dev/null
    dotnet build "$repo/src/Gateway" -c "$configuration" -nologo -v quiet >/dev/null
  fi
  mkdir -p "$state"
  : > "$state/ports"
  start_postgres
  ( common_env; dotnet "$silo_dll" migrate >"$state/migrate.log" 2>&1 ) || die "migration failed (see $state/migrate.log)"
  for i in $(seq 1 "$silos"); do start_silo "$i"; done
  for i in $(seq 1 "$gateways"); do start_gateway "$i"; done
  local urls=()
  for i in $(seq 1 "$gateways"); do
    local url
    url="$(cat "$state/gateway$i.url")"
    wait_for 90 "gateway $i" curl -sf "$url/health/ready"
    urls+=("$url")
  done
  local token
  token="$(mint_token --role admin --subject cluster-operator --expires 24h)" || die "could not mint a gateway token"
  {
    echo "CONNECTION_STRING='$(connection_string)'"
    echo "GATEWAY_URLS='${urls[*]}'"
    echo "GATEWAY_TOKEN='$token'"
    echo "SILOS=$silos"
    echo "GATEWAYS=$gateways"
  } > "$state/cluster.env"
  echo "PostgreSQL: $(connection_string)"
  for url in "${urls[@]}"; do echo "Gateway:    $url"; done
  echo "Silos:      $silos (logs in $state)"
}

cmd_status() {
  [ -d "$state" ] || { echo "not running"; return 0; }
  local f
  if [ -f "$state/pg/port" ]; then echo "postgres   127.0.0.1:$(cat "$state/pg/port")"; fi
  for f in "$state"/silo*.pid "$state"/gateway*.pid; do
    [ -f "$f" ] || continue
    local name
    name="$(basename "$f" .pid)"
    if alive "$f"; then echo "$name running (pid $(cat "$f"))"; else echo "$name stopped"; fi
  done
}

stop_pid_file() {
  local f=$1 pid
  alive "$f" || return 0
  pid="$(cat "$f")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do alive "$f" || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

cmd_stop() {
  [ -d "$state" ] || { echo "not running"; return 0; }
  local f
  for f in "$state"/gateway*.pid "$state"/silo*.pid; do [ -f "$f" ] && stop_pid_file "$f"; done
  if postgres_running; then
    as_pg "$(pg_bin)/pg_ctl" -D "$state/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$state"
  echo "stopped"
}

cmd_kill_silo() {
  local f="$state/silo$1.pid"
  alive "$f" || die "silo $1 is not running"
  kill_now "$f" "silo $1"
}

cmd_start_silo() {
  alive "$state/silo$1.pid" && die "silo $1 is already running"
  start_silo "$1"
  echo "started silo $1 (pid $(cat "$state/silo$1.pid"))"
}

cmd_kill_gateway() {
  local f="$state/gateway$1.pid"
  alive "$f" || die "gateway $1 is not running"
  kill_now "$f" "gateway $1"
}

cmd_start_gateway() {
  [ -f "$state/gateway$1.url" ] || die "gateway $1 was never started"
  alive "$state/gateway$1.pid" && die "gateway $1 is already running"
  start_gateway "$1"
  echo "started gateway $1 (pid $(cat "$state/gateway$1.pid")) at $(cat "$state/gateway$1.url")"
}

cmd_stop_postgres() {
  [ -f "$state/pg/port" ] || die "no PostgreSQL in $state"
  postgres_running || die "PostgreSQL is not running"
  # Fast shutdown: open sessions are terminated and their transactions rolled back, as in a failover or restart.
  as_pg "$(pg_bin)/pg_ctl" -D "$state/pg/data" -m fast -w -t 60 stop >/dev/null
  echo "stopped PostgreSQL on port $(cat "$state/pg/port")"
}

cmd_start_postgres() {
  [ -f "$state/pg/port" ] || die "no PostgreSQL in $state"
  postgres_running && die "PostgreSQL is already running"
  run_postgres
  echo "started PostgreSQL on port $(cat "$state/pg/port")"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  kill-silo) cmd_kill_silo "${2:?silo index}" ;;
  start-silo) cmd_start_silo "${2:?silo index}" ;;
  kill-gateway) cmd_kill_gateway "${2:?gateway index}" ;;
  start-gateway) cmd_start_gateway "${2:?gateway index}" ;;
  stop-postgres) cmd_stop_postgres ;;
  start-postgres) cmd_start_postgres ;;
  token) shift; [ -f "$gateway_dll" ] || dotnet build "$repo/src/Gateway" -c "$configuration" -nologo -v quiet >/dev/null; mint_token "$@" ;;
  *) echo "usage: $0 start [--silos N] [--gateways M] | status | stop | kill-silo I | start-silo I | kill-gateway I | start-gateway I | stop-postgres | start-postgres | token --role R [--uscc C]" >&2; exit 2 ;;
esac
