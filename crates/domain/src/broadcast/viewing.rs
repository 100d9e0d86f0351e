//! Viewing: players' heartbeats folded into intervals, and the attendance measured from
//! them.
//!
//! A heartbeat says "playing now" and comes every [`CADENCE_S`] seconds while the picture
//! plays in a visible tab. The server stamps it with its own clock, and a viewer's beats
//! closer than [`JOIN_S`] to each other belong to one interval; so an interval's length is
//! time seen playing, a repeated or late beat falls inside an interval it already
//! extended, and no order of arrival changes the result (single-linkage over the beats).

use crate::Lang;
use crate::validation::Checker;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How often a playing page sends a heartbeat.
pub const CADENCE_S: i64 = 60;
/// Beats at most this far apart belong to one interval (the cadence and its jitter).
pub const JOIN_S: i64 = 90;
/// A viewer's beats closer than this to their previous one are ignored, and counted: a
/// page hidden and shown again sends one each time, a faster sender is not a player.
pub const MIN_GAP_S: i64 = 10;
/// Width of the concurrent-viewers buckets.
pub const BUCKET_S: i64 = 300;
/// The most buckets a summary has: a week of five minutes. A longer event gets wider
/// buckets, so that the summary stays the same size however long an event is.
pub const MAX_BUCKETS: i64 = 7 * 24 * 12;
/// Default minutes of viewing that make a registration "attended".
pub const ATTENDED_MINUTES: i64 = 10;
/// A viewer who leaves a session before this share of it is an early leaver.
pub const EARLY_LEAVE_SHARE: f64 = 0.8;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Live,
    Replay,
}

impl Mode {
    pub fn code(self) -> &'static str {
        match self {
            Mode::Live => "live",
            Mode::Replay => "replay",
        }
    }
    pub fn parse(code: &str) -> Option<Mode> {
        match code {
            "live" => Some(Mode::Live),
            "replay" => Some(Mode::Replay),
            _ => None,
        }
    }
}

/// A heartbeat as a page sends it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct HeartbeatInput {
    /// The agenda session whose stream plays; none for the event's own stream.
    pub session_id: Option<i64>,
    pub mode: Option<String>,
    /// Where the player is, in seconds (the replay's position; live players send theirs).
    pub position_s: Option<f64>,
    pub audio_language: Option<String>,
    pub caption_language: Option<String>,
}

/// A checked heartbeat, before the server stamps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Heartbeat {
    pub session_id: Option<i64>,
    pub mode: Mode,
    pub position_s: Option<f64>,
    pub audio_language: Option<String>,
    pub caption_language: Option<String>,
}

/// A language tag as players name their tracks (`de`, `zh-Hans`, `und`): letters, digits
/// and hyphens, at most 16, kept lower case.
fn language_tag(check: &mut Checker, field: &str, value: Option<&str>) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.len() > 16 || !value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        check.push(field, "invalid_language_tag");
        return None;
    }
    Some(value.to_ascii_lowercase())
}

impl HeartbeatInput {
    pub fn parse(&self) -> Result<Heartbeat, crate::Invalid> {
        let mut check = Checker::new();
        let mode = match self.mode.as_deref().map(str::trim) {
            None | Some("") => {
                check.push("mode", "required");
                Mode::Live
            }
            Some(code) => Mode::parse(code).unwrap_or_else(|| {
                check.push("mode", "unknown_mode");
                Mode::Live
            }),
        };
        if let Some(p) = self.position_s {
            if !p.is_finite() || !(0.0..=86_400.0 * 7.0).contains(&p) {
                check.push_range("position_s", 0, 86_400 * 7);
            }
        }
        let audio_language =
            language_tag(&mut check, "audio_language", self.audio_language.as_deref());
        let caption_language = language_tag(
            &mut check,
            "caption_language",
            self.caption_language.as_deref(),
        );
        check.finish(Heartbeat {
            session_id: self.session_id,
            mode,
            position_s: self.position_s,
            audio_language,
            caption_language,
        })
    }
}

