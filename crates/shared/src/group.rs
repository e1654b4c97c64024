//! Study groups and assignments as the browser sees them.

use serde::{Deserialize, Serialize};

/// A member's role in a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Instructor,
    Learner,
}

impl Role {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "owner" => Some(Self::Owner),
            "instructor" => Some(Self::Instructor),
            "learner" => Some(Self::Learner),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Instructor => "instructor",
            Self::Learner => "learner",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Instructor => "Instructor",
            Self::Learner => "Learner",
        }
    }

    /// Owners and instructors run the group: invites, assignments, results.
    pub fn manages(self) -> bool {
        matches!(self, Self::Owner | Self::Instructor)
    }
}

/// A group in the list of one's groups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub members: i64,
}

/// Coverage and accuracy in one exam domain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DomainProgress {
    pub domain: String,
    pub seen: i64,
    pub total: usize,
    pub answers: i64,
    pub correct: i64,
}

/// A member as the viewer may see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: i64,
    pub display_name: String,
    pub role: Role,
    pub share_progress: bool,
    /// `None` when this member keeps their progress to themselves (and the viewer is a learner).
    pub progress: Option<Vec<DomainProgress>>,
}

/// An invite (owners and instructors only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InviteView {
    pub id: i64,
    pub code: String,
    /// RFC 3339.
    pub expires_at: Option<String>,
    pub max_uses: Option<i32>,
    pub uses: i32,
    pub active: bool,
}

/// Where a member stands with an assignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentStatus {
    NotOpenYet,
    NotStarted,
    InProgress,
    Submitted,
    Overdue,
}

impl AssignmentStatus {
    pub fn label(self) -> &'static str {
        match self {
            Self::NotOpenYet => "Not open yet",
            Self::NotStarted => "Not started",
            Self::InProgress => "In progress",
            Self::Submitted => "Submitted",
            Self::Overdue => "Overdue",
        }
    }
}

/// An assignment, with the viewer's own status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssignmentView {
    pub id: i64,
    pub group_id: i64,
    pub group_name: String,
    pub title: String,
    pub questions: i32,
    pub duration_minutes: i32,
    /// RFC 3339.
    pub opens_at: String,
    pub due_at: String,
    /// The viewer's due date with any extension.
    pub my_due_at: String,
    pub attempts_allowed: i32,
    pub attempts_used: i64,
    pub review_policy: String,
    /// Drawn from the group's own questions rather than the exam's bank.
    pub group_questions: bool,
    pub status: AssignmentStatus,
    /// The viewer's open attempt, or the latest submitted one.
    pub attempt_id: Option<i64>,
    pub best_score: Option<i32>,
}

/// The group page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupView {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub my_role: Role,
    pub my_share: bool,
    pub leaderboard_on: bool,
    /// Learners may practise the group's own questions (else they are kept for assignments).
    pub members_practise: bool,
    pub members: Vec<MemberView>,
    pub invites: Vec<InviteView>,
    pub assignments: Vec<AssignmentView>,
    /// Sharing members by right answers in the last 7 days (when the owner turned it on).
    pub leaderboard: Vec<(String, i64)>,
    pub domains: Vec<(String, String)>,
    pub item_types: Vec<(String, String)>,
}

/// The assignment form, as typed (the server parses every field). Domains and item types are
/// comma-separated (empty: all); times are `YYYY-MM-DDTHH:MM`, UTC.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentInput {
    pub title: String,
    pub questions: String,
    #[serde(default)]
    pub domains: String,
    #[serde(default)]
    pub item_types: String,
    pub duration_minutes: String,
    pub opens_at: String,
    pub due_at: String,
    pub attempts_allowed: String,
    pub review_policy: String,
    /// `exam` or `group`; absent means `exam`.
    #[serde(default)]
    pub source: String,
}

/// One member's line in an assignment's results.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemberResult {
    pub user_id: i64,
    pub display_name: String,
    pub status: AssignmentStatus,
    pub attempts: i64,
    pub best_score: Option<i32>,
    pub passed: Option<bool>,
    pub time_used_secs: Option<i64>,
    /// The attempt shown in detail (the best submitted one).
    pub attempt_id: Option<i64>,
}

/// How often one option was chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionCount {
    pub option: String,
    pub text: String,
    pub correct: bool,
    pub chosen: usize,
}

/// Item analysis of one question (as Moodle's quiz statistics).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemStats {
    /// The exam objective the question tests ("3.2.4 Use ..."; empty for a group's own).
    #[serde(default)]
    pub objective: String,
    pub question_id: String,
    pub stem: String,
    pub item_type: String,
    pub attempts: usize,
    /// Mean score on the item, 0-100.
    pub facility: f64,
    /// Correlation of the item score with the rest of the test, -1..1 (needs 3+ attempts).
    pub discrimination: Option<f64>,
    pub options: Vec<OptionCount>,
}

/// An assignment's results (owners and instructors).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AssignmentResults {
    pub assignment: AssignmentView,
    pub members: Vec<MemberResult>,
    /// Domain -> mean score 0-100 over submitted attempts.
    pub domain_averages: Vec<(String, f64)>,
    /// Exam objective -> mean score 0-100 over submitted attempts.
    #[serde(default)]
    pub objective_averages: Vec<(String, f64)>,
    pub mean_score: Option<f64>,
    pub items: Vec<ItemStats>,
}

/// What a GIFT import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub imported: usize,
    /// "line N: why" for each question skipped.
    pub skipped: Vec<String>,
}

/// A question of a group's own bank.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BankItem {
    pub id: String,
    pub item_type: String,
    pub title: Option<String>,
    pub category: Option<String>,
    /// Sanitized HTML.
    pub stem_html: String,
}
