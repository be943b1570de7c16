#!/usr/bin/env bash
# Ferry bench: times Ferry's CLI against `rclone sync` on reproducible datasets (see bench/README.md).
#
#   bench/run.sh [--runs N] [--ferry CMD] [--work DIR] [--quick] [--embedded] [other harness options]
#
# Installs nothing. Needs rclone, GNU time (/usr/bin/time), java 17+, and Maven (or javac) to build
# the harness the first time. Runs from the repository root, so a relative path in --ferry is
# relative to the repository root; relative --work/--results paths are relative to where you call it.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)

usage() {
  cat <<EOF
usage: bench/run.sh [options]
  --runs N         measured runs per tool and scenario, after one warm-up run (default 3)
  --ferry CMD      Ferry's command, relative to the repo root (default: java -jar sync-cli/target/ferry.jar);
                   'sync SRC DST' is appended unless CMD contains {src} and {dst}
  --work DIR       datasets, destinations, logs (default: bench/work, git-ignored)
  --quick          smoke-test datasets: 1,000 small files, 2 x 8 MiB
  --results DIR    where the Markdown report goes (default: bench/results)
  --rclone CMD     rclone's command (default: rclone)
  --datasets LIST  small,large (default: both)
  --timeout SEC    per-run limit (default 3600)
  --target NAME    target pair: local (default), s3 (S3Proxy), ftp (vsftpd), webdav (Apache mod_dav), sftp (OpenSSH)
  --embedded       also time "ferry (embedded)": every sync a request to one long-lived JVM that runs
                   Ferry in-process (dev.ferry.cli.Main.run), as an application embedding Ferry does.
                   Its rows exclude JVM start: they are not the ferry command's speed
  --ferry-jar PATH Ferry's jar for --embedded (default: sync-cli/target/ferry.jar in the repo)
  --scale          cost curves: engine time and heap against 10k..10M entries (synthetic target), plus
                   local (and s3 with --target s3) on disk up to --scale-real-max; against rclone
  --scale-sizes L  --scale-real-max N  --scale-heap SIZE   (see bench/README.md)
  --crypt          wrap every destination in crypt: (rclone's crypt format, same password), for both tools
  -h, --help       this text
Examples:
  bench/run.sh                                   # full run against sync-cli/target/ferry.jar
  bench/run.sh --quick --ferry "rclone --config /dev/null"   # smoke test with a stand-in for ferry
  bench/run.sh --embedded --ferry bin/ferry      # CLI, embedded Ferry and rclone side by side
EOF
}

abs() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }

