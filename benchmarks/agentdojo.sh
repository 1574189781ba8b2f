#!/usr/bin/env bash
# AgentDojo containment benchmark (docs/benchmarks.md, "AgentDojo containment").
# Builds the shaded benchmarks jar and runs every banking and slack user task, benign and under
# each injection task, through a Bridle agent with a fully compromised scripted model.
#
#   benchmarks/agentdojo.sh [data-folder] [--json out.json] [--suite banking,slack]
#
# The data folder defaults to ../shared/benchmarks/agentdojo-dev (relative to the repository root);
# it is read at run time and never copied into the repository. Set SKIP_BUILD=1 to reuse the jar.
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
  dev.bridle.benchmarks.agentdojo.AgentDojoBenchmark "$@"