/// One interval of viewing, in Unix seconds (a single beat is an interval of length 0:
/// the viewer was seen, no time is claimed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: i64,
    pub end: i64,
}

impl Span {
    pub fn at(t: i64) -> Span {
        Span { start: t, end: t }
    }
    pub fn seconds(self) -> i64 {
        self.end - self.start
    }
    /// Whether a beat at `t` joins this interval.
    pub fn joins(self, t: i64) -> bool {
        t >= self.start - JOIN_S && t <= self.end + JOIN_S
    }
    fn near(self, other: Span) -> bool {
        other.start <= self.end + JOIN_S && self.start <= other.end + JOIN_S
    }
    fn overlap(self, from: i64, to: i64) -> i64 {
        (self.end.min(to) - self.start.max(from)).max(0)
    }
}

/// Folds a beat at `t` into `spans` (sorted, each pair further apart than [`JOIN_S`]):
/// the beat joins the spans near it, which merge into one. Returns the merged span and
/// the indexes of the spans it replaces, so a store can update one row and delete the rest.
pub fn fold(spans: &[Span], t: i64) -> (Span, Vec<usize>) {
    let mut merged = Span::at(t);
    let mut replaced = Vec::new();
    for (i, s) in spans.iter().enumerate() {
        if s.joins(t) {
            merged.start = merged.start.min(s.start);
            merged.end = merged.end.max(s.end);
            replaced.push(i);
        }
    }
    (merged, replaced)
}

/// The spans of a set of beats, in any order: what folding them one by one gives.
pub fn spans_of(beats: &[i64]) -> Vec<Span> {
    let mut sorted = beats.to_vec();
    sorted.sort_unstable();
    let mut spans: Vec<Span> = Vec::new();
    for t in sorted {
        match spans.last_mut() {
            Some(last) if t <= last.end + JOIN_S => last.end = last.end.max(t),
            _ => spans.push(Span::at(t)),
        }
    }
    spans
}

/// Merges spans that came apart (a beat bridging two stored intervals merges them).
pub fn normalise(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_unstable();
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if last.near(s) => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// A stored interval of one registration's viewing.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewing {
    pub registration_id: i64,
    pub mode: Mode,
    pub session_id: Option<i64>,
    pub span: Span,
    pub audio_language: Option<String>,
    pub caption_language: Option<String>,
}

/// An agenda session as attendance needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    pub session_id: i64,
    pub start: i64,
    pub end: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    pub start: i64,
    pub viewers: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionViewing {
    pub session_id: i64,
    pub viewers: u64,
    pub minutes: i64,
    pub early_leavers: u64,
}

/// One registration's viewing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ViewerSummary {
    pub registration_id: i64,
    pub minutes_live: i64,
    pub minutes_replay: i64,
    pub sessions: Vec<i64>,
    /// The audio language heard longest.
    pub audio_language: Option<String>,
    pub attended: bool,
}

/// The event's attendance as measured by the players.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attendance {
    pub watching_now: u64,
    pub unique_viewers: u64,
    pub peak_concurrent: u64,
    pub peak_at: Option<i64>,
    pub attended: u64,
    pub attended_minutes: i64,
    pub minutes_live: i64,
    pub minutes_replay: i64,
    pub buckets: Vec<Bucket>,
    pub sessions: Vec<SessionViewing>,
    pub audio_languages: BTreeMap<String, u64>,
    pub early_leavers: u64,
}

/// Whole minutes of `seconds`, rounded to the nearest.
fn minutes(seconds: i64) -> i64 {
    (seconds + 30) / 60
}

