//! "Report a problem": what a learner says is wrong with a question or a reference section, and
//! the answer they get.

use serde::{Deserialize, Serialize};

/// Why something is reported.
pub const REASONS: [(&str, &str); 5] = [
    ("wrong_key", "The answer marked right is wrong"),
    ("unclear", "Unclear or ambiguous"),
    ("outdated", "Outdated (the product changed)"),
    ("typo", "Typo or formatting"),
    ("other", "Something else"),
];

/// Where a report stands.
pub const STATUSES: [(&str, &str); 3] = [
    ("open", "Open"),
    ("fixed", "Fixed"),
    ("rejected", "Not a problem"),
];

/// The most characters a report (or a reply) may have.
pub const MAX_REPORT_CHARS: usize = 2000;
/// Reports one user may file in a day.
pub const REPORTS_PER_DAY: i64 = 20;

/// The label of a reason or status value.
pub fn label(table: &[(&'static str, &'static str)], value: &str) -> String {
    table
        .iter()
        .find(|(v, _)| *v == value)
        .map_or(value.to_string(), |(_, l)| (*l).to_string())
}

/// A report, as its reporter, a site admin or a group's instructors see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub id: i64,
    /// "Question cicd-004 (version 3)" or "Page: title › heading".
    pub target: String,
    /// Where to look at it (a reference section, or practice of the question).
    pub url: String,
    pub question_id: Option<String>,
    pub page: Option<String>,
    pub reason: String,
    pub details: String,
    /// What the reporter had answered, in words ("Chose b", "Order: s2, s1, s3").
    pub answered: Option<String>,
    pub status: String,
    pub reply: String,
    /// RFC 3339.
    pub created_at: String,
    /// Who reported it (for site admins and instructors; empty for the reporter).
    pub reporter: String,
}
