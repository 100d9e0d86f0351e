//! The data map: every table and column Roadshow keeps, annotated in one place with whose
//! data it is, its category, purpose, legal basis, retention and what erasing a person
//! does to it. The export and the erasure of a participant walk this map (so a column
//! added here is exported and erased at once), the privacy notice is made from it, and a
//! test fails when a column of either database is missing here.

use super::activity::ACTIVITY;
use super::tables::CONTENT;
use std::sync::LazyLock;

/// The map in the order erasure walks it: the content, then the activity (participants
/// last).
static TABLES: LazyLock<Vec<Table>> =
    LazyLock::new(|| CONTENT.iter().chain(ACTIVITY.iter()).copied().collect());

/// Whose data a table holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    /// The representatives of companies who register.
    Participant,
    /// The agency's staff and the departments' officials.
    Staff,
    /// Companies: not personal data.
    Company,
    /// The agency's own content and settings.
    Agency,
}

/// Why data is processed; the notice groups the data by these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Purpose {
    /// Registering for and taking part in an event.
    Participation,
    /// Questions, answers, votes and polls of the live exchange.
    Exchange,
    /// One-to-one meetings with departments and parks.
    Meetings,
    /// Watching the broadcast and the replay.
    Broadcast,
    /// The survey, leads and the follow-up of investment projects.
    FollowUp,
    /// The directory of policies, parks and stories.
    Directory,
    /// Emails to participants and staff.
    Email,
    /// Sign-in, sessions and limits against abuse.
    Security,
    /// Consents, requests and the audit log: showing that the law is kept.
    Accountability,
    /// The agency's published content and settings.
    Content,
}

impl Purpose {
    pub const ALL: [Purpose; 10] = [
        Purpose::Participation,
        Purpose::Exchange,
        Purpose::Meetings,
        Purpose::Broadcast,
        Purpose::FollowUp,
        Purpose::Directory,
        Purpose::Email,
        Purpose::Security,
        Purpose::Accountability,
        Purpose::Content,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Purpose::Participation => "participation",
            Purpose::Exchange => "exchange",
            Purpose::Meetings => "meetings",
            Purpose::Broadcast => "broadcast",
            Purpose::FollowUp => "follow_up",
            Purpose::Directory => "directory",
            Purpose::Email => "email",
            Purpose::Security => "security",
            Purpose::Accountability => "accountability",
            Purpose::Content => "content",
        }
    }
}

/// The legal basis (GDPR Art. 6(1); PIPL Art. 13 has the same grounds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// (b) the contract: taking part in the event the person registered for.
    Contract,
    /// (a) consent, given per purpose and withdrawable.
    Consent,
    /// (f) the agency's legitimate interest (security, statistics, follow-up of a project
    /// the company asked for).
    LegitimateInterest,
    /// (c) a legal obligation (answering requests, the record of processing).
    LegalObligation,
    /// Not personal data.
    NotPersonal,
}

impl Basis {
    pub fn code(self) -> &'static str {
        match self {
            Basis::Contract => "contract",
            Basis::Consent => "consent",
            Basis::LegitimateInterest => "legitimate_interest",
            Basis::LegalObligation => "legal_obligation",
            Basis::NotPersonal => "not_personal",
        }
    }
}

/// How long the data is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retention {
    /// The agency's retention after the event ends (365 days unless set otherwise, per
    /// agency and per event); then anonymised by the daily sweep.
    AfterEvent,
    /// As long as the company's lead is followed; reviewed by its investment officer.
    LeadReview,
    /// As long as the staff account exists.
    WhileAccount,
    /// Until it expires (sessions, links, limits: hours to days).
    UntilExpiry,
    /// Three years after the request or change, to show that the law was kept.
    Proof,
    /// As long as the agency publishes it; not personal.
    Published,
}

impl Retention {
    pub fn code(self) -> &'static str {
        match self {
            Retention::AfterEvent => "after_event",
            Retention::LeadReview => "lead_review",
            Retention::WhileAccount => "while_account",
            Retention::UntilExpiry => "until_expiry",
            Retention::Proof => "proof",
            Retention::Published => "published",
        }
    }
}

