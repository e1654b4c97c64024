//! Syncs the loaded question bank into PostgreSQL: one `question` row per id and a new
//! `question_version` row whenever a question's content changes (old versions are kept).
//! Idempotent: syncing the same content twice changes nothing.

use std::collections::BTreeMap;

use anyhow::Context;
use sqlx::PgPool;

use content::ExamPack;

/// Questions written per statement.
const SYNC_CHUNK: usize = 1000;

/// One chunk's `question` rows, as arrays for `unnest`.
#[derive(Default)]
struct Rows {
    ids: Vec<String>,
    versions: Vec<i32>,
    item_types: Vec<String>,
    domains: Vec<String>,
    pages: Vec<String>,
    difficulties: Vec<i16>,
    search_texts: Vec<String>,
}

/// One chunk's new `question_version` rows, as arrays for `unnest`.
#[derive(Default)]
struct NewVersions {
    ids: Vec<String>,
    versions: Vec<i32>,
    hashes: Vec<String>,
    contents: Vec<String>,
}

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
    // In chunks, each one statement for the questions and one for their new versions: a bank
    // of 100,000 questions used to take 200,000 round trips at every start.
    for chunk in pack.bank.questions.chunks(SYNC_CHUNK) {
        let mut rows = Rows::default();
        let mut new_versions = NewVersions::default();
        for question in chunk {
            let (version, is_new) = match existing.get(question.id()) {
                Some((version, hash)) if *hash == question.content_hash => {
                    report.unchanged += 1;
                    (*version, false)
                }
                Some((version, _)) => {
                    report.changed += 1;
                    (version + 1, true)
                }
                None => {
                    report.added += 1;
                    (1, true)
                }
            };
            if is_new {
                new_versions.ids.push(question.id().to_string());
                new_versions.versions.push(version);
                new_versions.hashes.push(question.content_hash.clone());
                new_versions.contents.push(question.content());
            }
            rows.ids.push(question.id().to_string());
            rows.versions.push(version);
            rows.item_types
                .push(question.item_type().as_str().to_string());
            rows.domains.push(question.def.domain.clone());
            rows.pages.push(question.page.clone());
            rows.difficulties.push(i16::from(question.def.difficulty));
            rows.search_texts.push(question.search_text());
            versions.insert(question.id().to_string(), version);
        }
        // Rows that would not change are not written (no dead rows at every restart).
        sqlx::query!(
            r#"
            insert into question (question_id, exam_code, current_version, item_type, domain, page_slug, difficulty, search_text)
            select q.id, $1, q.version, q.item_type, q.domain, q.page, q.difficulty, q.search_text
            from unnest($2::text[], $3::int4[], $4::text[], $5::text[], $6::text[], $7::int2[], $8::text[])
                as q(id, version, item_type, domain, page, difficulty, search_text)
            on conflict on constraint question_pkey do update set
                exam_code = excluded.exam_code,
                current_version = excluded.current_version,
                item_type = excluded.item_type,
                domain = excluded.domain,
                page_slug = excluded.page_slug,
                difficulty = excluded.difficulty,
                search_text = excluded.search_text,
                retired_at = null
            where (question.exam_code, question.current_version, question.item_type, question.domain,
                   question.page_slug, question.difficulty, question.search_text, question.retired_at)
                is distinct from
                  (excluded.exam_code, excluded.current_version, excluded.item_type, excluded.domain,
                   excluded.page_slug, excluded.difficulty, excluded.search_text, null)
            "#,
            pack.meta.code,
            &rows.ids,
            &rows.versions,
            &rows.item_types,
            &rows.domains,
            &rows.pages,
            &rows.difficulties,
            &rows.search_texts,
        )
        .execute(&mut *tx)
        .await
        .context("upsert questions")?;
        if !new_versions.ids.is_empty() {
            sqlx::query!(
                r#"
                insert into question_version (question_id, version, content_hash, content)
                select v.id, v.version, v.hash, v.content::jsonb
                from unnest($1::text[], $2::int4[], $3::text[], $4::text[]) as v(id, version, hash, content)
                on conflict on constraint question_version_pkey do nothing
                "#,
                &new_versions.ids,
                &new_versions.versions,
                &new_versions.hashes,
                &new_versions.contents,
            )
            .execute(&mut *tx)
            .await
            .context("insert question versions")?;
        }
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
