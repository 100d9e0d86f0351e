//! The demo: the seed's event brought to life — Beijing's "Two Zones" cloud promotion
//! for German companies, with the agency, its departments, the five presentations and the
//! exchange slot, the parks, the two policies the seed names, sample park policies, the
//! two success stories and 62 sample companies with registrations, in four languages.
//!
//! Names of real organisations come from the seed; everything invented (companies,
//! people, park policies, figures) is stored with `is_sample` or says "sample" in its text.
//! Loading is idempotent: what exists is kept, nothing is duplicated.

use crate::{App, AppError, AppResult};
use chrono::{Datelike, Duration, TimeZone, Utc, Weekday};
use roadshow_domain::accounts::{Principal, Role};
use roadshow_domain::catalogue::*;
use roadshow_domain::departments::{Department, DepartmentInput};
use roadshow_domain::events::{
    EventInput, FieldKind, FieldOption, FormField, SessionInput, SpeakerInput,
};
use roadshow_domain::ids::*;
use roadshow_domain::registrations::{CompanyInput, RegistrationFilter, RegistrationInput};
use roadshow_domain::time::{BEIJING, to_local_input};
use roadshow_domain::{Lang, Localized};

pub const AGENCY_SLUG: &str = "bipsc";
pub const EVENT_SLUG: &str = "two-zones-germany";
pub const ORGANISER_EMAIL: &str = "organiser@roadshow.example";
pub const MODERATOR_EMAIL: &str = "moderator@roadshow.example";
pub const OFFICIAL_EMAIL: &str = "official@roadshow.example";
/// The demo accounts' password, printed by `roadshow demo`. A demo on loopback only.
pub const DEMO_PASSWORD: &str = "roadshow-demo-2026";

fn l(de: &str, en: &str, zh: &str, fr: &str) -> Localized {
    Localized::from_pairs([
        (Lang::De, de),
        (Lang::En, en),
        (Lang::Zh, zh),
        (Lang::Fr, fr),
    ])
}

/// One agenda item of the demo: start and end (hour, minute in Beijing), kind, title,
/// summary, department, presenter, parks, policies, stories.
type DemoSession = (
    u32,
    u32,
    u32,
    u32,
    &'static str,
    Localized,
    Localized,
    Option<i64>,
    Localized,
    Vec<i64>,
    Vec<PolicyId>,
    Vec<i64>,
);

/// What `load` found or made.
#[derive(Debug, Clone)]
pub struct DemoSummary {
    pub event_slug: String,
    pub created: bool,
    pub registrations: i64,
}

impl App {
    /// Loads the demo unless it is there already.
    pub async fn load_demo(&self) -> AppResult<DemoSummary> {
        let agency = match self.store.agency_by_slug(AGENCY_SLUG).await? {
            Some(a) => a,
            None => {
                self.store
                    .create_agency(
                        AGENCY_SLUG,
                        &l(
                            "Investitionsförderungs-Servicezentrum Peking",
                            "Beijing Investment Promotion Service Center",
                            "北京市投资促进服务中心",
                            "Centre de services pour la promotion des investissements de Beijing",
                        ),
                    )
                    .await?
            }
        };
        self.ensure_users(agency.id).await?;
        let organiser = self
            .store
            .account_by_email(ORGANISER_EMAIL)
            .await?
            .ok_or(AppError::internal("demo organiser missing"))?;
        let principal = Principal::Staff(organiser.account);
        let created = if self.store.event_by_slug(EVENT_SLUG).await?.is_none() {
            self.create_demo_event(&principal, agency.id).await?;
            true
        } else {
            false
        };
        let event = self
            .store
            .event_by_slug(EVENT_SLUG)
            .await?
            .ok_or(AppError::NotFound)?;
        let registrations = self.store.registration_counts(event.id).await?.total;
        Ok(DemoSummary {
            event_slug: EVENT_SLUG.into(),
            created,
            registrations,
        })
    }

    async fn ensure_users(&self, agency: AgencyId) -> AppResult<()> {
        for (email, name, role) in [
            (ORGANISER_EMAIL, "Demo organiser", Role::Organiser),
            (MODERATOR_EMAIL, "Demo moderator", Role::Moderator),
        ] {
            if self.store.account_by_email(email).await?.is_none() {
                self.accounts()
                    .add_user(agency, email, name, role, None, DEMO_PASSWORD)
                    .await?;
            }
        }
        Ok(())
    }

