//! The search benchmark's data: a seeded generator of policies in four languages, the
//! "needles" (policies on twelve topics the rest never mention, in German, English,
//! French and Chinese), a labelled set of queries that must find the needles of their
//! topic (German compounds, French elisions, Chinese words, typos, each language), and
//! the fixed set of 200 queries that are timed.

use roadshow_domain::Lang;

/// A small deterministic generator (xorshift): every run makes the same corpus.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// One generated policy: its texts per language, district key, sectors, benefits.
pub struct Doc {
    pub id: i64,
    pub title: Vec<(Lang, String)>,
    pub text: Vec<(Lang, String)>,
    pub district: &'static str,
    pub sector: &'static str,
    pub benefit: &'static str,
}

/// A query with the ids of the documents it must find, and what it tests.
pub struct Labelled {
    pub query: String,
    pub kind: &'static str,
    pub relevant: Vec<i64>,
}

pub const LANGS: [Lang; 4] = [Lang::De, Lang::En, Lang::Fr, Lang::Zh];

/// (key, de, en, fr, zh)
pub const DISTRICTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "Chaoyang",
        "Bezirk Chaoyang",
        "Chaoyang district",
        "district de Chaoyang",
        "朝阳区",
    ),
    (
        "Haidian",
        "Bezirk Haidian",
        "Haidian district",
        "district de Haidian",
        "海淀区",
    ),
    (
        "Shunyi",
        "Bezirk Shunyi",
        "Shunyi district",
        "district de Shunyi",
        "顺义区",
    ),
    (
        "Daxing",
        "Bezirk Daxing",
        "Daxing district",
        "district de Daxing",
        "大兴区",
    ),
    (
        "Tongzhou",
        "Bezirk Tongzhou",
        "Tongzhou district",
        "district de Tongzhou",
        "通州区",
    ),
    (
        "Fengtai",
        "Bezirk Fengtai",
        "Fengtai district",
        "district de Fengtai",
        "丰台区",
    ),
    (
        "Changping",
        "Bezirk Changping",
        "Changping district",
        "district de Changping",
        "昌平区",
    ),
    (
        "Yizhuang",
        "Wirtschaftszone Yizhuang",
        "Yizhuang economic zone",
        "zone économique de Yizhuang",
        "亦庄经济开发区",
    ),
];

pub const SECTORS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "smart-manufacturing",
        "intelligente Fertigung",
        "smart manufacturing",
        "fabrication intelligente",
        "智能制造",
    ),
    (
        "automotive",
        "Automobilindustrie",
        "automotive industry",
        "industrie automobile",
        "汽车产业",
    ),
    (
        "biomedicine",
        "Biomedizin",
        "biomedicine",
        "biomédecine",
        "生物医药",
    ),
    (
        "ict-software",
        "Softwareentwicklung",
        "software development",
        "développement de logiciels",
        "软件开发",
    ),
    (
        "finance",
        "Finanzdienstleistungen",
        "financial services",
        "services financiers",
        "金融服务",
    ),
    ("logistics", "Logistik", "logistics", "logistique", "物流"),
    (
        "new-energy",
        "erneuerbare Energie",
        "renewable energy",
        "énergie renouvelable",
        "新能源",
    ),
    (
        "machinery",
        "Maschinenbau",
        "machinery",
        "construction mécanique",
        "装备制造",
    ),
];

pub const BENEFITS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "tax",
        "Steuervergünstigung",
        "tax incentive",
        "avantage fiscal",
        "税收优惠",
    ),
    (
        "subsidy",
        "Investitionszuschuss",
        "investment subsidy",
        "subvention à l'investissement",
        "投资补贴",
    ),
    (
        "land",
        "Mietzuschuss für Büroflächen",
        "rent subsidy for offices",
        "aide au loyer des bureaux",
        "办公用房租金补贴",
    ),
    (
        "talent",
        "Unterstützung für Fachkräfte",
        "support for skilled professionals",
        "soutien aux talents",
        "人才支持",
    ),
    (
        "finance",
        "zinsgünstige Kredite",
        "low-interest loans",
        "prêts à taux réduit",
        "低息贷款",
    ),
    (
        "market-access",
        "erleichterter Marktzugang",
        "easier market access",
        "accès au marché facilité",
        "放宽市场准入",
    ),
];

