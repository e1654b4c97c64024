//! What the owner of an attempt sees: the open attempt (no keys) or its results, and the
//! history of attempts.

use super::*;

/// An attempt as its owner may see it now: open (no keys), or the results. An attempt past
/// its deadline is submitted first.
pub async fn page(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    attempt_id: i64,
) -> Result<AttemptPage, AppError> {
    let mut conn = pool.acquire().await?;
    let row = attempt_row(&mut conn, user.user_id, attempt_id, false).await?;
    drop(conn);
    let now = OffsetDateTime::now_utc();
    if row.submitted_at.is_none() && now > row.deadline + GRACE {
        submit(pool, content, user, attempt_id, true).await?;
    } else if row.submitted_at.is_none() {
        let exam = content.exam(&row.exam_code).ok_or(AppError::NotFound)?;
        let mut conn = pool.acquire().await?;
        let items = item_rows(&mut conn, attempt_id).await?;
        let bank = bank_for(
            &mut conn,
            content,
            groups_in(content, items.iter().map(|i| i.question_id.as_str())),
        )
        .await?;
        let views = items
            .iter()
            .filter_map(|item| {
                let question = bank.get(&item.question_id)?;
                let order = order_of(item);
                let shown = question.shown(&order);
                let position = usize::try_from(item.position).unwrap_or_default();
                Some(ExamItemView {
                    position,
                    section: item.section,
                    // Screen ids and a per-attempt handle: nothing here names the bank.
                    question: shown.view(item.version, handle(position)),
                    response: response_of(item).map(|r| shown.to_screen(&r)),
                    flagged: item.flagged,
                    locked: item.locked,
                })
            })
            .collect();
        return Ok(AttemptPage::Open(ExamSession {
            id: row.attempt_id,
            exam_title: format!("{} mock exam", exam.meta.short_title),
            deadline_ms: ms(row.deadline),
            server_now_ms: ms(now),
            position: usize::try_from(row.position).unwrap_or_default(),
            case_closed: row.case_closed,
            items: views,
            last_seq: items.iter().map(|i| i.saved_seq).max().unwrap_or(0),
        }));
    }
    let mut results = results_of(pool, content, user.user_id, attempt_id).await?;
    withhold_open_questions(pool, user, &mut results).await?;
    if let Some(assignment_id) = row.assignment_id
        && let Some(reason) =
            super::release::review_block(pool, user.user_id, assignment_id).await?
    {
        results.items.clear();
        results.review_note = Some(reason);
    }
    Ok(AttemptPage::Done(Box::new(results)))
}

/// Takes out of a learner's results the questions of a mock exam they have open now (a
/// retake of an assignment, or another attempt): their keys wait until that one is over.
async fn withhold_open_questions(
    pool: &PgPool,
    user: &User,
    results: &mut ExamResults,
) -> Result<(), AppError> {
    let mut conn = pool.acquire().await?;
    let open = crate::integrity::embargoed(&mut conn, user.user_id).await?;
    if open.is_empty() {
        return Ok(());
    }
    let before = results.items.len();
    results
        .items
        .retain(|item| !open.contains(&item.feedback.question_id));
    let withheld = before - results.items.len();
    if withheld > 0 {
        results.review_note = Some(format!(
            "{withheld} question(s) of this attempt are also in the mock exam you have open now; \
             their answers and explanations are shown again once you submit it."
        ));
    }
    Ok(())
}

