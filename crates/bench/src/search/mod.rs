//! The search benchmark (`scripts/bench search`): a seeded corpus of policies in four
//! languages indexed by Roadshow's directory index, timed in-process (with facets and
//! snippets) and over HTTP, against SQLite FTS5 (unicode61 and trigram) and PostgreSQL
//! full-text search (german, english, french and simple configurations, GIN); recall@10
//! and MRR of each on the labelled queries; index size and peak memory. Also the
//! eligibility benchmark (`scripts/bench eligibility`).

mod baselines;
pub mod corpus;
mod fresh;
mod tantivy_baseline;
mod zipf;

use crate::fanout::percentile;
use anyhow::{Result, anyhow};
use corpus::{Doc, Labelled};
use roadshow_domain::directory::search::{Analyzer, Document, Index, Kind, Query};
use roadshow_domain::{Lang, Localized};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

pub struct Options {
    pub docs: usize,
    pub seed: u64,
    pub rounds: usize,
    pub data: std::path::PathBuf,
    pub postgres: Option<String>,
    pub http: bool,
    /// Run the baselines too (FTS5, PostgreSQL, tantivy).
    pub baselines: bool,
}

fn summary(mut ms: Vec<f64>) -> Value {
    ms.sort_by(|a, b| a.total_cmp(b));
    json!({"p50_ms": percentile(&ms, 50.0), "p99_ms": percentile(&ms, 99.0), "max_ms": ms.last().copied().unwrap_or(0.0), "n": ms.len()})
}

/// Peak resident memory of this process so far, in MiB.
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn document(d: &Doc) -> Document {
    Document {
        kind: Some(Kind::Policy),
        id: d.id,
        agency: 1,
        slug: format!("p-{}", d.id),
        title: Localized(d.title.iter().cloned().collect()),
        text: Localized(d.text.iter().cloned().collect()),
        district: Some(d.district.to_string()),
        district_name: Localized::one(Lang::En, d.district),
        sectors: vec![d.sector.to_string()],
        benefits: vec![d.benefit.to_string()],
        ..Default::default()
    }
}

/// Recall@10 and reciprocal rank of one ranked list against the relevant ids.
fn judge(ranked: &[i64], relevant: &[i64]) -> (f64, f64) {
    let top: Vec<i64> = ranked.iter().take(10).copied().collect();
    let found = relevant.iter().filter(|r| top.contains(r)).count();
    let recall = found as f64 / relevant.len().max(1) as f64;
    let rr = ranked
        .iter()
        .take(10)
        .position(|id| relevant.contains(id))
        .map(|p| 1.0 / (p as f64 + 1.0))
        .unwrap_or(0.0);
    (recall, rr)
}

/// Mean recall@10 and MRR, overall and by kind of query.
pub fn quality(labelled: &[Labelled], mut ranked: impl FnMut(&str) -> Vec<i64>) -> Value {
    let mut by_kind: BTreeMap<&str, (f64, f64, usize)> = BTreeMap::new();
    let (mut recall, mut mrr) = (0.0, 0.0);
    let mut missed = Vec::new();
    for l in labelled {
        let (r, rr) = judge(&ranked(&l.query), &l.relevant);
        if r < 1.0 {
            missed.push(json!({"query": l.query, "kind": l.kind, "recall_at_10": r}));
        }
        recall += r;
        mrr += rr;
        let e = by_kind.entry(l.kind).or_insert((0.0, 0.0, 0));
        e.0 += r;
        e.1 += rr;
        e.2 += 1;
    }
    let n = labelled.len().max(1) as f64;
    let kinds: BTreeMap<&str, Value> = by_kind
        .into_iter()
        .map(|(k, (r, rr, c))| {
            (
                k,
                json!({"recall_at_10": r / c as f64, "mrr": rr / c as f64, "queries": c}),
            )
        })
        .collect();
    json!({"recall_at_10": recall / n, "mrr": mrr / n, "queries": labelled.len(), "by_kind": kinds, "missed": missed})
}

fn query<'a>(text: &'a str, lang: Lang) -> Query<'a> {
    Query {
        text,
        lang,
        district: None,
        sector: None,
        benefit: None,
        kind: None,
        valid_on: None,
        agency: None,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default(),
        offset: 0,
        limit: 10,
    }
}

