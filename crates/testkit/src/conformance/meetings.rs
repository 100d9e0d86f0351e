//! Meeting booking: the booking and its hosts, requests, availability and confirmed
//! meetings.

use super::{Fixture, at, four};
use crate::Db;
use chrono::{NaiveDate, NaiveTime};
use roadshow_domain::departments::{DepartmentDraft, DepartmentStore};
use roadshow_domain::meetings::*;

fn booking(hosts: Vec<BookingHost>) -> BookingDraft {
    BookingDraft {
        days: vec![
            NaiveDate::from_ymd_opt(2026, 3, 27).unwrap(),
            NaiveDate::from_ymd_opt(2026, 3, 30).unwrap(),
        ],
        day_start: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
        day_end: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
        slot_minutes: 30,
        break_minutes: 10,
        max_per_company: 3,
        request_deadline: at(2026, 3, 20, 10),
        video_link: Some("https://meet.example.cn/room-{meeting}".into()),
        hosts,
    }
}

pub async fn bookings_requests_availability_and_meetings_round_trip(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "two-zones").await;
    let mut departments = Vec::new();
    for slug in ["commerce", "shunyi"] {
        let d = DepartmentDraft {
            slug: slug.into(),
            kind: "district".into(),
            name: four(slug),
            description: four(""),
            website: None,
        };
        departments.push(f.store.create_department(agency.id, &d).await.unwrap().id);
    }
    assert_eq!(f.store.booking(event.id).await.unwrap(), None);
    let draft = booking(vec![BookingHost {
        department_id: departments[0],
        capacity: 2,
        unavailable: vec![at(2026, 3, 27, 7)],
    }]);
    let saved = f.store.save_booking(event.id, &draft).await.unwrap();
    assert_eq!(saved.days, draft.days);
    assert_eq!(saved.day_start, draft.day_start);
    assert_eq!(saved.request_deadline, draft.request_deadline);
    assert_eq!(saved.video_link, draft.video_link);
    assert_eq!(saved.hosts, draft.hosts);
    // Saving again replaces the hosts.
    let mut again = draft.clone();
    again.hosts = vec![
        BookingHost {
            department_id: departments[1],
            capacity: 1,
            unavailable: vec![],
        },
        BookingHost {
            department_id: departments[0],
            capacity: 3,
            unavailable: vec![at(2026, 3, 30, 8)],
        },
    ];
    again.video_link = None;
    let saved = f.store.save_booking(event.id, &again).await.unwrap();
    assert_eq!(saved.hosts.len(), 2);
    assert_eq!(saved.capacity(departments[0]), Some(3));
    assert_eq!(saved.video_link, None);

    let erika = f.register(&event, "erika@example.de", "Erika").await;
    let jean = f.register(&event, "jean@example.fr", "Jean").await;
    let ask = |department, priority, topic: &str| RequestDraft {
        department_id: department,
        priority,
        topic: topic.into(),
    };
    let first = f
        .store
        .save_meeting_request(
            event.id,
            erika.participant_id,
            &ask(departments[0], Priority::Must, "Werk in Shunyi 工厂"),
        )
        .await
        .unwrap();
    // Asking the same host again changes the request instead of adding one.
    let changed = f
        .store
        .save_meeting_request(
            event.id,
            erika.participant_id,
            &ask(departments[0], Priority::Want, "Vertrieb"),
        )
        .await
        .unwrap();
    assert_eq!(changed.id, first.id);
    assert_eq!(changed.priority, Priority::Want);
    let other = f
        .store
        .save_meeting_request(
            event.id,
            jean.participant_id,
            &ask(departments[1], Priority::Nice, "R&D"),
        )
        .await
        .unwrap();
    let requests = f.store.meeting_requests(event.id).await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].topic, "Vertrieb");

    let slots = saved.slots(event.zone());
    f.store
        .set_availability(
            event.id,
            erika.participant_id,
            &[slots[1].starts_at, slots[0].starts_at, slots[0].starts_at],
        )
        .await
        .unwrap();
    f.store
        .set_availability(event.id, jean.participant_id, &[slots[2].starts_at])
        .await
        .unwrap();
    f.store
        .set_availability(event.id, erika.participant_id, &[slots[3].starts_at])
        .await
        .unwrap();
    let available = f.store.availability(event.id).await.unwrap();
    assert_eq!(
        available,
        vec![
            (erika.participant_id, slots[3].starts_at),
            (jean.participant_id, slots[2].starts_at)
        ]
    );
    // A page of the requests, a host's, some by id; the slots of some participants.
    let page = |departments: Option<Vec<_>>, ids: Option<Vec<_>>, after, limit| RequestFilter {
        departments,
        ids,
        after,
        limit,
    };
    let read = |filter: RequestFilter| {
        let store = f.store.clone();
        async move {
            store
                .meeting_requests_where(event.id, &filter)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        read(page(None, None, None, Some(1))).await,
        requests[..1].to_vec()
    );
    assert_eq!(
        read(page(None, None, Some(first.id), Some(5))).await,
        requests[1..].to_vec()
    );
    assert_eq!(
        read(page(Some(vec![departments[1]]), None, None, None)).await,
        vec![other.clone()]
    );
    assert_eq!(
        read(page(None, Some(vec![other.id]), None, None)).await,
        vec![other.clone()]
    );
    assert!(
        read(page(Some(vec![]), None, None, None)).await.is_empty(),
        "no hosts, none"
    );
    assert_eq!(
        f.store
            .availability_of(event.id, &[jean.participant_id])
            .await
            .unwrap(),
        vec![(jean.participant_id, slots[2].starts_at)]
    );

    let confirmed = f
        .store
        .confirm_meetings(
            event.id,
            &[
                (first.id, slots[3].starts_at),
                (other.id, slots[2].starts_at),
            ],
        )
        .await
        .unwrap();
    assert_eq!(confirmed.len(), 2);
    let kept = confirmed
        .iter()
        .find(|m| m.request_id == first.id)
        .unwrap()
        .id;
    // Confirming again keeps the meeting that did not move, with its id.
    let again = f
        .store
        .confirm_meetings(event.id, &[(first.id, slots[3].starts_at)])
        .await
        .unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].id, kept);
    // A host's answer and a meeting's outcome are kept; a decline keeps its reason.
    let declined = HostAnswer {
        accepted: false,
        reason: "Nicht zuständig · 不负责".into(),
    };
    assert!(
        f.store
            .answer_meeting_request(other.id, Some(&declined))
            .await
            .unwrap()
    );
    let requests = f.store.meeting_requests(event.id).await.unwrap();
    let answered = requests.iter().find(|r| r.id == other.id).unwrap();
    assert_eq!(answered.host_answer.as_ref(), Some(&declined));
    assert!(!answered.schedulable());
    assert!(
        f.store
            .answer_meeting_request(other.id, None)
            .await
            .unwrap()
    );
    assert!(
        f.store
            .meeting_requests(event.id)
            .await
            .unwrap()
            .iter()
            .all(|r| r.host_answer.is_none())
    );
    let outcome = MeetingOutcome {
        held: true,
        notes: "Besuch im März\n3月参观".into(),
        follow_up: true,
    };
    assert!(f.store.record_outcome(kept, &outcome).await.unwrap());
    assert_eq!(
        f.store.meetings(event.id).await.unwrap()[0]
            .outcome
            .as_ref(),
        Some(&outcome)
    );
    assert!(
        !f.store
            .record_outcome(roadshow_domain::ids::MeetingId(999_999), &outcome)
            .await
            .unwrap()
    );
    // A reminder is claimed once; a claimed meeting is no longer due.
    let due = f
        .store
        .meetings_to_remind(
            slots[3].starts_at - chrono::Duration::hours(24),
            slots[3].starts_at,
        )
        .await
        .unwrap();
    assert_eq!(due.iter().map(|m| m.id).collect::<Vec<_>>(), vec![kept]);
    assert!(
        f.store
            .claim_reminder(kept, at(2026, 3, 29, 9))
            .await
            .unwrap()
    );
    assert!(
        !f.second()
            .await
            .claim_reminder(kept, at(2026, 3, 29, 9))
            .await
            .unwrap()
    );
    assert!(
        f.store
            .meetings_to_remind(
                slots[3].starts_at - chrono::Duration::hours(24),
                slots[3].starts_at
            )
            .await
            .unwrap()
            .is_empty()
    );
    // Only its own participant may withdraw a request; its meeting goes with it.
    assert!(
        !f.store
            .withdraw_meeting_request(jean.participant_id, first.id)
            .await
            .unwrap()
    );
    assert!(
        f.store
            .withdraw_meeting_request(erika.participant_id, first.id)
            .await
            .unwrap()
    );
    assert!(f.store.meetings(event.id).await.unwrap().is_empty());
    assert_eq!(f.store.meeting_requests(event.id).await.unwrap().len(), 1);

    // A host asks a company itself: a request marked as the host's; on a request the
    // company already made it adds the host's interest and keeps the company's words.
    let invited = f
        .store
        .invite(
            event.id,
            erika.participant_id,
            &ask(departments[1], Priority::Want, "Präsentation der Förderung"),
        )
        .await
        .unwrap();
    assert!(invited.from_host);
    assert_eq!(
        (invited.participant_id, invited.department_id),
        (erika.participant_id, departments[1])
    );
    assert_eq!(invited.topic, "Präsentation der Förderung");
    let both = f
        .second()
        .await
        .invite(
            event.id,
            jean.participant_id,
            &ask(departments[1], Priority::Want, "Einladung"),
        )
        .await
        .unwrap();
    assert_eq!(both.id, other.id);
    assert!(both.from_host);
    assert_eq!(
        (both.topic.as_str(), both.priority),
        ("R&D", Priority::Nice)
    );
    let requests = f.store.meeting_requests(event.id).await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(requests.iter().all(|r| r.from_host));
}
