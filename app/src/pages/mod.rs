//! One module per page (route) of the site.

pub mod account;
pub mod diagrams;
pub mod exams;
pub mod glossary;
pub mod groups;
pub mod home;
pub mod not_found;
pub mod practice;
pub mod progress;
pub mod reference;
pub mod search;
