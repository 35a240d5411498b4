# Shared by scripts/test and scripts/demo: install what is missing, build,
# and start the simulator.  Sourced, not run.

SIM_KEY_ID=PKSIMULATOR0000000001
SIM_SECRET=sim-secret-0000000000000000000000000000

need_packages() {
    local missing=()
    for p in postgresql-15 postgresql-server-dev-15 postgresql-common libcurl4-openssl-dev \
             python3 tzdata make gcc curl postgresql-15-cron libwebsockets-dev libpq-dev "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "missing Debian packages: ${missing[*]} (run as root to install them)" >&2
            exit 1
        fi
        echo "installing: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
    fi
}

# package_build_deps DIR: what scripts/package needs from Debian: dpkg-dev,
# lintian, and the Build-Depends of DIR/debian/control
package_build_deps() {
    need_packages dpkg-dev fakeroot lintian
    (cd "$1" && dpkg-checkbuilddeps 2>/dev/null) && return 0
    if [ "$(id -u)" != 0 ]; then
        (cd "$1" && dpkg-checkbuilddeps) || true
        echo "run as root to install the build dependencies" >&2
        exit 1
    fi
    echo "installing the build dependencies of debian/control"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=300 "$(cd "$1" && pwd)" >/dev/null
}

# control_version FILE: an alpaca.control's default_version (as the Makefile's
# EXTVERSION reads it)
control_version() {
    sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" "$1"
}

build_and_install() {
    make -s clean >/dev/null
    make -s
    make -s install >/dev/null
}

# start_sim DIR: the simulator on a free loopback port; sets SIM_PORT, SIM_PID
start_sim() {
    local dir=$1
    rm -f "$dir/sim.port"
    # tests and the demo pin the market open and the prices still (the
    # simulator's defaults are the NYSE calendar and prices that walk)
    python3 sim/alpaca_sim.py --port 0 --port-file "$dir/sim.port" \
        --key-id "$SIM_KEY_ID" --secret-key "$SIM_SECRET" --market open --static-prices 2>"$dir/sim.log" &
    SIM_PID=$!
    for _ in $(seq 100); do
        [ -s "$dir/sim.port" ] && break
        sleep 0.1
    done
    if [ ! -s "$dir/sim.port" ]; then
        echo "the simulator did not start:" >&2
        cat "$dir/sim.log" >&2
        exit 1
    fi
    SIM_PORT=$(cat "$dir/sim.port")
}

# the server settings a real deployment puts in postgresql.conf
pg_options() {
    # pg_cron beside it, as many deployments run it (sql/cron_recipes.sql)
    echo "-o shared_preload_libraries=alpaca,pg_cron"
    echo "-o cron.database_name=${ALPACA_DATABASE:-contrib_regression}"
    echo "-o cron.use_background_workers=on"
    echo "-o max_worker_processes=16"
    echo "-o alpaca.base_url=http://127.0.0.1:$SIM_PORT"
    echo "-o alpaca.key_id=$SIM_KEY_ID"
    echo "-o alpaca.secret_key=$SIM_SECRET"
    # the simulator serves the Market Data endpoints trading needs too
    echo "-o alpaca.data_url=http://127.0.0.1:$SIM_PORT"
    # the suites call the simulator thousands of times a minute; sql/budget.sql
    # lowers this to show the budget holding
    echo "-o alpaca.requests_per_minute=${ALPACA_REQUESTS_PER_MINUTE:-100000}"
    # where the audit worker writes: the database the tests use
    echo "-o alpaca.database=${ALPACA_DATABASE:-contrib_regression}"
}

# previous_release: prints "VERSION COMMIT" for the version before the
# checkout's (alpaca.control's default_version): the last commit whose
# alpaca.control had that version.  Fails when the history does not reach it.
previous_release() {
    local cur c v newer=
    cur=$(control_version alpaca.control)
    # the commits that changed alpaca.control, newest first
    for c in $(git rev-list HEAD -- alpaca.control); do
        v=$(git show "$c:alpaca.control" | control_version /dev/stdin)
        if [ -n "$v" ] && [ "$v" != "$cur" ]; then
            # the commit after c in time (newer) brought the current version;
            # its parent is the last with v (HEAD itself if the checkout's
            # change is not committed yet)
            if [ -z "$newer" ]; then
                echo "$v $(git rev-parse HEAD)"
            else
                git rev-parse -q --verify "$newer^" >/dev/null || return 1
                echo "$v $(git rev-parse "$newer^")"
            fi
            return 0
        fi
        newer=$c
    done
    return 1
}
