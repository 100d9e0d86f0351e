//! What the directory learns of its readers' interest: a participant's reading and
//! eligibility checks recorded as signals, and the names the report shows them by.

use super::{Directory, Match};
use crate::{AppResult, Principal};
use roadshow_domain::directory::eligibility::Status;
use roadshow_domain::ids::*;
use roadshow_domain::localized::Localized;
use roadshow_domain::signals::SignalKind;

/// Policies' and parks' slugs and names by id.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub policies: std::collections::BTreeMap<i64, (String, Localized)>,
    pub parks: std::collections::BTreeMap<i64, (String, Localized)>,
}

/// What a reader did in the directory that shows interest in it.
pub enum Noticed<'a> {
    Policy(PolicyId),
    Park(ParkId),
    /// Ran the eligibility check, with its answers.
    Checked(&'a [Match]),
}

impl Directory<'_> {
    /// Records what a participant read and checked in the directory as signals of their
    /// company's interest, for the event's report and the leads (nothing for anyone else).
    /// In the background: the page does not wait for it, and a failure is only logged.
    pub fn notice(&self, principal: &Principal, what: Noticed<'_>) {
        let Principal::Participant(p) = principal else {
            return;
        };
        let signals: Vec<(SignalKind, i64, i64)> = match what {
            Noticed::Policy(id) => vec![(SignalKind::PolicyViewed, id.0, 0)],
            Noticed::Park(id) => vec![(SignalKind::ParkViewed, id.0, 0)],
            Noticed::Checked(matches) => {
                // One check signal per event counting the runs, one per eligible policy.
                let mut out = vec![(SignalKind::EligibilityChecked, p.event_id.0, 1)];
                out.extend(
                    matches
                        .iter()
                        .filter(|m| m.assessment.status == Status::Eligible)
                        .map(|m| (SignalKind::Eligible, m.policy.id.0, 0)),
                );
                out
            }
        };
        let app = self.app.clone();
        let (participant, event) = (p.participant_id, p.event_id);
        tokio::spawn(async move {
            for (kind, ref_id, amount) in signals {
                app.signals()
                    .record(participant, event, kind, ref_id, amount)
                    .await;
            }
        });
    }

    /// The slugs and titles of these policies and the slugs and names of these parks, as
    /// far as the directory has them (a deleted one is left out).
    pub async fn names(&self, policies: &[i64], parks: &[i64]) -> AppResult<Names> {
        self.fresh().await?;
        self.read(|s| Names {
            policies: policies
                .iter()
                .filter_map(|id| s.policies.get(id))
                .map(|p| (p.id.0, (p.slug.clone(), p.title.clone())))
                .collect(),
            parks: parks
                .iter()
                .filter_map(|id| s.parks.get(id))
                .map(|p| (p.id.0, (p.slug.clone(), p.name.clone())))
                .collect(),
        })
    }
}
