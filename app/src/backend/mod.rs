//! Server-only code: database access, application state and content loading.

pub mod auth;
pub mod bank;
pub mod batch;
pub mod charts;
pub mod content;
pub mod csp;
pub mod dashboard;
pub mod db;
pub mod exams;
pub mod groups;
pub mod integrity;
pub mod learner;
pub mod memory;
pub mod progress;
pub mod questions;
pub mod reports;
pub mod review;
pub mod search;
pub mod state;