/// Viewers whose live viewing reaches `now` (within the cadence's slack) are watching now.
pub fn watching_now(viewings: &[Viewing], now: i64) -> u64 {
    let mut ids: Vec<i64> = viewings
        .iter()
        .filter(|v| v.mode == Mode::Live && v.span.end >= now - JOIN_S && v.span.start <= now)
        .map(|v| v.registration_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len() as u64
}

/// Each registration's viewing, in registration order.
pub fn viewers(viewings: &[Viewing], slots: &[Slot], attended_minutes: i64) -> Vec<ViewerSummary> {
    // Grouped by sorting references rather than a map of lists: an event's summary
    // walks tens of thousands of intervals.
    let mut sorted: Vec<&Viewing> = viewings.iter().collect();
    sorted.sort_unstable_by_key(|v| v.registration_id);
    sorted
        .chunk_by(|a, b| a.registration_id == b.registration_id)
        .map(|vs| {
            let (mut live, mut replay) = (0i64, 0i64);
            let mut heard: Vec<(&str, i64)> = Vec::new();
            for v in vs {
                match v.mode {
                    Mode::Live => live += v.span.seconds(),
                    Mode::Replay => replay += v.span.seconds(),
                }
                if let Some(l) = &v.audio_language {
                    match heard.iter_mut().find(|(h, _)| *h == l.as_str()) {
                        Some((_, s)) => *s += v.span.seconds() + 1,
                        None => heard.push((l.as_str(), v.span.seconds() + 1)),
                    }
                }
            }
            let audio_language = heard
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
                .map(|(l, _)| l.to_string());
            let sessions = slots
                .iter()
                .filter(|s| {
                    vs.iter()
                        .any(|v| v.mode == Mode::Live && seen_in(v.span, s))
                })
                .map(|s| s.session_id)
                .collect();
            ViewerSummary {
                registration_id: vs[0].registration_id,
                minutes_live: minutes(live),
                minutes_replay: minutes(replay),
                sessions,
                audio_language,
                attended: minutes(live + replay) >= attended_minutes,
            }
        })
        .collect()
}

/// Whether a span counts as having watched a slot: it overlaps it, or a lone beat lies in it.
fn seen_in(span: Span, slot: &Slot) -> bool {
    span.overlap(slot.start, slot.end) > 0 || (span.start >= slot.start && span.start < slot.end)
}

/// The width of the summary's buckets for an event lasting `span` seconds: five minutes,
/// or a multiple of it that keeps them at most [`MAX_BUCKETS`].
pub fn bucket_width(span: i64) -> i64 {
    let buckets = (span.max(0) + BUCKET_S - 1) / BUCKET_S;
    if buckets <= MAX_BUCKETS {
        BUCKET_S
    } else {
        BUCKET_S * ((buckets + MAX_BUCKETS - 1) / MAX_BUCKETS)
    }
}

/// Attendance of an event running from `from` to `to` (Unix seconds), measured at `now`.
pub fn attendance(
    viewings: &[Viewing],
    slots: &[Slot],
    from: i64,
    to: i64,
    now: i64,
    attended_minutes: i64,
) -> Attendance {
    let people = viewers(viewings, slots, attended_minutes);
    attendance_of(viewings, &people, slots, (from, to), now, attended_minutes)
}

/// [`attendance`] with the viewers already summed up (by [`viewers`] over the same
/// viewing), for a caller that lists them too.
pub fn attendance_of(
    viewings: &[Viewing],
    people: &[ViewerSummary],
    slots: &[Slot],
    (from, to): (i64, i64),
    now: i64,
    attended_minutes: i64,
) -> Attendance {
    let live: Vec<&Viewing> = viewings.iter().filter(|v| v.mode == Mode::Live).collect();

    // Peak: a sweep over starts and ends; a start counts before an end at the same second
    // (a lone beat is one viewer at that instant).
    let mut edges: Vec<(i64, i8)> = Vec::with_capacity(live.len() * 2);
    for v in &live {
        edges.push((v.span.start, -1));
        edges.push((v.span.end, 1));
    }
    edges.sort_unstable();
    let (mut current, mut peak, mut peak_at) = (0i64, 0i64, None);
    for (t, kind) in edges {
        current -= i64::from(kind);
        if current > peak {
            peak = current;
            peak_at = Some(t);
        }
    }

    let span = (to - from).max(0);
    let width = bucket_width(span);
    let count = usize::try_from((span + width - 1) / width).unwrap_or(0);
    let mut last_seen: Vec<i64> = vec![i64::MIN; count];
    let mut bucket_viewers = vec![0u64; count];
    let mut sorted = live.clone();
    sorted.sort_by_key(|v| (v.registration_id, v.span.start));
    for v in &sorted {
        if count == 0 || v.span.end < from || v.span.start >= to {
            continue;
        }
        let first = ((v.span.start.max(from) - from) / width) as usize;
        let last = (((v.span.end.min(to - 1)) - from) / width) as usize;
        for b in first..=last.min(count.saturating_sub(1)) {
            if last_seen[b] != v.registration_id {
                last_seen[b] = v.registration_id;
                bucket_viewers[b] += 1;
            }
        }
    }
    let buckets = bucket_viewers
        .into_iter()
        .enumerate()
        .map(|(i, viewers)| Bucket {
            start: from + i as i64 * width,
            viewers,
        })
        .collect();

    let mut early_total = 0;
    let sessions = slots
        .iter()
        .map(|slot| {
            let mut per: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
            for v in live.iter().filter(|v| seen_in(v.span, slot)) {
                let e = per.entry(v.registration_id).or_insert((0, i64::MIN));
                e.0 += v.span.overlap(slot.start, slot.end);
                e.1 = e.1.max(v.span.end);
            }
            let cut = slot.start + ((slot.end - slot.start) as f64 * EARLY_LEAVE_SHARE) as i64;
            // Only a session that has reached its 80 % mark can have been left early.
            let early = if now >= cut {
                per.values().filter(|(_, end)| *end < cut).count() as u64
            } else {
                0
            };
            early_total += early;
            SessionViewing {
                session_id: slot.session_id,
                viewers: per.len() as u64,
                minutes: minutes(per.values().map(|(s, _)| s).sum()),
                early_leavers: early,
            }
        })
        .collect();

    let mut audio_languages = BTreeMap::new();
    for p in people {
        if let Some(l) = &p.audio_language {
            *audio_languages.entry(l.clone()).or_insert(0) += 1;
        }
    }
    Attendance {
        watching_now: watching_now(viewings, now),
        unique_viewers: people.len() as u64,
        peak_concurrent: peak as u64,
        peak_at,
        attended: people.iter().filter(|p| p.attended).count() as u64,
        attended_minutes,
        minutes_live: people.iter().map(|p| p.minutes_live).sum(),
        minutes_replay: people.iter().map(|p| p.minutes_replay).sum(),
        buckets,
        sessions,
        audio_languages,
        early_leavers: early_total,
    }
}

/// The interface languages a player starts on: the participant's, if the stream has it.
pub fn preferred_track(tracks: &[String], reader: Lang) -> Option<usize> {
    tracks.iter().position(|t| {
        t.split('-')
            .next()
            .is_some_and(|p| p.eq_ignore_ascii_case(reader.code()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn fold_one_by_one(beats: &[i64]) -> Vec<Span> {
        let mut spans: Vec<Span> = Vec::new();
        for &t in beats {
            let (merged, replaced) = fold(&spans, t);
            for i in replaced.into_iter().rev() {
                spans.remove(i);
            }
            spans.push(merged);
            spans.sort_unstable();
        }
        spans
    }

    proptest! {
        #[test]
        fn order_and_repeats_change_nothing(mut beats in proptest::collection::vec(0i64..4_000, 1..60), seed in any::<u64>()) {
            let expected = spans_of(&beats);
            prop_assert_eq!(fold_one_by_one(&beats), expected.clone());
            // Shuffle (a deterministic permutation from the seed) and repeat some beats.
            let n = beats.len();
            for i in 0..n {
                let j = (seed.wrapping_mul(i as u64 + 7) % n as u64) as usize;
                beats.swap(i, j);
            }
            let again: Vec<i64> = beats.iter().take(n / 2).copied().collect();
            beats.extend(again);
            prop_assert_eq!(fold_one_by_one(&beats), expected.clone());
            prop_assert_eq!(normalise(expected.clone()), expected.clone());
            // Never overlapping, never longer than the wall time the beats cover.
            for pair in expected.windows(2) {
                prop_assert!(pair[0].end + JOIN_S < pair[1].start);
            }
            let (lo, hi) = (beats.iter().min().copied().unwrap_or(0), beats.iter().max().copied().unwrap_or(0));
            prop_assert!(expected.iter().map(|s| s.seconds()).sum::<i64>() <= hi - lo);
        }
    }

    fn live(reg: i64, start: i64, end: i64, lang: &str) -> Viewing {
        Viewing {
            registration_id: reg,
            mode: Mode::Live,
            session_id: None,
            span: Span { start, end },
            audio_language: Some(lang.into()),
            caption_language: None,
        }
    }

    #[test]
    fn attendance_counts_people_minutes_sessions_and_languages() {
        let slots = [
            Slot {
                session_id: 1,
                start: 0,
                end: 1_800,
            },
            Slot {
                session_id: 2,
                start: 1_800,
                end: 3_600,
            },
        ];
        let mut replay = live(3, 10_000, 10_600, "de");
        replay.mode = Mode::Replay;
        let viewings = vec![
            live(1, 0, 3_600, "de"),
            live(2, 600, 900, "zh"),
            live(3, 2_000, 2_000, "zh"),
            replay,
        ];
        let a = attendance(&viewings, &slots, 0, 3_600, 3_650, 10);
        assert_eq!(a.unique_viewers, 3);
        assert_eq!(a.peak_concurrent, 2);
        assert_eq!(a.minutes_live, 65);
        assert_eq!(a.minutes_replay, 10);
        assert_eq!(
            a.attended, 2,
            "60 live minutes, and 10 replay minutes, reach the threshold"
        );
        assert_eq!(a.watching_now, 1);
        assert_eq!(a.buckets.len(), 12);
        assert_eq!(a.buckets[0].viewers, 1);
        assert_eq!(a.buckets[2].viewers, 2);
        assert_eq!(a.sessions[0].viewers, 2);
        assert_eq!(
            a.sessions[0].early_leavers, 1,
            "viewer 2 left at 15 of 30 minutes"
        );
        assert_eq!(
            a.sessions[1].viewers, 2,
            "a lone beat inside the session counts its viewer"
        );
        assert_eq!(a.audio_languages.get("zh"), Some(&1));
        assert_eq!(a.audio_languages.get("de"), Some(&2));
    }

    #[test]
    fn a_century_long_event_still_has_at_most_a_week_of_buckets() {
        let century = 100 * 365 * 86_400;
        let a = attendance(&[live(1, 0, 600, "de")], &[], 0, century, 700, 10);
        assert!(a.buckets.len() as i64 <= MAX_BUCKETS);
        assert_eq!(a.buckets[0].viewers, 1);
        assert_eq!(bucket_width(3 * 3600), BUCKET_S);
    }

    #[test]
    fn heartbeats_are_checked() {
        let bad = HeartbeatInput {
            mode: Some("vod".into()),
            position_s: Some(-1.0),
            audio_language: Some("de<script>".into()),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .parse()
            .expect_err("invalid")
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, vec!["mode", "position_s", "audio_language"]);
        let ok = HeartbeatInput {
            mode: Some("live".into()),
            audio_language: Some("zh-Hans".into()),
            ..Default::default()
        };
        assert_eq!(
            ok.parse().map(|h| h.audio_language),
            Ok(Some("zh-hans".into()))
        );
    }
}