    async fn create_demo_event(&self, p: &Principal, agency: AgencyId) -> AppResult<()> {
        let departments = self.demo_departments(p).await?;
        let dept = |slug: &str| departments.iter().find(|d| d.slug == slug).map(|d| d.id.0);
        if self.store.account_by_email(OFFICIAL_EMAIL).await?.is_none() {
            let shunyi = dept("shunyi").map(DepartmentId);
            self.accounts()
                .add_user(
                    agency,
                    OFFICIAL_EMAIL,
                    "Demo official (Shunyi)",
                    Role::Official,
                    shunyi,
                    DEMO_PASSWORD,
                )
                .await?;
        }
        let policies = self.demo_policies(agency).await?;
        let policy = |slug: &str| policies.iter().find(|x| x.slug == slug).map(|x| x.id);
        let parks = self.demo_parks(agency, &policy).await?;
        let park = |slug: &str| parks.iter().find(|x| x.slug == slug).map(|x| x.id.0);
        let stories = self.demo_stories(agency).await?;
        let story = |slug: &str| stories.iter().find(|x| x.slug == slug).map(|x| x.id.0);

        // The first Tuesday at least two weeks ahead, 15:00 Beijing time (08:00 in Berlin
        // in winter): a slot that suits both time zones.
        let mut day = (Utc::now() + Duration::days(14))
            .with_timezone(&BEIJING)
            .date_naive();
        while day.weekday() != Weekday::Tue {
            day = day.succ_opt().unwrap_or(day);
        }
        let at = |h: u32, m: u32| {
            day.and_hms_opt(h, m, 0)
                .and_then(|n| BEIJING.from_local_datetime(&n).single())
                .map(|t| to_local_input(t.with_timezone(&Utc), BEIJING))
                .unwrap_or_default()
        };
        let input = EventInput {
            slug: Some(EVENT_SLUG.into()),
            title: l(
                "Cloud-Promotion der „Zwei Zonen“ Pekings für deutsche Unternehmen",
                "Beijing \"Two Zones\" cloud promotion for German companies",
                "北京“两区”政策德国专场云推介会",
                "Promotion en nuage des « Deux Zones » de Beijing pour les entreprises allemandes",
            ),
            theme: l(
                "Chancen für industrielle Zusammenarbeit",
                "Opportunities for industrial cooperation",
                "产业合作机遇",
                "Opportunités pour la coopération industrielle",
            ),
            description: l(
                "Das Investitionsförderungs-Servicezentrum Peking stellt deutschen Unternehmen und Institutionen online die Politik der **„Zwei Zonen“** vor, mit Schwerpunkt auf **intelligenter Fertigung**: Öffnungsmaßnahmen, der Bauplan „Neue intelligente Fertigung 100“ (2021–2025), die Bezirke Fengtai und Shunyi mit ihren Industrieparks und Vorzugspolitiken, Erfahrungen deutscher Unternehmen in Peking – und ein offener Austausch mit den zuständigen Behörden.",
                "The Beijing Investment Promotion Service Center presents Beijing's **\"Two Zones\"** policy online to German companies and institutions, with a focus on **smart manufacturing**: opening-up measures, the \"New Smart Manufacturing 100\" construction plan (2021–2025), Fengtai and Shunyi districts with their industrial parks and preferential policies, German companies' experience in Beijing — and an open exchange with the competent departments.",
                "北京市投资促进服务中心面向德国企业和机构在线推介北京**“两区”**政策，聚焦**智能制造**：对外开放政策、“新智造100”工程建设方案（2021—2025年）、丰台区和顺义区及其重点产业园区和优惠政策、德国企业在京发展经验，并与主管部门在线交流。",
                "Le Centre de services pour la promotion des investissements de Beijing présente en ligne aux entreprises et institutions allemandes la politique des **« Deux Zones »**, avec un accent sur la **fabrication intelligente** : mesures d'ouverture, plan de construction « Nouvelle fabrication intelligente 100 » (2021-2025), districts de Fengtai et de Shunyi avec leurs parcs industriels et politiques préférentielles, expériences d'entreprises allemandes à Beijing — et un échange ouvert avec les départements compétents.",
            ),
            focus_industries: vec!["smart-manufacturing".into()],
            target_countries: vec!["DE".into()],
            languages: vec!["de".into(), "en".into(), "zh".into(), "fr".into()],
            starts_at: Some(at(15, 0)),
            ends_at: Some(at(17, 30)),
            timezone: Some("Asia/Shanghai".into()),
            video_url: Some("https://meeting.example.org/two-zones-germany".into()),
            status: Some("published".into()),
            form_fields: vec![
                FormField {
                    key: "interest".into(),
                    label: l(
                        "Was interessiert Sie am meisten?",
                        "What interests you most?",
                        "您最感兴趣的是什么？",
                        "Qu'est-ce qui vous intéresse le plus ?",
                    ),
                    // Optional, so that the API's documented minimal body registers as it is.
                    required: false,
                    kind: FieldKind::Choice,
                    options: vec![
                        FieldOption {
                            key: "parks".into(),
                            label: l(
                                "Industrieparks und Standorte",
                                "Industrial parks and sites",
                                "产业园区与选址",
                                "Parcs industriels et sites",
                            ),
                        },
                        FieldOption {
                            key: "policies".into(),
                            label: l(
                                "Förder- und Vorzugspolitik",
                                "Support and preferential policies",
                                "扶持与优惠政策",
                                "Politiques de soutien et préférentielles",
                            ),
                        },
                        FieldOption {
                            key: "partners".into(),
                            label: l(
                                "Partner und Kunden in Peking",
                                "Partners and customers in Beijing",
                                "在京合作伙伴与客户",
                                "Partenaires et clients à Beijing",
                            ),
                        },
                        FieldOption {
                            key: "market".into(),
                            label: l(
                                "Marktinformationen",
                                "Market information",
                                "市场信息",
                                "Informations sur le marché",
                            ),
                        },
                    ],
                },
                FormField {
                    key: "question".into(),
                    label: l(
                        "Ihre Frage an die Behörden (optional)",
                        "Your question for the departments (optional)",
                        "您想向主管部门提出的问题（选填）",
                        "Votre question aux départements (facultatif)",
                    ),
                    required: false,
                    kind: FieldKind::Text,
                    options: vec![],
                },
            ],
            privacy_version: Some("2026-1".into()),
        };
        self.events().create_event(p, &input).await?;

        let sessions: Vec<DemoSession> = vec![
            (
                15,
                0,
                15,
                20,
                "presentation",
                l(
                    "Die „Zwei Zonen“: wichtigste Informationen zur Öffnung",
                    "The \"Two Zones\": main opening-up information",
                    "“两区”建设：对外开放主要信息",
                    "Les « Deux Zones » : principales informations sur l'ouverture",
                ),
                l(
                    "Das Büro der Lenkungsgruppe für den Aufbau der „Zwei Zonen“ stellt die wichtigsten Öffnungsmaßnahmen vor.",
                    "The office of the steering group for the \"Two Zones\" construction presents the main opening-up measures.",
                    "“两区”建设工作领导小组办公室介绍对外开放主要信息。",
                    "Le bureau du groupe directeur pour la construction des « Deux Zones » présente les principales mesures d'ouverture.",
                ),
                dept("two-zones-office"),
                Localized::default(),
                vec![],
                policy("two-zones").into_iter().collect(),
                vec![],
            ),
            (
                15,
                20,
                15,
                40,
                "presentation",
                l(
                    "Bauplan „Neue intelligente Fertigung 100“ (2021–2025)",
                    "The \"New Smart Manufacturing 100\" construction plan (2021–2025)",
                    "“新智造100”工程建设方案（2021—2025年）",
                    "Plan de construction « Nouvelle fabrication intelligente 100 » (2021-2025)",
                ),
                l(
                    "Die Entwicklung intelligenter und grüner Industrien in Peking.",
                    "The development of Beijing's intelligent and green industries.",
                    "聚焦北京智能与绿色产业发展。",
                    "Le développement des industries intelligentes et vertes de Beijing.",
                ),
                dept("beijing-eit"),
                Localized::default(),
                vec![],
                policy("new-smart-manufacturing-100").into_iter().collect(),
                vec![],
            ),
            (
                15,
                40,
                16,
                5,
                "presentation",
                l(
                    "Bezirk Fengtai: Geschäftsumfeld, Parks und Vorzugspolitik",
                    "Fengtai district: business environment, parks and preferential policies",
                    "丰台区：营商环境、重点园区与优惠政策",
                    "District de Fengtai : environnement des affaires, parcs et politiques préférentielles",
                ),
                l(
                    "Der Zhongguancun Fengtai Park, das Finanz- und Geschäftsviertel Lize und der Yuanbo-Industriepark für digitale Wirtschaft, mit den Vorzugspolitiken jedes Parks.",
                    "Zhongguancun Fengtai Park, Lize Financial Business District and Yuanbo Digital Economy Industrial Park, with the preferential policies of each park.",
                    "中关村丰台园、丽泽金融商务区、园博数字经济产业园及各园区优惠政策。",
                    "Le parc Fengtai de Zhongguancun, le quartier financier et commercial de Lize et le parc industriel de l'économie numérique de Yuanbo, avec les politiques préférentielles de chaque parc.",
                ),
                dept("fengtai"),
                Localized::default(),
                [park("zgc-fengtai"), park("lize"), park("yuanbo")]
                    .into_iter()
                    .flatten()
                    .collect(),
                vec![],
                vec![],
            ),
            (
                16,
                5,
                16,
                25,
                "presentation",
                l(
                    "Bezirk Shunyi: der Chinesisch-Deutsche Industriepark für internationale Zusammenarbeit",
                    "Shunyi district: the Sino-German International Cooperation Industrial Park",
                    "顺义区：中德国际合作产业园",
                    "District de Shunyi : le parc industriel de coopération internationale sino-allemande",
                ),
                l(
                    "Aufbau und Betrieb des Parks, seine Politik und Maßnahmen.",
                    "How the park is built and run, its policies and measures.",
                    "园区建设运营情况及相关政策措施。",
                    "La construction et le fonctionnement du parc, ses politiques et mesures.",
                ),
                dept("shunyi"),
                Localized::default(),
                park("sino-german").into_iter().collect(),
                vec![],
                vec![],
            ),
            (
                16,
                25,
                16,
                45,
                "presentation",
                l(
                    "Erfahrungen deutscher Unternehmen in Peking: Steinbeis und Cavete Consulting",
                    "German companies' experience in Beijing: Steinbeis and Cavete Consulting",
                    "德国企业在京发展经验：史太白与Cavete咨询",
                    "Expériences d'entreprises allemandes à Beijing : Steinbeis et Cavete Consulting",
                ),
                l(
                    "Zwei deutsche Unternehmen berichten von ihrer Entwicklung und ihren Erfolgen in Peking.",
                    "Two German companies share their development and success in Beijing.",
                    "两家德国企业分享在京发展历程与成功经验。",
                    "Deux entreprises allemandes partagent leur développement et leurs réussites à Beijing.",
                ),
                None,
                l(
                    "Steinbeis · Cavete Consulting",
                    "Steinbeis · Cavete Consulting",
                    "史太白 · Cavete咨询",
                    "Steinbeis · Cavete Consulting",
                ),
                vec![],
                vec![],
                [story("steinbeis"), story("cavete")]
                    .into_iter()
                    .flatten()
                    .collect(),
            ),
            (
                16,
                45,
                17,
                30,
                "exchange",
                l(
                    "Austausch mit den zuständigen Behörden",
                    "Exchange with the competent departments",
                    "与主管部门交流互动",
                    "Échange avec les départements compétents",
                ),
                l(
                    "Investitionsbedingungen und Förderpolitik: Fragen der Unternehmen, Antworten der Behörden, live.",
                    "Investment conditions and support policies: companies ask, departments answer, live.",
                    "围绕投资条件与扶持政策，企业提问、部门在线解答。",
                    "Conditions d'investissement et politiques de soutien : les entreprises demandent, les départements répondent, en direct.",
                ),
                dept("bipsc"),
                Localized::default(),
                vec![],
                vec![],
                vec![],
            ),
        ];
        let speakers: [(&str, Localized); 6] = [
            (
                "Zhang Min",
                l(
                    "Beispielsprecherin (Musterdaten), Büro der Lenkungsgruppe",
                    "Sample speaker (sample data), steering group office",
                    "示例发言人（示例数据），领导小组办公室",
                    "Intervenante fictive (données d'exemple), bureau du groupe directeur",
                ),
            ),
            (
                "Liu Yang",
                l(
                    "Beispielsprecher (Musterdaten), Wirtschaftsbüro",
                    "Sample speaker (sample data), Bureau of Economy and IT",
                    "示例发言人（示例数据），市经济和信息化局",
                    "Intervenant fictif (données d'exemple), Bureau de l'économie",
                ),
            ),
            (
                "Chen Jing",
                l(
                    "Beispielsprecherin (Musterdaten), Bezirk Fengtai",
                    "Sample speaker (sample data), Fengtai district",
                    "示例发言人（示例数据），丰台区",
                    "Intervenante fictive (données d'exemple), district de Fengtai",
                ),
            ),
            (
                "Wang Lei",
                l(
                    "Beispielsprecher (Musterdaten), Bezirk Shunyi",
                    "Sample speaker (sample data), Shunyi district",
                    "示例发言人（示例数据），顺义区",
                    "Intervenant fictif (données d'exemple), district de Shunyi",
                ),
            ),
            (
                "Anna Keller",
                l(
                    "Beispielsprecherin (Musterdaten)",
                    "Sample speaker (sample data)",
                    "示例发言人（示例数据）",
                    "Intervenante fictive (données d'exemple)",
                ),
            ),
            (
                "Sun Hui",
                l(
                    "Moderation (Musterdaten), Investitionsförderungs-Servicezentrum",
                    "Moderator (sample data), Investment Promotion Service Center",
                    "主持人（示例数据），投资促进服务中心",
                    "Modération (données d'exemple), Centre de promotion des investissements",
                ),
            ),
        ];
        for (
            (
                sh,
                sm,
                eh,
                em,
                kind,
                title,
                summary,
                department_id,
                presenter,
                park_ids,
                policy_ids,
                story_ids,
            ),
            (speaker, role),
        ) in sessions.into_iter().zip(speakers)
        {
            let session = self
                .events()
                .create_session(
                    p,
                    EVENT_SLUG,
                    &SessionInput {
                        starts_at: Some(at(sh, sm)),
                        ends_at: Some(at(eh, em)),
                        kind: Some(kind.into()),
                        title,
                        summary,
                        department_id,
                        presenter,
                        park_ids,
                        policy_ids: policy_ids.into_iter().map(|x| x.0).collect(),
                        story_ids,
                    },
                )
                .await?;
            self.events()
                .add_speaker(
                    p,
                    session.id,
                    &SpeakerInput {
                        name: Some(speaker.into()),
                        role,
                    },
                )
                .await?;
        }
        self.demo_registrations().await?;
        self.demo_exchange(p).await
    }

