#!/usr/bin/env bash
# The crypt content cipher alone (XSalsa20-Poly1305 from Bouncy Castle), in memory:
#   backend-crypt/bench/cipher.sh [-Dmaven.repo.local=...]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -o -q "$@" test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
java -cp "target/test-classes:target/classes:$(cat target/cp.txt)" dev.ferry.backend.crypt.CipherThroughput
