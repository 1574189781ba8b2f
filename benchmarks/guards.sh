#!/usr/bin/env bash
# Guard benchmarks (docs/benchmarks.md, "Guards: PII redaction throughput" and "Guards and limits:
# the loop's cost per step"). Builds the shaded benchmarks jar and runs both JMH benchmarks with
# short settings that finish in about four minutes on two cores:
#
#   benchmarks/guards.sh [extra JMH options]     e.g. -p text=pii  or  -f 2 -i 10
#
# Results are printed and written as JSON to $RESULTS (default benchmarks/target/guards.json). Set
# SKIP_BUILD=1 to reuse the jar.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
JAVA_HOME="$(bin/find-jdk)"
export JAVA_HOME
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  ./mvnw -B -q package -pl benchmarks -am -DskipTests
fi
exec "$JAVA_HOME/bin/java" -jar benchmarks/target/benchmarks.jar \
  'dev\.bridle\.benchmarks\.guards\..*' \
  -f 1 -wi 3 -w 1s -i 5 -r 2s \
  -jvmArgsAppend --enable-native-access=ALL-UNNAMED \
  -rf json -rff "${RESULTS:-benchmarks/target/guards.json}" \
  "$@"