/// Sentences of the generated texts, `{s}` the sector, `{d}` the district, `{b}` the
/// benefit, `{n}` a number.
pub fn sentences(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::De => &[
            "Unternehmen der Branche {s} im {d} erhalten eine {b}.",
            "Die Förderung gilt für Investitionen ab {n} Mio. CNY und für neu gegründete Niederlassungen.",
            "Anträge werden von der Bezirksregierung innerhalb von {n} Arbeitstagen geprüft.",
            "Ausländische Unternehmen werden wie inländische behandelt.",
            "Gefördert werden Ausrüstung, Forschungsprojekte und die Einstellung von Mitarbeitenden.",
            "Die Höhe der Unterstützung beträgt bis zu {n} Prozent der förderfähigen Kosten.",
        ],
        Lang::En => &[
            "Companies in {s} in {d} receive a {b}.",
            "The support applies to investments from CNY {n} million and to newly founded branches.",
            "Applications are reviewed by the district government within {n} working days.",
            "Foreign-invested enterprises are treated like domestic ones.",
            "Equipment, research projects and hiring staff are supported.",
            "The support amounts to up to {n} per cent of the eligible costs.",
        ],
        Lang::Fr => &[
            "Les entreprises du secteur {s} dans le {d} reçoivent un {b}.",
            "L'aide s'applique aux investissements à partir de {n} millions de CNY et aux nouvelles filiales.",
            "Les demandes sont examinées par le gouvernement du district en {n} jours ouvrables.",
            "Les entreprises étrangères sont traitées comme les entreprises nationales.",
            "Sont soutenus les équipements, les projets de recherche et l'embauche de personnel.",
            "Le montant de l'aide atteint jusqu'à {n} % des coûts éligibles.",
        ],
        Lang::Zh => &[
            "{d}{s}企业可享受{b}。",
            "政策适用于投资额{n}百万元以上的项目及新设立的分支机构。",
            "区政府在{n}个工作日内完成申请审核。",
            "外资企业与内资企业同等适用。",
            "支持范围包括设备购置、研发项目和人员招聘。",
            "支持金额最高可达符合条件费用的{n}%。",
        ],
    }
}

pub fn pick_lang(
    t: &(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ),
    lang: Lang,
) -> &'static str {
    match lang {
        Lang::De => t.1,
        Lang::En => t.2,
        Lang::Fr => t.3,
        Lang::Zh => t.4,
    }
}

fn fill(template: &str, s: &str, d: &str, b: &str, n: usize) -> String {
    template
        .replace("{s}", s)
        .replace("{d}", d)
        .replace("{b}", b)
        .replace("{n}", &n.to_string())
}

/// A topic the background never mentions: its sentence per language (German with
/// compounds), and the labelled queries that must find its needles.
struct Topic {
    de: &'static str,
    en: &'static str,
    fr: &'static str,
    zh: &'static str,
    /// (query, what it tests)
    queries: &'static [(&'static str, &'static str)],
}

