//! A corpus whose words follow real text: a long-tailed vocabulary (tens of thousands of
//! terms per language) drawn with a Zipf distribution, its head the background's own
//! wording (the generated corpus's sentences, sectors, districts and benefits), its tail
//! made-up words of each language's sound (German ones often compounds of two others, as
//! German makes them; Chinese ones pairs of common characters). The needles and labelled
//! queries are the same as the generated corpus's; the background never comes within a
//! typo of a query's word.

use super::corpus::{self, BENEFITS, DISTRICTS, Doc, LANGS, Labelled, Rng, SECTORS, pick_lang};
use roadshow_domain::Lang;
use std::collections::HashSet;

/// Terms per language.
pub const VOCABULARY: usize = 40_000;
/// The distribution's exponent (about 1 in natural text).
const EXPONENT: f64 = 1.0;

const SYLLABLES_DE: &[&str] = &[
    "ber", "ge", "lan", "stein", "wer", "kel", "mun", "dor", "fel", "ha", "ri", "tor", "schaft",
    "ung", "hei", "bau", "wal", "ko", "ni", "sen", "gar", "lich", "mer", "rau", "ten",
];
const SYLLABLES_EN: &[&str] = &[
    "ar", "ben", "cor", "dal", "en", "fer", "gan", "hol", "ist", "jor", "kel", "lin", "mor", "nes",
    "ped", "quin", "ros", "sil", "tan", "ver", "ward", "ly", "tion", "ment", "bur",
];
const SYLLABLES_FR: &[&str] = &[
    "au", "bel", "cha", "deau", "em", "fon", "gre", "lieu", "mai", "nou", "pré", "quet", "rai",
    "sé", "teau", "vil", "ment", "eur", "ière", "on", "lan", "gar", "ro", "sai", "tou",
];
/// Common characters of policy text; those of the needles' topics are left out.
const CHARACTERS: &str = "发展建设管理服务合作推进开放创新规划项目市场经济城市区域产业基础设施环境资源技术标准质量安全人员机构组织制度改革体系功能综合协调实施办法措施工作单位部门地方国家国际企业经营投资资金财政金融政策法规监督评价计划方案目标任务重点领域行业专业培训教育文化旅游农业工业制造";
const TOPIC_CHARACTERS: &str = "氢能燃料电池集成路自动驾驶跨境商冷链物流基因治疗临床试验碳排放交易数据中心卫星航天保税仓库平台补贴";

/// One language's words, most frequent first, and the cumulative Zipf weights.
struct Words {
    words: Vec<String>,
    cumulative: Vec<f64>,
}

impl Words {
    fn sample(&self, rng: &mut Rng) -> &str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        let at = self.cumulative.partition_point(|c| *c < u);
        &self.words[at.min(self.words.len() - 1)]
    }
}

/// The vocabularies of the four languages.
pub struct Zipf {
    words: Vec<Words>,
}

/// The word and the word with each one letter left out: two words within one edit of
/// each other share one of these (and a few two edits apart do too, which is fine here).
fn neighbourhood(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = vec![word.to_string()];
    for skip in 0..chars.len() {
        out.push(
            chars
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, c)| c)
                .collect(),
        );
    }
    out
}

fn head(lang: Lang) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut add = |text: &str| {
        for w in text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-') {
            if !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()) && seen.insert(w.to_string())
            {
                out.push(w.to_string());
            }
        }
    };
    for s in corpus::sentences(lang) {
        add(s);
    }
    for t in SECTORS.iter().chain(DISTRICTS).chain(BENEFITS) {
        add(pick_lang(t, lang));
    }
    out
}