fn build(analyzer: Arc<Analyzer>, docs: &[Doc]) -> Index {
    let mut index = Index::new(
        analyzer,
        &roadshow_domain::directory::search::glossary::built_in(),
    );
    for d in docs {
        index.upsert(document(d));
    }
    index
}

/// Roadshow's index on one corpus: build time, size, memory, query times over `timed`,
/// recall on the three labelled sets (and, for the first two, without compound splitting).
fn roadshow(
    docs: &[Doc],
    labelled: &[Labelled],
    fresh: &[Labelled],
    held_out: &[Labelled],
    timed: &[(String, Lang)],
    rounds: usize,
) -> Result<Value> {
    let rss_before = peak_rss_mib();
    let analyzer = Arc::new(Analyzer::new());
    let t = Instant::now();
    let index = build(analyzer.clone(), docs);
    let index_s = t.elapsed().as_secs_f64();
    let rss_index = peak_rss_mib();
    let mut times = Vec::new();
    let mut hits_total = 0usize;
    let mut slowest: Vec<(f64, String, usize)> = Vec::new();
    for _ in 0..rounds {
        for (q, lang) in timed {
            let t = Instant::now();
            let r = index.search(&query(q, *lang)).map_err(|e| anyhow!("{e}"))?;
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            times.push(ms);
            hits_total += r.hits.len();
            slowest.push((ms, q.clone(), r.total));
        }
    }
    slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
    slowest.truncate(5);
    // Queries' top ten on stderr (several separated by `;`), with how many policies each
    // word matches alone, to see why a query ranks as it does.
    if let Ok(explain) = std::env::var("ROADSHOW_BENCH_EXPLAIN") {
        for one in explain.split(';').map(str::trim).filter(|q| !q.is_empty()) {
            let r = index
                .search(&query(one, Lang::En))
                .map_err(|e| anyhow!("{e}"))?;
            let mut alone = Vec::new();
            for word in one.split_whitespace() {
                let n = index.search(&query(word, Lang::En)).map_or(0, |r| r.total);
                alone.push(format!("{word} {n}"));
            }
            eprintln!("{one}: {} matches ({})", r.total, alone.join(", "));
            for h in &r.hits {
                eprintln!("  {} {:.3} {} | {}", h.id, h.score, h.title, h.snippet);
            }
        }
    }
    let ranked = |index: &Index, q: &str| -> Vec<i64> {
        index
            .search(&query(q, Lang::En))
            .map(|r| r.hits.iter().map(|h| h.id).collect())
            .unwrap_or_default()
    };
    let ours = quality(labelled, |q| ranked(&index, q));
    let ours_fresh = quality(fresh, |q| ranked(&index, q));
    let ours_held_out = quality(held_out, |q| ranked(&index, q));
    // The same index without compound splitting, for the labelled sets only.
    let mut plain = Analyzer::new();
    plain.compounds = false;
    let without_compounds = build(Arc::new(plain), docs);
    let ours_whole_words = quality(labelled, |q| ranked(&without_compounds, q));
    let ours_whole_words_fresh = quality(fresh, |q| ranked(&without_compounds, q));
    drop(without_compounds);
    let grown = (rss_index - rss_before).max(0.0);
    Ok(json!({
        "index_seconds": index_s,
        "documents": index.len(),
        "vocabulary": index.vocabulary(),
        "postings": index.postings(),
        "rss_mib_for_index": grown,
        "index_bytes_per_policy": index.heap_bytes() as f64 / docs.len().max(1) as f64,
        "query": summary(times),
        "hits_returned": hits_total,
        "slowest": slowest.iter().map(|(ms, q, total)| json!({"ms": ms, "query": q, "total": total})).collect::<Vec<_>>(),
        "quality": ours,
        "quality_fresh": ours_fresh,
        "quality_held_out": ours_held_out,
        "quality_whole_words_only": ours_whole_words,
        "quality_fresh_whole_words_only": ours_whole_words_fresh,
    }))
}