    async fn demo_departments(&self, p: &Principal) -> AppResult<Vec<Department>> {
        let list = [
            (
                "bipsc",
                "agency",
                l(
                    "Investitionsförderungs-Servicezentrum Peking",
                    "Beijing Investment Promotion Service Center",
                    "北京市投资促进服务中心",
                    "Centre de services pour la promotion des investissements de Beijing",
                ),
                l(
                    "Veranstalter der Cloud-Promotion.",
                    "Organiser of the cloud promotion.",
                    "云推介会主办方。",
                    "Organisateur de la promotion en nuage.",
                ),
            ),
            (
                "two-zones-office",
                "office",
                l(
                    "Büro der Lenkungsgruppe für den Aufbau der „Zwei Zonen“",
                    "Office of the steering group for the \"Two Zones\" construction",
                    "北京市“两区”建设工作领导小组办公室",
                    "Bureau du groupe directeur pour la construction des « Deux Zones »",
                ),
                l(
                    "Koordiniert die Öffnungspolitik der „Zwei Zonen“.",
                    "Coordinates the \"Two Zones\" opening-up policy.",
                    "统筹推进“两区”建设对外开放工作。",
                    "Coordonne la politique d'ouverture des « Deux Zones ».",
                ),
            ),
            (
                "beijing-eit",
                "bureau",
                l(
                    "Städtisches Büro für Wirtschaft und Informationstechnologie Peking",
                    "Beijing Municipal Bureau of Economy and Information Technology",
                    "北京市经济和信息化局",
                    "Bureau municipal de l'Économie et des Technologies de l'information de Beijing",
                ),
                l(
                    "Zuständig für Industrie und Informatisierung, u. a. „Neue intelligente Fertigung 100“.",
                    "In charge of industry and informatisation, including \"New Smart Manufacturing 100\".",
                    "负责工业和信息化工作，包括“新智造100”工程。",
                    "Chargé de l'industrie et de l'informatisation, dont « Nouvelle fabrication intelligente 100 ».",
                ),
            ),
            (
                "fengtai",
                "district",
                l(
                    "Bezirksregierung Fengtai",
                    "Fengtai District Government",
                    "丰台区人民政府",
                    "Gouvernement du district de Fengtai",
                ),
                l(
                    "Bezirk im Südwesten Pekings.",
                    "District in the south-west of Beijing.",
                    "位于北京西南部。",
                    "District du sud-ouest de Beijing.",
                ),
            ),
            (
                "shunyi",
                "district",
                l(
                    "Bezirksregierung Shunyi",
                    "Shunyi District Government",
                    "顺义区人民政府",
                    "Gouvernement du district de Shunyi",
                ),
                l(
                    "Bezirk im Nordosten Pekings, Standort des Chinesisch-Deutschen Industrieparks.",
                    "District in the north-east of Beijing, home of the Sino-German industrial park.",
                    "位于北京东北部，中德国际合作产业园所在地。",
                    "District du nord-est de Beijing, siège du parc industriel sino-allemand.",
                ),
            ),
            (
                "sino-german-park",
                "park",
                l(
                    "Verwaltung des Chinesisch-Deutschen Industrieparks für internationale Zusammenarbeit",
                    "Sino-German International Cooperation Industrial Park administration",
                    "中德国际合作产业园管理机构",
                    "Administration du parc industriel de coopération internationale sino-allemande",
                ),
                l(
                    "Ansprechpartner für Ansiedlungen im Park (Beschreibung: Musterdaten).",
                    "Contact for settling in the park (description: sample data).",
                    "园区入驻联络（说明为示例数据）。",
                    "Contact pour s'installer dans le parc (description : données d'exemple).",
                ),
            ),
        ];
        let existing = self
            .store
            .departments(match p {
                Principal::Staff(s) => s.agency_id,
                _ => return Err(AppError::Forbidden),
            })
            .await?;
        for (slug, kind, name, description) in list {
            if !existing.iter().any(|d| d.slug == slug) {
                self.departments()
                    .create_department(
                        p,
                        &DepartmentInput {
                            slug: Some(slug.into()),
                            kind: Some(kind.into()),
                            name,
                            description,
                            website: None,
                        },
                    )
                    .await?;
            }
        }
        self.departments().departments(p).await
    }

