//! tantivy, a maintained search engine, as a third baseline: the same corpus (a policy's
//! text in one field) indexed in memory, once with tantivy's default tokenizer and once
//! with a jieba tokenizer for Chinese (jieba's words, the other scripts' words as they
//! are, lower-cased). The query is analysed by the same tokenizer and its terms joined by
//! OR; top 10 by tantivy's BM25, no facets or snippets.

use super::baselines::all_text;
use super::corpus::{Doc, Labelled};
use super::{quality, summary};
use anyhow::{Result, anyhow};
use roadshow_domain::Lang;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

/// Jieba's segmentation as a tantivy tokenizer: words of every script, no spaces or
/// punctuation.
#[derive(Clone)]
struct JiebaTokenizer(Arc<jieba_rs::Jieba>);

struct Tokens {
    tokens: Vec<Token>,
    at: usize,
}

impl TokenStream for Tokens {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }
    fn token(&self) -> &Token {
        &self.tokens[self.at.saturating_sub(1).min(self.tokens.len() - 1)]
    }
    fn token_mut(&mut self) -> &mut Token {
        let at = self.at.saturating_sub(1).min(self.tokens.len() - 1);
        &mut self.tokens[at]
    }
}

impl Tokenizer for JiebaTokenizer {
    type TokenStream<'a> = Tokens;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Tokens {
        let mut tokens = Vec::new();
        let mut from = 0;
        for word in self.0.cut(text, false) {
            let to = from + word.len();
            if word.chars().any(char::is_alphanumeric) {
                tokens.push(Token {
                    offset_from: from,
                    offset_to: to,
                    position: tokens.len(),
                    text: word.to_string(),
                    position_length: 1,
                });
            }
            from = to;
        }
        Tokens { tokens, at: 0 }
    }
}

struct Engine {
    index: Index,
    reader: IndexReader,
    body: Field,
    id: Field,
}

fn build(docs: &[Doc], jieba: Option<&Arc<jieba_rs::Jieba>>) -> Result<Engine> {
    let mut schema = Schema::builder();
    let tokenizer = if jieba.is_some() { "jieba" } else { "default" };
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let body = schema.add_text_field("body", options);
    let id = schema.add_i64_field("id", INDEXED | FAST | STORED);
    let index = Index::create_in_ram(schema.build());
    if let Some(jieba) = jieba {
        let analyzer = TextAnalyzer::builder(JiebaTokenizer(jieba.clone()))
            .filter(RemoveLongFilter::limit(40))
            .filter(LowerCaser)
            .build();
        index.tokenizers().register("jieba", analyzer);
    }
    let mut writer = index.writer::<TantivyDocument>(200_000_000)?;
    for d in docs {
        let mut doc = TantivyDocument::default();
        doc.add_text(body, all_text(d));
        doc.add_i64(id, d.id);
        writer.add_document(doc)?;
    }
    writer.commit()?;
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()?;
    Ok(Engine {
        index,
        reader,
        body,
        id,
    })
}

impl Engine {
    fn search(&self, q: &str) -> Result<Vec<i64>> {
        let mut analyzer = self.index.tokenizer_for_field(self.body)?;
        let mut stream = analyzer.token_stream(q);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        while stream.advance() {
            let term = Term::from_field_text(self.body, &stream.token().text);
            clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
            ));
        }
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let top = searcher.search(
            &BooleanQuery::new(clauses),
            &TopDocs::with_limit(10).order_by_score(),
        )?;
        let mut ids = Vec::with_capacity(top.len());
        for (_, address) in top {
            let column = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .i64("id")?;
            if let Some(id) = column.first(address.doc_id) {
                ids.push(id);
            }
        }
        Ok(ids)
    }
}

/// Both variants on the corpus: index time, query times, recall on each labelled set.
pub fn run(
    docs: &[Doc],
    labelled: &[Labelled],
    fresh: &[Labelled],
    timed: &[(String, Lang)],
    rounds: usize,
) -> Result<Vec<Value>> {
    let jieba = Arc::new(jieba_rs::Jieba::new());
    let mut out = Vec::new();
    for (name, jieba) in [
        ("tantivy 0.27 (default tokenizer)", None),
        ("tantivy 0.27 (jieba tokenizer)", Some(&jieba)),
    ] {
        let t = Instant::now();
        let engine = build(docs, jieba)?;
        let index_s = t.elapsed().as_secs_f64();
        let mut times = Vec::new();
        for _ in 0..rounds {
            for (q, _) in timed {
                let t = Instant::now();
                engine.search(q)?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        let ranked = |q: &str| engine.search(q).unwrap_or_default();
        let space = engine
            .reader
            .searcher()
            .space_usage()
            .map_err(|e| anyhow!("{e}"))?
            .total()
            .get_bytes();
        let _ = engine.id;
        out.push(json!({
            "name": name,
            "index_seconds": index_s,
            "index_bytes": space,
            "query": summary(times),
            "quality": quality(labelled, ranked),
            "quality_fresh": quality(fresh, ranked),
        }));
    }
    Ok(out)
}
