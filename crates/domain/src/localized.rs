//! Content stored per language, read with a fallback.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A text in up to four languages. Reading it in a language that is missing falls back to
/// English, then German, Chinese and French, so a reader always gets something.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Localized(pub BTreeMap<Lang, String>);

impl Localized {
    /// A text in one language.
    pub fn one(lang: Lang, text: impl Into<String>) -> Self {
        let mut map = BTreeMap::new();
        map.insert(lang, text.into());
        Localized(map)
    }

    /// A text given as (language, text) pairs; empty texts are left out.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (Lang, &'a str)>) -> Self {
        Localized(
            pairs
                .into_iter()
                .filter(|(_, t)| !t.trim().is_empty())
                .map(|(l, t)| (l, t.trim().to_string()))
                .collect(),
        )
    }

    /// The text in `lang`, or the best fallback; empty when there is no text at all.
    pub fn get(&self, lang: Lang) -> &str {
        self.resolve(lang).map(|(_, t)| t).unwrap_or("")
    }

    /// The text and the language it is actually in, so a page can mark a fallback with
    /// its own `lang` attribute.
    pub fn resolve(&self, lang: Lang) -> Option<(Lang, &str)> {
        std::iter::once(lang)
            .chain([Lang::En, Lang::De, Lang::Zh, Lang::Fr])
            .find_map(|l| {
                self.0
                    .get(&l)
                    .filter(|t| !t.is_empty())
                    .map(|t| (l, t.as_str()))
            })
    }

    /// The text exactly in `lang`, without fallback (for edit forms).
    pub fn exact(&self, lang: Lang) -> &str {
        self.0.get(&lang).map(String::as_str).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }

    /// The longest text in any language, in characters (for length limits).
    pub fn max_chars(&self) -> usize {
        self.0
            .values()
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_to_english_then_german() {
        let text = Localized::from_pairs([(Lang::De, "Hallo"), (Lang::En, "Hello")]);
        assert_eq!(text.get(Lang::Zh), "Hello");
        assert_eq!(text.resolve(Lang::Fr), Some((Lang::En, "Hello")));
        assert_eq!(text.get(Lang::De), "Hallo");
        let german_only = Localized::one(Lang::De, "Nur Deutsch");
        assert_eq!(german_only.get(Lang::Fr), "Nur Deutsch");
        assert_eq!(Localized::default().get(Lang::En), "");
    }
}