    async fn demo_policies(&self, agency: AgencyId) -> AppResult<Vec<Policy>> {
        let sample_note = |de: &str, en: &str, zh: &str, fr: &str| {
            l(
                &format!("{de} (Musterdaten)"),
                &format!("{en} (sample data)"),
                &format!("{zh}（示例数据）"),
                &format!("{fr} (données d'exemple)"),
            )
        };
        let list = vec![
            PolicyDraft {
                slug: "two-zones".into(),
                title: l(
                    "Politik der „Zwei Zonen“",
                    "The \"Two Zones\" policy",
                    "“两区”政策",
                    "Politique des « Deux Zones »",
                ),
                issuing_body: l(
                    "Volksregierung der Stadt Peking",
                    "Beijing Municipal People's Government",
                    "北京市人民政府",
                    "Gouvernement populaire municipal de Beijing",
                ),
                region: l("Peking", "Beijing", "北京市", "Beijing"),
                sectors: vec![
                    "smart-manufacturing".into(),
                    "finance".into(),
                    "professional-services".into(),
                    "ict-software".into(),
                ],
                benefit_types: vec!["market-access".into()],
                summary: l(
                    "Die nationale umfassende Demonstrationszone für die Öffnung des Dienstleistungssektors und die Pilot-Freihandelszone China (Peking).",
                    "The national comprehensive demonstration zone for opening up the services sector and the China (Beijing) Pilot Free Trade Zone.",
                    "国家服务业扩大开放综合示范区和中国（北京）自由贸易试验区。",
                    "La zone nationale de démonstration complète de l'ouverture du secteur des services et la zone pilote de libre-échange de Chine (Beijing).",
                ),
                valid_from: Some("2020-09-01".into()),
                valid_until: None,
                source_url: None,
                is_sample: false,
            },
            PolicyDraft {
                slug: "new-smart-manufacturing-100".into(),
                title: l(
                    "Bauplan „Neue intelligente Fertigung 100“ (2021–2025)",
                    "\"New Smart Manufacturing 100\" construction plan (2021–2025)",
                    "“新智造100”工程建设方案（2021—2025年）",
                    "Plan de construction « Nouvelle fabrication intelligente 100 » (2021-2025)",
                ),
                issuing_body: l(
                    "Städtisches Büro für Wirtschaft und Informationstechnologie Peking",
                    "Beijing Municipal Bureau of Economy and Information Technology",
                    "北京市经济和信息化局",
                    "Bureau municipal de l'Économie et des Technologies de l'information de Beijing",
                ),
                region: l("Peking", "Beijing", "北京市", "Beijing"),
                sectors: vec![
                    "smart-manufacturing".into(),
                    "ai-robotics".into(),
                    "environmental-tech".into(),
                ],
                benefit_types: vec!["subsidy".into()],
                summary: l(
                    "Entwicklung intelligenter und grüner Industrien in Peking.",
                    "Development of Beijing's intelligent and green industries.",
                    "推动北京智能与绿色产业发展。",
                    "Développement des industries intelligentes et vertes de Beijing.",
                ),
                valid_from: Some("2021-01-01".into()),
                valid_until: Some("2025-12-31".into()),
                source_url: None,
                is_sample: false,
            },
            PolicyDraft {
                slug: "fengtai-rent-support".into(),
                title: sample_note(
                    "Mietzuschuss für Technologieunternehmen im Zhongguancun Fengtai Park",
                    "Rent support for technology companies in Zhongguancun Fengtai Park",
                    "中关村丰台园科技企业租金补贴",
                    "Aide au loyer pour les entreprises technologiques du parc Fengtai de Zhongguancun",
                ),
                issuing_body: l(
                    "Bezirksregierung Fengtai",
                    "Fengtai District Government",
                    "丰台区人民政府",
                    "Gouvernement du district de Fengtai",
                ),
                region: l("Fengtai", "Fengtai", "丰台区", "Fengtai"),
                sectors: vec!["ict-software".into(), "aerospace".into()],
                benefit_types: vec!["subsidy".into(), "land".into()],
                summary: sample_note(
                    "Beispiel einer Vorzugspolitik: Zuschuss zur Büromiete in den ersten Jahren",
                    "Example of a preferential policy: office rent subsidy in the first years",
                    "优惠政策示例：前几年办公租金补贴",
                    "Exemple de politique préférentielle : aide au loyer de bureaux les premières années",
                ),
                valid_from: None,
                valid_until: None,
                source_url: None,
                is_sample: true,
            },
            PolicyDraft {
                slug: "lize-finance-settlement".into(),
                title: sample_note(
                    "Ansiedlungsprämie für Finanzinstitute in Lize",
                    "Settlement award for financial institutions in Lize",
                    "丽泽金融机构落户奖励",
                    "Prime d'installation pour les institutions financières à Lize",
                ),
                issuing_body: l(
                    "Bezirksregierung Fengtai",
                    "Fengtai District Government",
                    "丰台区人民政府",
                    "Gouvernement du district de Fengtai",
                ),
                region: l("Fengtai", "Fengtai", "丰台区", "Fengtai"),
                sectors: vec!["finance".into()],
                benefit_types: vec!["subsidy".into()],
                summary: sample_note(
                    "Beispiel: einmalige Prämie bei Ansiedlung eines regionalen Hauptsitzes",
                    "Example: one-off award for settling a regional headquarters",
                    "示例：地区总部落户一次性奖励",
                    "Exemple : prime unique pour l'installation d'un siège régional",
                ),
                valid_from: None,
                valid_until: None,
                source_url: None,
                is_sample: true,
            },
            PolicyDraft {
                slug: "yuanbo-digital-startups".into(),
                title: sample_note(
                    "Förderung digitaler Start-ups im Yuanbo-Park",
                    "Support for digital start-ups in Yuanbo park",
                    "园博数字经济初创企业扶持",
                    "Soutien aux start-ups numériques du parc de Yuanbo",
                ),
                issuing_body: l(
                    "Bezirksregierung Fengtai",
                    "Fengtai District Government",
                    "丰台区人民政府",
                    "Gouvernement du district de Fengtai",
                ),
                region: l("Fengtai", "Fengtai", "丰台区", "Fengtai"),
                sectors: vec!["ict-software".into(), "ai-robotics".into()],
                benefit_types: vec!["subsidy".into(), "talent".into()],
                summary: sample_note(
                    "Beispiel: Zuschüsse für Rechenleistung und Talente",
                    "Example: grants for computing power and talent",
                    "示例：算力与人才补贴",
                    "Exemple : aides pour la puissance de calcul et les talents",
                ),
                valid_from: None,
                valid_until: None,
                source_url: None,
                is_sample: true,
            },
            PolicyDraft {
                slug: "sino-german-equipment".into(),
                title: sample_note(
                    "Investitionszuschuss für Ausrüstung im Chinesisch-Deutschen Park",
                    "Equipment investment grant in the Sino-German park",
                    "中德产业园设备投资补贴",
                    "Subvention à l'investissement en équipements dans le parc sino-allemand",
                ),
                issuing_body: l(
                    "Bezirksregierung Shunyi",
                    "Shunyi District Government",
                    "顺义区人民政府",
                    "Gouvernement du district de Shunyi",
                ),
                region: l("Shunyi", "Shunyi", "顺义区", "Shunyi"),
                sectors: vec![
                    "smart-manufacturing".into(),
                    "automotive".into(),
                    "machinery".into(),
                ],
                benefit_types: vec!["subsidy".into()],
                summary: sample_note(
                    "Beispiel: anteiliger Zuschuss zu Investitionen in intelligente Produktionsanlagen",
                    "Example: partial grant for investment in smart production equipment",
                    "示例：智能生产设备投资按比例补贴",
                    "Exemple : subvention partielle des investissements en équipements de production intelligents",
                ),
                valid_from: None,
                valid_until: None,
                source_url: None,
                is_sample: true,
            },
            PolicyDraft {
                slug: "sino-german-talent".into(),
                title: sample_note(
                    "Wohn- und Visaservice für ausländische Fachkräfte in Shunyi",
                    "Housing and visa services for foreign professionals in Shunyi",
                    "顺义外籍人才住房与签证服务",
                    "Services de logement et de visa pour les professionnels étrangers à Shunyi",
                ),
                issuing_body: l(
                    "Bezirksregierung Shunyi",
                    "Shunyi District Government",
                    "顺义区人民政府",
                    "Gouvernement du district de Shunyi",
                ),
                region: l("Shunyi", "Shunyi", "顺义区", "Shunyi"),
                sectors: vec![],
                benefit_types: vec!["talent".into()],
                summary: sample_note(
                    "Beispiel: Talentwohnungen und beschleunigte Visaverfahren",
                    "Example: talent housing and faster visa procedures",
                    "示例：人才公寓与签证便利",
                    "Exemple : logements pour talents et procédures de visa accélérées",
                ),
                valid_from: None,
                valid_until: None,
                source_url: None,
                is_sample: true,
            },
        ];
        let existing = self.store.policies(agency).await?;
        for draft in list {
            if !existing.iter().any(|x| x.slug == draft.slug) {
                self.store.create_policy(agency, &draft).await?;
            }
        }
        Ok(self.store.policies(agency).await?)
    }

