//! Captions of a recording: an uploaded WebVTT file, read by a WebVTT parser.

/// The largest captions file, in bytes: hours of dense subtitles fit.
pub const CAPTIONS_MAX_BYTES: usize = 2 * 1024 * 1024;

/// Checks an uploaded WebVTT file with a WebVTT parser; the error names the line
/// (`invalid_webvtt`, its `limit` is the line number) or the cue whose end is not after
/// its start (`cue_ends_before_start`, `limit` the cue's number from 1).
pub fn check_captions(text: &str) -> Result<usize, crate::FieldError> {
    use crate::FieldError;
    if text.len() > CAPTIONS_MAX_BYTES {
        return Err(FieldError::limited("vtt", "too_large", CAPTIONS_MAX_BYTES));
    }
    // The parser wants the cues to be followed by a line break.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let owned;
    let text = if text.ends_with('\n') {
        text
    } else {
        owned = format!("{text}\n");
        &owned
    };
    let vtt = webvtt_parser::Vtt::parse(text)
        .map_err(|_| FieldError::limited("vtt", "invalid_webvtt", first_bad_line(text)))?;
    // A file of only a header is no captions at all.
    if vtt.cues.is_empty() {
        return Err(FieldError::new("vtt", "no_cues"));
    }
    for (i, cue) in vtt.cues.iter().enumerate() {
        if cue.end.as_milliseconds() <= cue.start.as_milliseconds() {
            return Err(FieldError::limited("vtt", "cue_ends_before_start", i + 1));
        }
    }
    Ok(vtt.cues.len())
}

/// The line where a WebVTT file stops being readable. The parser reports where it gave
/// up, often past the broken cue; so the file is cut into its blank-line separated blocks
/// and the longest readable prefix found by bisection: the block after it is the broken
/// one, and its timing line (or its first line) is named.
fn first_bad_line(text: &str) -> usize {
    let mut blocks: Vec<(usize, usize)> = Vec::new(); // (byte offset, line number)
    let mut line_no = 0;
    let mut offset = 0;
    let mut in_block = false;
    for line in text.split_inclusive('\n') {
        line_no += 1;
        let blank = line.trim().is_empty();
        if !blank && !in_block {
            blocks.push((offset, line_no));
        }
        in_block = !blank;
        offset += line.len();
    }
    let readable = |k: usize| {
        let end = blocks.get(k).map_or(text.len(), |b| b.0);
        let prefix = &text[..end];
        let mut owned = prefix.trim_end().to_string();
        owned.push('\n');
        webvtt_parser::Vtt::parse(&owned).is_ok()
    };
    // Blocks 0..k read well; the header alone (k = 1) may not, then it is the header.
    let (mut lo, mut hi) = (1usize, blocks.len());
    if !readable(1) {
        return 1;
    }
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if readable(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let Some(&(start, first)) = blocks.get(lo) else {
        return line_no.max(1);
    };
    text[start..]
        .lines()
        .take_while(|l| !l.trim().is_empty())
        .position(|l| l.contains("->"))
        .map_or(first, |i| first + i)
}
