//! The directory on the wire.

mod items;
mod search;

pub use items::*;
pub use search::*;