    async fn demo_parks(
        &self,
        agency: AgencyId,
        policy: &dyn Fn(&str) -> Option<PolicyId>,
    ) -> AppResult<Vec<Park>> {
        let fengtai = l(
            "Bezirk Fengtai",
            "Fengtai district",
            "丰台区",
            "District de Fengtai",
        );
        let list = vec![
            ParkDraft {
                slug: "zgc-fengtai".into(),
                name: l(
                    "Zhongguancun Fengtai Park",
                    "Zhongguancun Fengtai Park",
                    "中关村丰台园",
                    "Parc Fengtai de Zhongguancun",
                ),
                district: fengtai.clone(),
                summary: l(
                    "Einer der Schlüsselparks, die der Bezirk Fengtai vorstellt.",
                    "One of the key parks Fengtai district presents.",
                    "丰台区重点推介园区之一。",
                    "L'un des parcs clés présentés par le district de Fengtai.",
                ),
                focus_industries: vec!["ict-software".into(), "aerospace".into()],
                area_km2: None,
                website: None,
                contact: None,
                is_sample: true,
                policy_ids: policy("fengtai-rent-support").into_iter().collect(),
            },
            ParkDraft {
                slug: "lize".into(),
                name: l(
                    "Finanz- und Geschäftsviertel Lize",
                    "Lize Financial Business District",
                    "丽泽金融商务区",
                    "Quartier financier et commercial de Lize",
                ),
                district: fengtai.clone(),
                summary: l(
                    "Finanz- und Geschäftsviertel im Bezirk Fengtai.",
                    "Financial and business district in Fengtai.",
                    "丰台区金融商务集聚区。",
                    "Quartier financier et d'affaires de Fengtai.",
                ),
                focus_industries: vec!["finance".into(), "professional-services".into()],
                area_km2: None,
                website: None,
                contact: None,
                is_sample: true,
                policy_ids: policy("lize-finance-settlement").into_iter().collect(),
            },
            ParkDraft {
                slug: "yuanbo".into(),
                name: l(
                    "Yuanbo-Industriepark für digitale Wirtschaft",
                    "Yuanbo Digital Economy Industrial Park",
                    "园博数字经济产业园",
                    "Parc industriel de l'économie numérique de Yuanbo",
                ),
                district: fengtai,
                summary: l(
                    "Industriepark für die digitale Wirtschaft im Bezirk Fengtai.",
                    "Industrial park for the digital economy in Fengtai.",
                    "丰台区数字经济产业园区。",
                    "Parc industriel de l'économie numérique à Fengtai.",
                ),
                focus_industries: vec!["ict-software".into(), "ai-robotics".into()],
                area_km2: None,
                website: None,
                contact: None,
                is_sample: true,
                policy_ids: policy("yuanbo-digital-startups").into_iter().collect(),
            },
            ParkDraft {
                slug: "sino-german".into(),
                name: l(
                    "Chinesisch-Deutscher Industriepark für internationale Zusammenarbeit Peking",
                    "Beijing Sino-German International Cooperation Industrial Park",
                    "北京中德国际合作产业园",
                    "Parc industriel de coopération internationale sino-allemande de Beijing",
                ),
                district: l(
                    "Bezirk Shunyi",
                    "Shunyi district",
                    "顺义区",
                    "District de Shunyi",
                ),
                summary: l(
                    "Vom Bezirk Shunyi aufgebaut und betrieben, mit eigener Politik und eigenen Maßnahmen.",
                    "Built and run by Shunyi district, with its own policies and measures.",
                    "由顺义区建设运营，配套相关政策措施。",
                    "Construit et exploité par le district de Shunyi, avec ses propres politiques et mesures.",
                ),
                focus_industries: vec![
                    "smart-manufacturing".into(),
                    "automotive".into(),
                    "machinery".into(),
                ],
                area_km2: None,
                website: None,
                contact: None,
                is_sample: true,
                policy_ids: [
                    policy("sino-german-equipment"),
                    policy("sino-german-talent"),
                ]
                .into_iter()
                .flatten()
                .collect(),
            },
        ];
        let existing = self.store.parks(agency).await?;
        for draft in list {
            if !existing.iter().any(|x| x.slug == draft.slug) {
                self.store.create_park(agency, &draft).await?;
            }
        }
        Ok(self.store.parks(agency).await?)
    }