const TOPICS: &[Topic] = &[
    Topic {
        de: "Zuschüsse für Wasserstofftankstellen und die Wasserstoffenergie",
        en: "Grants for hydrogen refuelling stations and hydrogen energy",
        fr: "Aides aux stations de recharge d'hydrogène et à l'énergie hydrogène",
        zh: "对加氢站建设和氢能产业给予补贴",
        queries: &[
            ("Wasserstoff", "german-word"),
            ("Wasserstofftankstelle", "german-compound"),
            ("hydrogen", "english"),
            ("l'hydrogène", "french-elision"),
            ("氢能", "chinese-word"),
            ("Wasserstof", "typo"),
        ],
    },
    Topic {
        de: "Förderung von Brennstoffzellenfahrzeugen und Brennstoffzellen",
        en: "Support for fuel cell vehicles and fuel cell systems",
        fr: "Soutien aux véhicules à pile à combustible",
        zh: "支持燃料电池汽车示范应用",
        queries: &[
            ("Brennstoffzelle", "german-word"),
            ("Brennstoffzellenfahrzeug", "german-compound"),
            ("fuel cells", "english"),
            ("piles à combustible", "french-inflection"),
            ("燃料电池", "chinese-word"),
            ("Brenstoffzelle", "typo"),
        ],
    },
    Topic {
        de: "Prämien für das Chipdesign und integrierte Schaltkreise",
        en: "Awards for chip design and integrated circuits",
        fr: "Primes pour la conception de circuits intégrés",
        zh: "对集成电路设计企业给予奖励",
        queries: &[
            ("Halbleiter", "german-word"),
            ("Chipdesignförderung", "german-compound"),
            ("integrated circuit", "english"),
            ("circuit intégré", "french-inflection"),
            ("集成电路", "chinese-word"),
            ("integratd circuits", "typo"),
        ],
    },
    Topic {
        de: "Teststrecken für autonomes Fahren und selbstfahrende Fahrzeuge",
        en: "Test roads for autonomous driving and self-driving vehicles",
        fr: "Routes d'essai pour la conduite autonome",
        zh: "开放自动驾驶测试道路",
        queries: &[
            ("autonomes Fahren", "german-word"),
            ("Teststrecke", "german-compound"),
            ("self-driving", "english"),
            ("conduite autonome", "french-inflection"),
            ("自动驾驶", "chinese-word"),
            ("autonomus driving", "typo"),
        ],
    },
    Topic {
        de: "Unterstützung für den grenzüberschreitenden Onlinehandel",
        en: "Support for cross-border e-commerce platforms",
        fr: "Soutien au commerce électronique transfrontalier",
        zh: "支持跨境电商平台发展",
        queries: &[
            ("Onlinehandel", "german-word"),
            ("grenzüberschreitender E-Commerce", "german-compound"),
            ("cross-border e-commerce", "english"),
            ("l'e-commerce transfrontalier", "french-elision"),
            ("跨境电商", "chinese-word"),
            ("cross-boarder ecommerce", "typo"),
        ],
    },
    Topic {
        de: "Ausbau der Kühlkettenlogistik für Lebensmittel",
        en: "Expansion of cold chain logistics for food",
        fr: "Développement de la chaîne du froid pour l'alimentation",
        zh: "加快冷链物流设施建设",
        queries: &[
            ("Kühlkette", "german-word"),
            ("Kühlkettenlogistik", "german-compound"),
            ("cold chain", "english"),
            ("la chaîne du froid", "french-elision"),
            ("冷链", "chinese-word"),
            ("Kuehlkette", "typo"),
        ],
    },
    Topic {
        de: "Förderung von Gentherapie und Zelltherapie",
        en: "Funding for gene therapy and cell therapy",
        fr: "Financement de la thérapie génique",
        zh: "支持基因治疗和细胞治疗研发",
        queries: &[
            ("Gentherapie", "german-word"),
            ("Gentherapieforschung", "german-compound"),
            ("gene therapies", "english"),
            ("thérapies géniques", "french-inflection"),
            ("基因治疗", "chinese-word"),
            ("gene therapie", "typo"),
        ],
    },
    Topic {
        de: "Zuschüsse für klinische Studien neuer Arzneimittel",
        en: "Grants for clinical trials of new medicines",
        fr: "Aides aux essais cliniques de nouveaux médicaments",
        zh: "对新药临床试验给予资助",
        queries: &[
            ("klinische Studie", "german-word"),
            ("Studienzentrum", "german-compound"),
            ("clinical trial", "english"),
            ("l'essai clinique", "french-elision"),
            ("临床试验", "chinese-word"),
            ("clinicl trials", "typo"),
        ],
    },
    Topic {
        de: "Teilnahme am Emissionshandel und am CO2-Handel",
        en: "Taking part in emissions trading and carbon trading",
        fr: "Participation à l'échange de quotas d'émission",
        zh: "参与碳排放交易市场",
        queries: &[
            ("Emissionshandel", "german-word"),
            ("Emissionshandelssystem", "german-compound"),
            ("carbon trading", "english"),
            ("marché du carbone", "french-inflection"),
            ("碳排放交易", "chinese-word"),
            ("emisions trading", "typo"),
        ],
    },
    Topic {
        de: "Strompreisvergünstigung für grüne Rechenzentren",
        en: "Lower power prices for green data centres",
        fr: "Électricité moins chère pour les centres de données verts",
        zh: "对绿色数据中心给予电价优惠",
        queries: &[
            ("Rechenzentrum", "german-word"),
            ("Rechenzentrumsbetreiber", "german-compound"),
            ("data center", "english"),
            ("centres de données", "french-inflection"),
            ("数据中心", "chinese-word"),
            ("Rechenzentrem", "typo"),
        ],
    },
    Topic {
        de: "Prämien für den Satellitenbau und die kommerzielle Raumfahrt",
        en: "Awards for satellite manufacturing and the commercial space industry",
        fr: "Primes pour la fabrication de satellites",
        zh: "支持卫星制造和商业航天发展",
        queries: &[
            ("Satellit", "german-word"),
            ("Satellitenbau", "german-compound"),
            ("satellites", "english"),
            ("l'industrie spatiale", "french-elision"),
            ("卫星", "chinese-word"),
            ("satelite", "typo"),
        ],
    },
    Topic {
        de: "Vereinfachte Verfahren für Zolllager im Flughafen",
        en: "Simpler procedures for bonded warehouses at the airport",
        fr: "Procédures simplifiées pour les entrepôts sous douane",
        zh: "简化机场保税仓库监管流程",
        queries: &[
            ("Zolllager", "german-word"),
            ("Zolllagerverfahren", "german-compound"),
            ("bonded warehouse", "english"),
            ("l'entrepôt sous douane", "french-elision"),
            ("保税仓库", "chinese-word"),
            ("bondd warehouses", "typo"),
        ],
    },
];

/// Needles of a topic: one in each language, and a second German and Chinese one.
const NEEDLE_LANGS: [Lang; 6] = [Lang::De, Lang::En, Lang::Fr, Lang::Zh, Lang::De, Lang::Zh];

