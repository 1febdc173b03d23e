#!/usr/bin/env bash
# newskg benchmarks: one command, results in BENCHMARKS.md.
#
#   bash bench/run.sh            # corpora of 1,000 and 20,000 synthetic articles
#   bash bench/run.sh --quick    # 200 and 2,000, plus a 20,000-article peak-RSS probe
#
# For each corpus size it measures
#   (a) files to N-Quads (`newskg export -i CORPUS -f nquads`: read, check, map, sort, write;
#       no store): wall time, articles/s, triples/s (lines of the N-Quads export) and peak RSS;
#       `newskg check` (read, check, map; streams, no store); and the build of the in-memory
#       store that queries on files use (`newskg query -i CORPUS 'ASK{}'`: read, check, map, load);
#   (b) the export time of every format, from the files;
#   (e) the persistent store (`--features rocksdb`): `newskg build --store` (time, triples/s, peak
#       RSS, size on disk; and with --no-compact, the load alone), a rebuild with nothing
#       changed, streaming exports from the store (Turtle, N-Triples, N-Quads; compared with the
#       exports from the files), and every canned query on it (bench/corpus_queries.py: the first
#       page and every row, as whole processes), beside Virtuoso 7 loaded with the same N-Quads;
#   (d) the reference tools on the same data: pyoxigraph bulk-loading our N-Quads export in
#       memory and dumping it (N-Quads, TriG; Turtle from our N-Triples export), and into a
#       RocksDB store (then compacting it); and serdi turning our N-Triples export into Turtle;
# and once (c) the latency of canned queries on the embedded default, as whole processes.
# Then it prints the ratios the project tracks and rewrites the generated part of BENCHMARKS.md.
#
# Options:
#   --quick            sizes 200 and 2000, and a 20000-article peak-RSS probe (the store's build)
#   --sizes "A B …"    corpus sizes (overrides the defaults)
#   --probe N | --no-probe   the peak-RSS probe size (default: 20000 with --quick, none otherwise)
#   --seed S           corpus seed (default 42)
#   --runs N           runs per query (default 30)
#   --mem-cap GIB      address-space cap of every measured process (default 18): a run that needs
#                      more fails and is reported as such instead of exhausting the machine
#   --timeout SECS     time cap of every measured process (default 1800)
#   --work DIR         scratch directory (default /tmp/newskg-bench); big files are removed after
#                      each size unless --keep
#   --keep             keep the corpora and the exports in WORK
#   --no-report        do not rewrite BENCHMARKS.md (results stay in WORK/results.tsv)
#   --no-store         skip the persistent store (it needs `--features rocksdb`, built here)
#
# Needs: the Rust toolchain, python3; installs when missing: /usr/bin/time (Debian `time`),
# hyperfine and serdi (Debian), pyoxigraph (pip), libclang-dev (Debian, for --features rocksdb).
# The peak-RSS probe (20,000 articles) measures the persistent store's build only (and a rebuild).

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# where cargo puts what it builds (CARGO_TARGET_DIR, when set, as cargo reads it)
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}

QUICK=0
SIZES=""
PROBE=""
SEED=42
RUNS=30
MEM_CAP_GIB=18
TIMEOUT=1800
WORK=/tmp/newskg-bench
KEEP=0
REPORT=1
STORE=1
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --sizes) SIZES=$2; shift ;;
        --probe) PROBE=$2; shift ;;
        --no-probe) PROBE=0 ;;
        --seed) SEED=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --mem-cap) MEM_CAP_GIB=$2; shift ;;
        --timeout) TIMEOUT=$2; shift ;;
        --work) WORK=$2; shift ;;
        --keep) KEEP=1 ;;
        --no-report) REPORT=0 ;;
        --no-store) STORE=0 ;;
        -h|--help) sed -n '2,40p' "$0"; exit 0 ;;
        *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$SIZES" ]; then
    if [ "$QUICK" = 1 ]; then SIZES="200 2000"; else SIZES="1000 20000"; fi
fi
if [ -z "$PROBE" ]; then
    if [ "$QUICK" = 1 ]; then PROBE=20000; else PROBE=0; fi
