//! Study groups: members and roles, invites, progress sharing and the leaderboard.
//!
//! Who may do what: any signed-in user creates a group and owns it. Members see each other's
//! names; a learner's progress is visible to other learners only if they share it, and always
//! to the owner and instructors. Only the owner changes roles, removes members and turns the
//! leaderboard on; owners and instructors manage invites and assignments. A site admin has no
//! powers inside groups they are not a member of. A non-member gets "not found" for a group.

pub mod assignments;
mod invites;

pub use invites::{create_invite, invite_group, join, revoke_invite};

use std::collections::BTreeMap;

use anyhow::Context;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use sqlx::PgPool;

use super::auth::User;
use super::db::rfc3339;
use content::{ContentStore, ExamPack};
use shared::error::AppError;
use shared::group::{DomainProgress, GroupSummary, GroupView, InviteView, MemberView, Role};

/// The viewer's role in a group, or "not found" (non-members learn nothing, not even that the
/// group exists).
pub async fn role(pool: &PgPool, user: &User, group_id: i64) -> Result<Role, AppError> {
    let role = sqlx::query_scalar!(
        "select role from group_member where group_id = $1 and user_id = $2",
        group_id,
        user.user_id,
    )
    .fetch_optional(pool)
    .await?;
    role.as_deref()
        .and_then(Role::parse)
        .ok_or(AppError::NotFound)
}

