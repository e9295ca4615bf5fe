#!/usr/bin/env bash
# The salesbook benchmark in one command: see bench/README.md.
#   bench/run.sh            1,000, 10,000 and 50,000 pages (about 20-30 min)
#   bench/run.sh --quick    1,000 and 10,000 pages, 3 runs (a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/run.py "$@"