fi
for s in $SIZES; do
    if [ "$s" = "$PROBE" ]; then PROBE=0; fi # measured in full anyway
done
CAP_KIB=$((MEM_CAP_GIB * 1024 * 1024))
QUERIES="offices agreement-parties mediators ties-between timeline hedged-claims about-entity energy-and-arms"
FORMATS="turtle trig ntriples nquads rdfxml jsonld"

mkdir -p "$WORK/log"
RESULTS=$WORK/results.tsv
: > "$RESULTS"
say() { printf '%s\n' "$*" >&2; }
# busy_others KEY: what else uses the CPU right now (processes above 20% over half a second, and
# the load average), recorded so that a noisy run can be told from a quiet one.
busy_others() {
    local others
    others=$(top -b -n 2 -d 0.5 -w 200 2> /dev/null | awk '
        /^top -/ { frame++ }
        frame == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 > 20 && $12 != "top" { printf "%s%s (%s%%)", sep, $12, $9; sep = ", " }')
    put "$1.load" "$(cut -d' ' -f1-3 /proc/loadavg)"
    put "$1.others" "${others:-none}"
    # CPU time so far: stolen by the hypervisor, and in all (jiffies); the report turns the
    # difference between two phases into the share stolen during the first.
    put "$1.cpu_jiffies" "$(awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print $9, t }' /proc/stat)"
}
put() { printf '%s\t%s\n' "$1" "$2" >> "$RESULTS"; }
get() { awk -F'\t' -v k="$1" '$1 == k { v = $2 } END { print v }' "$RESULTS"; }

# --- tools ------------------------------------------------------------------------------------

APT_UPDATED=0
apt_install() {
    command -v apt-get > /dev/null || return 1
    if [ "$APT_UPDATED" = 0 ]; then
        apt-get update -qq > /dev/null 2>&1 || true
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" > /dev/null 2>&1
}
[ -x /usr/bin/time ] || apt_install time || { say "bench: /usr/bin/time is missing and could not be installed"; exit 1; }
command -v hyperfine > /dev/null || apt_install hyperfine || say "bench: no hyperfine; timing queries with a shell loop"
command -v serdi > /dev/null || apt_install serdi || say "bench: no serdi; its comparison is skipped"
if ! python3 -c 'import pyoxigraph' 2> /dev/null; then
    python3 -m pip install -q pyoxigraph > /dev/null 2>&1 || say "bench: no pyoxigraph; its comparison is skipped"
fi
HAVE_HYPERFINE=$(command -v hyperfine > /dev/null && echo 1 || echo 0)
HAVE_SERDI=$(command -v serdi > /dev/null && echo 1 || echo 0)
HAVE_PYOX=$(python3 -c 'import pyoxigraph' 2> /dev/null && echo 1 || echo 0)
command -v virtuoso-t > /dev/null || apt_install virtuoso-opensource || say "bench: no Virtuoso; its comparison is skipped"
HAVE_VIRTUOSO=$(command -v virtuoso-t > /dev/null && echo 1 || echo 0)

# --- build ------------------------------------------------------------------------------------

say "bench: cargo build --release (the default features: the in-memory store)"
mkdir -p "$WORK/bin"
cargo build --release --quiet
cargo build --release --quiet --example gen_corpus
cp "$TARGET/release/newskg" "$WORK/bin/newskg"
cp "$TARGET/release/examples/gen_corpus" "$WORK/bin/gen_corpus"
NEWSKG=$WORK/bin/newskg
GEN=$WORK/bin/gen_corpus
# The persistent store needs the rocksdb feature (libclang; a long first build).
NEWSKG_RDB=""
if [ "$STORE" = 1 ]; then
    [ -e /usr/lib/llvm-14/lib/libclang.so ] || ls /usr/lib/llvm-*/lib/libclang*.so > /dev/null 2>&1 || apt_install libclang-dev || true
    say "bench: cargo build --release --features rocksdb (the persistent store)"
    if cargo build --release --quiet --features rocksdb; then
        cp "$TARGET/release/newskg" "$WORK/bin/newskg-rocksdb"
        NEWSKG_RDB=$WORK/bin/newskg-rocksdb
    else
        put store.status "not measured: \`cargo build --release --features rocksdb\` failed"
    fi
fi

# --- the machine ------------------------------------------------------------------------------

put machine.date "$(date -u '+%Y-%m-%d %H:%M UTC')"
put machine.nproc "$(nproc)"
put machine.mem "$(free -h | awk '/^Mem:/ { print $2 }')"
put machine.cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
put machine.rustc "$(rustc --version)"
put machine.kernel "$(uname -sr)"
put tool.newskg "$("$NEWSKG" --version)"
put tool.commit "$(git rev-parse --short HEAD 2> /dev/null || echo unknown)$(git diff --quiet HEAD -- src Cargo.toml 2> /dev/null || echo ' + uncommitted changes in src/ or Cargo.toml')"
put tool.hyperfine "$([ "$HAVE_HYPERFINE" = 1 ] && hyperfine --version || echo 'none (shell loop)')"
put tool.serdi "$([ "$HAVE_SERDI" = 1 ] && (dpkg-query -W -f='serdi ${Version}' serdi 2> /dev/null || echo serdi) || echo none)"
put tool.pyoxigraph "$([ "$HAVE_PYOX" = 1 ] && python3 -c 'import pyoxigraph; print("pyoxigraph", pyoxigraph.__version__)' || echo none)"
put tool.python "$(python3 --version)"
put run.mode "$([ "$QUICK" = 1 ] && echo quick || echo full)"
put run.sizes "$SIZES"
put run.probe "$PROBE"
put run.seed "$SEED"
put run.mem_cap_gib "$MEM_CAP_GIB"
put run.timeout "$TIMEOUT"
put run.queries "$QUERIES"
put run.formats "$FORMATS"

# --- measuring one process ----------------------------------------------------------------------

# measure KEY CMD ARGS…: runs the command under the memory and time caps, with /usr/bin/time -v;
# records KEY.wall (seconds), KEY.rss_kib (peak RSS, "Maximum resident set size") and KEY.status
# (ok, or why it failed). Its standard output goes to $STDOUT_TO when set, else to a log file.
measure() {
    local key=$1
    shift
    local tfile=$WORK/log/$key.time out=${STDOUT_TO:-$WORK/log/$key.out} err=$WORK/log/$key.err
    local start end rc
    start=$(date +%s%N)
    set +e
    (ulimit -v "$CAP_KIB" && exec /usr/bin/time -v -o "$tfile" timeout "$TIMEOUT" "$@") > "$out" 2> "$err"
    rc=$?
    set -e
    end=$(date +%s%N)
    local wall rss status=ok
    wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tfile" 2> /dev/null || true)
    if [ "$rc" != 0 ]; then
        if grep -q 'memory allocation of .* failed' "$err" 2> /dev/null; then
            status="failed: out of memory under the ${MEM_CAP_GIB} GiB cap"
        elif [ "$rc" = 124 ]; then
            status="failed: over the ${TIMEOUT} s time cap"
        else
            status="failed: exit status $rc ($(head -c 200 "$err" | tr '\n\t' '  '))"
        fi
    fi
    put "$key.wall" "$wall"
    put "$key.rss_kib" "${rss:-}"
    put "$key.status" "$status"
    say "  $key: $status, ${wall} s, peak RSS ${rss:-?} KiB"
    [ "$status" = ok ]
}

# --- one corpus size ------------------------------------------------------------------------------

bench_size() {
    local n=$1 probe_only=${2:-0}
    local k=s$n corpus=$WORK/corpus-$n out=$WORK/out-$n
    say "bench: $n articles$([ "$probe_only" = 1 ] && echo ' (peak-RSS probe)')"
    busy_others "$k"
    rm -rf "$corpus" "$out"
    mkdir -p "$out"
    local start end
    start=$(date +%s%N)
    "$GEN" --articles "$n" --seed "$SEED" --out "$corpus" 2> "$WORK/log/$k.gen.err"
    end=$(date +%s%N)
    put "$k.gen.wall" "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')"
    put "$k.gen.summary" "$(cat "$WORK/log/$k.gen.err")"
    put "$k.corpus_bytes" "$(du -sb "$corpus" | cut -f1)"
    put "$k.facts_files" "$(find "$corpus" -name '*.toml' | wc -l)"

    if [ "$probe_only" = 1 ]; then
        bench_store "$n" "$corpus" "$out" 1
        [ "$KEEP" = 1 ] || rm -rf "$corpus" "$out"
        return 0
    fi

    # (a) the in-memory store's build: read, parse, validate, map, load (and a trivial query).
    measure "$k.memstore" "$NEWSKG" query -i "$corpus" 'ASK{}' || true
    # `check`: read, parse, validate, map; it streams (no store).
    if measure "$k.check" "$NEWSKG" check -i "$corpus"; then
        put "$k.check.ok_lines" "$(grep -c '^ok ' "$WORK/log/$k.check.out" || true)"
        put "$k.check.triples_sum" "$(grep -o '[0-9]* triples$' "$WORK/log/$k.check.out" | awk '{ s += $1 } END { print s + 0 }')"
    fi

    # (a) files to N-Quads.
    if ! measure "$k.export_nquads" "$NEWSKG" export -i "$corpus" -f nquads -o "$out/newskg.nq"; then
        put "$k.skipped" "the N-Quads export did not complete ($(get "$k.export_nquads.status" | sed 's/^failed: //')); the per-format exports and the reference tools were not run at this size"
        [ "$KEEP" = 1 ] || rm -rf "$corpus" "$out"
        return 0
    fi
    put "$k.triples" "$(wc -l < "$out/newskg.nq")"
    put "$k.nquads_bytes" "$(stat -c %s "$out/newskg.nq")"

    # (b) every format, from the files. Then determinism: the same export again.
    local f
    for f in $FORMATS; do
        if measure "$k.fmt_$f" "$NEWSKG" export -i "$corpus" -f "$f" -o "$out/newskg.$f"; then
            put "$k.fmt_$f.bytes" "$(stat -c %s "$out/newskg.$f")"
        fi
    done
    if [ -f "$out/newskg.nquads" ]; then
        put "$k.deterministic_nquads" "$(cmp -s "$out/newskg.nq" "$out/newskg.nquads" && echo identical || echo DIFFERENT)"
    fi
    if measure "$k.fmt_turtle_again" "$NEWSKG" export -i "$corpus" -f turtle -o "$out/newskg.again.turtle"; then
        put "$k.deterministic_turtle" "$(cmp -s "$out/newskg.turtle" "$out/newskg.again.turtle" && echo identical || echo DIFFERENT)"
    fi
    [ -f "$out/newskg.ntriples" ] && put "$k.ntriples_lines" "$(wc -l < "$out/newskg.ntriples")"
    # At 20,000 articles the exports take tens of GB: keep only what is compared later (the
    # N-Quads and N-Triples for the reference tools, the Turtle for the store's export).
    rm -f "$out/newskg.trig" "$out/newskg.rdfxml" "$out/newskg.jsonld" "$out/newskg.nquads" "$out/newskg.again.turtle"

    # (d) pyoxigraph: bulk load of our N-Quads; dumps.
    if [ "$HAVE_PYOX" = 1 ]; then
        if measure "$k.pyox_nq" python3 "$ROOT/bench/pyoxigraph_bench.py" nquads "$out/newskg.nq" "$out/pyox"; then
            while IFS=$'\t' read -r key value; do put "$k.pyox_nq.$key" "$value"; done < "$WORK/log/$k.pyox_nq.out"
        fi
        rm -f "$out/pyox/pyoxigraph.nq" "$out/pyox/pyoxigraph.trig"
        # the same N-Quads into a persistent (RocksDB) store, as `newskg build --store` does
        if measure "$k.pyox_rocks" python3 "$ROOT/bench/pyoxigraph_bench.py" nquads-rocksdb "$out/newskg.nq" "$out/pyox-rocks"; then
            while IFS=$'\t' read -r key value; do put "$k.pyox_rocks.$key" "$value"; done < "$WORK/log/$k.pyox_rocks.out"
        fi
        rm -rf "$out/pyox-rocks"
        if [ -f "$out/newskg.ntriples" ] && measure "$k.pyox_nt" python3 "$ROOT/bench/pyoxigraph_bench.py" ntriples "$out/newskg.ntriples" "$out/pyox"; then
            while IFS=$'\t' read -r key value; do put "$k.pyox_nt.$key" "$value"; done < "$WORK/log/$k.pyox_nt.out"
        fi
    fi
    # (d) serdi: N-Triples → Turtle.
    if [ "$HAVE_SERDI" = 1 ] && [ -f "$out/newskg.ntriples" ]; then
        if STDOUT_TO=$out/serdi.ttl measure "$k.serdi" serdi -i ntriples -o turtle "$out/newskg.ntriples"; then
            put "$k.serdi.bytes" "$(stat -c %s "$out/serdi.ttl")"
        fi
    fi
    rm -f "$out/newskg.ntriples" "$out/serdi.ttl"
    bench_store "$n" "$corpus" "$out" 0
    [ "$KEEP" = 1 ] || rm -rf "$corpus" "$out"
}

# --- (c) canned queries on the embedded default, as whole processes ----------------------------

# latency KEY CMD [RUNS]: median, mean, min, max of RUNS (default $RUNS) runs of CMD (whole
# process), in ms, as KEY.*_ms.
latency() {
    local key=$1 cmd=$2 runs=${3:-$RUNS}
    local warmup=$((runs < 10 ? 1 : 3))
    if [ "$HAVE_HYPERFINE" = 1 ]; then
        if ! hyperfine --shell=none --warmup "$warmup" --runs "$runs" --style none \
            --export-json "$WORK/log/$key.json" "$cmd" > /dev/null 2> "$WORK/log/$key.err"; then
            put "$key.status" "failed: $(tail -c 200 "$WORK/log/$key.err" | tr '\n\t' '  ')"
            return 0
        fi
        python3 - "$WORK/log/$key.json" "$key" >> "$RESULTS" << 'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
for k in ("median", "mean", "min", "max", "stddev"):
    print(f"{sys.argv[2]}.{k}_ms\t{r[k] * 1000:.2f}")
EOF
    else
        local i a b times=()
        for ((i = 0; i < runs; i++)); do
            a=$(date +%s%N)
            $cmd > /dev/null
            b=$(date +%s%N)
            times+=($(((b - a) / 1000)))
        done
        printf '%s\n' "${times[@]}" | sort -n | awk -v q="$key" '
            { t[NR] = $1; s += $1 }
            END {
                m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
                printf "%s.median_ms\t%.2f\n%s.mean_ms\t%.2f\n%s.min_ms\t%.2f\n%s.max_ms\t%.2f\n",
                    q, m / 1000, q, s / NR / 1000, q, t[1] / 1000, q, t[NR] / 1000
            }' >> "$RESULTS"
    fi
}

bench_queries() {
    say "bench: canned queries on the embedded default, $RUNS runs each"
    busy_others q
    local q
    for q in $QUERIES; do
        if ! "$NEWSKG" query "$q" > "$WORK/log/q.$q.out" 2> "$WORK/log/q.$q.err"; then
            put "q.$q.status" "failed: $(head -c 200 "$WORK/log/q.$q.err" | tr '\n\t' '  ')"
            continue
        fi
        put "q.$q.status" ok
        put "q.$q.rows" "$(grep -Eo '^\([0-9]+ rows?\)' "$WORK/log/q.$q.out" | tr -dc 0-9)"
        latency "q.$q" "$NEWSKG query $q"
        say "  query $q: median $(get "q.$q.median_ms") ms"
    done
    # Where a query's time goes: the process alone, and the process + loading the embedded
    # default + a trivial query.
    latency base.version "$NEWSKG --version"
    say "  newskg --version: median $(get base.version.median_ms) ms"
    latency base.ask "$NEWSKG query ASK{}"
    say "  newskg query ASK{} (embedded default): median $(get base.ask.median_ms) ms"
}

# --- (e) the persistent store ------------------------------------------------------------------

# bench_store N CORPUS OUT PROBE: build the corpus into a RocksDB store, rebuild it (nothing
# changed), export it (streaming), query it. With PROBE=1, only the build and the rebuild.
bench_store() {
    local n=$1 corpus=$2 out=$3 probe=$4 k=s$1
    [ -n "$NEWSKG_RDB" ] || return 0
    local store=$out/store
    rm -rf "$store"
    if ! measure "$k.store_build" "$NEWSKG_RDB" build --store "$store" -i "$corpus"; then
        return 0
    fi
    put "$k.store_build.triples" "$(grep -o '[0-9]* triples written' "$WORK/log/$k.store_build.out" | tr -dc 0-9)"
    put "$k.store_bytes" "$(du -sb "$store" | cut -f1)"
    # the same build without the compaction that follows the load
    if measure "$k.store_load" "$NEWSKG_RDB" build --no-compact --store "$out/store-loose" -i "$corpus"; then
        put "$k.store_load.bytes" "$(du -sb "$out/store-loose" | cut -f1)"
    fi
    rm -rf "$out/store-loose"
    measure "$k.store_rebuild" "$NEWSKG_RDB" build --store "$store" -i "$corpus" || true
    put "$k.store_rebuild.summary" "$(head -n1 "$WORK/log/$k.store_rebuild.out")"
    if [ "$probe" = 1 ]; then
        # at the probe size, the build's memory is what is measured (exports from a store read
        # every term back from RocksDB: minutes at this size)
        rm -rf "$store"
        return 0
    fi
    local f
    # each export compared (or counted) and removed before the next: they are GBs at 20,000
    for f in turtle ntriples nquads; do
        if measure "$k.store_$f" "$NEWSKG_RDB" export --store "$store" -f "$f" -o "$out/store.$f"; then
            put "$k.store_$f.bytes" "$(stat -c %s "$out/store.$f")"
        fi
        case $f in
            turtle) [ -f "$out/store.turtle" ] && [ -f "$out/newskg.turtle" ] &&
                put "$k.store_same_turtle" "$(cmp -s "$out/store.turtle" "$out/newskg.turtle" && echo identical || echo DIFFERENT)" ;;
            ntriples) [ -f "$out/store.ntriples" ] && put "$k.store_ntriples_lines" "$(wc -l < "$out/store.ntriples")" ;;
            nquads)
                [ -f "$out/store.nquads" ] && put "$k.store_quads" "$(wc -l < "$out/store.nquads")"
                [ -f "$out/store.nquads" ] && [ -f "$out/newskg.nq" ] &&
                    put "$k.store_same_nquads" "$(cmp -s "$out/store.nquads" "$out/newskg.nq" && echo identical || echo DIFFERENT)" ;;
        esac
        rm -f "$out/store.$f"
    done
    # every canned query on the store, as whole processes, beside Virtuoso on the same N-Quads
    local runs=5
    [ "$n" -gt 1000 ] && runs=3
    say "  every canned query on the store ($runs runs each), and on Virtuoso"
    # under the same address-space cap as every measured process: the newskg processes and the
    # Virtuoso server it starts (which otherwise grew to the machine's memory on one query and
    # was killed by the kernel)
    (ulimit -v "$CAP_KIB" && exec python3 "$ROOT/bench/corpus_queries.py" --newskg "$NEWSKG_RDB" --store "$store" --key "$k" \
        --nquads "$out/newskg.nq" $([ "$HAVE_VIRTUOSO" = 1 ] && echo --virtuoso) \
        --work "$WORK" --runs "$runs" --timeout 300) >> "$RESULTS" 2> "$WORK/log/$k.corpus_queries.err" ||
        put "$k.q.status" "failed: $(tail -c 200 "$WORK/log/$k.corpus_queries.err" | tr '\n\t' '  ')"
    rm -rf "$store" "$WORK/virtuoso"
}

# --- run ------------------------------------------------------------------------------------------

T0=$(date +%s)
bench_queries
for n in $SIZES; do
    bench_size "$n"
done
if [ "$PROBE" != 0 ]; then
    bench_size "$PROBE" 1
fi
busy_others end
put run.total_s "$(($(date +%s) - T0))"

if [ "$REPORT" = 1 ]; then
    python3 "$ROOT/bench/report.py" "$RESULTS" "$ROOT/BENCHMARKS.md"
    say "bench: wrote BENCHMARKS.md"
else
    python3 "$ROOT/bench/report.py" "$RESULTS" -
fi
