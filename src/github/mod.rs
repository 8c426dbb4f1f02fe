//! GitHub integration, the parts that need no network: the sticky comment's marker, body
//! and upsert plan, the review's line comments, and the step's output and summary files.
//! The API client (`plancheck github`) builds on these.

pub mod comment;
pub mod review;
pub mod workflow;
