#!/usr/bin/env bash
# ceiling.sh: the line-rate reference for the large rows. Times curl (4 transfers at a time, as
# Ferry and rclone use), `bin/ferry sync` and `rclone sync` uploading and downloading the large
# dataset (8 × 64 MiB) against vsftpd and Apache mod_dav on loopback, in one run, N rounds,
# medians; prints a Markdown table with the load average.
#
#   bench/ceiling.sh [ftp|webdav] [ROUNDS]       (default: both targets, 3 rounds)
#
# It reuses the servers' configuration files a `bench/run.sh --target ftp|webdav --datasets large`
# run left in bench/work/dst (run one first): same server, same settings, same port.
set -u
here=$(cd "${0%/*}" && pwd)
root=${here%/bench}
work=$here/work
data=$work/data/large-8x64MiB
targets=${1:-ftp webdav}
rounds=${2:-3}
ferry=${FERRY:-$root/bin/ferry}
[ -d "$data" ] || { echo "ceiling.sh: $data missing: run bench/run.sh --datasets large first" >&2; exit 2; }
files=$(cd "$data" && ls)
pids=()
cleanup() { for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null; done; }
trap cleanup EXIT

t() { # t LABEL CMD...: wall seconds of CMD, appended to $times/LABEL
    local s e
    s=$(date +%s.%N)
    "${@:2}" >/dev/null 2>"$times/last.err" || { echo "$1 failed:"; tail -3 "$times/last.err"; } >>"$times/errors"
    e=$(date +%s.%N)
    echo "$e - $s" | bc >>"$times/$1"
}
median() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for target in $targets; do
    times=$(mktemp -d)
    case $target in
        ftp)
            conf=$work/dst/ftp/vsftpd.conf
            port=$(sed -n 's/^listen_port=//p' "$conf")
            /usr/sbin/vsftpd "$conf" >/dev/null 2>&1 &
            pids+=($!)
            base=ftp://127.0.0.1:$port/pub/ceiling
            ferry_uri=ftp://anonymous@127.0.0.1:$port/pub/ceiling
            rclone_uri=":ftp,host=127.0.0.1,port=$port,user=anonymous,pass=$(rclone obscure x):pub/ceiling"
            rdir=$work/dst/ftp/root/pub/ceiling
            ;;
        webdav)
            conf=$work/dst/webdav/httpd.conf
            port=$(sed -n 's/^Listen 127.0.0.1://p' "$conf")
            /usr/sbin/apache2 -f "$conf" -DFOREGROUND >/dev/null 2>&1 &
            pids+=($!)
            base=http://127.0.0.1:$port/ceiling
            ferry_uri=webdav://127.0.0.1:$port/ceiling
            rclone_uri=":webdav,url='http://127.0.0.1:$port/',vendor=other:ceiling"
            rdir=$work/dst/webdav/dav/ceiling
            ;;
        *) echo "ceiling.sh: unknown target $target" >&2; exit 2 ;;
    esac
    for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break; sleep 0.1; done
    down=$work/ceiling-down
    load_before=$(cut -d' ' -f1-3 /proc/loadavg)
    for r in $(seq "$rounds"); do
        # uploads: each tool into an empty remote directory
        rm -rf "$rdir"
        up=()
        for f in $files; do up+=(-T "$data/$f" "$base/$f"); done
        [ "$target" = webdav ] && curl -s -X MKCOL "$base/" >/dev/null
        t "curl upload" curl -sS --fail --ftp-create-dirs --parallel --parallel-max 4 "${up[@]}"
        rm -rf "$rdir"
        t "ferry upload" "$ferry" sync "$data" "$ferry_uri"
        rm -rf "$rdir"
        t "rclone upload" rclone --config /dev/null sync "$data" "$rclone_uri"
        # downloads: from the remote copy rclone just made, into an empty local directory
        dl=()
        for f in $files; do dl+=(-o "$down/$f" "$base/$f"); done
        rm -rf "$down"; mkdir -p "$down"
        t "curl download" curl -sS --fail --parallel --parallel-max 4 "${dl[@]}"
        rm -rf "$down"; mkdir -p "$down"
        t "ferry download" "$ferry" sync "$ferry_uri" "$down"
        rm -rf "$down"; mkdir -p "$down"
        t "rclone download" rclone --config /dev/null sync "$rclone_uri" "$down"
        cmp -s "$down/${files%%$'\n'*}" "$data/${files%%$'\n'*}" || echo "download differs" >>"$times/errors"
    done
    rm -rf "$down" "$rdir"
    echo "### $target, 8 × 64 MiB, $rounds rounds (load before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "| direction | curl s | ferry s | rclone s | ferry / curl | ferry / rclone |"
    echo "|---|---:|---:|---:|---:|---:|"
    for dir in upload download; do
        c=$(median "$times/curl $dir"); f=$(median "$times/ferry $dir"); r=$(median "$times/rclone $dir")
        printf '| %s | %.2f | %.2f | %.2f | %.2f | %.2f |\n' "$dir" "$c" "$f" "$r" "$(echo "$f / $c" | bc -l)" \
            "$(echo "$f / $r" | bc -l)"
    done
    [ -s "$times/errors" ] && { echo; echo "errors:"; sed 's/^/    /' "$times/errors" | head -20; }
    echo
    kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null
    rm -rf "$times"
done
