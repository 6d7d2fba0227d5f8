#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first: PostgreSQL server binaries for the storage tests
# and libgomp for LightGBM. Safe to run again; it installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
need_package() {
  if ! dpkg -s "$1" >/dev/null 2>&1; then
    if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >/dev/null
  fi
}

# PostgreSQL: the binaries on PATH, else PG_BIN, else the Debian package.
if ! command -v initdb >/dev/null 2>&1 && [ -z "${PG_BIN:-}" ]; then
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need_package postgresql
  fi
  PG_BIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"
  export PG_BIN
fi
# The server refuses to run as root; the test fixture runs it as this user.
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  useradd --system --no-create-home --shell /usr/sbin/nologin postgres
fi
need_package libgomp1
# The CJK font the credit-report PDFs are set in (found through fontconfig).
need_package fonts-noto-cjk

dotnet build CreditGrid.slnx -c Release -nologo -v quiet

log="$(mktemp)"
status=0
dotnet test CreditGrid.slnx -c Release --no-build -nologo 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test assemblies.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
       gsub(",", ""); for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) }
     }
     END { printf "Total: %d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