    async fn demo_stories(&self, agency: AgencyId) -> AppResult<Vec<SuccessStory>> {
        let list = vec![
            StoryDraft {
                slug: "steinbeis".into(),
                company_name: "Steinbeis".into(),
                country: "DE".into(),
                title: l(
                    "Steinbeis in Peking",
                    "Steinbeis in Beijing",
                    "史太白在北京",
                    "Steinbeis à Beijing",
                ),
                body: l(
                    "Die Steinbeis-Gruppe teilt ihre Erfahrungen und Erfolge bei ihrer Entwicklung in Peking.",
                    "The Steinbeis group shares its experience and success in developing in Beijing.",
                    "史太白集团分享其在北京发展的经验与成果。",
                    "Le groupe Steinbeis partage ses expériences et ses réussites dans son développement à Beijing.",
                ),
                is_sample: false,
            },
            StoryDraft {
                slug: "cavete".into(),
                company_name: "Cavete Consulting".into(),
                country: "DE".into(),
                title: l(
                    "Cavete Consulting in Peking",
                    "Cavete Consulting in Beijing",
                    "Cavete咨询在北京",
                    "Cavete Consulting à Beijing",
                ),
                body: l(
                    "Cavete Consulting berichtet von seinem Weg und seinen Erfolgen in Peking.",
                    "Cavete Consulting tells of its path and success in Beijing.",
                    "Cavete咨询分享其在北京的发展历程与成功经验。",
                    "Cavete Consulting raconte son parcours et ses réussites à Beijing.",
                ),
                is_sample: false,
            },
        ];
        let existing = self.store.stories(agency).await?;
        for draft in list {
            if !existing.iter().any(|x| x.slug == draft.slug) {
                self.store.create_story(agency, &draft).await?;
            }
        }
        Ok(self.store.stories(agency).await?)
    }

