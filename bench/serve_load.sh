#!/usr/bin/env bash
# Load test of `newskg serve` (not part of CI's tests): N concurrent clients (wrk, Debian's
# package) for a bounded time on 127.0.0.1 against a persistent store, per workload:
# requests/s, p50 and p99 latency, errors (non-2xx and socket errors: must be 0) and the
# server's peak memory (VmHWM). The client runs on the same machine as the server.
#
#   bench/serve_load.sh NEWSKG_BIN STORE [SECONDS] [CLIENTS...]
#
# Workloads: the most-mentioned state's first page of about-entity (a canned query, paged), one
# article's facts with their modality (SPARQL by GET), the page's article view of the first
# article (its text and each quote's place, /articles/ID), the picture of its first event
# (/picture.svg, laid out per request), and the service description (no query).
set -euo pipefail
BIN=$1 STORE=$2 SECONDS_=${3:-20}
shift $(( $# >= 3 ? 3 : $# ))
CLIENTS=("${@:-4 16}")
read -r -a CLIENTS <<<"${CLIENTS[*]}"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
state=$("$BIN" query --store "$STORE" -f csv 'SELECT ?e (COUNT(?a) AS ?n) WHERE { GRAPH data:entities { ?e a nkg:State } ?a schema:mentions ?e } GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT 1' | sed -n 2p | tr -d '\r' | cut -d, -f1 | sed 's|.*/entity/||')
article=$("$BIN" query --store "$STORE" -f csv 'SELECT ?a WHERE { ?a a nkg:Article } ORDER BY ?a LIMIT 1' | sed -n 2p | tr -d '\r')
facts="SELECT ?f ?modality ?quote WHERE { ?f nkg:statedIn <$article> ; nkg:modality ?modality ; nkg:quote ?quote } ORDER BY ?f"
article_id=${article##*/article/}
fact=$("$BIN" query --store "$STORE" -f csv "SELECT ?f WHERE { ?f nkg:statedIn <$article> ; nkg:eventClass ?c } ORDER BY ?f LIMIT 1" | sed -n 2p | tr -d '\r')
fact_id=${fact##*/fact/}
declare -A WORKLOADS=(
  [about-entity-page]="/queries/about-entity?entity=$state&limit=50"
  [article-facts]="/sparql?query=$(enc "$facts")"
  [article-view]="/articles/$article_id"
  [fact-picture]="/picture.svg?fact=$article_id/$fact_id"
  [service-description]="/sparql"
)
echo "store: $STORE; state: $state; article: $article; $SECONDS_ s per run; $(nproc) cores"
echo "| workload | clients | requests/s | p50 | p99 | errors | peak memory |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for clients in "${CLIENTS[@]}"; do
  "$BIN" serve --store "$STORE" --bind "127.0.0.1:$port" --max-concurrent "$clients" 2>/tmp/serve_load.log &
  pid=$!
  trap "kill $pid 2>/dev/null" EXIT
  for _ in $(seq 100); do grep -q serving /tmp/serve_load.log && break; sleep 0.1; done
  for name in about-entity-page article-facts article-view fact-picture service-description; do
    url="http://127.0.0.1:$port${WORKLOADS[$name]}"
    accept='application/sparql-results+json'
    [ "$name" = service-description ] && accept='text/turtle'
    [ "$name" = article-view ] && accept='application/json'
    [ "$name" = fact-picture ] && accept='image/svg+xml'
    curl -sf -o /dev/null -H "Accept: $accept" "$url" # warm, and fail here if it is refused
    out=$(wrk -t 2 -c "$clients" -d "${SECONDS_}s" --latency -H "Accept: $accept" "$url")
    echo "$out" >>/tmp/serve_load.wrk
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    sock=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' <<<"$out")
    hwm=$(awk '/VmHWM/ {printf "%.0f MiB", $2 / 1024}' "/proc/$pid/status")
    echo "| $name | $clients | $rps | $p50 | $p99 | $(( ${non2xx:-0} + ${sock:-0} )) | $hwm |"
  done
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "statuses other than 200 at $clients clients: $(awk '$4 ~ /^[0-9]+$/ && $4 != 200 {print $4}' /tmp/serve_load.log | sort | uniq -c | tr -s " " | paste -sd, -)" >&2
done
