//! Counting as the report counts: groups, shares, medians, and small groups hidden.

use super::Count;
use std::collections::BTreeMap;

/// Groups smaller than this are shown as "< 5" wherever a report leaves the staff's
/// screens (PDF, press draft, agency dashboard): with about 60 companies from one country,
/// a split by industry could name a company.
pub const SMALL_GROUP: u64 = 5;

/// Per cent of `part` in `whole`, rounded to the nearest; 0 of nothing.
pub fn percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        0
    } else {
        (part * 200 + whole) / (whole * 2)
    }
}

/// Counts of `keys`, largest first, ties by key; empty keys are left out.
pub fn tally<I, S>(keys: I) -> Vec<Count>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for k in keys {
        let k = k.into();
        if !k.is_empty() {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut out: Vec<Count> = counts
        .into_iter()
        .map(|(key, count)| Count { key, count })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then(a.key.cmp(&b.key)));
    out
}

/// The median of `values` (the lower middle of an even count); `None` of nothing.
pub(super) fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    values.get(values.len().saturating_sub(1) / 2).copied()
}

/// Whether a count is a small group: hidden where a report leaves the staff's screens
/// (0 is not: nobody is named by it).
pub fn is_small(count: u64) -> bool {
    count > 0 && count < SMALL_GROUP
}

/// A count as shown where a report leaves the staff's screens: "< 5" for a small group.
pub fn guarded(count: u64) -> String {
    if is_small(count) {
        format!("< {SMALL_GROUP}")
    } else {
        count.to_string()
    }
}
