#!/usr/bin/env bash
# τ-bench retail approval benchmark (docs/benchmarks.md, "τ-bench retail: approvals on every write").
# Builds the shaded benchmarks jar and runs every retail dev and train task through a Bridle agent
# whose policy asks before each write, once approving every change and once rejecting every change.
#
#   benchmarks/taubench.sh [data-folder] [--split dev,train]
#
# The data folder defaults to ../shared/benchmarks/taubench-dev (relative to the repository root);
# it is read at run time and never copied into the repository. Set SKIP_BUILD=1 to reuse the jar.
# Exit codes: 0 every property held in every run, 1 some run broke one, 2 bad arguments or data.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA_HOME="$(bin/find-jdk)"
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -pl benchmarks -am -DskipTests
fi
exec "$JAVA_HOME/bin/java" -cp benchmarks/target/benchmarks.jar \
  dev.bridle.benchmarks.taubench.TauBench "$@"
