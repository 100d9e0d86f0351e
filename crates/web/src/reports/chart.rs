//! Charts drawn on the server as SVG, each with the table it is made from beside it:
//! horizontal bars for groups, columns for days. One colour that keeps its contrast for
//! every kind of colour vision; the value is always written next to its bar.

/// The drawing's width in SVG units; it scales to its box.
const WIDTH: f64 = 720.0;
/// Where the bars start (the labels are to their left).
const LABEL_W: f64 = 220.0;
/// Room for the value after the longest bar.
const VALUE_W: f64 = 70.0;
const ROW_H: f64 = 26.0;
/// Labels longer than this are cut in the drawing (the table has them whole).
const LABEL_CHARS: usize = 26;

pub struct Row {
    pub label: String,
    pub short: String,
    pub value: String,
    pub y: f64,
    pub text_y: f64,
    pub width: f64,
    pub value_x: f64,
}

/// Groups as horizontal bars, largest first as given.
pub struct Bars {
    pub id: String,
    pub title: String,
    pub height: f64,
    pub label_w: f64,
    pub rows: Vec<Row>,
}

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
        format!("{cut}…")
    }
}

/// Bars for `(label, count, shown)`: `shown` is the value as written (a count, or a
/// count with its share).
pub fn bars(id: &str, title: &str, items: &[(String, u64, String)]) -> Bars {
    let max = items.iter().map(|(_, n, _)| *n).max().unwrap_or(0).max(1) as f64;
    let span = WIDTH - LABEL_W - VALUE_W;
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, (label, n, shown))| {
            let y = i as f64 * ROW_H;
            let width = (*n as f64 / max * span).max(if *n > 0 { 2.0 } else { 0.0 });
            Row {
                label: label.clone(),
                short: short(label),
                value: shown.clone(),
                y: y + 4.0,
                text_y: y + 17.0,
                width,
                value_x: LABEL_W + width + 6.0,
            }
        })
        .collect();
    Bars {
        id: id.to_string(),
        title: title.to_string(),
        height: (items.len().max(1) as f64) * ROW_H + 4.0,
        label_w: LABEL_W - 8.0,
        rows,
    }
}

pub struct Column {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    pub title: String,
}

pub struct Tick {
    pub x: f64,
    pub label: String,
}

/// Values over time as columns, with a few labelled ticks.
pub struct Columns {
    pub title: String,
    pub columns: Vec<Column>,
    pub ticks: Vec<Tick>,
    pub max: u64,
}

const COLUMNS_H: f64 = 140.0;

/// Columns for `(tick label, value, tooltip)`.
pub fn columns(title: &str, items: &[(String, u64, String)]) -> Columns {
    let max = items.iter().map(|(_, n, _)| *n).max().unwrap_or(0).max(1);
    let n = items.len().max(1) as f64;
    let width = WIDTH / n;
    let every = (items.len() / 8).max(1);
    Columns {
        title: title.to_string(),
        columns: items
            .iter()
            .enumerate()
            .map(|(i, (_, v, tip))| {
                let height = *v as f64 / max as f64 * (COLUMNS_H - 20.0);
                Column {
                    x: i as f64 * width + 1.0,
                    y: COLUMNS_H - 20.0 - height,
                    width: (width - 2.0).max(1.0),
                    height,
                    title: tip.clone(),
                }
            })
            .collect(),
        ticks: items
            .iter()
            .enumerate()
            .filter(|(i, _)| i % every == 0)
            .map(|(i, (label, _, _))| Tick {
                x: i as f64 * width + 2.0,
                label: label.clone(),
            })
            .collect(),
        max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_keep_small_ones_visible() {
        let b = bars(
            "c",
            "Countries",
            &[
                ("Deutschland".into(), 60, "60".into()),
                ("Österreich".into(), 1, "1".into()),
                ("Schweiz".into(), 0, "0".into()),
            ],
        );
        assert_eq!(b.rows[0].width, WIDTH - LABEL_W - VALUE_W);
        assert!(b.rows[1].width >= 2.0);
        assert_eq!(b.rows[2].width, 0.0);
        assert_eq!(b.height, 3.0 * ROW_H + 4.0);
        let long = bars("l", "", &[("x".repeat(40), 1, "1".into())]);
        assert_eq!(long.rows[0].short.chars().count(), LABEL_CHARS);
    }

    #[test]
    fn columns_label_about_eight_ticks() {
        let items: Vec<(String, u64, String)> = (0..40)
            .map(|i| (format!("{i}"), i, String::new()))
            .collect();
        let c = columns("Days", &items);
        assert_eq!(c.columns.len(), 40);
        assert_eq!(c.ticks.len(), 8);
        assert_eq!(c.max, 39);
    }
}
