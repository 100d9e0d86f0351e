//! The register of recipients: who receives participants' data, where and why. The
//! privacy notice and every export are made from it.

use crate::ids::AgencyId;
use crate::localized::Localized;
use crate::validation::{Checker, Invalid};
use serde::{Deserialize, Serialize};

/// Who receives participants' data, where and why: the notices are made from this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    pub id: i64,
    pub agency_id: AgencyId,
    pub name: Localized,
    pub kind: RecipientKind,
    /// ISO 3166 code.
    pub country: String,
    pub purpose: Localized,
    /// The categories of data it receives (codes of [`map::Category`]).
    pub data: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    Park,
    Department,
    Crm,
    Webhook,
    Processor,
}

impl RecipientKind {
    pub const ALL: [RecipientKind; 5] = [
        RecipientKind::Park,
        RecipientKind::Department,
        RecipientKind::Crm,
        RecipientKind::Webhook,
        RecipientKind::Processor,
    ];
    pub fn code(self) -> &'static str {
        match self {
            RecipientKind::Park => "park",
            RecipientKind::Department => "department",
            RecipientKind::Crm => "crm",
            RecipientKind::Webhook => "webhook",
            RecipientKind::Processor => "processor",
        }
    }
    pub fn parse(code: &str) -> Option<RecipientKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A recipient as an organiser enters it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecipientInput {
    pub name: Option<Localized>,
    pub kind: Option<String>,
    pub country: Option<String>,
    pub purpose: Option<Localized>,
    #[serde(default)]
    pub data: Vec<String>,
}

/// A checked recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientDraft {
    pub name: Localized,
    pub kind: RecipientKind,
    pub country: String,
    pub purpose: Localized,
    pub data: Vec<String>,
}

const CATEGORY_CODES: [&str; 8] = [
    "identity",
    "contact",
    "profile",
    "content",
    "behaviour",
    "consent",
    "network",
    "staff",
];

/// The categories a recipient may be said to receive.
pub fn category_codes() -> &'static [&'static str] {
    &CATEGORY_CODES
}

impl RecipientInput {
    pub fn parse(&self) -> Result<RecipientDraft, Invalid> {
        let mut check = Checker::new();
        check.control_characters(self, &["purpose"]);
        let name = self.name.clone().unwrap_or_default();
        if name.is_empty() {
            check.push("name", "required");
        } else if name.max_chars() > 200 {
            check.push_limit("name", "too_long", 200);
        }
        let kind = match self.kind.as_deref().map(str::trim) {
            None | Some("") => {
                check.push("kind", "required");
                RecipientKind::Department
            }
            Some(code) => RecipientKind::parse(code).unwrap_or_else(|| {
                check.push("kind", "unknown_choice");
                RecipientKind::Department
            }),
        };
        let country = check
            .required("country", self.country.as_deref(), 2)
            .to_ascii_uppercase();
        if !country.is_empty() && crate::reference::country(&country).is_none() {
            check.push("country", "unknown_country");
        }
        let purpose = self.purpose.clone().unwrap_or_default();
        if purpose.is_empty() {
            check.push("purpose", "required");
        } else if purpose.max_chars() > 500 {
            check.push_limit("purpose", "too_long", 500);
        }
        // As many as there are categories: a longer list repeats one (the schema says
        // so too, and the same input gets the same answer everywhere).
        if self.data.len() > CATEGORY_CODES.len() {
            check.push_limit("data", "too_many", CATEGORY_CODES.len());
        }
        let mut data = Vec::new();
        for code in &self.data {
            if CATEGORY_CODES.contains(&code.as_str()) {
                if !data.contains(code) {
                    data.push(code.clone());
                }
            } else {
                check.push("data", "unknown_choice");
            }
        }
        if data.is_empty() && self.data.is_empty() {
            check.push("data", "required");
        }
        check.finish(RecipientDraft {
            name,
            kind,
            country,
            purpose,
            data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(data: &[&str]) -> RecipientInput {
        RecipientInput {
            name: Some(crate::Localized::one(crate::Lang::En, "Shunyi park office")),
            kind: Some("park".into()),
            country: Some("cn".into()),
            purpose: Some(crate::Localized::one(crate::Lang::En, "Site visits")),
            data: data.iter().map(|d| d.to_string()).collect(),
        }
    }

    #[test]
    fn categories_are_known_counted_once_and_no_more_than_there_are() {
        let draft = input(&["contact", "identity", "contact"]).parse().unwrap();
        assert_eq!(draft.data, ["contact", "identity"]);
        assert_eq!(draft.country, "CN");
        let errors = input(&["staff"; 9]).parse().unwrap_err();
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.field == "data" && e.code == "too_many" && e.limit == Some(8)),
            "{errors:?}"
        );
        let errors = input(&["gossip"]).parse().unwrap_err();
        assert!(errors.0.iter().any(|e| e.code == "unknown_choice"));
    }
}
