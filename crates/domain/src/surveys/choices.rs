//! The survey's closed lists: interest levels, project types, investment bands (CNY,
//! shown with EUR), timelines, next steps and Beijing's districts. Each code is stable
//! (API, database, catalogue `survey-<list>-<code>`, `district-<code>`).

use serde::{Deserialize, Serialize};

/// How far a company is from investing; ordered, so "considering or more" is a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interest {
    NotNow,
    Watching,
    Considering,
    Planning,
    Committed,
}

/// Codes of the closed lists the survey offers, each translated under `<list>-<code>`.
macro_rules! code_list {
    ($name:ident { $($variant:ident = $code:literal),* $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }
            pub fn parse(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
        }
    };
}

code_list!(Interest {
    NotNow = "not_now",
    Watching = "watching",
    Considering = "considering",
    Planning = "planning",
    Committed = "committed",
});

impl Interest {
    /// The number a signal carries for this level (0 = not now … 4 = committed).
    pub fn level(self) -> i64 {
        match self {
            Interest::NotNow => 0,
            Interest::Watching => 1,
            Interest::Considering => 2,
            Interest::Planning => 3,
            Interest::Committed => 4,
        }
    }

    pub fn from_level(level: i64) -> Option<Interest> {
        Interest::ALL.iter().copied().find(|i| i.level() == level)
    }

    /// Whether this answer alone makes the company a lead.
    pub fn makes_lead(self) -> bool {
        self >= Interest::Considering
    }
}

/// The business activity of a planned project, as FDI trackers classify projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectType {
    SalesOffice,
    RdCentre,
    Manufacturing,
    RegionalHeadquarters,
    Logistics,
    JointVenture,
    Other,
}

code_list!(ProjectType {
    SalesOffice = "sales_office",
    RdCentre = "rd_centre",
    Manufacturing = "manufacturing",
    RegionalHeadquarters = "regional_headquarters",
    Logistics = "logistics",
    JointVenture = "joint_venture",
    Other = "other",
});

/// A planned investment band, in CNY (the currency the agency reports in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum InvestmentBand {
    #[serde(rename = "lt_10m")]
    Under10M,
    #[serde(rename = "10m_50m")]
    From10M,
    #[serde(rename = "50m_200m")]
    From50M,
    #[serde(rename = "200m_1b")]
    From200M,
    #[serde(rename = "gt_1b")]
    Over1B,
    #[serde(rename = "undecided")]
    Undecided,
}

code_list!(InvestmentBand {
    Under10M = "lt_10m",
    From10M = "10m_50m",
    From50M = "50m_200m",
    From200M = "200m_1b",
    Over1B = "gt_1b",
    Undecided = "undecided",
});

/// CNY per EUR used to show bands in euros: an indicative rate, not a quote.
pub const CNY_PER_EUR: f64 = 7.8;

impl InvestmentBand {
    /// The band's bounds in CNY (`None`: open).
    pub fn cny(self) -> Option<(i64, Option<i64>)> {
        match self {
            InvestmentBand::Under10M => Some((0, Some(10_000_000))),
            InvestmentBand::From10M => Some((10_000_000, Some(50_000_000))),
            InvestmentBand::From50M => Some((50_000_000, Some(200_000_000))),
            InvestmentBand::From200M => Some((200_000_000, Some(1_000_000_000))),
            InvestmentBand::Over1B => Some((1_000_000_000, None)),
            InvestmentBand::Undecided => None,
        }
    }

    /// A middle figure in CNY for the lead's estimate (the lower bound for the open band).
    pub fn estimate_cny(self) -> Option<i64> {
        self.cny().map(|(low, high)| match high {
            Some(h) => (low + h) / 2,
            None => low,
        })
    }

    /// The band as "CNY 10–50 m (≈ EUR 1.3–6.4 m)".
    pub fn label_amounts(self) -> Option<String> {
        let (low, high) = self.cny()?;
        let m = |v: i64| v as f64 / 1_000_000.0;
        let eur = |v: i64| v as f64 / CNY_PER_EUR / 1_000_000.0;
        Some(match high {
            Some(h) if low == 0 => format!("< CNY {} m (≈ EUR {:.1} m)", m(h), eur(h)),
            Some(h) => format!(
                "CNY {}–{} m (≈ EUR {:.1}–{:.1} m)",
                m(low),
                m(h),
                eur(low),
                eur(h)
            ),
            None => format!("> CNY {} m (≈ EUR {:.0} m)", m(low), eur(low)),
        })
    }
}

/// When the company plans to act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Horizon {
    #[serde(rename = "6_months")]
    SixMonths,
    #[serde(rename = "12_months")]
    TwelveMonths,
    #[serde(rename = "24_months")]
    TwoYears,
    #[serde(rename = "later")]
    Later,
}

code_list!(Horizon {
    SixMonths = "6_months",
    TwelveMonths = "12_months",
    TwoYears = "24_months",
    Later = "later",
});

/// What the company wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextStep {
    Meeting,
    SiteVisit,
    PolicyInfo,
}

code_list!(NextStep {
    Meeting = "meeting",
    SiteVisit = "site_visit",
    PolicyInfo = "policy_info",
});

/// Beijing's sixteen districts and the Economic-Technological Development Area, as
/// codes; names under `district-<code>`.
pub const DISTRICTS: &[&str] = &[
    "dongcheng",
    "xicheng",
    "chaoyang",
    "haidian",
    "fengtai",
    "shijingshan",
    "mentougou",
    "fangshan",
    "tongzhou",
    "shunyi",
    "changping",
    "daxing",
    "huairou",
    "pinggu",
    "miyun",
    "yanqing",
    "e_town",
];

pub fn is_district(code: &str) -> bool {
    DISTRICTS.contains(&code)
}
