//! The baselines on the same corpus and queries: SQLite FTS5 with the unicode61 tokenizer
//! (accents removed) and with the trigram tokenizer, and PostgreSQL full-text search over
//! the german, english, french and simple configurations with a GIN index. Each gets the
//! query's words joined by OR and ranks by its own BM25 / ts_rank; top 10, no facets or
//! snippets (what they do out of the box).

use super::corpus::{Doc, Labelled};
use super::{quality, summary};
use anyhow::{Result, anyhow};
use roadshow_domain::Lang;
use serde_json::{Value, json};
use sqlx::Row;
use std::time::Instant;

/// All of a policy's text in one field, as every baseline gets it.
pub(super) fn all_text(d: &Doc) -> String {
    let mut out = String::new();
    for (_, t) in d.title.iter().chain(d.text.iter()) {
        out.push_str(t);
        out.push('\n');
    }
    out
}

/// The query's words (letters and digits), as every baseline gets them.
fn words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn fts5_query(q: &str, trigram: bool) -> Option<String> {
    let w: Vec<String> = words(q)
        .into_iter()
        .filter(|w| !trigram || w.chars().count() >= 3)
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    (!w.is_empty()).then(|| w.join(" OR "))
}

async fn fts5(
    docs: &[Doc],
    labelled: &[Labelled],
    fresh: &[Labelled],
    timed: &[(String, Lang)],
    rounds: usize,
    dir: &std::path::Path,
    tokenizer: &str,
) -> Result<Value> {
    let trigram = tokenizer.starts_with("trigram");
    let path = dir.join(format!(
        "fts5-{}.db",
        if trigram { "trigram" } else { "unicode61" }
    ));
    let _ = std::fs::remove_file(&path);
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    sqlx::query(&format!(
        "CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = '{tokenizer}')"
    ))
    .execute(&pool)
    .await?;
    let t = Instant::now();
    let mut tx = pool.begin().await?;
    for d in docs {
        sqlx::query("INSERT INTO docs (rowid, body) VALUES (?, ?)")
            .bind(d.id)
            .bind(all_text(d))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    sqlx::query("INSERT INTO docs(docs) VALUES ('optimize')")
        .execute(&pool)
        .await?;
    let index_s = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    let search = |q: String| {
        let pool = pool.clone();
        async move {
            let Some(m) = fts5_query(&q, trigram) else {
                return Ok::<Vec<i64>, anyhow::Error>(Vec::new());
            };
            let rows = sqlx::query(
                "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
            )
            .bind(m)
            .fetch_all(&pool)
            .await
            .unwrap_or_default();
            Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
        }
    };
    let mut times = Vec::new();
    for _ in 0..rounds {
        for (q, _) in timed {
            let t = Instant::now();
            search(q.clone()).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let mut ranked = std::collections::HashMap::new();
    for l in labelled.iter().chain(fresh) {
        ranked.insert(l.query.clone(), search(l.query.clone()).await?);
    }
    Ok(json!({
        "name": format!("SQLite FTS5 ({tokenizer})"),
        "index_seconds": index_s,
        "index_bytes": size,
        "query": summary(times),
        "quality": quality(labelled, |q| ranked.get(q).cloned().unwrap_or_default()),
        "quality_fresh": quality(fresh, |q| ranked.get(q).cloned().unwrap_or_default()),
    }))
}

const PG_VECTOR: &str = "to_tsvector('german', body) || to_tsvector('english', body) || to_tsvector('french', body) || to_tsvector('simple', body)";
const PG_QUERY: &str = "websearch_to_tsquery('german', $1) || websearch_to_tsquery('english', $1) || websearch_to_tsquery('french', $1) || websearch_to_tsquery('simple', $1)";

async fn postgres(
    url: &str,
    docs: &[Doc],
    labelled: &[Labelled],
    fresh: &[Labelled],
    timed: &[(String, Lang)],
    rounds: usize,
) -> Result<Value> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(url)
        .await?;
    sqlx::query("DROP TABLE IF EXISTS bench_docs")
        .execute(&pool)
        .await?;
    sqlx::query(
        "CREATE TABLE bench_docs (id BIGINT PRIMARY KEY, body TEXT NOT NULL, tsv tsvector)",
    )
    .execute(&pool)
    .await?;
    let t = Instant::now();
    for chunk in docs.chunks(1000) {
        let ids: Vec<i64> = chunk.iter().map(|d| d.id).collect();
        let bodies: Vec<String> = chunk.iter().map(all_text).collect();
        sqlx::query(
            "INSERT INTO bench_docs (id, body) SELECT * FROM UNNEST($1::BIGINT[], $2::TEXT[])",
        )
        .bind(&ids)
        .bind(&bodies)
        .execute(&pool)
        .await?;
    }
    sqlx::query(&format!("UPDATE bench_docs SET tsv = {PG_VECTOR}"))
        .execute(&pool)
        .await?;
    sqlx::query("CREATE INDEX bench_docs_tsv ON bench_docs USING GIN (tsv)")
        .execute(&pool)
        .await?;
    sqlx::query("ANALYZE bench_docs").execute(&pool).await?;
    let index_s = t.elapsed().as_secs_f64();
    let size: i64 = sqlx::query("SELECT pg_total_relation_size('bench_docs')")
        .fetch_one(&pool)
        .await?
        .get(0);
    let sql = format!(
        "WITH q AS (SELECT {PG_QUERY} AS q) SELECT id FROM bench_docs, q WHERE tsv @@ q.q ORDER BY ts_rank(tsv, q.q) DESC LIMIT 10"
    );
    let search = |q: String| {
        let pool = pool.clone();
        let sql = sql.clone();
        async move {
            let w = words(&q).join(" or ");
            if w.is_empty() {
                return Ok::<Vec<i64>, anyhow::Error>(Vec::new());
            }
            let rows = sqlx::query(&sql)
                .bind(w)
                .fetch_all(&pool)
                .await
                .map_err(|e| anyhow!("{e}"))?;
            Ok(rows.iter().map(|r| r.get::<i64, _>(0)).collect())
        }
    };
    let mut times = Vec::new();
    for _ in 0..rounds {
        for (q, _) in timed {
            let t = Instant::now();
            search(q.clone()).await?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let mut ranked = std::collections::HashMap::new();
    for l in labelled.iter().chain(fresh) {
        ranked.insert(l.query.clone(), search(l.query.clone()).await?);
    }
    Ok(json!({
        "name": "PostgreSQL FTS (german + english + french + simple, GIN)",
        "index_seconds": index_s,
        "index_bytes": size,
        "query": summary(times),
        "quality": quality(labelled, |q| ranked.get(q).cloned().unwrap_or_default()),
        "quality_fresh": quality(fresh, |q| ranked.get(q).cloned().unwrap_or_default()),
    }))
}

pub async fn run(
    docs: &[Doc],
    labelled: &[Labelled],
    fresh: &[Labelled],
    timed: &[(String, Lang)],
    rounds: usize,
    dir: &std::path::Path,
    postgres_url: Option<&str>,
) -> Result<Vec<Value>> {
    std::fs::create_dir_all(dir)?;
    let mut out = vec![
        fts5(
            docs,
            labelled,
            fresh,
            timed,
            rounds,
            dir,
            "unicode61 remove_diacritics 2",
        )
        .await?,
        fts5(docs, labelled, fresh, timed, rounds, dir, "trigram").await?,
    ];
    if let Some(url) = postgres_url {
        out.push(postgres(url, docs, labelled, fresh, timed, rounds).await?);
    }
    Ok(out)
}
