#!/usr/bin/env bash
# Interop checks: newskg exports the embedded default in all six formats; independent parsers
# (serdi, rapper, RDFLib) must read each back as the same graph as our N-Triples (triple formats)
# or the same dataset as our N-Quads (TriG, JSON-LD); exports of the seed, of the claims example
# and of a generated corpus hold the SHACL shapes and reason cleanly under OWL RL
# (ci/reasoning_check.py); `newskg serve` answers SPARQLWrapper, RDFLib's SPARQLStore and curl as
# `newskg query` does, and its page works in headless Chromium (ci/serve_check.py); `newskg push`
# fills a Virtuoso and the canned queries give the same rows there (ci/push_check.py); and every
# export must be byte-deterministic.
# Ends with a line `N passed, M failed`; exits 1 if any check failed.
set -euo pipefail
cd "$(dirname "$0")/.."

locked=()
if git ls-files --error-unmatch Cargo.lock >/dev/null 2>&1; then locked=(--locked); fi
# --all-targets: the same features as `cargo test`, so the test step's debug build is reused
cargo build --all-targets "${locked[@]}"
BIN=${CARGO_TARGET_DIR:-target}/debug/newskg
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

FORMATS=(turtle:ttl ntriples:nt trig:trig nquads:nq rdfxml:rdf jsonld:jsonld)
for f in "${FORMATS[@]}"; do
  "$BIN" export -f "${f%%:*}" -o "$TMP/graph.${f##*:}"
done
echo "exported to $TMP: $(wc -l <"$TMP/graph.nt") N-Triples, $(wc -l <"$TMP/graph.nq") N-Quads"

passed=0 failed=0
check() { # check LABEL COMMAND...: PASS if COMMAND succeeds
  local label=$1
  shift
  if "$@"; then
    echo "PASS $label"
    passed=$((passed + 1))
  else
    echo "FAIL $label"
    failed=$((failed + 1))
  fi
}

# Canonical form: serdi re-serializes N-Triples/N-Quads with one escaping (-a: \uXXXX for
# non-ASCII), one statement a line, sorted. With no blank nodes in our data, two files hold the
# same graph (dataset) iff their canonical forms are identical.
canon() { serdi -q -a -i nquads -o nquads "$1" | LC_ALL=C sort -u; }

# same REF COMMAND...: COMMAND prints N-Triples/N-Quads of the same graph as $TMP/REF.
same() {
  local ref=$1
  shift
  "$@" >"$TMP/out" || return 1
  canon "$TMP/$ref" >"$TMP/want" && canon "$TMP/out" >"$TMP/got" || return 1
  if [ -s "$TMP/want" ] && cmp -s "$TMP/want" "$TMP/got"; then return 0; fi
  diff "$TMP/want" "$TMP/got" >"$TMP/diff" || true
  echo "  $(grep -c '^[<>]' "$TMP/diff") differing statements ('<' only in $ref, '>' only in the parser's output), e.g.:"
  grep '^[<>]' "$TMP/diff" | head -n 6 | sed 's/^/    /'
  return 1
}

cd "$TMP"
echo "== serdi $(serdi -v 2>&1 | head -n1 | cut -d' ' -f2), rapper $(rapper --version)"
check "serdi: turtle == ntriples" same graph.nt serdi -q -i turtle -o ntriples graph.ttl
check "serdi: trig == nquads" same graph.nq serdi -q -i trig -o nquads graph.trig
check "rapper: ntriples == ntriples" same graph.nt rapper -q -i ntriples -o ntriples graph.nt
check "rapper: nquads == nquads" same graph.nq rapper -q -i nquads -o nquads graph.nq
check "rapper: turtle == ntriples" same graph.nt rapper -q -i turtle -o ntriples graph.ttl
check "rapper: rdfxml == ntriples" same graph.nt rapper -q -i rdfxml -o ntriples graph.rdf
check "rapper: trig == nquads" same graph.nq rapper -q -i trig -o nquads graph.trig
cd - >/dev/null