/// What kind of personal data a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Name.
    Identity,
    /// Email address.
    Contact,
    /// Job title, language.
    Profile,
    /// What the person wrote.
    Content,
    /// What the person did: viewing, votes, choices, times.
    Behaviour,
    /// Consents given and withdrawn.
    Consent,
    /// Hashes of secrets (links, sessions, passwords).
    Credential,
    /// Client addresses and keys derived from them.
    Network,
    /// Staff names and addresses.
    Staff,
}

impl Category {
    pub fn code(self) -> &'static str {
        match self {
            Category::Identity => "identity",
            Category::Contact => "contact",
            Category::Profile => "profile",
            Category::Content => "content",
            Category::Behaviour => "behaviour",
            Category::Consent => "consent",
            Category::Credential => "credential",
            Category::Network => "network",
            Category::Staff => "staff",
        }
    }
}

/// Why something is kept when a person is erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// Not personal data.
    NotPersonal,
    /// Kept for the event's figures; nothing links it to the person any more.
    Statistics,
    /// Company data, not personal data (a lead, a signed project).
    CompanyRecord,
    /// Proof that a request was answered or a consent was given (legal obligation).
    Proof,
    /// Staff data, not the participant's.
    StaffRecord,
    /// Part of the audit log's hash chain; holds ids, not the person.
    ChainIntegrity,
}

impl Why {
    pub fn code(self) -> &'static str {
        match self {
            Why::NotPersonal => "not_personal",
            Why::Statistics => "statistics",
            Why::CompanyRecord => "company_record",
            Why::Proof => "proof",
            Why::StaffRecord => "staff_record",
            Why::ChainIntegrity => "chain_integrity",
        }
    }
}

/// What erasing a participant does to a column of their rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// Left as it is, for this reason.
    Keep(Why),
    /// Replaced by this SQL expression (`$1` is the participant's id).
    Set(&'static str),
    /// The person's name and email replaced by "[…]" wherever they appear in the text.
    Redact,
    /// Deleted with the row.
    Delete,
}

impl Erasure {
    pub fn code(self) -> &'static str {
        match self {
            Erasure::Keep(_) => "keep",
            Erasure::Set(_) => "anonymise",
            Erasure::Redact => "redact",
            Erasure::Delete => "delete",
        }
    }
}

/// What erasing a participant does to their rows of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    /// The rows are deleted.
    Delete,
    /// The rows stay; their personal columns are anonymised or redacted.
    Update,
    /// The rows stay as they are, for this reason.
    Keep(Why),
}

/// A personal column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub category: Category,
    pub erasure: Erasure,
}

/// One table of the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    /// What a row is, for the generated document.
    pub about: &'static str,
    pub whose: Whose,
    pub purpose: Purpose,
    pub basis: Basis,
    pub retention: Retention,
    /// The condition that selects one participant's rows: `$1` is their id, `$2` their
    /// name and `$3` their email; `{has}(column, $2) > 0` is "the column contains the name".
    /// `None`: the table holds nothing of a participant.
    pub person: Option<&'static str>,
    pub rows: Rows,
    /// Columns that hold no personal data, space separated.
    pub plain: &'static str,
    pub personal: &'static [Column],
}

impl Table {
    /// Every column, plain ones first.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.plain
            .split_whitespace()
            .chain(self.personal.iter().map(|c| c.name))
    }
}

/// Shorthand for the tables: a personal column.
pub(super) const fn col(name: &'static str, category: Category, erasure: Erasure) -> Column {
    Column {
        name,
        category,
        erasure,
    }
}

/// The map, in the order erasure walks it.
pub fn tables() -> &'static [Table] {
    &TABLES
}

/// The table of this name.
pub fn table(name: &str) -> Option<&'static Table> {
    tables().iter().find(|t| t.name == name)
}

