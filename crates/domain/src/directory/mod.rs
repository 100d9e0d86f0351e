//! The directory: the agency's whole offer (policies, parks, success stories) searchable
//! in four languages and across them, policies' eligibility criteria matched against a
//! company's profile, every version of a policy kept, and a file format to import and
//! export it all.

pub mod eligibility;
pub mod file;
pub mod search;
pub mod versions;

pub use eligibility::{Assessment, Criterion, CriterionInput, Field, Op, Profile, Status};
