//! Suggesting the competent department for a question, from its text, against what each
//! department presents: its name and description, its sessions, the parks and policies
//! of those sessions, and the questions it has answered before.
//!
//! Terms are words folded to a plain stem (lower case, accents and umlauts folded, a
//! common plural or inflection ending dropped); Chinese text is cut into character pairs.
//! A term counts more the fewer departments share it (inverse document frequency) and the
//! more specific its source (a park's name weighs more than an answer's wording). German
//! compounds are matched by their parts: "Steuervorteile" matches "Steuer".

use crate::ids::DepartmentId;
use std::collections::{BTreeSet, HashMap};
use words::{GENERIC, NUMBER_WORDS, STOPWORDS};

mod words;

/// One text a department presents, with how strongly it speaks for the department and
/// the label to show when it matches (a park's or session's name).
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileText {
    pub text: String,
    pub weight: f64,
    pub label: Option<String>,
}

/// What one department presents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Profile {
    pub department: Option<DepartmentId>,
    pub texts: Vec<ProfileText>,
}

/// Answered questions a suggestion learns from: the latest this many of the event. Enough
/// to learn how each department words its answers; bounded, so that asking a question
/// costs the same in the event's first minute and its last.
pub const ANSWERED_LEARNED: usize = 200;

/// How strongly each kind of source speaks for a department.
pub mod weight {
    pub const NAME: f64 = 3.0;
    pub const PARK: f64 = 2.5;
    pub const POLICY: f64 = 2.0;
    pub const SESSION: f64 = 2.0;
    pub const DESCRIPTION: f64 = 1.5;
    pub const ANSWERED: f64 = 1.0;
    /// Added when the question was asked about a session the department presents.
    pub const ASKED_IN_SESSION: f64 = 2.0;
}

/// The suggested department and why: the words that matched and the named things
/// (parks, policies, sessions) they matched in.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub department: DepartmentId,
    pub score: f64,
    pub matches: Vec<String>,
}

impl Suggestion {
    /// "Shunyi, Sino-German Industrial Park, tax".
    pub fn reason(&self) -> String {
        self.matches.join(", ")
    }
}

/// Folds accents and umlauts so that "Förderung" and "Forderung" meet.
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' | 'à' | 'â' | 'á' => "a",
        'ö' | 'ô' | 'ó' => "o",
        'ü' | 'ù' | 'û' | 'ú' => "u",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' => "i",
        'ç' => "c",
        'ß' => "ss",
        'œ' => "oe",
        _ => return None,
    })
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// The stem of a Latin-script word; `None` for stopwords and words under three letters.
fn stem(word: &str) -> Option<String> {
    let mut folded = String::with_capacity(word.len());
    for c in word.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Some(f) => folded.push_str(f),
            None => folded.push(c),
        }
    }
    // "The hundred smart factories" is "Smart Manufacturing 100".
    if let Some((_, digits)) = NUMBER_WORDS.iter().find(|(w, _)| *w == folded) {
        return Some((*digits).to_string());
    }
    if folded.chars().count() < 3
        || STOPWORDS.contains(&folded.as_str())
        || GENERIC.contains(&folded.as_str())
    {
        return None;
    }
    // A programme's number ("100") is a name; a year or an amount is not.
    if folded.chars().all(|c| c.is_ascii_digit()) {
        return (folded.len() == 3).then_some(folded);
    }
    let mut stem = folded.clone();
    // "factories" and "factory", "policies" and "policy" meet.
    if stem.ends_with("ies") && stem.len() >= 6 {
        stem.truncate(stem.len() - 3);
        stem.push('y');
        return Some(stem.chars().take(10).collect());
    }
    for suffix in ["ungen", "ung", "ies", "es", "en", "er", "s", "e", "n"] {
        if stem.ends_with(suffix) && stem.len() - suffix.len() >= 3 {
            stem.truncate(stem.len() - suffix.len());
            break;
        }
    }
    Some(stem.chars().take(10).collect())
}

/// A text's terms with the form they were written in: (stem, as written), and the
/// glossary's concepts it names (`~smart-manufacturing`, as written), so that "智能制造"
/// meets "smart manufacturing" and "intelligente Fertigung".
pub fn terms(text: &str) -> Vec<(String, String)> {
    let mut out = words(text);
    let stems: Vec<&str> = out.iter().map(|(s, _)| s.as_str()).collect();
    let mut found: Vec<(String, String)> = Vec::new();
    for (phrase, concept, written) in phrases() {
        if found.iter().any(|(c, _)| c == concept) {
            continue;
        }
        if stems.windows(phrase.len()).any(|w| w == phrase.as_slice()) {
            found.push((concept.clone(), written.clone()));
        }
    }
    out.extend(found);
    out
}

/// The glossary's phrases as the words [`words`] reads in them, with their concept and
/// the phrase itself (what a reason shows).
fn phrases() -> &'static [(Vec<String>, String, String)] {
    static PHRASES: std::sync::OnceLock<Vec<(Vec<String>, String, String)>> =
        std::sync::OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut out = Vec::new();
        for concept in crate::directory::search::glossary::built_in() {
            for (_, phrase) in &concept.terms {
                let seq: Vec<String> = words(phrase).into_iter().map(|(s, _)| s).collect();
                // A phrase that loses a word it is made of ("industrial park" without
                // "industrial") would name its concept wherever the rest appears.
                let generic = words_of(phrase).any(|w| GENERIC.contains(&w.as_str()));
                if !seq.is_empty() && !generic {
                    out.push((seq, format!("~{}", concept.key), phrase.clone()));
                }
            }
        }
        // Longer phrases first, so that a reason shows the fullest one.
        out.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
        out
    })
}