/// SQLite FTS5, PostgreSQL (when given) and tantivy on one corpus.
async fn all_baselines(
    docs: &[Doc],
    labelled: &[Labelled],
    fresh: &[Labelled],
    timed: &[(String, Lang)],
    o: &Options,
) -> Result<Vec<Value>> {
    let mut out = baselines::run(
        docs,
        labelled,
        fresh,
        timed,
        o.rounds,
        &o.data,
        o.postgres.as_deref(),
    )
    .await?;
    out.extend(tantivy_baseline::run(
        docs, labelled, fresh, timed, o.rounds,
    )?);
    Ok(out)
}

pub async fn run(o: Options) -> Result<Value> {
    let started = Instant::now();
    let (docs, labelled) = corpus::corpus(o.docs, o.seed);
    let fresh = fresh::labelled(&labelled);
    let held_out = fresh::held_out(&labelled);
    let timed = corpus::timed_queries(&labelled, o.seed);
    let generate_s = started.elapsed().as_secs_f64();

    // Roadshow's index, as each process holds it.
    let ours_json = roadshow(&docs, &labelled, &fresh, &held_out, &timed, o.rounds)?;
    let baselines = if o.baselines {
        all_baselines(&docs, &labelled, &fresh, &timed, &o).await?
    } else {
        Vec::new()
    };
    let http = if o.http {
        Some(http(&docs, &timed, &o).await?)
    } else {
        None
    };
    drop(docs);

    // The corpus whose words follow real text, the same needles and queries.
    let vocabulary = zipf::Zipf::new(o.seed, labelled.iter().chain(&fresh));
    let (zipf_docs, zipf_labelled) = vocabulary.corpus(o.docs, o.seed);
    let zipf_timed = vocabulary.timed_queries(&zipf_labelled, o.seed);
    let zipf_fresh = fresh::labelled(&zipf_labelled);
    let zipf_held_out = fresh::held_out(&zipf_labelled);
    let zipf_ours = roadshow(
        &zipf_docs,
        &zipf_labelled,
        &zipf_fresh,
        &zipf_held_out,
        &zipf_timed,
        o.rounds,
    )?;
    let zipf_baselines = if o.baselines {
        all_baselines(&zipf_docs, &zipf_labelled, &zipf_fresh, &zipf_timed, &o).await?
    } else {
        Vec::new()
    };
    Ok(json!({
        "documents": zipf_docs.len(),
        "queries_timed": timed.len(),
        "rounds": o.rounds,
        "labelled_queries": labelled.len(),
        "fresh_queries": fresh.len(),
        "held_out_queries": held_out.len(),
        "generate_seconds": generate_s,
        "roadshow": ours_json,
        "baselines": baselines,
        "http": http,
        "zipf": {
            "vocabulary_per_language": zipf::VOCABULARY,
            "roadshow": zipf_ours,
            "baselines": zipf_baselines,
        },
        "peak_rss_mib": peak_rss_mib(),
    }))
}

/// Records written per transaction when the bench loads its corpus (its progress shows).
const IMPORT_CHUNK: usize = 5_000;

/// The corpus imported into a Roadshow on SQLite, searched over HTTP on loopback.
async fn http(docs: &[Doc], timed: &[(String, Lang)], o: &Options) -> Result<Value> {
    use roadshow_domain::directory::DirectoryStore;
    use roadshow_domain::directory::file::{Names, Record, plan};
    let dir = o.data.join("http");
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("roadshow.db").display());
    let store = roadshow_store::SqlStore::connect(&url)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let agency = roadshow_domain::accounts::AccountStore::create_agency(
        &store,
        "bench",
        &Localized::one(Lang::En, "Bench"),
    )
    .await
    .map_err(|e| anyhow!("{e}"))?;
    let t = Instant::now();
    for chunk in docs.chunks(IMPORT_CHUNK) {
        let records: Vec<Record> = chunk
            .iter()
            .map(|d| Record {
                external_id: Some(format!("p-{}", d.id)),
                kind: Some("policy".into()),
                title: Localized(d.title.iter().cloned().collect()),
                summary: Localized(d.text.iter().cloned().collect()),
                district: Some(Names::One(d.district.into())),
                sectors: vec![d.sector.into()],
                benefit_types: vec![d.benefit.into()],
                ..Default::default()
            })
            .collect();
        let p = plan(&records, &Default::default()).map_err(|e| anyhow!("{e:?}"))?;
        store
            .import_directory(agency.id, &p, None)
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    let import_s = t.elapsed().as_secs_f64();
    let mut config = roadshow_app::Config::new(dir.clone(), "http://127.0.0.1".into());
    config.writes_per_minute = u32::MAX;
    let app = roadshow_app::App::new(config, Arc::new(store)).map_err(|e| anyhow!("{e}"))?;
    let t = Instant::now();
    app.directory()
        .warm_up()
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let build_s = t.elapsed().as_secs_f64();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(roadshow_web::serve(
        listener,
        roadshow_web::AppState::new(app.clone()),
        async move {
            let _ = stopped.await;
        },
    ));
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    for _ in 0..o.rounds {
        for (q, lang) in timed {
            let url = format!("http://{addr}/api/v1/search");
            let t = Instant::now();
            let r = client
                .get(&url)
                .query(&[("q", q.as_str()), ("lang", lang.code())])
                .send()
                .await?;
            let status = r.status();
            let _ = r.bytes().await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if !status.is_success() {
                return Err(anyhow!("search answered {status} for {q}"));
            }
        }
    }
    let _ = stop.send(());
    let _ = server.await;
    Ok(
        json!({"import_seconds": import_s, "index_from_database_seconds": build_s, "query": summary(times)}),
    )
}

