#!/usr/bin/env bash
# One command from a fresh machine to a running demo: set up, start graphkit's own Neo4j (unless
# NEO4J_URI is set), load the synthetic reports, run the headline queries and write a map.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$GK_ROOT"
exec graphkit demo "$@"
