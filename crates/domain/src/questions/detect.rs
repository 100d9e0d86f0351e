//! Which of Roadshow's four languages a question is written in, from its text: the FAQ
//! groups answers by it and the department suggestion stems words by it, so it must not
//! simply be the language of the page or of the request.
//!
//! Chinese is told by its script. German, English and French by their most frequent short
//! words and their letters with diacritics, each a strong sign in a short question ("Wie
//! hoch ist die Steuer?", "Quelles aides pour une usine ?"). A text with too little to go
//! on (a name, a number, mixed signs) gives no answer, and the caller falls back.

use crate::lang::Lang;

const GERMAN: &[&str] = &[
    "und", "der", "die", "das", "ist", "sind", "wie", "was", "welche", "welcher", "welches",
    "gibt", "es", "für", "mit", "nicht", "ein", "eine", "einen", "wir", "ich", "sie", "ihr", "auf",
    "im", "in", "den", "dem", "des", "zu", "zum", "zur", "von", "bei", "auch", "kann", "können",
    "wird", "werden", "haben", "hat", "oder", "wo", "wann", "unser", "unsere",
];
const ENGLISH: &[&str] = &[
    "the", "and", "is", "are", "what", "how", "which", "for", "with", "can", "do", "does", "there",
    "of", "to", "in", "a", "an", "we", "our", "you", "your", "it", "be", "will", "when", "where",
    "who", "any", "this", "that", "on", "at", "or", "have", "has",
];
const FRENCH: &[&str] = &[
    "le", "la", "les", "et", "est", "sont", "quel", "quelle", "quels", "quelles", "comment",
    "pour", "avec", "des", "du", "un", "une", "nous", "vous", "il", "y", "a", "en", "dans", "sur",
    "ce", "cette", "qui", "que", "au", "aux", "pas", "ou", "où", "quand", "notre", "votre", "peut",
    "peuvent", "existe", "de", "d", "l", "combien", "je", "ne", "se", "par", "leur", "leurs",
    "ces", "mais", "aussi", "faut", "doit",
];

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The language of `text`, when its signs point clearly to one.
pub fn detect(text: &str) -> Option<Lang> {
    let lower = text.to_lowercase();
    // A Chinese character is about a word: Chinese when they are at least half as many as
    // the Latin words (a German question naming 顺义 stays German).
    let han = text.chars().filter(|c| is_han(*c)).count();
    let latin_words = lower
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .count();
    if han >= 2 && han * 2 >= latin_words {
        return Some(Lang::Zh);
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
        .flat_map(|w| w.split(['\'', '’']))
        .filter(|w| !w.is_empty())
        .collect();
    let hits = |list: &[&str]| words.iter().filter(|w| list.contains(w)).count() * 2;
    let letters = |set: &str| lower.chars().filter(|c| set.contains(*c)).count();
    let mut scores = [
        (Lang::De, hits(GERMAN) + 2 * letters("äöüß")),
        (Lang::En, hits(ENGLISH)),
        (Lang::Fr, hits(FRENCH) + 2 * letters("éèêëàâçîïôûùœ")),
    ];
    scores.sort_by_key(|s| std::cmp::Reverse(s.1));
    let (best, score) = scores[0];
    (score >= 2 && score > scores[1].1).then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_is_told_from_a_short_question() {
        for (text, lang) in [
            ("Wie hoch ist die Körperschaftsteuer im Park?", Lang::De),
            ("Gibt es Förderung für Forschungszentren?", Lang::De),
            ("What support is there for a sales office?", Lang::En),
            ("How long does the registration take?", Lang::En),
            ("Quelles aides existent pour une usine ?", Lang::Fr),
            ("Combien de temps prend l'enregistrement ?", Lang::Fr),
            ("顺义园区有哪些税收优惠？", Lang::Zh),
            ("Sino-German Park 有哪些 policies？", Lang::Zh),
            ("Wie hoch ist die Steuer im Bezirk 顺义?", Lang::De),
        ] {
            assert_eq!(detect(text), Some(lang), "{text}");
        }
    }

    #[test]
    fn too_little_to_go_on_gives_no_answer() {
        for text in ["OK", "2025", "Steinbeis?", "", "Shunyi Fengtai"] {
            assert_eq!(detect(text), None, "{text}");
        }
    }
}
