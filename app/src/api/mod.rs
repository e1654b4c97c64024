//! Server functions: the app's public endpoints. Each checks who is asking before anything else.

pub mod account;
pub mod exams;
pub mod groups;
pub mod practice;
pub mod progress;
pub mod reference;
pub mod reports;
