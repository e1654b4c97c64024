//! Types shared by the server and the browser (wasm-safe: no server-only crates here).

pub mod account;
pub mod error;
pub mod exam;
pub mod exam_choice;
pub mod group;
pub mod practice;
pub mod progress;
pub mod question;
pub mod reference;
pub mod report;
pub mod review;
pub mod routes;
pub mod text;
pub mod theme;
pub mod when;