fn topic_text(t: &Topic, lang: Lang) -> &'static str {
    match lang {
        Lang::De => t.de,
        Lang::En => t.en,
        Lang::Fr => t.fr,
        Lang::Zh => t.zh,
    }
}

fn background(rng: &mut Rng, id: i64, langs: &[Lang]) -> Doc {
    let d = rng.pick(DISTRICTS);
    let s = rng.pick(SECTORS);
    let b = rng.pick(BENEFITS);
    let mut title = Vec::new();
    let mut text = Vec::new();
    for &lang in langs {
        let (dn, sn, bn) = (pick_lang(d, lang), pick_lang(s, lang), pick_lang(b, lang));
        let t = match lang {
            Lang::De => format!("{bn} für {sn} im {dn}"),
            Lang::En => format!("{bn} for {sn} in {dn}"),
            Lang::Fr => format!("{bn} pour {sn} dans le {dn}"),
            Lang::Zh => format!("{dn}{sn}{bn}"),
        };
        title.push((lang, t));
        let all = sentences(lang);
        let count = 3 + rng.below(4);
        let mut body = vec![fill(all[0], sn, dn, bn, 0)];
        for _ in 1..count {
            let n = 2 + rng.below(60);
            let rest: &[&str] = &all[1..];
            let sentence: &str = rest[rng.below(rest.len())];
            body.push(fill(sentence, sn, dn, bn, n));
        }
        text.push((lang, body.join(if lang == Lang::Zh { "" } else { " " })));
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

/// The corpus: `size` policies, the last 72 of them the needles; and the labelled queries.
pub fn corpus(size: usize, seed: u64) -> (Vec<Doc>, Vec<Labelled>) {
    with_background(size, seed, background)
}

/// A corpus whose policies `background` writes (the needles' other sentences too).
pub fn with_background(
    size: usize,
    seed: u64,
    mut background: impl FnMut(&mut Rng, i64, &[Lang]) -> Doc,
) -> (Vec<Doc>, Vec<Labelled>) {
    let mut rng = Rng(seed | 1);
    let needles = TOPICS.len() * NEEDLE_LANGS.len();
    let mut docs = Vec::with_capacity(size);
    for i in 0..size.saturating_sub(needles) {
        let langs: Vec<Lang> = match rng.below(10) {
            0..=5 => vec![*rng.pick(&LANGS)],
            6..=8 => {
                let a = *rng.pick(&LANGS);
                let mut b = *rng.pick(&LANGS);
                if b == a {
                    b = if a == Lang::En { Lang::Zh } else { Lang::En };
                }
                vec![a, b]
            }
            _ => LANGS.to_vec(),
        };
        docs.push(background(&mut rng, i as i64 + 1, &langs));
    }
    let mut labelled = Vec::new();
    for t in TOPICS {
        let mut ids = Vec::new();
        for &lang in &NEEDLE_LANGS {
            let id = docs.len() as i64 + 1;
            let mut doc = background(&mut rng, id, &[lang]);
            let topic = topic_text(t, lang);
            doc.title = vec![(lang, topic.to_string())];
            if let Some((_, text)) = doc.text.first_mut() {
                *text = format!(
                    "{topic}{}{text}",
                    if lang == Lang::Zh { "。" } else { ". " }
                );
            }
            ids.push(id);
            docs.push(doc);
        }
        for (query, kind) in t.queries {
            labelled.push(Labelled {
                query: query.to_string(),
                kind,
                relevant: ids.clone(),
            });
        }
    }
    (docs, labelled)
}

/// The 200 timed queries: the labelled ones, then words of the background in every
/// language (common words with long posting lists, districts, pairs), seeded.
pub fn timed_queries(labelled: &[Labelled], seed: u64) -> Vec<(String, Lang)> {
    let mut rng = Rng(seed ^ 0x5eed | 1);
    let mut out: Vec<(String, Lang)> = labelled
        .iter()
        .map(|l| (l.query.clone(), *rng.pick(&LANGS)))
        .collect();
    while out.len() < 200 {
        let lang = *rng.pick(&LANGS);
        let q = match rng.below(4) {
            0 => pick_lang(rng.pick(BENEFITS), lang).to_string(),
            1 => pick_lang(rng.pick(SECTORS), lang).to_string(),
            2 => format!(
                "{} {}",
                pick_lang(rng.pick(BENEFITS), lang),
                pick_lang(rng.pick(DISTRICTS), lang)
            ),
            _ => format!(
                "{} {}",
                pick_lang(rng.pick(SECTORS), lang),
                pick_lang(rng.pick(BENEFITS), lang)
            ),
        };
        out.push((q, lang));
    }
    out.truncate(200);
    out
}
