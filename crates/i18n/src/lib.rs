//! Every string a person reads in Roadshow's interface and emails, in de, en, zh and fr,
//! from Fluent catalogues compiled into the binary (`locales/<lang>.ftl`).
//!
//! A key missing in one language falls back to English, so a reader never sees a key;
//! a test keeps the four catalogues at the same keys so that fallback stays an accident.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use roadshow_domain::Lang;
use std::sync::LazyLock;

const SOURCES: [(Lang, &str); 4] = [
    (Lang::De, include_str!("../locales/de.ftl")),
    (Lang::En, include_str!("../locales/en.ftl")),
    (Lang::Zh, include_str!("../locales/zh.ftl")),
    (Lang::Fr, include_str!("../locales/fr.ftl")),
];

/// The four compiled catalogues.
pub struct Catalogue {
    bundles: Vec<(Lang, FluentBundle<FluentResource>)>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::load);

impl Catalogue {
    fn load() -> Catalogue {
        let bundles = SOURCES
            .iter()
            .map(|(lang, source)| {
                let resource = match FluentResource::try_new((*source).to_string()) {
                    Ok(r) => r,
                    // A syntax error keeps the entries that parsed; the test suite fails on it.
                    Err((r, _)) => r,
                };
                let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // No Unicode isolation marks: they would show up in HTML attributes and CSV.
                bundle.set_use_isolating(false);
                // Duplicate keys are reported by the tests; the first one wins here.
                let _ = bundle.add_resource(resource);
                (*lang, bundle)
            })
            .collect();
        Catalogue { bundles }
    }

    /// The shared catalogue.
    pub fn get() -> &'static Catalogue {
        &CATALOGUE
    }

    fn bundle(&self, lang: Lang) -> Option<&FluentBundle<FluentResource>> {
        self.bundles
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, b)| b)
    }

    fn format(&self, lang: Lang, key: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = self.bundle(lang)?;
        let pattern = bundle.get_message(key)?.value()?;
        let mut errors = Vec::new();
        Some(
            bundle
                .format_pattern(pattern, args, &mut errors)
                .into_owned(),
        )
    }

    /// The message `key` in `lang`, falling back to English, then to the key itself.
    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.format(lang, key, None)
            .or_else(|| self.format(Lang::En, key, None))
            .unwrap_or_else(|| key.to_string())
    }

    /// The message with arguments (`{ $name }` in the catalogue).
    pub fn text_with(&self, lang: Lang, key: &str, args: &[(&str, ArgValue)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                ArgValue::Text(t) => FluentValue::from(t.clone()),
                ArgValue::Number(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, value);
        }
        self.format(lang, key, Some(&fluent_args))
            .or_else(|| self.format(Lang::En, key, Some(&fluent_args)))
            .unwrap_or_else(|| key.to_string())
    }

    /// Whether `key` exists in `lang` itself (no fallback).
    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).is_some_and(|b| b.has_message(key))
    }

    /// The keys of one catalogue, read from its source.
    pub fn keys(lang: Lang) -> Vec<String> {
        let source = SOURCES
            .iter()
            .find(|(l, _)| *l == lang)
            .map(|(_, s)| *s)
            .unwrap_or("");
        source
            .lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_string()))
            .collect()
    }
}

/// A value passed into a message.
#[derive(Debug, Clone)]
pub enum ArgValue {
    Text(String),
    Number(f64),
}

/// Shorthand for `Catalogue::get().text(lang, key)`.
pub fn t(lang: Lang, key: &str) -> String {
    Catalogue::get().text(lang, key)
}

/// Shorthand for `Catalogue::get().text_with(lang, key, args)`.
pub fn t_with(lang: Lang, key: &str, args: &[(&str, ArgValue)]) -> String {
    Catalogue::get().text_with(lang, key, args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn all_catalogues_parse_without_errors() {
        for (lang, source) in SOURCES {
            if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
                panic!("{lang}: {errors:?}");
            }
        }
    }

    #[test]
    fn all_catalogues_have_the_same_keys_once() {
        let english: BTreeSet<_> = Catalogue::keys(Lang::En).into_iter().collect();
        assert!(english.len() > 100);
        for lang in Lang::ALL {
            let keys = Catalogue::keys(lang);
            let set: BTreeSet<_> = keys.iter().cloned().collect();
            assert_eq!(set.len(), keys.len(), "{lang} has a key twice");
            let missing: Vec<_> = english.difference(&set).collect();
            let extra: Vec<_> = set.difference(&english).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}: missing {missing:?}, extra {extra:?}"
            );
        }
    }

    #[test]
    fn reference_lists_are_translated() {
        for lang in Lang::ALL {
            for code in roadshow_domain::reference::INDUSTRIES {
                assert!(
                    Catalogue::get().has(lang, &format!("industry-{code}")),
                    "{lang} {code}"
                );
            }
            for code in roadshow_domain::reference::COMPANY_SIZES {
                let key = format!("size-{}", code.replace('+', "plus"));
                assert!(Catalogue::get().has(lang, &key), "{lang} {key}");
            }
        }
    }

    #[test]
    fn arguments_are_filled_in() {
        let text = t_with(
            Lang::De,
            "registrations-count",
            &[("count", ArgValue::Number(61.0))],
        );
        assert!(text.contains("61"), "{text}");
        assert_eq!(t(Lang::Zh, "no-such-key"), "no-such-key");
    }
}
