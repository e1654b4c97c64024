//! Syncs the loaded question bank into PostgreSQL: one `question` row per id and a new
//! `question_version` row whenever a question's content changes (old versions are kept).
//! Idempotent: syncing the same content twice changes nothing.

use std::collections::BTreeMap;

use anyhow::Context;
use sqlx::PgPool;

use crate::backend::content::ExamPack;

/// What a sync did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub retired: usize,
}

/// Brings the database in line with the bank; returns each question's current version.
#[tracing::instrument(skip_all, fields(exam = %pack.meta.code))]
pub async fn sync_bank(
    pool: &PgPool,
    pack: &ExamPack,
) -> anyhow::Result<(SyncReport, BTreeMap<String, i32>)> {
    let mut tx = pool.begin().await.context("begin")?;
    sqlx::query!("select pg_advisory_xact_lock(hashtext('question_sync'))")
        .execute(&mut *tx)
        .await
        .context("lock")?;
    let existing = sqlx::query!(
        r#"
        select q.question_id, q.current_version, v.content_hash
        from question q
        join question_version v on v.question_id = q.question_id and v.version = q.current_version
        where q.exam_code = $1
        "#,
        pack.meta.code,
    )
    .fetch_all(&mut *tx)
    .await
    .context("read current versions")?;
    let existing: BTreeMap<String, (i32, String)> = existing
        .into_iter()
        .map(|row| (row.question_id, (row.current_version, row.content_hash)))
        .collect();

    let mut report = SyncReport::default();
    let mut versions = BTreeMap::new();
    for question in &pack.bank.questions {
        let version = match existing.get(question.id()) {
            Some((version, hash)) if *hash == question.content_hash => {
                report.unchanged += 1;
                *version
            }
            Some((version, _)) => {
                report.changed += 1;
                version + 1
            }
            None => {
                report.added += 1;
                1
            }
        };
        let content: serde_json::Value =
            serde_json::from_str(&question.content).context("question content")?;
        sqlx::query!(
            r#"
            insert into question (question_id, exam_code, current_version, item_type, domain, page_slug, difficulty, search_text)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            on conflict on constraint question_pkey do update set
                exam_code = excluded.exam_code,
                current_version = excluded.current_version,
                item_type = excluded.item_type,
                domain = excluded.domain,
                page_slug = excluded.page_slug,
                difficulty = excluded.difficulty,
                search_text = excluded.search_text,
                retired_at = null
            "#,
            question.id(),
            pack.meta.code,
            version,
            question.item_type().as_str(),
            question.def.domain,
            question.page,
            i16::from(question.def.difficulty),
            question.search_text(),
        )
        .execute(&mut *tx)
        .await
        .context("upsert question")?;
        sqlx::query!(
            r#"
            insert into question_version (question_id, version, content_hash, content)
            values ($1, $2, $3, $4)
            on conflict on constraint question_version_pkey do nothing
            "#,
            question.id(),
            version,
            question.content_hash,
            content,
        )
        .execute(&mut *tx)
        .await
        .context("insert question version")?;
        versions.insert(question.id().to_string(), version);
    }
    let current: Vec<String> = versions.keys().cloned().collect();
    let retired = sqlx::query!(
        r#"
        update question set retired_at = now()
        where exam_code = $1 and retired_at is null and not (question_id = any($2))
        "#,
        pack.meta.code,
        &current,
    )
    .execute(&mut *tx)
    .await
    .context("retire removed questions")?;
    report.retired = usize::try_from(retired.rows_affected()).unwrap_or(usize::MAX);
    tx.commit().await.context("commit")?;
    Ok((report, versions))
}
