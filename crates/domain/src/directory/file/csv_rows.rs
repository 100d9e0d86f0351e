//! CSV: one policy a row, the localized fields as one column per language
//! (`title_de`, `title_en`…), lists separated by `;`, criteria as JSON.

use super::*;

const LOCALIZED: [&str; 5] = ["title", "summary", "body", "issuing_body", "district"];
const PLAIN: [&str; 9] = [
    "sectors",
    "benefit_types",
    "valid_from",
    "valid_until",
    "source_url",
    "parks",
    "successor",
    "criteria",
    "sample",
];

/// The header row.
pub fn header() -> Vec<String> {
    let mut h = vec!["external_id".to_string(), "slug".to_string()];
    for f in LOCALIZED {
        for l in Lang::ALL {
            h.push(format!("{f}_{}", l.code()));
        }
    }
    h.extend(PLAIN.iter().map(|s| s.to_string()));
    h
}

fn localized_of(r: &Record, field: &str) -> Localized {
    match field {
        "title" => r.title.clone(),
        "summary" => r.summary.clone(),
        "body" => r.body.clone(),
        "issuing_body" => r.issuing_body.clone(),
        _ => r
            .district
            .as_ref()
            .map(Names::localized)
            .unwrap_or_default(),
    }
}

/// The policies of a file as CSV text (cells made safe for spreadsheets).
pub fn write(file: &DirectoryFile) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header()).map_err(|e| e.to_string())?;
    for r in file
        .items
        .iter()
        .filter(|r| r.kind.as_deref() == Some("policy"))
    {
        let mut row = vec![
            r.external_id.clone().unwrap_or_default(),
            r.slug.clone().unwrap_or_default(),
        ];
        for f in LOCALIZED {
            let text = localized_of(r, f);
            for l in Lang::ALL {
                row.push(text.exact(l).to_string());
            }
        }
        row.push(r.sectors.join(";"));
        row.push(r.benefit_types.join(";"));
        row.push(r.valid_from.clone().unwrap_or_default());
        row.push(r.valid_until.clone().unwrap_or_default());
        row.push(r.source_url.clone().unwrap_or_default());
        row.push(r.parks.join(";"));
        row.push(r.successor.clone().unwrap_or_default());
        row.push(if r.criteria.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&r.criteria).map_err(|e| e.to_string())?
        });
        row.push(if r.sample {
            "true".into()
        } else {
            String::new()
        });
        let row: Vec<String> = row
            .iter()
            .map(|c| crate::text::spreadsheet_safe(c))
            .collect();
        w.write_record(&row).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Undoes the spreadsheet guard of [`write`]: a leading `'` before `=`, `+`, `-`, `@`.
fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads policies from CSV text; errors name the row (`items[n]`, counting data rows
/// from 0) and the column.
pub fn read(text: &str) -> Result<Vec<Record>, Vec<FieldError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(_) => {
            return Err(vec![FieldError::new("file", "invalid_csv")]);
        }
    };
    if !header.iter().any(|h| h == "external_id") {
        return Err(vec![FieldError::new("external_id", "required")]);
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let Ok(row) = row else {
            errors.push(error(i, "file", "invalid_csv"));
            continue;
        };
        let cell = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .and_then(|n| row.get(n))
                .map(|c| unguard(c.trim()))
                .unwrap_or("")
        };
        let localized = |f: &str| {
            Localized::from_pairs(Lang::ALL.map(|l| (l, cell(&format!("{f}_{}", l.code())))))
        };
        let district = localized("district");
        let criteria = match cell("criteria") {
            "" => Vec::new(),
            json => match serde_json::from_str(json) {
                Ok(c) => c,
                Err(_) => {
                    errors.push(error(i, "criteria", "invalid_json"));
                    Vec::new()
                }
            },
        };
        out.push(Record {
            external_id: some(cell("external_id")),
            kind: Some("policy".into()),
            slug: some(cell("slug")),
            title: localized("title"),
            summary: localized("summary"),
            body: localized("body"),
            issuing_body: localized("issuing_body"),
            district: (!district.is_empty()).then_some(Names::Many(district)),
            sectors: list(cell("sectors")),
            benefit_types: list(cell("benefit_types")),
            valid_from: some(cell("valid_from")),
            valid_until: some(cell("valid_until")),
            source_url: some(cell("source_url")),
            parks: list(cell("parks")),
            successor: some(cell("successor")),
            criteria,
            sample: cell("sample") == "true",
            ..Default::default()
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}