/// A phrase's Latin-script words, lower case and folded.
fn words_of(phrase: &str) -> impl Iterator<Item = String> + '_ {
    phrase
        .split(|c: char| !c.is_alphanumeric() || is_han(c))
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.chars()
                .flat_map(char::to_lowercase)
                .map(|c| fold(c).map_or_else(|| c.to_string(), str::to_string))
                .collect()
        })
}

/// A text's words: Latin-script stems, Chinese character pairs (and a hundred, 百, as
/// the digits a programme's name uses).
fn words(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut han: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut Vec<(String, String)>| {
        if let Some(s) = stem(word) {
            out.push((s, word.clone()));
        }
        word.clear();
    };
    let flush_han = |han: &mut Vec<char>, out: &mut Vec<(String, String)>| {
        if han.contains(&'百') {
            out.push(("100".into(), "百".into()));
        }
        for pair in han.windows(2) {
            let bigram: String = pair.iter().collect();
            if !STOPWORDS.contains(&bigram.as_str()) && !GENERIC.contains(&bigram.as_str()) {
                out.push((bigram.clone(), bigram));
            }
        }
        han.clear();
    };
    for c in text.chars() {
        if is_han(c) {
            flush_word(&mut word, &mut out);
            han.push(c);
        } else if c.is_alphanumeric() {
            flush_han(&mut han, &mut out);
            word.push(c);
        } else {
            flush_word(&mut word, &mut out);
            flush_han(&mut han, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_han(&mut han, &mut out);
    out
}

struct Indexed {
    department: DepartmentId,
    /// stem → (best weight, as written, label of the best source).
    terms: HashMap<String, (f64, String, Option<String>)>,
}

/// Does the question's term meet the profile's term? Equal stems, or the profile's stem
/// as a part of a longer question word (German compounds).
fn meets(question_term: &str, profile_term: &str) -> bool {
    question_term == profile_term
        || (profile_term.chars().count() >= 5
            && question_term.chars().count() > profile_term.chars().count()
            && question_term.contains(profile_term))
}

/// Suggests the department for `question`, or `None` when nothing matches. `asked_in`
/// is the department presenting the session the question was asked about, if any.
pub fn suggest(
    question: &str,
    profiles: &[Profile],
    asked_in: Option<DepartmentId>,
) -> Option<Suggestion> {
    rank(question, profiles, asked_in).into_iter().next()
}

/// Every department that matches, the best first; ties keep the profiles' order.
pub fn rank(
    question: &str,
    profiles: &[Profile],
    asked_in: Option<DepartmentId>,
) -> Vec<Suggestion> {
    let indexed: Vec<Indexed> = profiles
        .iter()
        .filter_map(|p| {
            let department = p.department?;
            let mut terms: HashMap<String, (f64, String, Option<String>)> = HashMap::new();
            for source in &p.texts {
                for (stem, written) in self::terms(&source.text) {
                    let entry =
                        terms
                            .entry(stem)
                            .or_insert((0.0, written.clone(), source.label.clone()));
                    if source.weight > entry.0 {
                        *entry = (source.weight, written, source.label.clone());
                    }
                }
            }
            Some(Indexed { department, terms })
        })
        .collect();
    if indexed.is_empty() {
        return Vec::new();
    }
    let question_terms: BTreeSet<String> = terms(question).into_iter().map(|(s, _)| s).collect();
    let total = indexed.len() as f64;
    let mut ranked: Vec<Suggestion> = Vec::new();
    for dept in &indexed {
        let mut score = 0.0;
        // contribution, as written, label
        let mut hits: Vec<(f64, String, Option<String>)> = Vec::new();
        for q in &question_terms {
            let Some((stem, (w, written, label))) = dept
                .terms
                .iter()
                .filter(|(p, _)| meets(q, p))
                .max_by(|a, b| a.1.0.total_cmp(&b.1.0))
            else {
                continue;
            };
            let shared = indexed
                .iter()
                .filter(|d| d.terms.keys().any(|p| p == stem || meets(q, p)))
                .count() as f64;
            let idf = (1.0 + total / shared).ln();
            // A number that matches is a programme's name ("100"), wherever it was read.
            let w = if q.chars().all(|c| c.is_ascii_digit()) {
                w.max(weight::NAME)
            } else {
                *w
            };
            let contribution = w * idf;
            score += contribution;
            hits.push((contribution, written.clone(), label.clone()));
        }
        if asked_in == Some(dept.department) {
            score += weight::ASKED_IN_SESSION;
        }
        if score <= 0.0 {
            continue;
        }
        hits.sort_by(|a, b| b.0.total_cmp(&a.0));
        // Named things first (a park, a policy, a session), then the words that matched
        // outside them: "Sino-German Industrial Park, Shunyi, tax".
        let mut matches: Vec<String> = Vec::new();
        for (_, _, label) in &hits {
            if let Some(label) = label {
                if !matches.contains(label) {
                    matches.push(label.clone());
                }
            }
        }
        matches.truncate(2);
        for (_, written, _) in &hits {
            let lower = written.to_lowercase();
            if !matches.iter().any(|m| m.to_lowercase().contains(&lower)) {
                matches.push(written.clone());
            }
        }
        matches.truncate(5);
        ranked.push(Suggestion {
            department: dept.department,
            score,
            matches,
        });
    }
    // A stable sort: equal scores keep the profiles' order.
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    ranked
}

#[cfg(test)]
mod tests;
