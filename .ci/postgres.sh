#!/usr/bin/env bash
# A throw-away local PostgreSQL server for the gradebook tests.
#
#   .ci/postgres.sh [DIR]     start a server with its files in DIR (default: a new temp dir);
#                             the last line on stdout is its URL:
#                             postgresql+psycopg2://ipt@127.0.0.1:PORT/ipt_gradebook
#   .ci/postgres.sh stop DIR  stop the server started in DIR (DIR itself is left for the caller)
#
# On failure: exit status 1 and one line on stderr saying why (details in DIR/setup.log).
# If PostgreSQL is missing, root with apt-get installs Debian's package (no service is started).
# Nothing listens but 127.0.0.1 on a free port, authentication is "trust" and durability is off:
# for tests only. IPT_PG_FORCE_FAIL=1 fails on purpose (to test the callers' skip path).
set -uo pipefail

DB_NAME=ipt_gradebook
DB_USER=ipt

fail() {
    echo "$*" >&2
    exit 1
}

find_bindir() {
    local dir
    # The newest Debian/Ubuntu server first, then whatever PATH or pg_config offers.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5nr); do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null)
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
    fi
    return 1
}

# Run a command as the owner of the server's files (initdb and pg_ctl refuse to run as root).
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        (cd / && runuser -u "$OWNER" -- "$@")
    else
        "$@"
    fi
}

stop_server() {
    local base=$1
    [ -f "$base/data/postmaster.pid" ] || return 0
    OWNER=$(stat -c %U "$base/data")
    local bindir
    bindir=$(cat "$base/bindir" 2>/dev/null) || bindir=$(find_bindir) || return 1
    as_owner "$bindir/pg_ctl" -D "$base/data" -m fast -w -t 30 stop >>"$base/setup.log" 2>&1
}

if [ "${1:-}" = stop ]; then
    [ -n "${2:-}" ] || fail "usage: $0 stop DIR"
    stop_server "$2" || fail "could not stop the PostgreSQL server in $2 (see $2/setup.log)"
    exit 0
fi

[ "${IPT_PG_FORCE_FAIL:-}" = 1 ] && fail "IPT_PG_FORCE_FAIL=1 is set"

BASE=${1:-$(mktemp -d "${TMPDIR:-/tmp}/ipt-postgres.XXXXXX")} || fail "could not create a temporary directory"
mkdir -p "$BASE" || fail "could not create $BASE"
BASE=$(cd "$BASE" && pwd)
[ -e "$BASE/data" ] && fail "$BASE/data already exists: give an empty directory"
LOG=$BASE/setup.log
: >"$LOG" || fail "cannot write $LOG"

BINDIR=$(find_bindir)
if [ -z "$BINDIR" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        # Debian's package would create and start a "main" cluster: not wanted, so not made.
        dropin=/etc/postgresql-common/createcluster.d/zz-ipt-ci-no-main-cluster.conf
        mkdir -p "$(dirname "$dropin")" && echo "create_main_cluster = false" >"$dropin"
        {
            apt-get update -qq &&
                DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql
        } >>"$LOG" 2>&1
        status=$?
        rm -f "$dropin"
        [ $status = 0 ] || fail "apt-get install postgresql failed (see $LOG)"
        BINDIR=$(find_bindir) || fail "PostgreSQL was installed but initdb/pg_ctl were not found"
    else
        fail "initdb/pg_ctl not found (install PostgreSQL, e.g. apt-get install postgresql)"
    fi
fi
echo "$BINDIR" >"$BASE/bindir"

# As root, the files belong to an unprivileged user: Debian's "postgres", else "nobody".
if [ "$(id -u)" = 0 ]; then
    command -v runuser >/dev/null 2>&1 || fail "runuser not found (needed to run PostgreSQL as non-root)"
    if id -u postgres >/dev/null 2>&1; then OWNER=postgres; else OWNER=nobody; fi
    chmod 755 "$BASE"
    chown "$OWNER" "$BASE" "$LOG"
    runuser -u "$OWNER" -- test -w "$BASE" ||
        fail "user $OWNER cannot reach $BASE (a parent directory is private): use a directory under /tmp"
else
    OWNER=$(id -un)
fi

as_owner "$BINDIR/initdb" -D "$BASE/data" -U "$DB_USER" --auth=trust --encoding=UTF8 --no-locale --no-sync \
    >>"$LOG" 2>&1 || fail "initdb failed (see $LOG)"
as_owner mkdir "$BASE/data/socket" || fail "could not create the socket directory"

PYTHON=$(command -v python3 || command -v python) || fail "python3 not found (needed to pick a free port)"
started=
for _attempt in 1 2 3; do  # a port found free can be taken before the server binds it: retry
    PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    if as_owner "$BINDIR/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k '$BASE/data/socket' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >>"$LOG" 2>&1; then
        started=1
        break
    fi
done
[ -n "$started" ] || fail "pg_ctl could not start PostgreSQL (see $LOG and $BASE/server.log)"
trap 'stop_server "$BASE"' EXIT  # from here on, a failure must not leave a server running

ready=
for _attempt in $(seq 1 60); do
    if "$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" -t 1; then
        ready=1
        break
    fi
    sleep 0.5
done
[ -n "$ready" ] || fail "PostgreSQL did not accept connections on 127.0.0.1:$PORT (see $BASE/server.log)"

"$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$DB_NAME" >>"$LOG" 2>&1 ||
    fail "createdb $DB_NAME failed (see $LOG)"

trap - EXIT
echo "$PORT" >"$BASE/port"
echo "postgresql+psycopg2://$DB_USER@127.0.0.1:$PORT/$DB_NAME"
