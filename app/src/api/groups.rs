//! Study groups and assigned mock exams. Every function checks the caller's role in the group
//! it touches; a group the caller is not in is "not found".

use leptos::prelude::*;

use shared::error::AppError;
use shared::exam::ExamResults;
use shared::group::{
    AssignmentInput, AssignmentResults, AssignmentView, BankItem, GroupSummary, GroupView,
    ImportSummary,
};

#[cfg(feature = "ssr")]
mod server {
    use shared::error::AppError;

    /// An optional whole number from a form field ("" is none).
    pub fn optional_number(field: &str, text: &str) -> Result<Option<u32>, AppError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse()
            .map(Some)
            .map_err(|_| AppError::field(field, "Enter a whole number, or leave it empty."))
    }

    /// A comma-separated list from a form field.
    pub fn list(text: &str) -> Vec<String> {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(ToString::to_string)
            .collect()
    }
}

/// The caller's groups.
#[server(name = ListGroups, prefix = "/api", endpoint = "groups/list")]
pub async fn list_groups() -> Result<Vec<GroupSummary>, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::mine(&state.pool, &user).await
        }
        .await,
    )
}

/// Creates a group; the caller owns it.
#[server(name = CreateGroup, prefix = "/api", endpoint = "groups/create")]
pub async fn create_group(name: String, description: String) -> Result<i64, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::create(
                &state.pool,
                &user,
                &name,
                &description,
                &req.exam().meta.code,
            )
            .await
        }
        .await,
    )
}

/// A group's page.
#[server(name = GetGroup, prefix = "/api", endpoint = "groups/get")]
pub async fn get_group(id: i64) -> Result<GroupView, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            let exam = services::groups::exam_of(&state.pool, &state.content, id).await?;
            services::groups::page(&state.pool, exam, &user, id).await
        }
        .await,
    )
}

/// Creates an invite code (owners and instructors).
#[server(name = CreateInvite, prefix = "/api", endpoint = "groups/invite")]
pub async fn create_invite(
    group_id: i64,
    expires_in_days: String,
    max_uses: String,
) -> Result<String, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            let days = server::optional_number("expires_in_days", &expires_in_days)?;
            let uses = server::optional_number("max_uses", &max_uses)?;
            services::groups::create_invite(&state.pool, &user, group_id, days, uses).await
        }
        .await,
    )
}

/// Revokes an invite.
#[server(name = RevokeInvite, prefix = "/api", endpoint = "groups/revoke")]
pub async fn revoke_invite(invite_id: i64) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::revoke_invite(&state.pool, &user, invite_id).await
        }
        .await,
    )
}

/// The group an invite code leads to: (group id, name).
#[server(name = GetInvite, prefix = "/api", endpoint = "groups/invite-info")]
pub async fn get_invite(code: String) -> Result<(i64, String), AppError> {
    crate::web::respond(
        async move {
            let (req, _user) = crate::web::signed_in().await?;
            services::groups::invite_group(&req.state.pool, &code).await
        }
        .await,
    )
}

/// Joins a group with an invite code.
#[server(name = JoinGroup, prefix = "/api", endpoint = "groups/join")]
pub async fn join_group(code: String) -> Result<i64, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::join(&state.pool, &user, &code).await
        }
        .await,
    )
}

/// Leaves a group.
#[server(name = LeaveGroup, prefix = "/api", endpoint = "groups/leave")]
pub async fn leave_group(group_id: i64) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::leave(&state.pool, &user, group_id).await
        }
        .await,
    )
}

/// Deletes a group (the owner).
#[server(name = DeleteGroup, prefix = "/api", endpoint = "groups/delete")]
pub async fn delete_group(group_id: i64) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::delete(&state.pool, &user, group_id).await
        }
        .await,
    )
}

/// Makes a member an instructor or a learner (the owner).
#[server(name = SetMemberRole, prefix = "/api", endpoint = "groups/role")]
pub async fn set_member_role(group_id: i64, user_id: i64, role: String) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::set_role(&state.pool, &user, group_id, user_id, &role).await
        }
        .await,
    )
}

/// Removes a member (the owner).
#[server(name = RemoveMember, prefix = "/api", endpoint = "groups/remove")]
pub async fn remove_member(group_id: i64, user_id: i64) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::remove_member(&state.pool, &user, group_id, user_id).await
        }
        .await,
    )
}

/// Shares (or stops sharing) the caller's progress with the other learners.
#[server(name = SetShareProgress, prefix = "/api", endpoint = "groups/share")]
pub async fn set_share_progress(group_id: i64, share: bool) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::set_share(&state.pool, &user, group_id, share).await
        }
        .await,
    )
}