/// The results of a submitted attempt of `owner_id`, with every answer and explanation (the
/// caller has checked who may see them).
pub async fn results_of(
    pool: &PgPool,
    content: &ContentStore,
    owner_id: i64,
    attempt_id: i64,
) -> Result<ExamResults, AppError> {
    let mut conn = pool.acquire().await?;
    let row = attempt_row(&mut conn, owner_id, attempt_id, false).await?;
    let Some(submitted_at) = row.submitted_at else {
        return Err(AppError::Conflict(
            "This exam is still in progress; results come after submitting.".to_string(),
        ));
    };
    let exam = content.exam(&row.exam_code).ok_or(AppError::NotFound)?;
    let blueprint = &row.blueprint.0;
    let items = item_rows(&mut conn, attempt_id).await?;
    let bank = bank_for(
        &mut conn,
        content,
        groups_in(content, items.iter().map(|i| i.question_id.as_str())),
    )
    .await?;
    let mut by_domain: BTreeMap<String, Breakdown> = BTreeMap::new();
    let mut by_type: BTreeMap<String, Breakdown> = BTreeMap::new();
    let mut review = Vec::new();
    for item in &items {
        let Some(question) = bank.get(&item.question_id) else {
            continue;
        };
        let points = item.points.unwrap_or(0.0);
        let max = item.max_points.unwrap_or(1.0);
        let share = if max > 0.0 { points / max } else { 0.0 };
        let domain = exam
            .meta
            .domains
            .iter()
            .find(|d| d.id == question.def.domain)
            .map_or(question.def.domain.clone(), |d| d.name.clone());
        for (map, label) in [
            (&mut by_domain, domain),
            (&mut by_type, question.item_type().label().to_string()),
        ] {
            let entry = map.entry(label.clone()).or_insert(Breakdown {
                label,
                questions: 0,
                points: 0.0,
            });
            entry.questions += 1;
            entry.points += share;
        }
        let response = response_of(item);
        let shown = response
            .clone()
            .unwrap_or_else(|| empty_response(question.item_type()));
        let score = Score {
            points,
            max,
            partial: response
                .as_ref()
                .and_then(|r| shared::question::score(&question.key, r).ok())
                .and_then(|s| s.partial),
        };
        let refs = exam.ref_links(&question.def.refs);
        let order = order_of(item);
        let on_screen = question.shown(&order);
        let position = usize::try_from(item.position).unwrap_or_default();
        review.push(ReviewItem {
            position,
            section: item.section,
            item_type: question.item_type(),
            question: on_screen.view(item.version, handle(position)),
            answered: response.is_some(),
            points,
            max,
            correct: item.correct.unwrap_or(false),
            flagged: item.flagged,
            feedback: on_screen.feedback(&shown, &score, refs),
        });
    }
    Ok(ExamResults {
        id: row.attempt_id,
        exam_title: exam.meta.title.clone(),
        scaled: u32::try_from(row.scaled_score.unwrap_or(1)).unwrap_or(1),
        pass_mark: blueprint.pass_mark,
        passed: row.passed.unwrap_or(false),
        raw: row.raw_score.unwrap_or(0.0),
        questions: items.len(),
        answered: items.iter().filter(|i| i.response.is_some()).count(),
        started_at: rfc3339(row.started_at),
        time_used_secs: (submitted_at - row.started_at).whole_seconds().max(0),
        time_allowed_secs: i64::from(blueprint.duration_minutes) * 60,
        auto_submitted: row.auto_submitted,
        by_domain: by_domain.into_values().collect(),
        by_type: by_type.into_values().collect(),
        items: review,
        review_note: None,
    })
}

fn empty_response(item_type: ItemType) -> Response {
    match item_type {
        ItemType::Order => Response::Order(Vec::new()),
        ItemType::Yesno => Response::YesNo(BTreeMap::new()),
        ItemType::Drill => Response::Drill(BTreeMap::new()),
        _ => Response::Choices(Vec::new()),
    }
}

/// The learner's attempts, newest first.
pub async fn history(
    pool: &PgPool,
    user: &User,
    exam_code: &str,
) -> anyhow::Result<Vec<AttemptSummary>> {
    let rows = sqlx::query!(
        r#"
        select a.attempt_id, a.started_at, a.submitted_at, a.scaled_score, a.passed,
               a.auto_submitted, a.deadline,
               (select count(*) from exam_item i where i.attempt_id = a.attempt_id) as "questions!"
        from exam_attempt a
        where a.user_id = $1 and a.exam_code = $2
        order by a.started_at desc limit 50
        "#,
        user.user_id,
        exam_code,
    )
    .fetch_all(pool)
    .await
    .context("list attempts")?;
    Ok(rows
        .into_iter()
        .map(|r| AttemptSummary {
            id: r.attempt_id,
            started_at: rfc3339(r.started_at),
            questions: usize::try_from(r.questions).unwrap_or_default(),
            open: r.submitted_at.is_none(),
            scaled: r.scaled_score.and_then(|s| u32::try_from(s).ok()),
            passed: r.passed,
            auto_submitted: r.auto_submitted,
        })
        .collect())
}