ferry_default="java -jar sync-cli/target/ferry.jar"
ferry="$ferry_default"
rclone_cmd="rclone"
work="$BENCH_DIR/work"
results="$BENCH_DIR/results"
embedded=0
scale=0
ferry_jar="$REPO_ROOT/sync-cli/target/ferry.jar"
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --quick) pass+=(--quick); shift ;;
    --scale) scale=1; pass+=(--scale); shift ;;
    --scale-sizes|--scale-real-max|--scale-heap)
      [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
      pass+=("$1" "$2"); shift 2 ;;
    --embedded) embedded=1; pass+=(--embedded); shift ;;
    --crypt) pass+=(--crypt); shift ;;
    --ferry-jar) [ $# -ge 2 ] || { echo "run.sh: --ferry-jar needs a value" >&2; exit 2; }; ferry_jar=$(abs "$2"); shift 2 ;;
    --runs|--datasets|--timeout|--target)
      [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; }
      pass+=("$1" "$2"); shift 2 ;;
    --ferry)   [ $# -ge 2 ] || { echo "run.sh: --ferry needs a value" >&2; exit 2; }; ferry="$2"; shift 2 ;;
    --rclone)  [ $# -ge 2 ] || { echo "run.sh: --rclone needs a value" >&2; exit 2; }; rclone_cmd="$2"; shift 2 ;;
    --work)    [ $# -ge 2 ] || { echo "run.sh: --work needs a value" >&2; exit 2; }; work=$(abs "$2"); shift 2 ;;
    --results) [ $# -ge 2 ] || { echo "run.sh: --results needs a value" >&2; exit 2; }; results=$(abs "$2"); shift 2 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

# --- prerequisites (checked, never installed) ---
missing=0
rclone_bin=${rclone_cmd%% *}
if ! command -v "$rclone_bin" >/dev/null 2>&1; then
  echo "run.sh: rclone not found ('$rclone_bin'). Install it: apt-get install -y rclone time" >&2
  missing=1
fi
if [ ! -x /usr/bin/time ] || ! /usr/bin/time -f '%e %M' -o /dev/null true >/dev/null 2>&1; then
  echo "run.sh: GNU time (/usr/bin/time, measures peak RSS) not found. Install it: apt-get install -y rclone time" >&2
  missing=1
fi
for tool in java cp sync; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run.sh: '$tool' not found on PATH" >&2
    missing=1
  fi
done
if [ "$ferry" = "$ferry_default" ] && [ ! -f "$REPO_ROOT/sync-cli/target/ferry.jar" ]; then
  echo "run.sh: Ferry's CLI is not built ($REPO_ROOT/sync-cli/target/ferry.jar missing)." >&2
  echo "         Build it (mvn -q -pl sync-cli -am package), or pass --ferry CMD (e.g. a stand-in)." >&2
  missing=1
fi
if [ "$embedded" -eq 1 ] && [ ! -f "$ferry_jar" ]; then
  echo "run.sh: --embedded needs Ferry's jar, and $ferry_jar is missing." >&2
  echo "         Build it (mvn -q -pl sync-cli -am package), or pass --ferry-jar PATH." >&2
  missing=1
fi
if [ "$scale" -eq 1 ] && [ ! -f "$ferry_jar" ]; then
  echo "run.sh: --scale needs Ferry's jar, and $ferry_jar is missing (mvn -q -pl sync-cli -am package)." >&2
  missing=1
fi
[ "$missing" -eq 0 ] || exit 2

# --scale runs the engine probe (sync-testkit-engine) on Ferry's jar: build those classes if missing.
if [ "$scale" -eq 1 ]; then
  probe="$REPO_ROOT/sync-testkit-engine/target/classes/dev/ferry/testkit/engine/ScaleProbe.class"
  if [ ! -f "$probe" ] || [ ! -f "$REPO_ROOT/sync-testkit/target/classes/dev/ferry/testkit/SyntheticTarget.class" ]; then
    echo "run.sh: building the engine probe (mvn -q -pl sync-testkit,sync-testkit-engine compile)" >&2
    (cd "$REPO_ROOT" && mvn -q -pl sync-testkit,sync-testkit-engine compile >&2)
  fi
  pass+=(--engine-cp "$ferry_jar:$REPO_ROOT/sync-testkit/target/classes:$REPO_ROOT/sync-testkit-engine/target/classes")
fi

# --- build the harness if needed ---
jar=""
for f in "$BENCH_DIR"/target/ferry-bench-*.jar; do
  case "$f" in *-sources.jar|*-tests.jar|*-javadoc.jar) ;; *) [ -f "$f" ] && jar="$f" ;; esac
done
stale=0
if [ -z "$jar" ] || [ -n "$(find "$BENCH_DIR/src/main" "$BENCH_DIR/pom.xml" -newer "$jar" -type f 2>/dev/null | head -n 1)" ]; then
  stale=1
fi
classpath="$jar"
if [ "$stale" -eq 1 ]; then
  built=0
  if command -v mvn >/dev/null 2>&1; then
    echo "run.sh: building the harness (mvn -q -pl bench package -DskipTests)" >&2
    if (cd "$REPO_ROOT" && mvn -q -pl bench package -DskipTests >&2); then
      for f in "$BENCH_DIR"/target/ferry-bench-*.jar; do
        case "$f" in *-sources.jar|*-tests.jar|*-javadoc.jar) ;; *) [ -f "$f" ] && classpath="$f" ;; esac
      done
      built=1
    else
      echo "run.sh: Maven build failed; falling back to javac" >&2
    fi
  fi
  if [ "$built" -eq 0 ]; then
    classes="$BENCH_DIR/target/javac-classes"
    rm -rf "$classes"
    mkdir -p "$classes"
    echo "run.sh: compiling the harness with javac into $classes" >&2
    javac --release 17 -d "$classes" $(find "$BENCH_DIR/src/main/java" -name '*.java')
    classpath="$classes"
  fi
fi

cd "$REPO_ROOT"
exec java -Xmx512m -cp "$classpath" dev.ferry.bench.BenchMain \
  --ferry "$ferry" --rclone "$rclone_cmd" --work "$work" --results "$results" --ferry-jar "$ferry_jar" \
  ${pass[@]+"${pass[@]}"}
