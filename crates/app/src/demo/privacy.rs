//! The demo's register of recipients: who receives participants' data in the "Two Zones"
//! event, so that its privacy notice names them from the start.

use crate::{App, AppResult, Principal};
use roadshow_domain::Lang;
use roadshow_domain::Localized;
use roadshow_domain::privacy::RecipientInput;

fn four(de: &str, en: &str, zh: &str, fr: &str) -> Option<Localized> {
    Some(Localized::from_pairs([
        (Lang::De, de),
        (Lang::En, en),
        (Lang::Zh, zh),
        (Lang::Fr, fr),
    ]))
}

impl App {
    pub(super) async fn demo_recipients(&self, organiser: &Principal) -> AppResult<()> {
        let recipients = [
            RecipientInput {
                name: four(
                    "Büro der „Zwei Zonen“ Peking",
                    "Beijing \"Two Zones\" Office",
                    "北京“两区”办公室",
                    "Bureau des « Deux Zones » de Beijing",
                ),
                kind: Some("department".into()),
                country: Some("CN".into()),
                purpose: four(
                    "Beantwortet Fragen zu den Öffnungsmaßnahmen und begleitet Investitionsprojekte.",
                    "Answers questions on the opening-up measures and follows up investment projects.",
                    "解答开放政策相关问题并跟进投资项目。",
                    "Répond aux questions sur les mesures d'ouverture et suit les projets d'investissement.",
                ),
                data: vec![
                    "identity".into(),
                    "contact".into(),
                    "profile".into(),
                    "content".into(),
                ],
            },
            RecipientInput {
                name: four(
                    "Verwaltung des Deutsch-Chinesischen Industrieparks (Shunyi)",
                    "Sino-German Industrial Park administration (Shunyi)",
                    "中德国际合作产业园管理机构（顺义）",
                    "Administration du parc industriel sino-allemand (Shunyi)",
                ),
                kind: Some("park".into()),
                country: Some("CN".into()),
                purpose: four(
                    "Gesprächswünsche und Standortbesuche, wenn Sie der Weitergabe Ihrer Kontaktdaten zustimmen.",
                    "Meeting wishes and site visits, when you agree to your contact being shared.",
                    "在您同意提供联系方式时，处理洽谈意向和实地考察。",
                    "Demandes de rendez-vous et visites de site, si vous acceptez le partage de vos coordonnées.",
                ),
                data: vec![
                    "identity".into(),
                    "contact".into(),
                    "profile".into(),
                    "content".into(),
                ],
            },
            RecipientInput {
                name: four(
                    "CRM der Investitionsbetreuer",
                    "Investment officers' CRM",
                    "招商专员CRM系统",
                    "CRM des chargés d'investissement",
                ),
                kind: Some("crm".into()),
                country: Some("CN".into()),
                purpose: four(
                    "Die Begleitung der Investitionsprojekte Ihres Unternehmens.",
                    "The follow-up of your company's investment projects.",
                    "跟进贵公司的投资项目。",
                    "Le suivi des projets d'investissement de votre entreprise.",
                ),
                data: vec!["identity".into(), "contact".into(), "behaviour".into()],
            },
        ];
        for r in &recipients {
            self.privacy().add_recipient(organiser, r).await?;
        }
        Ok(())
    }
}
