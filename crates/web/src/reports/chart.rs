//! Charts drawn on the server as SVG, each with the table it is made from beside it:
//! horizontal bars for groups (a row per group: its name, a bar, its value, so the names
//! wrap and stay legible on a phone), columns for days. One colour that keeps its
//! contrast for every kind of colour vision; the value is always written by its bar.

/// The drawing's width in SVG units; it scales to its box.
const WIDTH: f64 = 720.0;

pub struct Row {
    pub label: String,
    pub value: String,
    /// The bar's length in per cent of the longest.
    pub width: f64,
}

/// Groups as horizontal bars, largest first as given.
pub struct Bars {
    pub id: String,
    pub title: String,
    pub rows: Vec<Row>,
}

/// Bars for `(label, count, shown)`: `shown` is the value as written (a count, or a
/// count with its share).
pub fn bars(id: &str, title: &str, items: &[(String, u64, String)]) -> Bars {
    let max = items.iter().map(|(_, n, _)| *n).max().unwrap_or(0).max(1) as f64;
    Bars {
        id: id.to_string(),
        title: title.to_string(),
        rows: items
            .iter()
            .map(|(label, n, shown)| Row {
                label: label.clone(),
                value: shown.clone(),
                // A group of one stays visible beside a group of thousands.
                width: ((*n as f64 / max) * 100.0).max(if *n > 0 { 0.8 } else { 0.0 }),
            })
            .collect(),
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
    // A few days do not fill the width with one block: a column is at most 48 wide.
    let width = (WIDTH / items.len().max(1) as f64).min(48.0);
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
        assert_eq!(b.rows[0].width, 100.0);
        assert!(b.rows[1].width > 0.5 && b.rows[1].width < 2.0);
        assert_eq!(b.rows[2].width, 0.0);
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
