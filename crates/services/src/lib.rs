//! The server's services: every rule about accounts, practice, review, mock exams, groups,
//! assignments and reports, and the SQL behind them. No web framework here: the app's server
//! functions build a [`Request`] once and call one function of this crate; the CLI and the
//! tests call the same functions. [`State`] and [`Request`] are defined at the root: every
//! feature takes them, and the state holds the features' writers.

pub mod accounts;
pub mod auth;
pub mod bank;
pub mod batch;
pub mod charts;
pub mod dashboard;
pub mod db;
pub mod exams;
pub mod export;
pub mod groups;
pub mod integrity;
pub mod memory;
pub mod practice;
pub mod progress;
pub mod reference;
pub mod reports;
pub mod review;

mod state;

pub use state::{Inner, Request, State};
