//! PDFs typeset in the process by the typst library: no external program, no network, and
//! only the fonts embedded in the binary (Noto Sans for Latin script, a Noto Sans CJK SC
//! subset for Chinese; `fonts/OFL.txt`), so every machine renders the same document.
//!
//! A document is a typst template and its data as JSON. The template reads the data with
//! `json("data.json")`; nothing of the data is spliced into markup, so a name holding `#`,
//! `]` or `$` stays text.

use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

/// The embedded fonts: the Latin sans in two weights, then the Chinese subset.
const FONT_FILES: [&[u8]; 3] = [
    include_bytes!("../fonts/NotoSans-Regular-subset.ttf"),
    include_bytes!("../fonts/NotoSans-Bold-subset.ttf"),
    include_bytes!("../fonts/NotoSansCJKsc-Regular-subset.otf"),
];

/// The font families a template names, in fallback order.
pub const FAMILIES: [&str; 2] = ["Noto Sans", "Noto Sans CJK SC"];

/// What stands for a character the fonts cannot show: visible, never a blank.
pub const REPLACEMENT: char = '\u{FFFD}';

struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Parsed once per process: the first document pays for it, later ones do not.
static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    Fonts {
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
    }
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The template has an error (a defect of Roadshow's, never of the data).
    #[error("the template does not compile: {0}")]
    Template(String),
    /// The PDF writer refused the document.
    #[error("the PDF could not be written: {0}")]
    Export(String),
}

/// A rendered document and what it could not show.
#[derive(Debug)]
pub struct Rendered {
    pub pdf: Vec<u8>,
    /// Characters of the data that no embedded font has, each shown as U+FFFD instead.
    pub missing: Vec<char>,
    pub pages: usize,
}

/// Whether some embedded font can show `c` (white space and controls need no glyph).
pub fn covers(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || FONTS
            .fonts
            .iter()
            .any(|f| f.info().coverage.contains(u32::from(c)))
}

/// The characters of `text` that no embedded font has, each once, in order of appearance.
pub fn missing_chars(text: &str) -> Vec<char> {
    let mut out = Vec::new();
    for c in text.chars() {
        if !covers(c) && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// `value` with every string's unshowable characters replaced, noting them in `missing`.
fn showable(value: &serde_json::Value, missing: &mut Vec<char>) -> serde_json::Value {
    use serde_json::Value;
    let text = |s: &str, missing: &mut Vec<char>| -> String {
        s.chars()
            .map(|c| {
                if covers(c) {
                    c
                } else {
                    if !missing.contains(&c) {
                        missing.push(c);
                    }
                    REPLACEMENT
                }
            })
            .collect()
    };
    match value {
        Value::String(s) => Value::String(text(s, missing)),
        Value::Array(items) => Value::Array(items.iter().map(|v| showable(v, missing)).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (text(k, missing), showable(v, missing)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The typst world of one document: its template, its data and the embedded fonts.
struct Document {
    main: Source,
    data: Bytes,
    data_id: FileId,
}

fn file_id(name: &str) -> FileResult<FileId> {
    let path = VirtualPath::new(name).map_err(|_| FileError::AccessDenied)?;
    Ok(RootedPath::new(VirtualRoot::Project, path).intern())
}

impl World for Document {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    /// Documents carry their own dates: the same data gives the same PDF on any day.
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

fn messages(diagnostics: &[SourceDiagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Typesets `template` with `data` (read by the template as `json("data.json")`).
pub fn render(template: &str, data: &serde_json::Value) -> Result<Rendered, PdfError> {
    let mut missing = missing_chars(template);
    if !missing.is_empty() {
        return Err(PdfError::Template(format!(
            "the template has characters no font shows: {missing:?}"
        )));
    }
    let data = showable(data, &mut missing);
    let bytes = serde_json::to_vec(&data).map_err(|e| PdfError::Template(e.to_string()))?;
    let main_id = file_id("main.typ").map_err(|e| PdfError::Template(e.to_string()))?;
    let data_id = file_id("data.json").map_err(|e| PdfError::Template(e.to_string()))?;
    let world = Document {
        main: Source::new(main_id, template.to_string()),
        data: Bytes::new(bytes),
        data_id,
    };
    let warned = typst::compile::<PagedDocument>(&world);
    // A warning names a defect of the template (an unknown font family, say): fail rather
    // than print something other than what was designed.
    let warnings: Vec<SourceDiagnostic> = warned
        .warnings
        .iter()
        .filter(|w| w.severity == Severity::Warning)
        .cloned()
        .collect();
    let document = warned
        .output
        .map_err(|errors| PdfError::Template(messages(&errors)))?;
    if !warnings.is_empty() {
        return Err(PdfError::Template(messages(&warnings)));
    }
    let pdf = typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| PdfError::Export(messages(&errors)))?;
    // Typst memoises across documents; keep only what recent ones used so a server that
    // renders many reports does not grow.
    comemo::evict(10);
    Ok(Rendered {
        pdf,
        missing,
        pages: document.pages().len(),
    })
}

#[cfg(test)]
mod tests;
