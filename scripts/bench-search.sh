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
# trigram), PostgreSQL full-text search (german/english/french/simple, GIN) and tantivy
# (default tokenizer; jieba tokenizer) get the same corpus and queries. Quality: recall@10
# and MRR on the labelled queries and on a second labelled set written apart from the
# tuning (crates/bench/src/search/fresh.rs), and a third of partial queries held out from
# the common-words rule's tuning (fresh.rs's HELD_OUT). All of it again on a second corpus whose
# words follow real text: a Zipf distribution over 40,000 terms a language (zipf.rs).
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
python3 - target/bench-search.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))

def table(r, baselines, http):
    q = r["query"]
    print("| engine | index s | index size | query p50 / p99 ms | recall@10 (first set / new set) | MRR (first / new) |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(f"| Roadshow (in-process, with facets and snippets) | {r['index_seconds']:.1f} | {r['postings']:,} postings, {r['vocabulary']:,} terms, {r['index_bytes_per_policy']:,.0f} bytes a policy ({r['rss_mib_for_index']:.0f} MiB RSS) | {q['p50_ms']:.2f} / {q['p99_ms']:.2f} | {r['quality']['recall_at_10']:.3f} / {r['quality_fresh']['recall_at_10']:.3f} | {r['quality']['mrr']:.3f} / {r['quality_fresh']['mrr']:.3f} |")
    w, wf = r["quality_whole_words_only"], r["quality_fresh_whole_words_only"]
    print(f"| Roadshow without compound splitting (quality only) | | | | {w['recall_at_10']:.3f} / {wf['recall_at_10']:.3f} | {w['mrr']:.3f} / {wf['mrr']:.3f} |")
    if http:
        print(f"| Roadshow over HTTP (SQLite, {http['import_seconds']:.0f} s import, index from the database {http['index_from_database_seconds']:.1f} s) | | | {http['query']['p50_ms']:.2f} / {http['query']['p99_ms']:.2f} | | |")
    for b in baselines:
        bq = b["query"]
        ratio = bq["p99_ms"] / q["p99_ms"] if q["p99_ms"] else 0
        print(f"| {b['name']} (top 10, no facets) | {b['index_seconds']:.1f} | {b['index_bytes']/1048576:.0f} MiB | {bq['p50_ms']:.2f} / {bq['p99_ms']:.2f} (its p99 ÷ Roadshow's: {ratio:.2f}) | {b['quality']['recall_at_10']:.3f} / {b['quality_fresh']['recall_at_10']:.3f} | {b['quality']['mrr']:.3f} / {b['quality_fresh']['mrr']:.3f} |")
    for key, title in (("quality", "first set"), ("quality_fresh", "new set, written apart from the tuning")):
        print()
        print(f"Recall@10 by kind of query, {title}:")
        print()
        kinds = sorted(r[key]["by_kind"])
        print("| engine | " + " | ".join(kinds) + " |")
        print("| --- | " + " | ".join("---" for _ in kinds) + " |")
        def row(name, qual):
            print(f"| {name} | " + " | ".join(f"{qual['by_kind'].get(k, {}).get('recall_at_10', 0):.2f}" for k in kinds) + " |")
        row("Roadshow", r[key])
        row("Roadshow, whole words only", r["quality_whole_words_only" if key == "quality" else "quality_fresh_whole_words_only"])
        for b in baselines:
            row(b["name"], b[key])
    h = r["quality_held_out"]
    print()
    print(f"Third set (partial queries held out from the tuning of the common-words rule): recall@10 {h['recall_at_10']:.3f}, MRR {h['mrr']:.3f}.")
    print()
    print("Slowest queries (Roadshow, in-process): " + "; ".join(f"{s['query']} {s['ms']:.1f} ms ({s['total']:,} matches)" for s in r["slowest"]))

print(f"{d['documents']:,} policies in four languages, {d['queries_timed']} queries × {d['rounds']} rounds; {d['labelled_queries']} labelled queries in the first set, {d['fresh_queries']} in the new one, {d['held_out_queries']} in the third.")
print()
print(f"### The generated corpus ({d['roadshow']['vocabulary']:,} distinct terms)")
print()
table(d["roadshow"], d["baselines"], d.get("http"))
print()
z = d["zipf"]
print(f"### The corpus whose words follow real text (Zipf, {z['vocabulary_per_language']:,} terms a language)")
print()
table(z["roadshow"], z["baselines"], None)
print()
print(f"Peak RSS of the whole run: {d['peak_rss_mib']:.0f} MiB.")
PY
