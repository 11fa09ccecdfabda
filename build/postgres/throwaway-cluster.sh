#!/usr/bin/env bash
# A throwaway PostgreSQL cluster with pgvector, for the tests and for trying the team deployment on one machine.
#
#   build/postgres/throwaway-cluster.sh start DIR   installs pgvector if it is missing, creates a cluster in DIR (owned by
#                                                    the postgres user when run as root), starts it on a free local port and
#                                                    prints the connection string to use as ConnectionStrings:SemiCmr
#   build/postgres/throwaway-cluster.sh stop DIR    stops it (DIR can then be deleted)
#
# Needs PostgreSQL's server binaries (Debian: postgresql-15, or set PG_BIN) and, to build pgvector, its release source
# (PGVECTOR_SOURCE, default ../shared/vendor/pgvector-*.tar.gz beside the clone) with postgresql-server-dev-15 and make.
set -euo pipefail

pg_bin="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() { sed -n '2,10p' "$0" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
command="$1" dir="$2"
[[ -x "$pg_bin/pg_ctl" ]] || { echo "error: no PostgreSQL server binaries (looked in '$pg_bin'; set PG_BIN)" >&2; exit 1; }

# Runs a PostgreSQL binary as the cluster's owner: postgres refuses to run as root.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_pgvector() {
    local share; share="$("$pg_bin/pg_config" --sharedir 2>/dev/null || pg_config --sharedir)"
    [[ -f "$share/extension/vector.control" ]] && return 0
    local source="${PGVECTOR_SOURCE:-$(ls "$repo_root"/../shared/vendor/pgvector-*.tar.gz 2>/dev/null | sort -V | tail -1)}"
    [[ -f "$source" ]] || { echo "error: pgvector is not installed and its source was not found (set PGVECTOR_SOURCE)" >&2; exit 1; }
    local build; build="$(mktemp -d)"
    tar -xzf "$source" -C "$build" --strip-components=1
    echo "building pgvector from $(basename "$source")" >&2
    make -s -C "$build" PG_CONFIG="$pg_bin/pg_config" OPTFLAGS="" >/dev/null
    make -s -C "$build" PG_CONFIG="$pg_bin/pg_config" install >/dev/null
    rm -rf "$build"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null \
        || shuf -i 20000-60000 -n 1
}

case "$command" in
start)
    install_pgvector
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    port="$(free_port)"
    as_owner "$pg_bin/initdb" -D "$dir/cluster" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    # Tests create and drop a database each: fsync off makes that fast, and nothing here must survive a crash.
    as_owner "$pg_bin/pg_ctl" -D "$dir/cluster" -l "$dir/cluster/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" start >/dev/null
    echo "$port" > "$dir/port"
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
stop)
    [[ -d "$dir/cluster" ]] && as_owner "$pg_bin/pg_ctl" -D "$dir/cluster" -m fast -w stop >/dev/null || true
    ;;
*) usage ;;
esac