echo "== RDFLib"
rc=0
python3 ci/rdflib_check.py "$TMP" >"$TMP/rdflib.log" || rc=$?
cat "$TMP/rdflib.log"
passed=$((passed + $(grep -c '^PASS' "$TMP/rdflib.log" || true)))
n=$(grep -c '^FAIL' "$TMP/rdflib.log" || true)
if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then n=1; fi # crashed before checking
failed=$((failed + n))

echo "== reasoning and shapes: pySHACL (ontology/shapes.ttl), datatype ranges, OWL RL (owlrl)"
# the seed (graph.nt), the every-kind-of-claim example and a generated corpus of 10 articles
"$BIN" export -i examples/claims/claims.toml -f ntriples -o "$TMP/claims.nt"
"${CARGO_TARGET_DIR:-target}/debug/examples/gen_corpus" --articles 10 --seed 7 --out "$TMP/corpus" >/dev/null
"$BIN" export -i "$TMP/corpus" -f ntriples -o "$TMP/corpus.nt"
rc=0
NEWSKG_BIN="$BIN" python3 ci/reasoning_check.py ontology/shapes.ttl --broken "$TMP/claims.nt" "$TMP/graph.nt" "$TMP/claims.nt" "$TMP/corpus.nt" \
  >"$TMP/reasoning.log" || rc=$?
cat "$TMP/reasoning.log"
passed=$((passed + $(grep -c '^PASS' "$TMP/reasoning.log" || true)))
n=$(grep -c '^FAIL' "$TMP/reasoning.log" || true)
if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then n=1; fi # crashed before checking
failed=$((failed + n))

echo "== newskg serve with real clients: SPARQLWrapper, RDFLib's SPARQLStore, curl, Chromium"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --bind "127.0.0.1:$port" --quiet 2>"$TMP/serve.log" &
serve_pid=$!
for _ in $(seq 50); do grep -q serving "$TMP/serve.log" && break; sleep 0.1; done
rc=0
NEWSKG_BIN="$BIN" python3 ci/serve_check.py "http://127.0.0.1:$port" >"$TMP/serve_check.log" || rc=$?
cat "$TMP/serve_check.log"
passed=$((passed + $(grep -c '^PASS' "$TMP/serve_check.log" || true)))
n=$(grep -c '^FAIL' "$TMP/serve_check.log" || true)
if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then n=1; fi # crashed before checking
failed=$((failed + n))
curl_csv() { curl -sf -H 'Accept: text/csv' --data-urlencode "query=$1" "http://127.0.0.1:$port/sparql"; }
check "curl: a POSTed query gives newskg query's CSV" \
  cmp <(curl_csv 'SELECT ?f WHERE { ?f a nkg:Fact } ORDER BY ?f') <("$BIN" query 'SELECT ?f WHERE { ?f a nkg:Fact } ORDER BY ?f' -f csv)
check "curl: an update is refused with 403" \
  test "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/sparql-update' --data 'CLEAR ALL' "http://127.0.0.1:$port/sparql")" = 403
kill "$serve_pid"

echo "== newskg push and query --endpoint with Virtuoso (ci/push_check.py)"
rc=0
python3 ci/push_check.py "$BIN" "${CARGO_TARGET_DIR:-target}/debug/examples/gen_corpus" >"$TMP/push_check.log" 2>&1 || rc=$?
cat "$TMP/push_check.log"
passed=$((passed + $(grep -c '^PASS' "$TMP/push_check.log" || true)))
n=$(grep -c '^FAIL' "$TMP/push_check.log" || true)
if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then n=1; fi
failed=$((failed + n))

echo "== determinism: a second export is byte-identical"
for f in "${FORMATS[@]}"; do
  "$BIN" export -f "${f%%:*}" -o "$TMP/again.${f##*:}"
  check "determinism: ${f%%:*}" cmp "$TMP/graph.${f##*:}" "$TMP/again.${f##*:}"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
