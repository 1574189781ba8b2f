#!/usr/bin/env bash
# HTTP load benchmark (docs/benchmarks.md, "HTTP load"): N runs started at once through
# POST /api/v1/runs against a BridleServer on SQLite, the fake OpenAI model at a fixed latency.
#
#   benchmarks/load.sh [--runs 1000] [--steps 5] [--latency-ms 200] [--slots N] [--poll-ms 100]
#                      [--timeout-s 300] [--warmup 0] [--submitters N]
#
# Set SKIP_BUILD=1 to reuse benchmarks/target/benchmarks.jar; JAVA_OPTS adds JVM flags
# (e.g. JAVA_OPTS=-Xmx512m). Prints a Markdown report.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA_HOME="$(bin/find-jdk)"
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -pl benchmarks -am -DskipTests -o
fi
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${JAVA_OPTS:-} \
  -cp benchmarks/target/benchmarks.jar dev.bridle.benchmarks.load.HttpLoadBenchmark "$@"
