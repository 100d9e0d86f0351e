//! The four languages Roadshow speaks, and choosing one from what a browser asks for.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language of the interface and of content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    De,
    En,
    Zh,
    Fr,
}

impl Lang {
    /// All languages, in the order they are offered.
    pub const ALL: [Lang; 4] = [Lang::De, Lang::En, Lang::Zh, Lang::Fr];

    /// The BCP 47 code used in `<html lang>`, cookies and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Lang::De => "de",
            Lang::En => "en",
            Lang::Zh => "zh",
            Lang::Fr => "fr",
        }
    }

    /// The language's own name for itself, for the language switcher.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::De => "Deutsch",
            Lang::En => "English",
            Lang::Zh => "中文",
            Lang::Fr => "Français",
        }
    }

    /// Picks the best language from an `Accept-Language` header value (RFC 9110 §12.5.4):
    /// highest q first, then header order; a region (`de-AT`) matches its language.
    pub fn negotiate(accept_language: &str) -> Option<Lang> {
        let mut candidates: Vec<(u16, usize, Lang)> = Vec::new();
        for (index, part) in accept_language.split(',').enumerate() {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let mut quality = 1000u16;
            for param in pieces {
                if let Some(q) = param.trim().strip_prefix("q=") {
                    quality = q
                        .trim()
                        .parse::<f32>()
                        .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                        .unwrap_or(0);
                }
            }
            if quality == 0 {
                continue;
            }
            let primary = tag.split('-').next().unwrap_or("");
            if let Ok(lang) = primary.parse::<Lang>() {
                candidates.push((quality, index, lang));
            }
        }
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.first().map(|c| c.2)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The text was not one of de, en, zh, fr.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language")]
pub struct UnknownLang;

impl FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "de" => Ok(Lang::De),
            "en" => Ok(Lang::En),
            "zh" | "zh-cn" | "zh-hans" => Ok(Lang::Zh),
            "fr" => Ok(Lang::Fr),
            _ => Err(UnknownLang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_prefers_quality_then_order() {
        assert_eq!(Lang::negotiate("de-DE,de;q=0.9,en;q=0.8"), Some(Lang::De));
        assert_eq!(Lang::negotiate("ja, fr;q=0.5, en;q=0.7"), Some(Lang::En));
        assert_eq!(Lang::negotiate("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::negotiate("ja, ko"), None);
        assert_eq!(Lang::negotiate("en;q=0, fr"), Some(Lang::Fr));
        assert_eq!(Lang::negotiate(""), None);
    }
}
