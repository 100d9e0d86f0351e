//! Text to search terms, the same way for documents and queries: Chinese is cut into words
//! by a dictionary (jieba's, compiled in), Latin scripts are split on non-letters, French
//! elisions dropped, stop words left out, stemmed (Snowball) and folded (ä → a, é → e), and
//! German compounds are also indexed by their parts when every part is a dictionary word.

use crate::Lang;
use jieba_rs::Jieba;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::{HashMap, HashSet};

/// A word of the text with the terms it stands for: the first is its own stem, the others
/// are alternatives (the other languages' stems for a query, compound parts, Chinese
/// sub-words). `start..end` are byte offsets into the analysed text.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub terms: Vec<String>,
    /// How many of `terms` are the word itself (stems, folded form); the rest are its
    /// parts (compound parts, Chinese sub-words), which count less.
    pub whole: usize,
    pub cjk: bool,
}

/// Shortest word that is tried as a compound.
pub const COMPOUND_MIN: usize = 8;
/// Longest word tried as a compound, in letters. Real ones are shorter (the longest word
/// of a German law's title has 63), and trying every cut costs the square of the length:
/// a 20,000-letter run of letters took seconds.
pub const COMPOUND_MAX: usize = 64;
/// Shortest part of a compound.
const PART_MIN: usize = 3;
/// What German puts between a compound's parts ("Arbeit·s·markt", "Sonne·n·energie").
pub const LINKS: [&str; 5] = ["", "s", "es", "n", "en"];

/// Words a thread remembers the terms of, per language (about 100 bytes each).
const MEMO_WORDS: usize = 16_384;
/// Longest word remembered, in bytes: a longer one is no common word, and remembering
/// runs of thousands of letters would make the memory's size theirs.
const MEMO_WORD_MAX: usize = 64;

/// Per thread: language and compound setting → word → its terms and how many are whole.
type Memo = HashMap<u8, HashMap<String, (Vec<String>, usize)>>;

thread_local! {
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(HashMap::new());
}

pub struct Analyzer {
    jieba: Jieba,
    de: Stemmer,
    en: Stemmer,
    fr: Stemmer,
    stop: HashSet<&'static str>,
    words: HashSet<String>,
    /// Whether German compounds are split (the benchmark measures both).
    pub compounds: bool,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2A6DF)
}

/// Lower case without accents: what a reader types when the keyboard lacks them.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'à' | 'â' | 'á' | 'ã' | 'å' => out.push('a'),
            'ö' | 'ô' | 'ó' | 'ò' | 'õ' => out.push('o'),
            'ü' | 'û' | 'ù' | 'ú' => out.push('u'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ç' => out.push('c'),
            'ñ' => out.push('n'),
            'ß' => out.push_str("ss"),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            c => out.push(c),
        }
    }
    out
}

/// French elided articles and pronouns (`l'`, `d'`, `qu'`…) before an apostrophe.
const ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu",
];

impl Analyzer {
    pub fn new() -> Self {
        let stop = include_str!("stopwords.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect();
        // The dictionary's words, and the shipped glossary's one-word German terms: a
        // compound made with one ("Chipdesignförderung") splits at it, so its part names
        // the concept, instead of splitting into smaller words ("chip", "design") that
        // name none.
        let glossary = super::glossary::built_in();
        let glossary_words = glossary
            .iter()
            .flat_map(|c| &c.terms)
            .filter(|(lang, term)| *lang == Lang::De && !term.contains([' ', '-']))
            .map(|(_, term)| term.as_str());
        let words = include_str!("de_words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .chain(glossary_words)
            .map(fold)
            .collect();
        Analyzer {
            jieba: Jieba::new(),
            de: Stemmer::create(Algorithm::German),
            en: Stemmer::create(Algorithm::English),
            fr: Stemmer::create(Algorithm::French),
            stop,
            words,
            compounds: true,
        }
    }

    /// A word's stem in `lang`, folded (Chinese as it is).
    pub fn stem(&self, lang: Lang, word: &str) -> String {
        let stemmed = match lang {
            Lang::De => self.de.stem(word),
            Lang::En => self.en.stem(word),
            Lang::Fr => self.fr.stem(word),
            Lang::Zh => std::borrow::Cow::Borrowed(word),
        };
        fold(&stemmed)
    }

    /// Whether a folded word is in the dictionary, also with a plural or case ending.
    fn known(&self, word: &str) -> bool {
        if word.chars().count() < PART_MIN {
            return false;
        }
        self.words.contains(word)
            || ["en", "n", "e", "s", "er", "es"].iter().any(|end| {
                word.strip_suffix(end)
                    .is_some_and(|w| w.len() >= PART_MIN && self.words.contains(w))
            })
    }

    /// Splits a folded word into dictionary words (with the linking `s`/`es`/`n`/`en`
    /// allowed between them), longest first part first; `None` when any part is not one.
    fn split(&self, word: &str, depth: usize) -> Option<Vec<String>> {
        if depth > 3 {
            return None;
        }
        let bounds: Vec<usize> = word.char_indices().map(|(i, _)| i).skip(PART_MIN).collect();
        for &cut in bounds.iter().rev() {
            let (head, tail) = word.split_at(cut);
            if !self.known(head) {
                continue;
            }
            for link in LINKS {
                let Some(rest) = tail.strip_prefix(link) else {
                    continue;
                };
                if rest.chars().count() < PART_MIN {
                    continue;
                }
                if self.known(rest) {
                    return Some(vec![head.to_string(), rest.to_string()]);
                }
                if let Some(mut parts) = self.split(rest, depth + 1) {
                    parts.insert(0, head.to_string());
                    return Some(parts);
                }
            }
        }
        None
    }

    /// A word's terms and how many of them are the word itself, remembered per thread:
    /// stemming and splitting compounds cost far more than looking a word up, and texts
    /// repeat their words (a search analyses the texts of the hits it shows).
    fn word_terms(&self, word: &str, lang: Option<Lang>) -> (Vec<String>, usize) {
        let kind = lang.map_or(0, |l| l as u8 + 1) | (u8::from(self.compounds) << 4);
        let found = MEMO.with(|memo| {
            memo.borrow()
                .get(&kind)
                .and_then(|words| words.get(word))
                .cloned()
        });
        if let Some(known) = found {
            return known;
        }
        let analysed = self.analyse_word(word, lang);
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            let words = memo.entry(kind).or_default();
            // A bounded memory: once full it keeps what it has (the words met first, in
            // the texts indexed, are mostly the common ones), without churning.
            if words.len() < MEMO_WORDS && word.len() <= MEMO_WORD_MAX {
                words.insert(word.to_string(), analysed.clone());
            }
        });
        analysed
    }