/// The columns of `found` (table → columns, as a database lists them) that the map does
/// not annotate, and the annotated ones the database lacks, as `table.column` — both
/// empty when the map is complete. Tables of the database engine itself are skipped.
pub fn differences(found: &[(String, Vec<String>)]) -> (Vec<String>, Vec<String>) {
    let mut missing = Vec::new();
    let mut stale = Vec::new();
    for (name, columns) in found {
        if name.starts_with("sqlite_") {
            continue;
        }
        let Some(t) = table(name) else {
            missing.extend(columns.iter().map(|c| format!("{name}.{c}")));
            continue;
        };
        for c in columns {
            if !t.columns().any(|k| k == c) {
                missing.push(format!("{name}.{c}"));
            }
        }
        for k in t.columns() {
            if !columns.iter().any(|c| c == k) {
                stale.push(format!("{name}.{k}"));
            }
        }
    }
    for t in tables() {
        if !found.iter().any(|(n, _)| n == t.name) {
            stale.push(t.name.to_string());
        }
    }
    (missing, stale)
}

/// `docs/DATA_MAP.md`, made from the map.
pub fn markdown() -> String {
    let mut out = String::from(
        "# Data map\n\n\
         Generated from `crates/domain/src/privacy/tables.rs` and `activity.rs` by `roadshow privacy data-map`;\n\
         a test fails when a column of either database is not in the map, or when this file\n\
         is not what the map makes. Every column not listed under a table's personal columns\n\
         holds no personal data.\n\n\
         | table | whose | purpose | legal basis | retention | erasure of a participant's rows |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for t in tables() {
        let rows = match t.rows {
            _ if t.person.is_none() => "not theirs".to_string(),
            Rows::Delete => "deleted".to_string(),
            Rows::Update => "anonymised".to_string(),
            Rows::Keep(why) => format!("kept ({})", why.code()),
        };
        out.push_str(&format!(
            "| `{}` | {:?} | {} | {} | {} | {} |\n",
            t.name,
            t.whose,
            t.purpose.code(),
            t.basis.code(),
            t.retention.code(),
            rows
        ));
    }
    out.push_str("\n## Tables\n");
    for t in tables() {
        out.push_str(&format!("\n### `{}`\n\n{}\n\n", t.name, t.about));
        if let Some(person) = t.person {
            out.push_str(&format!("A participant's rows: `{person}`.\n\n"));
        }
        if !t.personal.is_empty() {
            out.push_str("| personal column | category | erasure |\n| --- | --- | --- |\n");
            for c in t.personal {
                let erasure = match c.erasure {
                    Erasure::Keep(why) => format!("keep ({})", why.code()),
                    Erasure::Set(expr) => format!("anonymise: `{expr}`"),
                    Erasure::Redact => "redact the name and email".to_string(),
                    Erasure::Delete => "delete".to_string(),
                };
                out.push_str(&format!(
                    "| `{}` | {} | {} |\n",
                    c.name,
                    c.category.code(),
                    erasure
                ));
            }
            out.push('\n');
        }
        out.push_str(&format!(
            "Not personal: {}.\n",
            t.plain
                .split_whitespace()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_once_in_the_map_and_each_column_once() {
        let mut names: Vec<_> = tables().iter().map(|t| t.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "a table is listed twice");
        for t in tables() {
            let mut cols: Vec<_> = t.columns().collect();
            cols.sort_unstable();
            let n = cols.len();
            cols.dedup();
            assert_eq!(n, cols.len(), "{} lists a column twice", t.name);
        }
    }

    #[test]
    fn a_table_with_personal_columns_of_participants_says_how_to_find_them() {
        for t in tables() {
            if t.whose == Whose::Participant {
                assert!(t.person.is_some(), "{}", t.name);
            }
            if t.rows == Rows::Update {
                assert!(
                    t.personal
                        .iter()
                        .any(|c| matches!(c.erasure, Erasure::Set(_) | Erasure::Redact)),
                    "{} is updated but changes nothing",
                    t.name
                );
            }
        }
    }

    #[test]
    fn a_column_missing_from_the_map_is_found() {
        let found = vec![
            (
                "consents".to_string(),
                vec!["participant_id".to_string(), "nickname".to_string()],
            ),
            ("brand_new".to_string(), vec!["secret".to_string()]),
        ];
        let (missing, _) = differences(&found);
        assert_eq!(missing, vec!["consents.nickname", "brand_new.secret"]);
    }
}
