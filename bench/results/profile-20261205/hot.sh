#!/bin/bash
# hot.sh FILE.jfr : top frames (self) and top ferry/sdk frames (inclusive-ish) from execution samples
f=$1
jfr print --events jdk.ExecutionSample --stack-depth 64 "$f" > /tmp/speed/.samples.txt
total=$(grep -c "jdk.ExecutionSample" /tmp/speed/.samples.txt)
echo "samples: $total ($f)"
echo "-- top self frames"
awk '/stackTrace = \[/{getline; sub(/^[ \t]+/,""); sub(/line:.*/,""); print}' /tmp/speed/.samples.txt | sort | uniq -c | sort -rn | head -${2:-15}
echo "-- top inclusive frames (any depth, once per sample)"
awk '/jdk.ExecutionSample/{delete seen} /^[ \t]+[a-z].*line:/{l=$0; sub(/^[ \t]+/,"",l); sub(/line:.*/,"",l); if(!(l in seen)){seen[l]=1; print l}}' /tmp/speed/.samples.txt | sort | uniq -c | sort -rn | head -${3:-25}
