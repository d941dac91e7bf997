#!/usr/bin/env bash
# Install the programs the test suite drives, when they are absent, then Comunica's locked packages.
#
# The tests use real clients and real tools, never stand-ins, and skip nothing:
#   chromium, chromium-driver  headless browser for the pages and the query page (Selenium)
#   wrk                        the benchmark's load generator (tests/test_bench.py)
#   nodejs, npm                Comunica, the JavaScript SPARQL client (tests/js, locked by package-lock.json)
#   virtuoso-opensource        Virtuoso, an external SPARQL engine for --backend (its own private instance
#                              per test run, on loopback ports; the package's system instance is held back)
#   apache2, nginx             the deployment recipes of deploy/, run on loopback (tests/test_deploy.py);
#                              only their programs are used: no service is started or enabled
# Programs come from Debian's packages (apt-get, as root); Comunica from the npm registry with `npm ci`.
# Run again, it installs nothing: each step is skipped once its program is there.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || missing+=(apache2)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "tests need these Debian packages: ${missing[*]} (install them as root with apt-get)" >&2
        exit 1
    fi
    echo "installing ${missing[*]} (Debian packages)" >&2
    # The packages' scripts must not start apache2, nginx (port 80) or Virtuoso (1111, 8890): Debian's policy-rc.d interface
    # (exit status 101, "action forbidden") holds them back while they install, when no policy is set.
    # Another apt-get may hold the lock for a while on a shared machine: wait up to 10 minutes rather than fail,
    # set in a configuration file of this run only (APT_CONFIG; apt still reads /etc/apt/apt.conf.d).
    APT_CONFIG="$(mktemp)" && export APT_CONFIG
    echo 'DPkg::Lock::Timeout "600";' > "$APT_CONFIG"
    made=("$APT_CONFIG")
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        made+=(/usr/sbin/policy-rc.d)
    fi
    trap 'rm -f "${made[@]}"' EXIT
    apt-get update -qq
    export DEBIAN_FRONTEND=noninteractive
fi
# One package at a time, and only when its program is absent: a Node.js from elsewhere (as on some images)
# must not be replaced, and Debian's npm would conflict with it.
command -v chromium >/dev/null 2>&1 || apt-get install -y -qq chromium >/dev/null
command -v chromedriver >/dev/null 2>&1 || apt-get install -y -qq chromium-driver >/dev/null
command -v wrk >/dev/null 2>&1 || apt-get install -y -qq wrk >/dev/null
command -v node >/dev/null 2>&1 || apt-get install -y -qq nodejs >/dev/null
command -v npm >/dev/null 2>&1 || apt-get install -y -qq npm >/dev/null
command -v virtuoso-t >/dev/null 2>&1 || apt-get install -y -qq virtuoso-opensource >/dev/null
command -v apache2 >/dev/null 2>&1 || [ -x /usr/sbin/apache2 ] || apt-get install -y -qq apache2 >/dev/null
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || apt-get install -y -qq nginx >/dev/null
for program in chromium chromedriver wrk node npm virtuoso-t; do
    command -v "$program" >/dev/null 2>&1 || { echo "$program is still missing after apt-get" >&2; exit 1; }
done

# npm ci empties node_modules and installs the locked versions; skipped while they are newer than the lock.
if [ ! -d js/node_modules/@comunica ] || [ ! -f js/node_modules/axe-core/axe.min.js ] ||
   [ js/package-lock.json -nt js/node_modules ]; then
    npm ci --prefix js --no-audit --no-fund
    touch js/node_modules
fi
