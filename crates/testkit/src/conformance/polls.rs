//! Polls and their votes.

use super::{Fixture, four};
use crate::Db;
use roadshow_domain::live::{Audience, LiveKind, LiveStore, PollLive};
use roadshow_domain::polls::*;
use roadshow_domain::store::StoreError;

pub async fn polls_take_one_answer_per_participant_while_open(db: Db) {
    let f = Fixture::new(db).await;
    let agency = f.agency("a").await;
    let event = f.event(&agency, "e").await;
    let a = f.register(&event, "a@x.de", "A").await;
    let b = f.register(&event, "b@x.de", "B").await;
    let draft = PollDraft {
        question: four("Welche Branche?"),
        options: vec![four("Auto"), four("Bio"), four("KI")],
        multiple: true,
        session_id: None,
    };
    let poll = f
        .store
        .create_poll(event.id, &draft, PollLive::Changed(LiveKind::PollOpened))
        .await
        .unwrap();
    assert_eq!(
        (poll.state, poll.options.len(), poll.question.clone()),
        (PollState::Draft, 3, four("Welche Branche?"))
    );
    // A draft is told to staff only.
    let log = f.store.live_events(event.id, 0, 10).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.audience).collect::<Vec<_>>(),
        [Audience::Staff]
    );
    let early = f
        .store
        .vote_poll(poll.id, a.participant_id, &[0], PollLive::Voted)
        .await;
    assert!(
        matches!(early, Err(StoreError::Conflict("poll_not_open"))),
        "{early:?}"
    );
    f.store
        .set_poll_state(
            poll.id,
            PollState::Open,
            false,
            PollLive::Changed(LiveKind::PollOpened),
        )
        .await
        .unwrap();
    f.store
        .vote_poll(poll.id, a.participant_id, &[0, 2], PollLive::Voted)
        .await
        .unwrap();
    f.store
        .vote_poll(poll.id, b.participant_id, &[2], PollLive::Voted)
        .await
        .unwrap();
    // Voting again replaces the earlier choice.
    let counted = f
        .store
        .vote_poll(poll.id, a.participant_id, &[1], PollLive::Voted)
        .await
        .unwrap();
    assert_eq!((counted.counts.clone(), counted.voters), (vec![0, 1, 1], 2));
    assert_eq!(f.store.poll(poll.id).await.unwrap(), Some(counted));
    assert_eq!(
        f.store
            .poll_choices(event.id, a.participant_id)
            .await
            .unwrap(),
        vec![(poll.id, vec![1])]
    );
    let closed = f
        .store
        .set_poll_state(
            poll.id,
            PollState::Closed,
            true,
            PollLive::Changed(LiveKind::PollClosed),
        )
        .await
        .unwrap();
    assert!(closed.results_shown);
    let late = f
        .store
        .vote_poll(poll.id, b.participant_id, &[0], PollLive::Voted)
        .await;
    assert!(
        matches!(late, Err(StoreError::Conflict("poll_not_open"))),
        "{late:?}"
    );
    assert_eq!(f.store.polls(event.id).await.unwrap().len(), 1);
    assert!(matches!(
        f.store
            .set_poll_state(PollId(77_777), PollState::Open, false, PollLive::Voted)
            .await,
        Err(StoreError::NotFound)
    ));
}
