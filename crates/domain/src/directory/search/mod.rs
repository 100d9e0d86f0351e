//! Search over the directory in four languages and across them. See `index` for the
//! index, `analyze` for how text becomes terms and `glossary` for the concepts that
//! bridge the languages.

pub mod analyze;
pub mod glossary;
pub mod index;

pub use analyze::Analyzer;
pub use glossary::Concept;
pub use index::{Document, Facets, Hit, Index, Kind, Query, QueryError, Results};
