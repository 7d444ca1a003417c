#!/usr/bin/env bash
# Runs one benchmark program: bench/run.sh NAME [args]
#   (NAME: DecodeBenchmark, ConcurrentJobsBenchmark, PriorityLatencyBenchmark, ScalingBenchmark,
#    AnalysisCostBenchmark, SceneDetectionBenchmark, SearchBenchmark, CaptionThroughputBenchmark,
#    TranscodeBenchmark, AnalysisLatencyBenchmark, TranscodePipelineBenchmark)
# Builds the bench module first when it is missing or older than the sources; results go to stdout.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [ $# -lt 1 ]; then
  echo "usage: bench/run.sh NAME [args]" >&2
  echo "  NAME: DecodeBenchmark, ConcurrentJobsBenchmark, PriorityLatencyBenchmark, ScalingBenchmark," >&2
  echo "        AnalysisCostBenchmark, AnalysisLatencyBenchmark, SceneDetectionBenchmark, SearchBenchmark," >&2
  echo "        CaptionThroughputBenchmark, TranscodeBenchmark, TranscodePipelineBenchmark" >&2
  echo "  (docs/benchmarks.md lists each program's options)" >&2
  exit 2
fi
name=$1
shift
case $name in scenes) name=SceneDetectionBenchmark ;; esac

"$root/scripts/install-system-deps.sh"

classpath_file="$root/bench/target/classpath.txt"
stale() {
  [ ! -f "$classpath_file" ] && return 0
  [ -n "$(find pom.xml */pom.xml */src -newer "$classpath_file" -print -quit 2>/dev/null)" ]
}
if stale; then
  echo "Building the bench module ..." >&2
  "$root/mvnw" -B -q -DskipTests -pl bench -am package >&2
  touch "$classpath_file" # the plugin leaves an unchanged file as it was
fi

log_dir="$root/bench/target/logs"
mkdir -p "$log_dir"

# Flink reflects into these JDK packages on Java 17+ (the same list as ./vidproc).
opens=(java.base/java.util java.base/java.lang java.base/java.lang.reflect java.base/java.io java.base/java.nio
       java.base/sun.nio.ch java.base/java.net java.base/java.time java.base/java.util.concurrent
       java.base/java.util.concurrent.atomic java.base/java.text java.sql/java.sql)
jvm=(-Dvidproc.log.dir="$log_dir" -Djava.awt.headless=true)
for o in "${opens[@]}"; do jvm+=("--add-opens=$o=ALL-UNNAMED"); done

exec java ${BENCH_JAVA_OPTS:-} "${jvm[@]}" \
  -cp "$root/bench/target/classes:$(cat "$classpath_file")" \
  "dev.vidprocme.bench.$name" "$@"