    /// 62 invented companies and institutions (sample data), one participant each.
    async fn demo_registrations(&self) -> AppResult<()> {
        const FAMILY: [&str; 31] = [
            "Albrecht",
            "Brenner",
            "Drechsler",
            "Eberhardt",
            "Falkner",
            "Gerber",
            "Hartmann",
            "Iserloh",
            "Jansen",
            "Kessler",
            "Lindner",
            "Möller",
            "Neumeyer",
            "Ostermann",
            "Pfeiffer",
            "Quast",
            "Riedel",
            "Seidler",
            "Tiedemann",
            "Ullrich",
            "Vogler",
            "Wendt",
            "Zeller",
            "Auer",
            "Berger",
            "Christen",
            "Dorn",
            "Engel",
            "Frisch",
            "Graf",
            "Huber",
        ];
        const KIND: [(&str, &str, &str); 12] = [
            ("Antriebstechnik GmbH", "machinery", "50-249"),
            ("Automation AG", "smart-manufacturing", "250-999"),
            ("Sensorik GmbH", "electronics", "10-49"),
            ("Robotik GmbH", "ai-robotics", "50-249"),
            ("Präzisionsteile GmbH & Co. KG", "automotive", "250-999"),
            ("Software Solutions GmbH", "ict-software", "10-49"),
            ("Medizintechnik GmbH", "medical-devices", "50-249"),
            ("Energiesysteme AG", "new-energy", "1000+"),
            ("Umwelttechnik GmbH", "environmental-tech", "10-49"),
            ("Werkstoffe GmbH", "chemicals-materials", "50-249"),
            ("Beratung GmbH", "professional-services", "1-9"),
            ("Logistik GmbH", "logistics", "250-999"),
        ];
        const FIRST: [&str; 20] = [
            "Anna", "Bernd", "Claudia", "Daniel", "Eva", "Felix", "Greta", "Hannes", "Ines",
            "Jonas", "Katrin", "Lukas", "Marie", "Nils", "Olga", "Paul", "Rita", "Stefan", "Tanja",
            "Uwe",
        ];
        const TITLES: [&str; 6] = [
            "Geschäftsführer/in",
            "Head of Business Development",
            "Leiter/in Internationales",
            "CEO",
            "Vertriebsleiter/in",
            "Strategy Manager",
        ];
        let interests = ["parks", "policies", "partners", "market"];
        for i in 0..62usize {
            let family = FAMILY[i % FAMILY.len()];
            let (kind, industry, size) = KIND[(i * 7) % KIND.len()];
            let (name, industry, size) = if i % 10 == 9 {
                (
                    format!("Institut {family} für Industrie 4.0 e. V."),
                    "education-research",
                    "10-49",
                )
            } else {
                (format!("{family} {kind}"), industry, size)
            };
            let country = match i % 12 {
                5 => "AT",
                11 => "CH",
                _ => "DE",
            };
            let first = FIRST[(i * 3) % FIRST.len()];
            let domain: String = family
                .to_lowercase()
                .replace('ö', "oe")
                .replace('ü', "ue")
                .replace('ä', "ae");
            let language = if i % 8 == 3 {
                "en"
            } else if i % 15 == 4 {
                "zh"
            } else {
                "de"
            };
            let mut answers = std::collections::BTreeMap::new();
            answers.insert(
                "interest".to_string(),
                interests[i % interests.len()].to_string(),
            );
            let input = RegistrationInput {
                email: Some(format!(
                    "{}.{}{}@{domain}-{}.example",
                    first.to_lowercase(),
                    domain,
                    i,
                    industry
                )),
                name: Some(format!("{first} {family}")),
                job_title: Some(TITLES[i % TITLES.len()].into()),
                language: Some(language.into()),
                company: CompanyInput {
                    name: Some(name),
                    country: Some(country.into()),
                    industry: Some(industry.into()),
                    size: Some(size.into()),
                    website: Some(format!("https://www.{domain}-{industry}.example")),
                },
                consent: Some(true),
                answers,
            };
            self.registrations()
                .register_unlimited(EVENT_SLUG, &input, Lang::De, true)
                .await?;
        }
        Ok(())
    }

