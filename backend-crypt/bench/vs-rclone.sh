#!/usr/bin/env bash
# 8 x 64 MiB through crypt: to a local folder, Ferry (bin/ferry, C2 enabled) against rclone with
# the same password, interleaved, REPS times (default 2). Build the CLI first:
#   mvn -pl sync-cli -am package -DskipTests
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir "$w/src"
for i in 1 2 3 4 5 6 7 8; do head -c 67108864 /dev/urandom > "$w/src/f$i.bin"; done
printf '[v]\ntype = crypt\nremote = %s/d2\npassword = %s\n' "$w" "$(rclone obscure benchpw)" > "$w/r.conf"
for rep in $(seq "${REPS:-2}"); do
  rm -rf "$w/d1" "$w/d2"
  s=$(date +%s.%N)
  FERRY_CDS=0 FERRY_PW=benchpw FERRY_JAVA_OPTS=-XX:TieredStopAtLevel=4 "$root/bin/ferry" copy "$w/src" "crypt:$w/d1" \
    --dst-opt password=env:FERRY_PW >/dev/null
  m=$(date +%s.%N)
  rclone --config "$w/r.conf" copy "$w/src" v:
  e=$(date +%s.%N)
  echo "rep $rep: ferry $(echo "$m - $s" | bc) s, rclone $(echo "$e - $m" | bc) s"
done
