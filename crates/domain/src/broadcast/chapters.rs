//! Chapters of a recording, made from the agenda: each session that falls in the
//! recording is a chapter, shifted by the time the recording really started.

use serde::Serialize;

/// One chapter: its start and end in the recording, in seconds, and its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chapter {
    pub start_s: i64,
    pub end_s: i64,
    pub title: String,
    pub session_id: Option<i64>,
}

/// What keeps a chapter list from being one YouTube accepts in a video description.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChapterWarning {
    /// Fewer than three chapters.
    TooFewChapters,
    /// A chapter shorter than ten seconds.
    ChapterTooShort,
    /// No session falls in the recording.
    NoChapters,
}

impl ChapterWarning {
    pub fn code(self) -> &'static str {
        match self {
            ChapterWarning::TooFewChapters => "too_few_chapters",
            ChapterWarning::ChapterTooShort => "chapter_too_short",
            ChapterWarning::NoChapters => "no_chapters",
        }
    }
}

/// A session as the agenda gives it: Unix seconds and a title in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub session_id: i64,
    pub start: i64,
    pub end: i64,
    pub title: String,
}

/// YouTube's shortest chapter.
pub const MIN_CHAPTER_S: i64 = 10;

/// The chapters of a recording that started at `recorded_from` (Unix seconds) and lasts
/// `length_s` seconds if known. A chapter runs to the next one's start. When the first
/// session starts after the recording did, the time before it is an opening chapter
/// titled `opening`, so that the list starts at 0:00.
pub fn chapters(
    agenda: &[AgendaItem],
    recorded_from: i64,
    length_s: Option<i64>,
    opening: &str,
) -> Vec<Chapter> {
    let mut items: Vec<&AgendaItem> = agenda
        .iter()
        .filter(|s| s.end > recorded_from && length_s.is_none_or(|l| s.start < recorded_from + l))
        .collect();
    items.sort_by_key(|s| (s.start, s.session_id));
    let mut out: Vec<Chapter> = Vec::new();
    for s in items {
        let start = (s.start - recorded_from).max(0);
        // Two sessions at one instant: the later-listed one starts its chapter there.
        if let Some(last) = out.last_mut() {
            if last.start_s == start {
                out.pop();
            }
        }
        out.push(Chapter {
            start_s: start,
            end_s: s.end - recorded_from,
            title: s.title.clone(),
            session_id: Some(s.session_id),
        });
    }
    if let Some(first) = out.first() {
        if first.start_s > 0 {
            let end = first.start_s;
            out.insert(
                0,
                Chapter {
                    start_s: 0,
                    end_s: end,
                    title: opening.to_string(),
                    session_id: None,
                },
            );
        }
    }
    let n = out.len();
    for i in 0..n {
        let next = if i + 1 < n {
            Some(out[i + 1].start_s)
        } else {
            None
        };
        let end = match (next, length_s) {
            (Some(next), _) => next,
            (None, Some(l)) => l.min(out[i].end_s.max(out[i].start_s)).max(out[i].start_s),
            (None, None) => out[i].end_s.max(out[i].start_s),
        };
        out[i].end_s = end;
    }
    out
}

/// Why a chapter list would not be accepted as YouTube chapters.
pub fn warnings(chapters: &[Chapter]) -> Vec<ChapterWarning> {
    let mut out = Vec::new();
    if chapters.is_empty() {
        out.push(ChapterWarning::NoChapters);
        return out;
    }
    if chapters.len() < 3 {
        out.push(ChapterWarning::TooFewChapters);
    }
    if chapters.iter().any(|c| c.end_s - c.start_s < MIN_CHAPTER_S) {
        out.push(ChapterWarning::ChapterTooShort);
    }
    out
}

fn clock(seconds: i64, vtt: bool) -> String {
    let (h, m, s) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    if vtt {
        format!("{h:02}:{m:02}:{s:02}.000")
    } else if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A title on one line, as both formats need it (a cue's text cannot hold `-->`).
fn one_line(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("-->", "→")
}

/// The chapters as a WebVTT file with `kind="chapters"` cues.
pub fn to_vtt(chapters: &[Chapter]) -> String {
    let mut out = String::from("WEBVTT\n");
    for (i, c) in chapters.iter().enumerate() {
        let end = c.end_s.max(c.start_s + 1);
        out.push_str(&format!(
            "\nchapter-{}\n{} --> {}\n{}\n",
            i + 1,
            clock(c.start_s, true),
            clock(end, true),
            one_line(&c.title)
        ));
    }
    out
}

/// The chapters as lines for a video description (`0:00 Title`).
pub fn to_text(chapters: &[Chapter]) -> String {
    chapters
        .iter()
        .map(|c| format!("{} {}\n", clock(c.start_s, false), one_line(&c.title)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, start: i64, end: i64, title: &str) -> AgendaItem {
        AgendaItem {
            session_id: id,
            start,
            end,
            title: title.into(),
        }
    }

    #[test]
    fn the_agenda_shifted_by_the_real_start_opens_at_zero() {
        let agenda = [
            item(1, 1_000, 1_900, "Begrüßung"),
            item(2, 1_900, 4_000, "Zwei Zonen"),
            item(3, 4_000, 5_000, "Austausch"),
            item(4, 9_000, 9_500, "after the recording"),
        ];
        let c = chapters(&agenda, 880, Some(4_300), "Beginn");
        let starts: Vec<i64> = c.iter().map(|c| c.start_s).collect();
        assert_eq!(starts, vec![0, 120, 1_020, 3_120]);
        assert_eq!(c[0].title, "Beginn");
        assert_eq!(c[3].end_s, 4_120);
        assert!(warnings(&c).is_empty());
        assert_eq!(
            to_text(&c),
            "0:00 Beginn\n2:00 Begrüßung\n17:00 Zwei Zonen\n52:00 Austausch\n"
        );
        assert!(
            to_vtt(&c).starts_with("WEBVTT\n\nchapter-1\n00:00:00.000 --> 00:02:00.000\nBeginn\n")
        );
    }

    #[test]
    fn warnings_say_what_youtube_would_refuse() {
        let c = chapters(&[item(1, 100, 105, "kurz")], 100, None, "Beginn");
        assert_eq!(
            warnings(&c),
            vec![
                ChapterWarning::TooFewChapters,
                ChapterWarning::ChapterTooShort
            ]
        );
        assert_eq!(warnings(&[]), vec![ChapterWarning::NoChapters]);
    }
}