    /// A few questions in the four languages, moderated, routed, voted and answered
    /// through the same use cases as in a real exchange, and one poll, so that the live
    /// page and the console show what they are for.
    async fn demo_exchange(&self, organiser: &Principal) -> AppResult<()> {
        use roadshow_domain::polls::PollInput;
        use roadshow_domain::questions::{AnswerInput, ModerationInput, QuestionInput};
        let event = self
            .store
            .event_by_slug(EVENT_SLUG)
            .await?
            .ok_or(AppError::NotFound)?;
        let registrations = self
            .store
            .registrations(event.id, &RegistrationFilter::default())
            .await?;
        let participant = |i: usize| -> AppResult<Principal> {
            let r = registrations
                .get(i % registrations.len().max(1))
                .ok_or(AppError::NotFound)?;
            Ok(Principal::Participant(
                roadshow_domain::accounts::ParticipantAccess {
                    registration_id: r.id,
                    participant_id: r.participant_id,
                    event_id: event.id,
                },
            ))
        };
        let moderator = Principal::Staff(
            self.store
                .account_by_email(MODERATOR_EMAIL)
                .await?
                .ok_or(AppError::NotFound)?
                .account,
        );
        let official = Principal::Staff(
            self.store
                .account_by_email(OFFICIAL_EMAIL)
                .await?
                .ok_or(AppError::NotFound)?
                .account,
        );
        let sessions = self.store.sessions(event.id).await?;
        let departments = self.store.departments(event.agency_id).await?;
        let dept = |slug: &str| departments.iter().find(|d| d.slug == slug).map(|d| d.id);
        let session_for = |slug: &str| {
            let id = dept(slug);
            sessions
                .iter()
                .find(|s| id.is_some() && s.department_id == id)
                .map(|s| s.id.0)
        };
        // (asker, language, text, session's department, anonymous, votes, what happens)
        type DemoQuestion<'a> = (
            usize,
            &'a str,
            &'a str,
            Option<&'a str>,
            bool,
            usize,
            &'a str,
        );
        let questions: [DemoQuestion; 6] = [
            (
                1,
                "de",
                "Welche Flächen stehen im Deutsch-Chinesischen Industriepark in Shunyi für einen Automobilzulieferer zur Verfügung, und welche Steuervergünstigungen gibt es dort?",
                Some("shunyi"),
                false,
                9,
                "answer",
            ),
            (
                8,
                "en",
                "How long does it take to register a wholly foreign-owned enterprise under the Two Zones policy, and can it be done online?",
                None,
                false,
                12,
                "pin",
            ),
            (
                15,
                "de",
                "Gibt es Förderprogramme für Pilotprojekte der intelligenten Fertigung im Rahmen von „Neue intelligente Fertigung 100“?",
                Some("beijing-eit"),
                false,
                5,
                "live",
            ),
            (
                4,
                "zh",
                "丰台区对轨道交通和航空航天企业有哪些支持政策？",
                Some("fengtai"),
                false,
                3,
                "approve",
            ),
            (
                22,
                "fr",
                "Comment les entreprises étrangères peuvent-elles recruter des talents qualifiés à Pékin ?",
                None,
                false,
                0,
                "pending",
            ),
            (
                30,
                "de",
                "Wie werden Datenexporte aus den Pekinger Parks nach Deutschland in der Praxis gehandhabt?",
                None,
                true,
                0,
                "pending",
            ),
        ];
        for (asker, lang, text, session, anonymous, votes, fate) in questions {
            let (q, _) = self
                .questions()
                .ask_question(
                    &participant(asker)?,
                    EVENT_SLUG,
                    &QuestionInput {
                        text: Some(text.into()),
                        session_id: session.and_then(session_for),
                        anonymous,
                        lang: Some(lang.into()),
                    },
                )
                .await?;
            if fate == "pending" {
                continue;
            }
            let moderate = |action: &str, department: Option<i64>| ModerationInput {
                action: Some(action.into()),
                department,
                ..Default::default()
            };
            self.questions()
                .moderate(&moderator, q.id, &moderate("approve", None))
                .await?;
            // Accept Roadshow's suggestion, as a moderator would.
            let routed = q
                .suggested_department
                .or_else(|| dept("two-zones-office"))
                .map(|d| d.0);
            self.questions()
                .moderate(&moderator, q.id, &moderate("route", routed))
                .await?;
            for v in 0..votes {
                self.questions()
                    .vote(&participant(40 + v)?, q.id, true)
                    .await?;
            }
            match fate {
                "pin" => {
                    self.questions()
                        .moderate(&moderator, q.id, &moderate("pin", None))
                        .await?;
                }
                "answer" => {
                    let answerer = if routed == dept("shunyi").map(|d| d.0) {
                        &official
                    } else {
                        organiser
                    };
                    self.questions().answer(
                        answerer,
                        q.id,
                        &AnswerInput {
                            body: Some("Im **Deutsch-Chinesischen Industriepark** stehen derzeit erschlossene Industrieflächen und Standardfabrikhallen zur Verfügung. Unternehmen in der Pilot-Freihandelszone können unter den Voraussetzungen der „Zwei Zonen“ Steuervergünstigungen beantragen. Unser Investitionsservice vermittelt gern einen Termin vor Ort.\n\n*(Beispielantwort der Demo)*".into()),
                            live: false,
                            lang: Some("de".into()),
                        },
                        Lang::De,
                    )
                    .await?;
                }
                "live" => {
                    self.questions()
                        .answer(
                            organiser,
                            q.id,
                            &AnswerInput {
                                body: None,
                                live: true,
                                lang: Some("de".into()),
                            },
                            Lang::De,
                        )
                        .await?;
                }
                _ => {}
            }
        }
        let poll = self
            .polls()
            .create_poll(
                organiser,
                EVENT_SLUG,
                &PollInput {
                    question: l(
                        "Welches Thema ist für Ihr Unternehmen am wichtigsten?",
                        "Which topic matters most to your company?",
                        "哪个议题对贵公司最重要？",
                        "Quel sujet compte le plus pour votre entreprise ?",
                    ),
                    options: vec![
                        l(
                            "Flächen und Parks",
                            "Land and parks",
                            "用地与园区",
                            "Terrains et parcs",
                        ),
                        l(
                            "Steuern und Förderung",
                            "Tax and subsidies",
                            "税收与补贴",
                            "Fiscalité et subventions",
                        ),
                        l("Fachkräfte", "Talent", "人才", "Talents"),
                        l(
                            "Marktzugang",
                            "Market access",
                            "市场准入",
                            "Accès au marché",
                        ),
                    ],
                    multiple: false,
                    session_id: None,
                },
            )
            .await?;
        self.polls().poll_action(organiser, poll.id, "open").await?;
        for v in 0..14usize {
            self.polls()
                .vote_poll(&participant(v)?, poll.id, &[(v * 7 + v / 3) % 4])
                .await?;
        }
        self.polls()
            .poll_action(organiser, poll.id, "show_results")
            .await?;
        Ok(())
    }
}