/// The viewer must be the group's owner.
pub async fn require_owner(pool: &PgPool, user: &User, group_id: i64) -> Result<(), AppError> {
    if role(pool, user, group_id).await? == Role::Owner {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The viewer's role, which must be owner or instructor.
pub async fn require_manager(pool: &PgPool, user: &User, group_id: i64) -> Result<Role, AppError> {
    let role = role(pool, user, group_id).await?;
    if role.manages() {
        Ok(role)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether the viewer may practise the group's own questions: members may, unless the owner
/// keeps them for assigned exams (then only the owner and instructors may). Non-members get
/// "not found".
pub async fn ensure_may_practise(
    pool: &PgPool,
    user: &User,
    group_id: i64,
) -> Result<(), AppError> {
    let row = sqlx::query!(
        r#"
        select m.role, g.members_practise
        from group_member m join study_group g using (group_id)
        where m.group_id = $1 and m.user_id = $2
        "#,
        group_id,
        user.user_id,
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    let manages = Role::parse(&row.role).is_some_and(Role::manages);
    if manages || row.members_practise {
        Ok(())
    } else {
        Err(AppError::Conflict(PRACTICE_OFF.to_string()))
    }
}

/// Ends the practice sets holding this group's own questions of `learners` (all learners of
/// the group when `None`): a member removed, or learners once the questions are kept for
/// assigned exams, cannot go on with what they drew before.
async fn end_sets_with_group_questions(
    conn: &mut sqlx::PgConnection,
    group_id: i64,
    learner: Option<i64>,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"
        delete from practice_set s
        where ($2::int8 is null and s.user_id in (
                  select user_id from group_member where group_id = $1 and role = 'learner')
               or s.user_id = $2)
          and exists (
              select 1 from practice_item i
              where i.user_id = s.user_id and i.question_id like 'g' || $1::bigint || '-%'
          )
        "#,
        group_id,
        learner,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// What a learner is told about a group whose questions are kept for assigned exams.
pub const PRACTICE_OFF: &str = "This group keeps its own questions for assigned exams: \
     they cannot be practised.";

/// Lets the group's learners practise its own questions, or keeps them for assigned exams
/// (the owner only).
pub async fn set_members_practise(
    pool: &PgPool,
    user: &User,
    group_id: i64,
    on: bool,
) -> Result<(), AppError> {
    require_owner(pool, user, group_id).await?;
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "update study_group set members_practise = $2 where group_id = $1",
        group_id,
        on
    )
    .execute(&mut *tx)
    .await?;
    if !on {
        end_sets_with_group_questions(&mut tx, group_id, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The exam pack a group studies (the default exam if unset or no longer served).
pub async fn exam_of<'a>(
    pool: &PgPool,
    content: &'a ContentStore,
    group_id: i64,
) -> Result<&'a ExamPack, AppError> {
    let code = sqlx::query_scalar!(
        "select exam_code from study_group where group_id = $1",
        group_id
    )
    .fetch_optional(pool)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(content.exam_or_default(code.as_deref()))
}

/// The viewer's groups that have questions of their own: (id, name, questions).
pub async fn with_own_questions(
    pool: &PgPool,
    user: &User,
) -> Result<Vec<(i64, String, usize)>, AppError> {
    let rows = sqlx::query!(
        r#"
        select g.group_id, g.name, count(*) as "questions!"
        from group_member m
        join study_group g using (group_id)
        join question q on q.exam_code = 'group-' || g.group_id and q.retired_at is null
        where m.user_id = $1 and (g.members_practise or m.role <> 'learner')
        group by g.group_id, g.name
        order by g.name
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.group_id,
                r.name,
                usize::try_from(r.questions).unwrap_or_default(),
            )
        })
        .collect())
}

/// Creates a group owned by `user`.
pub async fn create(
    pool: &PgPool,
    user: &User,
    name: &str,
    description: &str,
    exam_code: &str,
) -> Result<i64, AppError> {
    let name = name.trim();
    let description = description.trim();
    let mut errors = BTreeMap::<String, Vec<String>>::new();
    if name.is_empty() || name.chars().count() > 80 {
        errors.insert(
            "name".into(),
            vec!["Give the group a name of 1 to 80 characters.".into()],
        );
    } else if let Some(problem) = shared::text::line_problem(name) {
        errors.insert("name".into(), vec![format!("Group name: {problem}")]);
    }
    if description.chars().count() > 500 {
        errors.insert(
            "description".into(),
            vec!["Keep the description under 500 characters.".into()],
        );
    } else if let Some(problem) = shared::text::paragraph_problem(description) {
        errors.insert(
            "description".into(),
            vec![format!("Description: {problem}")],
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut tx = pool.begin().await?;
    let group_id = sqlx::query_scalar!(
        "insert into study_group (name, description, owner_id, exam_code) values ($1, $2, $3, $4) returning group_id",
        name,
        description,
        user.user_id,
        exam_code,
    )
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query!(
        "insert into group_member (group_id, user_id, role, share_progress) values ($1, $2, 'owner', true)",
        group_id,
        user.user_id,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(group_id)
}

/// The user's groups.
pub async fn mine(pool: &PgPool, user: &User) -> Result<Vec<GroupSummary>, AppError> {
    let rows = sqlx::query!(
        r#"
        select g.group_id, g.name, m.role,
               (select count(*) from group_member x where x.group_id = g.group_id) as "members!"
        from group_member m join study_group g using (group_id)
        where m.user_id = $1 order by g.name
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| GroupSummary {
            id: r.group_id,
            name: r.name,
            role: Role::parse(&r.role).unwrap_or(Role::Learner),
            members: r.members,
        })
        .collect())
}

/// Leaves a group (the owner cannot: a group needs its owner).
pub async fn leave(pool: &PgPool, user: &User, group_id: i64) -> Result<(), AppError> {
    if role(pool, user, group_id).await? == Role::Owner {
        return Err(AppError::Conflict(
            "The owner cannot leave the group; delete it instead.".to_string(),
        ));
    }
    let mut tx = pool.begin().await?;
    sqlx::query!(
        "delete from group_member where group_id = $1 and user_id = $2",
        group_id,
        user.user_id
    )
    .execute(&mut *tx)
    .await?;
    end_sets_with_group_questions(&mut tx, group_id, Some(user.user_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a group with its invites and assignments (the owner only). Attempts made for its
/// assignments stay with their learners.
pub async fn delete(pool: &PgPool, user: &User, group_id: i64) -> Result<(), AppError> {
    require_owner(pool, user, group_id).await?;
    let mut tx = pool.begin().await?;
    // The group's own questions stay (answers and attempts point at them) but are retired.
    sqlx::query!(
        "update question set retired_at = now() where exam_code = 'group-' || $1::bigint and retired_at is null",
        group_id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("delete from study_group where group_id = $1", group_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Makes a member an instructor or a learner again (the owner only).
pub async fn set_role(
    pool: &PgPool,
    user: &User,
    group_id: i64,
    member_id: i64,
    new_role: &str,
) -> Result<(), AppError> {
    require_owner(pool, user, group_id).await?;
    let new_role = match Role::parse(new_role) {
        Some(r @ (Role::Instructor | Role::Learner)) => r,
        _ => {
            return Err(AppError::field(
                "role",
                "A member is an instructor or a learner.",
            ));
        }
    };
    let updated = sqlx::query!(
        "update group_member set role = $3 where group_id = $1 and user_id = $2 and role <> 'owner'",
        group_id,
        member_id,
        new_role.as_str(),
    )
    .execute(pool)
    .await?
    .rows_affected();
    if updated == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Removes a member (the owner only; not themselves).
pub async fn remove_member(
    pool: &PgPool,
    user: &User,
    group_id: i64,
    member_id: i64,
) -> Result<(), AppError> {
    require_owner(pool, user, group_id).await?;
    let mut tx = pool.begin().await?;
    let removed = sqlx::query!(
        "delete from group_member where group_id = $1 and user_id = $2 and role <> 'owner'",
        group_id,
        member_id,
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if removed == 0 {
        return Err(AppError::NotFound);
    }
    end_sets_with_group_questions(&mut tx, group_id, Some(member_id)).await?;
    // Invites made before now no longer let them back in.
    sqlx::query!(
        r#"
        insert into group_removal (group_id, user_id) values ($1, $2)
        on conflict on constraint group_removal_pkey do update set removed_at = now()
        "#,
        group_id,
        member_id,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the viewer shares their progress with the other learners.
pub async fn set_share(
    pool: &PgPool,
    user: &User,
    group_id: i64,
    share: bool,
) -> Result<(), AppError> {
    role(pool, user, group_id).await?;
    sqlx::query!(
        "update group_member set share_progress = $3 where group_id = $1 and user_id = $2",
        group_id,
        user.user_id,
        share,
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Turns the leaderboard on or off (the owner only).
pub async fn set_leaderboard(
    pool: &PgPool,
    user: &User,
    group_id: i64,
    on: bool,
) -> Result<(), AppError> {
    require_owner(pool, user, group_id).await?;
    sqlx::query!(
        "update study_group set leaderboard = $2 where group_id = $1",
        group_id,
        on
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// The group page, as this viewer may see it.
pub async fn page(
    pool: &PgPool,
    exam: &ExamPack,
    user: &User,
    group_id: i64,
) -> Result<GroupView, AppError> {
    let my_role = role(pool, user, group_id).await?;
    let group = sqlx::query!(
        "select name, description, leaderboard, members_practise from study_group where group_id = $1",
        group_id
    )
    .fetch_one(pool)
    .await?;
    let members = sqlx::query!(
        r#"
        select m.user_id, u.display_name, m.role, m.share_progress
        from group_member m join app_user u using (user_id)
        where m.group_id = $1
        order by case m.role when 'owner' then 0 when 'instructor' then 1 else 2 end, u.display_name
        "#,
        group_id
    )
    .fetch_all(pool)
    .await?;
    let progress_rows = sqlx::query!(
        r#"
        select a.user_id, q.domain, count(distinct a.question_id) as "seen!", count(*) as "answers!",
               count(*) filter (where a.correct) as "correct!"
        from practice_answer a
        join question q using (question_id)
        join group_member m on m.user_id = a.user_id and m.group_id = $1
        where q.exam_code = $2
        group by a.user_id, q.domain
        "#,
        group_id,
        exam.meta.code,
    )
    .fetch_all(pool)
    .await
    .context("group progress")?;
    let mut progress: BTreeMap<i64, Vec<DomainProgress>> = BTreeMap::new();
    for d in &exam.meta.domains {
        let total = exam
            .bank
            .questions
            .iter()
            .filter(|q| q.def.domain == d.id)
            .count();
        for m in &members {
            let row = progress_rows
                .iter()
                .find(|r| r.user_id == m.user_id && r.domain == d.id);
            progress.entry(m.user_id).or_default().push(DomainProgress {
                domain: d.name.clone(),
                seen: row.map_or(0, |r| r.seen),
                total,
                answers: row.map_or(0, |r| r.answers),
                correct: row.map_or(0, |r| r.correct),
            });
        }
    }
    let my_share = members
        .iter()
        .find(|m| m.user_id == user.user_id)
        .is_some_and(|m| m.share_progress);
    let member_views = members
        .iter()
        .map(|m| {
            let visible = my_role.manages() || m.user_id == user.user_id || m.share_progress;
            MemberView {
                user_id: m.user_id,
                display_name: m.display_name.clone(),
                role: Role::parse(&m.role).unwrap_or(Role::Learner),
                share_progress: m.share_progress,
                progress: visible.then(|| progress.get(&m.user_id).cloned().unwrap_or_default()),
            }
        })
        .collect();
    let invites = if my_role.manages() {
        sqlx::query!(
            r#"
            select invite_id, code, expires_at, max_uses, uses,
                   (revoked_at is null and (expires_at is null or expires_at > now())
                    and (max_uses is null or uses < max_uses)) as "active!"
            from group_invite where group_id = $1 order by created_at desc
            "#,
            group_id
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| InviteView {
            id: r.invite_id,
            code: r.code,
            expires_at: r.expires_at.map(rfc3339),
            max_uses: r.max_uses,
            uses: r.uses,
            active: r.active,
        })
        .collect()
    } else {
        Vec::new()
    };
    let leaderboard = if group.leaderboard {
        sqlx::query!(
            r#"
            select u.display_name, count(*) filter (where a.correct) as "right!"
            from group_member m
            join app_user u using (user_id)
            join practice_answer a on a.user_id = m.user_id and a.answered_at > now() - interval '7 days'
            where m.group_id = $1 and m.share_progress
            group by u.user_id, u.display_name
            order by 2 desc, u.display_name limit 10
            "#,
            group_id
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|r| (r.display_name, r.right))
        .collect()
    } else {
        Vec::new()
    };
    let assignments = assignments::for_group(pool, user, group_id, &group.name).await?;
    Ok(GroupView {
        id: group_id,
        name: group.name,
        description: group.description,
        my_role,
        my_share,
        leaderboard_on: group.leaderboard,
        members_practise: group.members_practise,
        members: member_views,
        invites,
        assignments,
        leaderboard,
        domains: exam
            .meta
            .domains
            .iter()
            .map(|d| (d.id.clone(), d.name.clone()))
            .collect(),
        item_types: shared::question::ItemType::ALL
            .iter()
            .map(|t| (t.as_str().to_string(), t.label().to_string()))
            .collect(),
    })
}
