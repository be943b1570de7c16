#!/bin/bash
# Resident memory and idle CPU of `ferry serve` with 20 jobs watching 20 folders (docs/serve.md).
# usage: bench/serve-idle.sh [WINDOW_SECONDS]   (build first: mvn -pl sync-cli -am package)
set -u
window=${1:-600}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq -w 1 20); do
    mkdir -p "$work/src$i" "$work/dst$i"
    for f in 1 2 3 4 5; do echo "file $f of $i" > "$work/src$i/f$f.txt"; done
    printf '[job job%s]\nsource = %s/src%s\ndestination = %s/dst%s\nmode = copy\nwatch = true\ndebounce = 200ms\nevery = 1h\n\n' \
        "$i" "$work" "$i" "$work" "$i" >> "$work/ferry.conf"
done
"$here/bin/ferry" serve --config "$work/ferry.conf" --addr 127.0.0.1:0 2> "$work/serve.log" &
pid=$!
sleep 20   # start-up and the first run of each job
tck=$(getconf CLK_TCK)
read -r u1 s1 < <(awk '{print $14, $15}' /proc/$pid/stat)
sleep "$window"
read -r u2 s2 < <(awk '{print $14, $15}' /proc/$pid/stat)
rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
threads=$(awk '/Threads/ {print $2}' /proc/$pid/status)
echo "window=${window}s rss_kib=$rss threads=$threads cpu_percent_of_one_core=$(awk -v t=$(( (u2+s2)-(u1+s1) )) -v hz="$tck" -v w="$window" 'BEGIN {printf "%.3f", 100*t/hz/w}')"
kill -TERM $pid
wait $pid
echo "exit after SIGTERM: $?"
