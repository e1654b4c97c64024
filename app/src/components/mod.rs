//! Reusable view pieces: page layout and widgets.

pub mod answer;
pub mod chart;
pub mod forms;
pub mod layout;
pub mod report;
pub mod status;
pub mod theme_toggle;
pub mod user;
