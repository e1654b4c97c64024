//! Full-text search over the reference, in PostgreSQL: sections are synced from the loaded
//! content at startup, queried with `websearch_to_tsquery`, ranked, and returned with
//! highlighted snippets.

use anyhow::Context;
use sqlx::PgPool;

use super::content::{ExamPack, markdown::escape};
use crate::domain::reference::SearchHit;

/// Markers that cannot occur in content, replaced by `<mark>` after escaping.
const START: &str = "\u{1}";
const STOP: &str = "\u{2}";

/// Replaces an exam's searchable sections with those of the loaded content, in one
/// transaction (idempotent; concurrent instances serialise on an advisory lock).
#[tracing::instrument(skip_all, fields(exam = %pack.meta.code))]
pub async fn sync_sections(pool: &PgPool, pack: &ExamPack) -> anyhow::Result<()> {
    let mut tx = pool.begin().await.context("begin")?;
    sqlx::query!("select pg_advisory_xact_lock(hashtext('reference_section_sync'))")
        .execute(&mut *tx)
        .await
        .context("lock")?;
    sqlx::query!(
        "delete from reference_section where exam_code = $1",
        pack.meta.code
    )
    .execute(&mut *tx)
    .await
    .context("delete old sections")?;
    let mut slugs = Vec::new();
    let mut ids = Vec::new();
    let mut positions = Vec::new();
    let mut titles = Vec::new();
    let mut headings = Vec::new();
    let mut bodies = Vec::new();
    for page in &pack.pages {
        for (position, section) in page.sections.iter().enumerate() {
            slugs.push(page.front.slug.clone());
            ids.push(section.heading_id.clone());
            positions.push(i32::try_from(position).unwrap_or(i32::MAX));
            titles.push(page.front.title.clone());
            headings.push(if section.heading.is_empty() {
                page.front.title.clone()
            } else {
                section.heading.clone()
            });
            bodies.push(section.text.clone());
        }
    }
    sqlx::query!(
        r#"
        insert into reference_section (exam_code, page_slug, heading_id, position, page_title, heading, body)
        select $1, * from unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[])
        "#,
        pack.meta.code,
        &slugs,
        &ids,
        &positions,
        &titles,
        &headings,
        &bodies,
    )
    .execute(&mut *tx)
    .await
    .context("insert sections")?;
    tx.commit().await.context("commit")?;
    Ok(())
}

/// The best-matching reference sections for a query, best first.
#[tracing::instrument(skip_all)]
pub async fn search_reference(
    pool: &PgPool,
    exam_code: &str,
    query: &str,
    limit: i64,
) -> anyhow::Result<Vec<SearchHit>> {
    let options = format!(
        "StartSel={START}, StopSel={STOP}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=\" … \""
    );
    let rows = sqlx::query!(
        r#"
        with q as (select websearch_to_tsquery('english', $2) as query)
        select s.page_slug, s.heading_id, s.page_title, s.heading,
               ts_headline('english', s.body, q.query, $3) as "snippet!",
               ts_rank_cd(s.search_vector, q.query) as "rank!"
        from reference_section s, q
        where s.exam_code = $1 and s.search_vector @@ q.query
        order by ts_rank_cd(s.search_vector, q.query) desc, s.page_slug, s.position
        limit $4
        "#,
        exam_code,
        query,
        options,
        limit,
    )
    .fetch_all(pool)
    .await
    .context("search query")?;
    Ok(rows
        .into_iter()
        .map(|row| SearchHit {
            kind: "Reference".to_string(),
            url: if row.heading_id.is_empty() {
                format!("/reference/{}", row.page_slug)
            } else {
                format!("/reference/{}#{}", row.page_slug, row.heading_id)
            },
            page_title: row.page_title,
            heading: row.heading,
            snippet_html: highlight_snippet(&row.snippet),
        })
        .collect())
}

/// Questions whose stem matches, best first; each links to practising that question.
#[tracing::instrument(skip_all)]
pub async fn search_questions(
    pool: &PgPool,
    exam_code: &str,
    query: &str,
    limit: i64,
) -> anyhow::Result<Vec<SearchHit>> {
    let options = format!("StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12");
    let rows = sqlx::query!(
        r#"
        with q as (select websearch_to_tsquery('english', $2) as query)
        select question.question_id, question.item_type,
               ts_headline('english', question.search_text, q.query, $3) as "snippet!"
        from question, q
        where question.exam_code = $1 and question.retired_at is null
          and question.search_vector @@ q.query
        order by ts_rank_cd(question.search_vector, q.query) desc, question.question_id
        limit $4
        "#,
        exam_code,
        query,
        options,
        limit,
    )
    .fetch_all(pool)
    .await
    .context("question search")?;
    Ok(rows
        .into_iter()
        .map(|row| SearchHit {
            kind: "Practice question".to_string(),
            page_title: crate::domain::question::ItemType::parse(&row.item_type)
                .map_or(row.item_type.clone(), |t| t.label().to_string()),
            heading: format!("Question {}", row.question_id),
            url: format!("/practice?question={}", row.question_id),
            snippet_html: highlight_snippet(&row.snippet),
        })
        .collect())
}

/// Escapes a `ts_headline` snippet and turns its markers into `<mark>` elements.
fn highlight_snippet(snippet: &str) -> String {
    escape(snippet)
        .replace(START, "<mark>")
        .replace(STOP, "</mark>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_escaped_before_marks_are_added() {
        assert_eq!(
            highlight_snippet("use <rg> with \u{1}batch\u{2} endpoints"),
            "use &lt;rg&gt; with <mark>batch</mark> endpoints"
        );
    }
}