/// Lets learners practise the group's own questions, or keeps them for assigned exams (the
/// owner).
#[server(name = SetMembersPractise, prefix = "/api", endpoint = "groups/members-practise")]
pub async fn set_members_practise(group_id: i64, on: bool) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::set_members_practise(&state.pool, &user, group_id, on).await
        }
        .await,
    )
}

/// Turns the leaderboard on or off (the owner).
#[server(name = SetLeaderboard, prefix = "/api", endpoint = "groups/leaderboard")]
pub async fn set_leaderboard(group_id: i64, on: bool) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::set_leaderboard(&state.pool, &user, group_id, on).await
        }
        .await,
    )
}

/// Assigns a mock exam to the group (owners and instructors). The form's fields are named
/// `input[title]` and so on.
#[server(name = CreateAssignment, prefix = "/api", endpoint = "groups/assign")]
pub async fn create_assignment(group_id: i64, input: AssignmentInput) -> Result<i64, AppError> {
    crate::web::respond(
        async move {
            use services::groups::assignments::{AssignmentForm, create};
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            let form = AssignmentForm {
                title: input.title,
                questions: input.questions,
                domains: server::list(&input.domains),
                item_types: server::list(&input.item_types),
                duration_minutes: input.duration_minutes,
                opens_at: input.opens_at,
                due_at: input.due_at,
                attempts_allowed: input.attempts_allowed,
                review_policy: input.review_policy,
                source: input.source,
            };
            create(&state.pool, &state.content, &user, group_id, &form).await
        }
        .await,
    )
}

/// Gives a member extra minutes and/or a later due date.
#[server(name = ExtendAssignment, prefix = "/api", endpoint = "groups/extend")]
pub async fn extend_assignment(
    assignment_id: i64,
    user_id: i64,
    extra_minutes: String,
    due_at: String,
) -> Result<(), AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::assignments::extend(
                &state.pool,
                &user,
                assignment_id,
                user_id,
                &extra_minutes,
                &due_at,
            )
            .await
        }
        .await,
    )
}

/// The caller's assignments in all their groups.
#[server(name = MyAssignments, prefix = "/api", endpoint = "groups/my-assignments")]
pub async fn my_assignments() -> Result<Vec<AssignmentView>, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::assignments::mine(&state.pool, &user).await
        }
        .await,
    )
}

/// Starts (or resumes) the caller's attempt at an assignment.
#[server(name = StartAssignment, prefix = "/api", endpoint = "groups/start")]
pub async fn start_assignment(assignment_id: i64) -> Result<i64, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::assignments::start(
                &state.pool,
                &state.content,
                &state.question_versions,
                &user,
                assignment_id,
            )
            .await
        }
        .await,
    )
}

/// An assignment's results and item analysis (owners and instructors).
#[server(name = GetAssignmentResults, prefix = "/api", endpoint = "groups/results")]
pub async fn get_assignment_results(assignment_id: i64) -> Result<AssignmentResults, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::assignments::results(
                &state.pool,
                &state.content,
                &user,
                assignment_id,
            )
            .await
        }
        .await,
    )
}

/// A member's attempt in detail, for the group's owners and instructors.
#[server(name = GetMemberAttempt, prefix = "/api", endpoint = "groups/attempt")]
pub async fn get_member_attempt(attempt_id: i64) -> Result<ExamResults, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            let owner =
                services::groups::assignments::attempt_for_manager(&state.pool, &user, attempt_id)
                    .await?;
            services::exams::results_of(&state.pool, &state.content, owner, attempt_id).await
        }
        .await,
    )
}

/// Imports a GIFT file (its text) into the group's private bank (owners and instructors).
#[server(name = ImportGift, prefix = "/api", endpoint = "groups/import")]
pub async fn import_gift(group_id: i64, text: String) -> Result<ImportSummary, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::require_manager(&state.pool, &user, group_id).await?;
            services::bank::import(&state.pool, group_id, Some(user.user_id), &text).await
        }
        .await,
    )
}

/// The group's own questions (members who may practise them).
#[server(name = GetGroupBank, prefix = "/api", endpoint = "groups/bank")]
pub async fn get_group_bank(group_id: i64) -> Result<Vec<BankItem>, AppError> {
    crate::web::respond(
        async move {
            let (req, user) = crate::web::signed_in().await?;
            let state = &req.state;
            services::groups::ensure_may_practise(&state.pool, &user, group_id).await?;
            Ok(services::bank::group_bank(&state.pool, group_id)
                .await?
                .into_iter()
                .map(|(id, q)| BankItem {
                    id,
                    item_type: q.item_type.label().to_string(),
                    title: q.title,
                    category: q.category,
                    stem_html: q.stem_html,
                })
                .collect())
        }
        .await,
    )
}
