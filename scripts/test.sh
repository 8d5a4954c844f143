#!/usr/bin/env bash
# One command from a fresh machine to the whole test suite against a real Neo4j: set up (apt,
# Maven, pip), run pytest (the session fixture starts the managed server under .test-neo4j/ unless
# NEO4J_URI is set) and always stop the server afterwards, also on failure.
set -euo pipefail
GK_WITH_BROWSER=1 GK_WITH_TESTS=1 GK_EDITABLE=1 source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$GK_ROOT"
export GRAPHKIT_TEST_HOME="${GRAPHKIT_TEST_HOME:-$GK_ROOT/.test-neo4j}"
cleanup() { GRAPHKIT_HOME="$GRAPHKIT_TEST_HOME" "$PYTHON" -m graphkit server stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$PYTHON" -m pytest "$@"
