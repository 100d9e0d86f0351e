//! The directory on the wire.

mod eligibility;
mod file;
mod item_inputs;
mod items;
mod search;

pub use eligibility::*;
pub use file::*;
pub use item_inputs::*;
pub use items::*;
pub use search::*;
