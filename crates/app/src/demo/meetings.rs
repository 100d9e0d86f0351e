//! The demo's 1:1 meetings: every department a host, sample requests and slots, and a
//! schedule confirmed by the scheduler.

use super::*;
use crate::{App, AppError, AppResult};
use roadshow_domain::accounts::{ParticipantAccess, Principal};

impl App {
    /// Meeting booking on the event: every department a host (one district away for the
    /// first slot of each afternoon), two afternoons in Beijing
    /// (mornings in Germany), sample requests and slots from the first sample companies,
    /// and a confirmed schedule made by the scheduler, so that every meetings page shows
    /// what it is for.
    pub(super) async fn demo_meetings(
        &self,
        organiser: &Principal,
        registrations: &[roadshow_domain::registrations::Registration],
        departments: &[roadshow_domain::departments::Department],
    ) -> AppResult<()> {
        use roadshow_domain::meetings::{BookingInput, HostInput, RequestInput};
        let event = self
            .store
            .event_by_slug(EVENT_SLUG)
            .await?
            .ok_or(AppError::NotFound)?;
        let zone = event.zone();
        let day = event.starts_at.with_timezone(&zone).date_naive();
        let days = [
            day + chrono::Duration::days(1),
            day + chrono::Duration::days(2),
        ];
        let input = BookingInput {
            days: days
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            day_start: "15:00".into(),
            day_end: "18:00".into(),
            slot_minutes: Some(30),
            break_minutes: Some(10),
            max_per_company: Some(3),
            request_deadline: roadshow_domain::time::to_local_input(event.starts_at, zone),
            video_link: "https://meet.roadshow.example/two-zones/{meeting}".into(),
            hosts: departments
                .iter()
                .enumerate()
                .map(|(i, d)| HostInput {
                    department_id: d.id.0,
                    capacity: if i == 0 { 3 } else { 2 },
                    // One district cannot make the first slot of either afternoon.
                    unavailable: if i == 3 {
                        booking_days_first_slots(&days, zone)
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
        };
        let booking = self
            .meetings()
            .save_booking(organiser, EVENT_SLUG, &input)
            .await?;
        let slots = booking.slots(zone);
        const TOPICS: [&str; 6] = [
            "Standortsuche für eine Fertigung (Beispiel)",
            "Förderung für Forschung und Entwicklung (Beispiel)",
            "Marktzugang im Rahmen der \"zwei Zonen\" (Beispiel)",
            "Fachkräfte und Visa (Beispiel)",
            "Gründung einer Vertriebsgesellschaft (Beispiel)",
            "Flächen im Industriepark (Beispiel)",
        ];
        const PRIORITIES: [&str; 3] = ["must", "want", "nice"];
        for (i, r) in registrations.iter().take(24).enumerate() {
            let who = Principal::Participant(ParticipantAccess {
                registration_id: r.id,
                participant_id: r.participant_id,
                event_id: event.id,
            });
            for k in 0..(2 + i % 2) {
                let d = &departments[(i * 2 + k * 3) % departments.len()];
                let ask = RequestInput {
                    department_id: d.id.0,
                    priority: PRIORITIES[(i + k) % 3].into(),
                    topic: TOPICS[(i + k) % TOPICS.len()].into(),
                };
                self.meetings().request(&who, EVENT_SLUG, &ask).await?;
            }
            // Some can make the first afternoon, some the second, some both.
            let marked: Vec<String> = slots
                .iter()
                .enumerate()
                .filter(|(j, _)| match i % 3 {
                    0 => *j < slots.len() / 2,
                    1 => *j >= slots.len() / 2,
                    _ => j % 2 == 0,
                })
                .map(|(_, s)| s.starts_at.timestamp().to_string())
                .collect();
            self.meetings()
                .set_availability(&who, EVENT_SLUG, &marked)
                .await?;
        }
        // The hosts' own interest: the first department asks two more companies.
        for r in registrations.iter().skip(24).take(2) {
            let ask = roadshow_domain::meetings::InvitationInput {
                department_id: departments[0].id.0,
                participant_id: r.participant_id.0,
                topic: "Vorstellung der Förderpolitik (Beispiel)".into(),
            };
            self.meetings().invite(organiser, EVENT_SLUG, &ask).await?;
            let who = Principal::Participant(ParticipantAccess {
                registration_id: r.id,
                participant_id: r.participant_id,
                event_id: event.id,
            });
            let marked: Vec<String> = slots
                .iter()
                .map(|s| s.starts_at.timestamp().to_string())
                .collect();
            self.meetings()
                .set_availability(&who, EVENT_SLUG, &marked)
                .await?;
        }
        let proposal = self
            .meetings()
            .propose_within(organiser, EVENT_SLUG, true, 500)
            .await?;
        self.meetings()
            .confirm_and_tell(
                organiser,
                EVENT_SLUG,
                &proposal.scheduled.output.meetings,
                None,
                false,
            )
            .await?;
        Ok(())
    }
}

/// The first slot (15:00 in Beijing) of each demo meeting day, as slot ids.
fn booking_days_first_slots<Z: chrono::TimeZone>(
    days: &[chrono::NaiveDate],
    zone: Z,
) -> Vec<String> {
    days.iter()
        .filter_map(|d| d.and_hms_opt(15, 0, 0))
        .filter_map(|t| zone.from_local_datetime(&t).earliest())
        .map(|t| t.timestamp().to_string())
        .collect()
}