/// One profile against `policies` generated policies with one to five criteria each.
pub fn eligibility(policies: usize, rounds: usize, seed: u64) -> Value {
    use roadshow_domain::directory::eligibility::{
        Criterion, Field, Op, Profile, Status, Threshold, rank,
    };
    let mut rng = corpus::Rng(seed | 1);
    let numbers = [
        (Field::Employees, 500.0),
        (Field::AnnualRevenueCny, 5e8),
        (Field::PlannedInvestmentCny, 2e8),
        (Field::ForeignOwnershipPct, 100.0),
        (Field::RdSpendingPct, 15.0),
        (Field::YearsInOperation, 20.0),
    ];
    let sectors = [
        "smart-manufacturing",
        "automotive",
        "biomedicine",
        "ict-software",
        "finance",
        "logistics",
    ];
    let districts = ["Shunyi", "Daxing", "Haidian", "Chaoyang", "Fengtai"];
    let all: Vec<Vec<Criterion>> = (0..policies)
        .map(|_| {
            (0..1 + rng.below(5))
                .map(|_| match rng.below(4) {
                    0 => Criterion {
                        field: Field::Sector,
                        op: Op::OneOf,
                        value: Threshold::List(
                            (0..1 + rng.below(3))
                                .map(|_| rng.pick(&sectors).to_string())
                                .collect(),
                        ),
                    },
                    1 => Criterion {
                        field: Field::District,
                        op: Op::Eq,
                        value: Threshold::Text(rng.pick(&districts).to_string()),
                    },
                    _ => {
                        let (field, max) = *rng.pick(&numbers);
                        let op = if rng.below(4) == 0 { Op::Lte } else { Op::Gte };
                        Criterion {
                            field,
                            op,
                            value: Threshold::Number((rng.below(100) as f64 / 100.0 * max).round()),
                        }
                    }
                })
                .collect()
        })
        .collect();
    let profile = Profile {
        sector: Some("smart-manufacturing".into()),
        employees: Some(120.0),
        annual_revenue_cny: Some(8e7),
        planned_investment_cny: Some(5e7),
        foreign_ownership_pct: Some(100.0),
        rd_spending_pct: Some(6.0),
        district: Some("Shunyi".into()),
        headquarters: Some(false),
        years_in_operation: Some(12.0),
        country: Some("DE".into()),
        language: Some("de".into()),
    };
    let mut times = Vec::new();
    let mut counts = [0usize; 3];
    for round in 0..rounds {
        let t = Instant::now();
        let ranked = rank(all.iter().map(Vec::as_slice), &profile);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if round == 0 {
            for (_, a) in &ranked {
                counts[match a.status {
                    Status::Eligible => 0,
                    Status::NearlyEligible => 1,
                    Status::NotEligible => 2,
                }] += 1;
            }
        }
    }
    json!({
        "policies": policies,
        "criteria": all.iter().map(Vec::len).sum::<usize>(),
        "rank": summary(times),
        "eligible": counts[0], "nearly_eligible": counts[1], "not_eligible": counts[2],
    })
}