    fn analyse_word(&self, word: &str, lang: Option<Lang>) -> (Vec<String>, usize) {
        let mut terms: Vec<String> = Vec::with_capacity(4);
        let push = |terms: &mut Vec<String>, t: String| {
            if !t.is_empty() && !terms.contains(&t) {
                terms.push(t);
            }
        };
        match lang {
            // A document's word: its language's stem (a Chinese text's Latin words as
            // they are, folded).
            Some(l) => push(&mut terms, self.stem(l, word)),
            // A query's language is not known from its words: each language's stem, and
            // the word itself for Latin words in Chinese texts.
            None => {
                for l in [Lang::De, Lang::En, Lang::Fr] {
                    push(&mut terms, self.stem(l, word));
                }
                push(&mut terms, fold(word));
            }
        }
        let whole = terms.len();
        if self.compounds
            && matches!(lang, None | Some(Lang::De))
            && (COMPOUND_MIN..=COMPOUND_MAX).contains(&word.chars().count())
        {
            if let Some(parts) = self.split(&fold(word), 0) {
                for p in parts {
                    push(&mut terms, self.stem(Lang::De, &p));
                }
            }
        }
        (terms, whole)
    }

    fn latin(
        &self,
        raw: &str,
        lang: Option<Lang>,
        start: usize,
        keep: Option<&dyn Fn(&str) -> bool>,
        out: &mut Vec<Token>,
    ) {
        let lower = raw.to_lowercase();
        let mut word = lower.as_str();
        let end = start + raw.len();
        let mut start = start;
        if let Some((head, tail)) = word.split_once(['\'', '’']) {
            if ELISIONS.contains(&head) && !tail.is_empty() && lower.len() == raw.len() {
                start += raw.len() - tail.len();
                word = tail;
            } else {
                word = head;
            }
        }
        let word = word.trim_matches(|c| c == '\'' || c == '’');
        // Single letters ("e" of "e-commerce", "d" of a stray elision) find everything.
        if word.chars().count() < 2 || self.stop.contains(word) {
            return;
        }
        // A word the caller does not need keeps its place (for phrases) without terms.
        let (terms, whole) = if keep.is_none_or(|keep| keep(word)) {
            self.word_terms(word, lang)
        } else {
            (Vec::new(), 0)
        };
        out.push(Token {
            start,
            end,
            terms,
            whole,
            cjk: false,
        });
    }

    fn chinese(&self, run: &str, base: usize, out: &mut Vec<Token>) {
        let mut offset = 0;
        for word in self.jieba.cut(run, false) {
            let start = base + offset;
            offset += word.len();
            let chars: Vec<char> = word.chars().collect();
            if chars.len() == 1 && "的和与及在了是等对为其或之于把被".contains(chars[0])
            {
                continue;
            }
            let mut terms = vec![word.to_string()];
            // Sub-words of a long word, so "优惠" finds "税收优惠政策" however it was cut.
            if chars.len() >= 3 {
                for pair in chars.windows(2) {
                    let t: String = pair.iter().collect();
                    if !terms.contains(&t) {
                        terms.push(t);
                    }
                }
            }
            out.push(Token {
                start,
                end: start + word.len(),
                terms,
                whole: 1,
                cjk: true,
            });
        }
    }

