//! What a hit shows: its title and a snippet of its text in the reader's language (or the
//! one it falls back to), escaped, with the words and concepts found in `<mark>`.

use super::terms::Shown;
use super::*;

impl Index {
    pub(super) fn hit(&self, doc: &Document, score: f32, q: &Query, shown: &Shown) -> Hit {
        let (title_lang, title) = doc.title.resolve(q.lang).unwrap_or((q.lang, ""));
        let (snippet, snippet_lang) = match doc.text.resolve(q.lang) {
            Some((lang, text)) => (self.snippet(text, lang, shown, doc.agency), lang),
            None => (String::new(), title_lang),
        };
        Hit {
            kind: doc.kind(),
            id: doc.id,
            slug: doc.slug.clone(),
            title: title.to_string(),
            title_lang,
            snippet,
            snippet_lang,
            fallback: snippet_lang != q.lang || title_lang != q.lang,
            score,
            expired: doc.expired(q.today),
            successor: doc.successor,
            district: doc.district.clone(),
            sectors: doc.sectors.clone(),
            benefits: doc.benefits.clone(),
        }
    }

    /// About [`SNIPPET_CHARS`] characters of `text` (of an item of `agency`) around the
    /// first word found, escaped, with every word found in `<mark>`.
    fn snippet(&self, text: &str, lang: Lang, shown: &Shown, agency: i64) -> String {
        // Only as much of the text is analysed as the snippet shows: a prefix holding the
        // first word found and a window after it (texts name what they are about early);
        // the whole text when the prefix has no word found.
        let mut marks = Vec::new();
        let mut upto = SNIPPET_PREFIX;
        loop {
            let end = cut_at(text, upto);
            let part = &text[..end];
            marks = self.marks(part, lang, shown, agency, marks);
            let room = marks.first().map(|m| part[m.0..].chars().count());
            if end == text.len() || room.is_some_and(|r| r > SNIPPET_CHARS + SNIPPET_MARGIN) {
                break;
            }
            upto = if room.is_some() { end * 2 } else { text.len() };
        }
        let first = marks.first().map(|m| m.0).unwrap_or(0);
        // Start a little before the first word found, at a word boundary.
        let before: Vec<(usize, char)> = text[..first].char_indices().collect();
        let mut start = before
            .len()
            .checked_sub(40)
            .map(|i| before[i].0)
            .unwrap_or(0);
        if start > 0 {
            start = text[start..first]
                .find(char::is_whitespace)
                .map(|i| start + i + 1)
                .filter(|s| *s <= first)
                .unwrap_or(start);
        }
        let end = text[start..]
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map(|(i, _)| start + i)
            .unwrap_or(text.len());
        let mut out = String::new();
        if start > 0 {
            out.push('…');
        }
        let mut at = start;
        for (from, to) in marks
            .iter()
            .copied()
            .filter(|(f, t)| *f >= start && *t <= end)
        {
            if from < at {
                continue;
            }
            escape(&text[at..from], &mut out);
            out.push_str("<mark>");
            escape(&text[from..to], &mut out);
            out.push_str("</mark>");
            at = to;
        }
        escape(&text[at..end], &mut out);
        if end < text.len() {
            out.push('…');
        }
        out
    }

    /// Where `text` (of an item of `agency`) has the words and concepts found, in order.
    fn marks(
        &self,
        text: &str,
        lang: Lang,
        shown: &Shown,
        agency: i64,
        mut marks: Vec<Span>,
    ) -> Vec<Span> {
        marks.clear();
        let tokens = self
            .analyzer
            .tokens_where(text, lang, &|word| shown.may_match(word));
        marks.extend(
            tokens
                .iter()
                .filter(|t| t.terms.iter().any(|x| shown.terms.contains(x)))
                .map(|t| (t.start, t.end)),
        );
        for (concept, places) in self.matcher.find(text, &tokens) {
            if self.matcher.keys.get(concept).is_some_and(|k| {
                shown.terms.contains(&format!("@{k}"))
                    && super::glossary::owner(k).is_none_or(|a| a == agency)
            }) {
                marks.extend(places);
            }
        }
        marks.sort();
        marks
    }
}

/// Bytes of a text first analysed for a snippet.
const SNIPPET_PREFIX: usize = 400;
/// Characters past a snippet's window analysed too, so that a word cut at the prefix's
/// end is never in the window.
const SNIPPET_MARGIN: usize = 24;

/// Where a prefix of about `at` bytes of `text` ends: at the next space (within a few
/// bytes; Chinese has none), else at the next character.
fn cut_at(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut at = at;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    text[at..]
        .char_indices()
        .take(24)
        .find(|(_, c)| c.is_whitespace())
        .map_or(at, |(i, _)| at + i)
}
