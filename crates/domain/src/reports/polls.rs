//! Polls as the report counts them: every poll's votes per option with their shares, and
//! the same split by the voters' company country, industry and size.

use super::{ReportInput, percent};
use crate::ids::{ParticipantId, PollId};
use std::collections::BTreeMap;

/// One vote: who chose which options (indexes into the poll's options).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollVote {
    pub poll_id: PollId,
    pub participant_id: ParticipantId,
    pub choices: Vec<usize>,
}

/// A poll's votes from one group of voters (a country, an industry, a size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollSplit {
    pub key: String,
    pub voters: u64,
    /// Votes per option, in option order.
    pub options: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollFigures {
    pub poll_id: PollId,
    pub voters: u64,
    /// Votes per option, in option order, with their share of the voters in per cent.
    pub options: Vec<(u64, u64)>,
    /// The votes by the voters' company country, industry and size, largest group first.
    pub by_country: Vec<PollSplit>,
    pub by_industry: Vec<PollSplit>,
    pub by_size: Vec<PollSplit>,
}

/// Groups of `votes` by `key` of the voter (votes of unregistered voters left out).
fn split(
    votes: &[&PollVote],
    options: usize,
    key: impl Fn(ParticipantId) -> Option<String>,
) -> Vec<PollSplit> {
    let mut by: BTreeMap<String, PollSplit> = BTreeMap::new();
    for v in votes {
        let Some(k) = key(v.participant_id).filter(|k| !k.is_empty()) else {
            continue;
        };
        let s = by.entry(k.clone()).or_insert_with(|| PollSplit {
            key: k,
            voters: 0,
            options: vec![0; options],
        });
        s.voters += 1;
        for &c in &v.choices {
            if let Some(n) = s.options.get_mut(c) {
                *n += 1;
            }
        }
    }
    let mut out: Vec<PollSplit> = by.into_values().collect();
    out.sort_by(|a, b| b.voters.cmp(&a.voters).then(a.key.cmp(&b.key)));
    out
}

pub(super) fn polls(input: &ReportInput) -> Vec<PollFigures> {
    let company: BTreeMap<ParticipantId, &crate::registrations::Company> = input
        .registrations
        .iter()
        .map(|r| (r.participant_id, &r.company))
        .collect();
    let mut votes: BTreeMap<PollId, Vec<&PollVote>> = BTreeMap::new();
    for v in input.votes {
        votes.entry(v.poll_id).or_default().push(v);
    }
    input
        .polls
        .iter()
        .map(|p| {
            let voters = p.voters.max(0) as u64;
            let mine = votes.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
            let n = p.options.len();
            let of = |f: fn(&crate::registrations::Company) -> &String| {
                split(mine, n, |id| company.get(&id).map(|c| f(c).clone()))
            };
            PollFigures {
                poll_id: p.id,
                voters,
                options: p
                    .counts
                    .iter()
                    .map(|&n| {
                        let n = n.max(0) as u64;
                        (n, percent(n, voters))
                    })
                    .collect(),
                by_country: of(|c| &c.country),
                by_industry: of(|c| &c.industry),
                by_size: of(|c| &c.size),
            }
        })
        .collect()
}
