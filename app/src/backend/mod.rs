//! Server-only code: database access, application state and content loading.

pub mod content;
pub mod db;
pub mod progress;
pub mod questions;
pub mod search;
pub mod state;