    /// The tokens of `text`. `lang` is the text's language (documents); `None` for a
    /// query, whose words get every language's stem.
    pub fn tokens(&self, text: &str, lang: Option<Lang>) -> Vec<Token> {
        self.tokens_with(text, lang, None)
    }

    /// The tokens of `text`, the Latin words (lower case) for which `keep` says no left
    /// without terms: stemming and splitting are most of the cost of analysing a text,
    /// and highlighting a few words needs them only for words that may be those.
    pub fn tokens_where(&self, text: &str, lang: Lang, keep: &dyn Fn(&str) -> bool) -> Vec<Token> {
        self.tokens_with(text, Some(lang), Some(keep))
    }

    fn tokens_with(
        &self,
        text: &str,
        lang: Option<Lang>,
        keep: Option<&dyn Fn(&str) -> bool>,
    ) -> Vec<Token> {
        let mut out = Vec::new();
        let mut run_start: Option<(usize, bool)> = None;
        let flush = |out: &mut Vec<Token>, from: usize, to: usize, cjk: bool| {
            let piece = &text[from..to];
            if cjk {
                self.chinese(piece, from, out);
            } else {
                self.latin(piece, lang, from, keep, out);
            }
        };
        for (i, c) in text.char_indices() {
            let cjk = is_cjk(c);
            let wordish = cjk
                || c.is_alphanumeric()
                || ((c == '\'' || c == '’') && run_start.is_some_and(|(_, k)| !k));
            match run_start {
                Some((from, kind)) if !wordish || kind != cjk => {
                    flush(&mut out, from, i, kind);
                    run_start = wordish.then_some((i, cjk));
                }
                None if wordish => run_start = Some((i, cjk)),
                _ => {}
            }
        }
        if let Some((from, kind)) = run_start {
            flush(&mut out, from, text.len(), kind);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(a: &Analyzer, text: &str, lang: Option<Lang>) -> Vec<Vec<String>> {
        a.tokens(text, lang).into_iter().map(|t| t.terms).collect()
    }

    #[test]
    fn german_compounds_split_only_into_dictionary_words() {
        let a = Analyzer::new();
        let t = terms(&a, "Steuervergünstigungen", Some(Lang::De));
        assert!(
            t[0].contains(&"steu".to_string()) || t[0].iter().any(|x| x.starts_with("steuer")),
            "{t:?}"
        );
        assert!(t[0].iter().any(|x| x.starts_with("vergunst")), "{t:?}");
        let t = terms(&a, "Digitalisierungsvorhaben", Some(Lang::De));
        assert!(t[0].iter().any(|x| x.starts_with("digitalisier")), "{t:?}");
        assert!(t[0].iter().any(|x| x == "vorhab"), "{t:?}");
        assert!(!t[0].iter().any(|x| x == "run" || x == "gs"), "{t:?}");
        // Not a compound of dictionary words: only the word itself.
        let t = terms(&a, "Quantenverschränkung", Some(Lang::De));
        assert_eq!(t[0].len(), 1, "{t:?}");
    }

    #[test]
    fn a_word_longer_than_any_compound_is_only_itself() {
        let a = Analyzer::new();
        // Four dictionary words: a compound by its parts, but 72 letters long.
        let long = "Sonderwirtschaftszoneauslandsinvestitiondirektinvestitionfreihandelszone";
        assert!(long.chars().count() > COMPOUND_MAX);
        let t = terms(&a, long, Some(Lang::De));
        assert_eq!(t[0].len(), 1, "{t:?}");
        // Three of them (57 letters) are still split.
        let t = terms(
            &a,
            "Sonderwirtschaftszoneauslandsinvestitiondirektinvestition",
            Some(Lang::De),
        );
        assert!(
            t[0].iter().any(|x| x.starts_with("auslandsinvestition")),
            "{t:?}"
        );
        assert!(t[0].len() >= 3, "{t:?}");
    }

    #[test]
    fn queries_get_every_languages_stem_and_lose_elisions_and_accents() {
        let a = Analyzer::new();
        let q = a.tokens("l'investissement Körperschaftsteuer the", None);
        assert_eq!(q.len(), 2);
        assert_eq!(
            &"l'investissement Körperschaftsteuer"[q[0].start..q[0].end],
            "investissement"
        );
        assert!(
            q[0].terms.contains(&"invest".to_string()),
            "{:?}",
            q[0].terms
        );
        assert!(q[1].terms.iter().all(|t| !t.contains('ö')));
    }

    #[test]
    fn chinese_is_cut_into_words_with_offsets() {
        let a = Analyzer::new();
        let text = "北京市税收优惠政策";
        let tokens = a.tokens(text, Some(Lang::Zh));
        assert!(tokens.iter().all(|t| t.cjk));
        let words: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(words.concat(), text);
        assert!(
            tokens.iter().any(|t| t.terms.contains(&"优惠".to_string())),
            "{tokens:?}"
        );
    }
}
