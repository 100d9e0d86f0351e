//! The Store conformance suite on SQLite and PostgreSQL: one module per capability in
//! `src/conformance`, every test run on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

roadshow_testkit::conformance!(
    accounts::agencies_round_trip_and_slugs_are_unique,
    accounts::accounts_round_trip_and_emails_are_unique,
    accounts::api_tokens_and_sign_in_sessions,
    departments::departments_round_trip_per_agency,
    events::events_round_trip_with_every_field,
    events::sessions_keep_their_links_speakers_and_materials,
    materials::links_and_files_round_trip,
    catalogue::policies_and_stories_round_trip,
    catalogue::parks_keep_their_area_exactly_and_their_policies_in_order,
    registrations::registrations_round_trip_with_their_email,
    registrations::searching_ignores_case_in_every_script,
    registrations::a_group_of_registrations_commits_together_and_fails_alone,
    outbox::emails_are_claimed_once_and_recorded,
    outbox::a_claim_left_by_a_dead_process_runs_out,
    questions::questions_are_moderated_with_versions_and_live_events,
    questions::votes_count_once_and_merges_move_them,
    questions::answers_are_kept_with_their_email,
    polls::polls_take_one_answer_per_participant_while_open,
    limits::limit_counters_count_once_per_hit_across_stores,
    live::the_session_on_now_is_announced,
    live::the_log_keeps_a_bounded_replay_window,
    live::numbers_and_votes_hold_under_concurrent_writers,
    meetings::bookings_requests_availability_and_meetings_round_trip,
    surveys::surveys_go_out_once_remind_once_and_keep_answers,
    signals::signals_are_kept_once_and_attendance_adds_up,
    leads::leads_record_every_change_and_hold_tasks_and_rules,
    leads::merges_move_what_they_moved_back_on_undo,
    migrations::links_and_accounts_are_carried_over,
);
