#!/usr/bin/env bash
# The directory search benchmark (run it as `scripts/bench search`).
#
# A seeded generator (roadshow-bench search) makes DOCS policies over four languages
# (100,000 by default; 72 of them the "needles" on twelve topics the rest never mention)
# and a fixed set of 200 queries, 72 of them labelled with the needles they must find
# (German words and compounds, French elisions and inflections, Chinese words, English,
# typos; every one must also find the needles written in the other languages). Roadshow's
# index is timed in-process (facets and snippets included) and over HTTP (the corpus
# imported into a Roadshow on SQLite, searched on loopback); SQLite FTS5 (unicode61 and
# trigram) and PostgreSQL full-text search (german/english/french/simple, GIN) get the
# same corpus and queries. Quality: recall@10 and MRR on the labelled queries.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${DOCS:-100000}
ROUNDS=${ROUNDS:-5}
PG=${ROADSHOW_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
cargo build --release --locked -q -p roadshow-bench
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
pg_args=()
if command -v psql >/dev/null && psql "$PG" -qc "DROP DATABASE IF EXISTS roadshow_bench_search" -c "CREATE DATABASE roadshow_bench_search" >/dev/null 2>&1; then
  pg_args=(--postgres "${PG%/*}/roadshow_bench_search")
fi
json=$(target/release/roadshow-bench search --docs "$DOCS" --rounds "$ROUNDS" --data "$WORK" --http "${pg_args[@]}")
echo "$json" > target/bench-search.json
echo "Roadshow search benchmark — commit $(git rev-parse --short HEAD), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo
python3 - "$json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
r = d["roadshow"]
print(f"{d['documents']:,} policies in four languages, {d['queries_timed']} queries × {d['rounds']} rounds; {d['labelled_queries']} labelled queries.")
print()
print("| engine | index s | index size | query p50 / p99 ms | recall@10 | MRR |")
print("| --- | --- | --- | --- | --- | --- |")
q = r["query"]
print(f"| Roadshow (in-process, with facets and snippets) | {r['index_seconds']:.1f} | {r['postings']:,} postings, {r['vocabulary']:,} terms, {r['rss_mib_for_index']:.0f} MiB RSS | {q['p50_ms']:.2f} / {q['p99_ms']:.2f} | {r['quality']['recall_at_10']:.3f} | {r['quality']['mrr']:.3f} |")
w = r["quality_whole_words_only"]
print(f"| Roadshow without compound splitting (quality only) | | | | {w['recall_at_10']:.3f} | {w['mrr']:.3f} |")
if d.get("http"):
    h = d["http"]
    print(f"| Roadshow over HTTP (SQLite, {h['import_seconds']:.0f} s import, index from the database {h['index_from_database_seconds']:.1f} s) | | | {h['query']['p50_ms']:.2f} / {h['query']['p99_ms']:.2f} | | |")
for b in d["baselines"]:
    bq = b["query"]
    ratio50 = bq["p50_ms"] / q["p50_ms"] if q["p50_ms"] else 0
    print(f"| {b['name']} (top 10, no facets) | {b['index_seconds']:.1f} | {b['index_bytes']/1048576:.0f} MiB | {bq['p50_ms']:.2f} / {bq['p99_ms']:.2f} (its p50 ÷ Roadshow's: {ratio50:.2f}) | {b['quality']['recall_at_10']:.3f} | {b['quality']['mrr']:.3f} |")
print()
print(f"Peak RSS of the whole run: {d['peak_rss_mib']:.0f} MiB.")
print()
print("Recall@10 by kind of query:")
print()
kinds = sorted(r["quality"]["by_kind"])
print("| engine | " + " | ".join(kinds) + " |")
print("| --- | " + " | ".join("---" for _ in kinds) + " |")
def row(name, qual):
    print(f"| {name} | " + " | ".join(f"{qual['by_kind'].get(k, {}).get('recall_at_10', 0):.2f}" for k in kinds) + " |")
row("Roadshow", r["quality"])
row("Roadshow, whole words only", w)
for b in d["baselines"]:
    row(b["name"], b["quality"])
print()
print("Slowest queries (Roadshow, in-process): " + "; ".join(f"{s['query']} {s['ms']:.1f} ms ({s['total']:,} matches)" for s in r["slowest"]))
PY