impl Zipf {
    /// The vocabularies, none of whose words is within a typo of a word of the queries
    /// in `avoid`.
    pub fn new<'a>(seed: u64, avoid: impl IntoIterator<Item = &'a Labelled>) -> Self {
        let mut rng = Rng(seed ^ 0x21bf | 1);
        let avoid_words: Vec<String> = avoid
            .into_iter()
            .flat_map(|l| {
                l.query
                    .split(|c: char| !c.is_alphanumeric())
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .filter(|w| w.chars().count() >= 4)
            .collect();
        let near: HashSet<String> = avoid_words.iter().flat_map(|a| neighbourhood(a)).collect();
        let long: Vec<&String> = avoid_words
            .iter()
            .filter(|a| a.chars().count() >= 6)
            .collect();
        let clashes = |w: &str| {
            let w = w.to_lowercase();
            neighbourhood(&w).iter().any(|n| near.contains(n))
                || long.iter().any(|a| w.contains(a.as_str()))
        };
        let characters: Vec<char> = CHARACTERS
            .chars()
            .filter(|c| !TOPIC_CHARACTERS.contains(*c))
            .collect();
        let words = LANGS
            .iter()
            .map(|&lang| {
                let mut words = head(lang);
                let mut seen: HashSet<String> = words.iter().cloned().collect();
                let syllables = match lang {
                    Lang::De => SYLLABLES_DE,
                    Lang::En => SYLLABLES_EN,
                    _ => SYLLABLES_FR,
                };
                let mut tries = 0;
                while words.len() < VOCABULARY && tries < VOCABULARY * 20 {
                    tries += 1;
                    let word = match lang {
                        Lang::Zh => (0..2).map(|_| *rng.pick(&characters)).collect::<String>(),
                        // German joins two words it has into a new one.
                        Lang::De if words.len() > 2_000 && rng.below(10) < 3 => {
                            let a = words[rng.below(words.len())].clone();
                            let b = words[rng.below(words.len())].to_lowercase();
                            format!("{a}{b}")
                        }
                        _ => {
                            let n = 2 + rng.below(3);
                            let w: String = (0..n).map(|_| *rng.pick(syllables)).collect();
                            if lang == Lang::De {
                                let mut c = w.chars();
                                c.next()
                                    .map(|f| f.to_uppercase().chain(c).collect())
                                    .unwrap_or(w)
                            } else {
                                w
                            }
                        }
                    };
                    if word.chars().count() > 30 || clashes(&word) || !seen.insert(word.clone()) {
                        continue;
                    }
                    words.push(word);
                }
                let mut total = 0.0;
                let cumulative = (1..=words.len())
                    .map(|rank| {
                        total += 1.0 / (rank as f64).powf(EXPONENT);
                        total
                    })
                    .collect();
                Words { words, cumulative }
            })
            .collect();
        Zipf { words }
    }

    fn of(&self, lang: Lang) -> &Words {
        let at = LANGS.iter().position(|l| *l == lang).unwrap_or(0);
        &self.words[at]
    }

    fn sentence(&self, rng: &mut Rng, lang: Lang, words: usize) -> String {
        let vocabulary = self.of(lang);
        let picked: Vec<&str> = (0..words).map(|_| vocabulary.sample(rng)).collect();
        if lang == Lang::Zh {
            return format!("{}。", picked.concat());
        }
        let mut s = picked.join(" ");
        if let Some(first) = s.chars().next() {
            s = first.to_uppercase().chain(s.chars().skip(1)).collect();
        }
        s.push('.');
        s
    }

    /// One background policy in `langs`: a title and three to seven sentences of
    /// vocabulary words, the first naming its sector and district.
    pub fn background(&self, rng: &mut Rng, id: i64, langs: &[Lang]) -> Doc {
        let d = rng.pick(DISTRICTS);
        let s = rng.pick(SECTORS);
        let b = rng.pick(BENEFITS);
        let mut title = Vec::new();
        let mut text = Vec::new();
        for &lang in langs {
            let (dn, sn, bn) = (pick_lang(d, lang), pick_lang(s, lang), pick_lang(b, lang));
            let n = 2 + rng.below(3);
            let words = self.sentence(rng, lang, n);
            let words = words.trim_end_matches(['.', '。']);
            let join = if lang == Lang::Zh { "" } else { " " };
            title.push((lang, [bn, words, dn].join(join)));
            let mut body = vec![format!(
                "{sn}{join}{dn}{join}{}",
                self.sentence(rng, lang, 6)
            )];
            for _ in 0..2 + rng.below(5) {
                let n = 6 + rng.below(10);
                body.push(self.sentence(rng, lang, n));
            }
            text.push((lang, body.join(join)));
        }
        Doc {
            id,
            title,
            text,
            district: d.0,
            sector: s.0,
            benefit: b.0,
        }
    }

    /// The corpus: `size` policies, the needles last, and the first set's labelled queries.
    pub fn corpus(&self, size: usize, seed: u64) -> (Vec<Doc>, Vec<Labelled>) {
        corpus::with_background(size, seed, |rng, id, langs| self.background(rng, id, langs))
    }

    /// The timed queries: the labelled ones, then one to three words of the vocabulary
    /// drawn as they occur (so common words come up as often as in text), seeded.
    pub fn timed_queries(&self, labelled: &[Labelled], seed: u64) -> Vec<(String, Lang)> {
        let mut rng = Rng(seed ^ 0x5eed | 1);
        let mut out: Vec<(String, Lang)> = labelled
            .iter()
            .map(|l| (l.query.clone(), *rng.pick(&LANGS)))
            .collect();
        while out.len() < 200 {
            let lang = *rng.pick(&LANGS);
            let n = 1 + rng.below(3);
            let vocabulary = self.of(lang);
            let words: Vec<&str> = (0..n)
                .map(|_| vocabulary.sample(&mut rng))
                .filter(|w| w.chars().count() >= 2)
                .collect();
            if !words.is_empty() {
                out.push((words.join(" "), lang));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_is_long_tailed_and_clear_of_the_queries() {
        let (_, labelled) = corpus::corpus(100, 7);
        let zipf = Zipf::new(7, &labelled);
        let de = zipf.of(Lang::De);
        assert_eq!(de.words.len(), VOCABULARY);
        let mut rng = Rng(3);
        let draws: Vec<&str> = (0..20_000).map(|_| de.sample(&mut rng)).collect();
        let distinct: HashSet<&&str> = draws.iter().collect();
        // Long-tailed: thousands of distinct words, the commonest a large share.
        assert!(distinct.len() > 3_000, "{}", distinct.len());
        let top = draws.iter().filter(|w| **w == de.words[0]).count();
        assert!(top > 1_000, "{top}");
        let wasserstoff = neighbourhood("wasserstoff");
        assert!(!de.words.iter().any(|w| {
            neighbourhood(&w.to_lowercase())
                .iter()
                .any(|n| wasserstoff.contains(n))
        }));
    }
}
