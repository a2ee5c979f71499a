#!/usr/bin/env bash
# Start the services hejnał's test suite needs, idempotently (safe to run again and again).
#
#   bash .ci/start-services.sh
#
# Today that is PostgreSQL 15 (Debian's cluster "15 main"), reachable password-less over TCP as
# the superuser `root`:
#
#   postgres://root@localhost/postgres
#
# The other real parts the tests use (smtp-sink, aiosmtpd, Kannel + fakesmsc, Chromium +
# ChromeDriver) are started by the tests themselves, on their own ports, so they are not started
# here. Must run as root (it edits /etc/postgresql and uses `su postgres`).
set -euo pipefail

PG_VERSION=15
PG_CLUSTER=main
PG_ETC="/etc/postgresql/${PG_VERSION}/${PG_CLUSTER}"
PG_URL="postgres://root@localhost/postgres"

log() { printf '[start-services] %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
    echo "start-services.sh must run as root" >&2
    exit 1
fi

if [ ! -d "$PG_ETC" ]; then
    echo "PostgreSQL ${PG_VERSION} cluster '${PG_CLUSTER}' not found in ${PG_ETC}; is the 'postgresql' package installed?" >&2
    exit 1
fi

# --- configuration (only rewritten when it differs, so a re-run does not restart the server) ---
need_restart=0
need_reload=0

# Password-less TCP login from loopback, for the throwaway CI/test machine only. These lines go
# first so they win over Debian's default scram-sha-256 lines for 127.0.0.1/::1.
HBA="${PG_ETC}/pg_hba.conf"
HBA_BEGIN="# BEGIN hejnal-ci (test machine only: password-less loopback access)"
HBA_END="# END hejnal-ci"
if ! grep -qxF "$HBA_BEGIN" "$HBA"; then
    log "adding loopback 'trust' rules to ${HBA}"
    tmp="$(mktemp)"
    {
        echo "$HBA_BEGIN"
        echo "host    all             all             127.0.0.1/32            trust"
        echo "host    all             all             ::1/128                 trust"
        echo "$HBA_END"
        cat "$HBA"
    } >"$tmp"
    # keep owner/mode of the original file
    cat "$tmp" >"$HBA"
    rm -f "$tmp"
    need_reload=1
fi
if ! grep -qxF "$HBA_BEGIN" "$HBA"; then
    echo "failed to edit ${HBA}" >&2
    exit 1
fi

# Test-machine tuning: more connections (parallel tests each hold a pool, the job queue holds
# LISTEN connections) and no durability work (the data is thrown away after the run).
CONF="${PG_ETC}/conf.d/hejnal-ci.conf"
CONF_WANT="# hejnal CI/test machine settings (written by .ci/start-services.sh)
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off"
if [ ! -f "$CONF" ] || [ "$(cat "$CONF")" != "$CONF_WANT" ]; then
    log "writing ${CONF}"
    mkdir -p "${PG_ETC}/conf.d"
    printf '%s\n' "$CONF_WANT" >"$CONF"
    chown postgres:postgres "$CONF" 2>/dev/null || true
    need_restart=1
fi

# --- start (or restart / reload) ---
if pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1; then
    if [ "$need_restart" -eq 1 ]; then
        log "restarting PostgreSQL ${PG_VERSION} ${PG_CLUSTER} (configuration changed)"
        pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" restart
    elif [ "$need_reload" -eq 1 ]; then
        log "reloading PostgreSQL ${PG_VERSION} ${PG_CLUSTER}"
        pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" reload
    else
        log "PostgreSQL ${PG_VERSION} ${PG_CLUSTER} already running"
    fi
else
    log "starting PostgreSQL ${PG_VERSION} ${PG_CLUSTER}"
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" "$PG_CLUSTER" start
fi

log "waiting for PostgreSQL to accept connections"
for _ in $(seq 1 60); do
    if pg_isready -q -h /var/run/postgresql -p 5432 && pg_isready -q -h 127.0.0.1 -p 5432; then
        break
    fi
    sleep 1
done
if ! pg_isready -h 127.0.0.1 -p 5432; then
    echo "PostgreSQL did not become ready; last log lines:" >&2
    tail -n 50 "/var/log/postgresql/postgresql-${PG_VERSION}-${PG_CLUSTER}.log" >&2 || true
    exit 1
fi

# --- roles ---
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname = 'root'\"" | grep -qx 1; then
    log "creating superuser role root"
    su postgres -c "createuser -s root"
fi
# A database named after the role, so a bare `psql` as root works too.
if ! su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname = 'root'\"" | grep -qx 1; then
    su postgres -c "createdb -O root root"
fi

enc="$(su postgres -c "psql -tAc 'SHOW server_encoding'")"
if [ "$enc" != "UTF8" ]; then
    log "WARNING: cluster encoding is ${enc}, not UTF8 (cluster created under a non-UTF-8 locale);"
    log "         recreate it with: pg_dropcluster --stop ${PG_VERSION} ${PG_CLUSTER} && pg_createcluster --locale C.UTF-8 ${PG_VERSION} ${PG_CLUSTER}"
fi

# --- check the exact URL the tests use ---
psql "$PG_URL" -v ON_ERROR_STOP=1 -tAc "SELECT 'postgres ok: ' || current_user || ' on ' || version()"

log "HEJNAL_TEST_POSTGRES_URL=${PG_URL}"
