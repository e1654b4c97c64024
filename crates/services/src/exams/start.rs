//! Starting a mock exam: the questions drawn for the blueprint, ordered and shuffled, stored
//! with the attempt.

use super::*;

/// Starts a mock exam of `questions` questions of the pack the visitor studies, for the
/// signed-in learner (or returns the one already open).
pub async fn start_for(req: &crate::Request, questions: usize) -> Result<i64, AppError> {
    let user = req.require_user().await?;
    start(
        &req.state.pool,
        req.exam(),
        &req.state.question_versions,
        &user,
        questions,
    )
    .await
}

/// Starts an attempt of `questions` questions (one of the blueprint's lengths), or returns the
/// learner's attempt already open.
#[tracing::instrument(skip_all, fields(user_id = user.user_id, questions))]
pub async fn start(
    pool: &PgPool,
    exam: &ExamPack,
    versions: &BTreeMap<String, i32>,
    user: &User,
    questions: usize,
) -> Result<i64, AppError> {
    let blueprint = &exam.blueprint;
    if !blueprint.lengths().contains(&questions) {
        return Err(AppError::field(
            "questions",
            format!(
                "Choose one of these lengths: {}.",
                blueprint
                    .lengths()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if let Some(id) = open_attempt(pool, user, &exam.meta.code).await? {
        return Ok(id);
    }
    let minutes = blueprint.minutes_for(questions);
    let spec = StartSpec {
        questions,
        minutes,
        deadline: OffsetDateTime::now_utc() + time::Duration::minutes(i64::from(minutes)),
        domains: Vec::new(),
        item_types: Vec::new(),
        assignment_id: None,
        group_bank: None,
    };
    start_with(pool, exam, versions, user, &spec).await
}

/// What an attempt is made of.
#[derive(Clone, Debug)]
pub struct StartSpec {
    pub questions: usize,
    pub minutes: u32,
    pub deadline: OffsetDateTime,
    /// Domain ids to draw from (empty: all of the exam's).
    pub domains: Vec<String>,
    /// Item types to draw from (empty: the blueprint's mix and its case study).
    pub item_types: Vec<ItemType>,
    pub assignment_id: Option<i64>,
    /// Draw from this group's own bank instead of the exam's.
    pub group_bank: Option<i64>,
}

/// Creates an attempt: chooses, orders and shuffles its questions and stores them.
pub async fn start_with(
    pool: &PgPool,
    exam: &ExamPack,
    versions: &BTreeMap<String, i32>,
    user: &User,
    spec: &StartSpec,
) -> Result<i64, AppError> {
    let blueprint = &exam.blueprint;
    let seen: BTreeSet<String> = sqlx::query_scalar!(
        r#"
        select distinct question_id as "question_id!" from practice_answer where user_id = $1
        union
        select distinct i.question_id from exam_item i join exam_attempt a using (attempt_id)
        where a.user_id = $1
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let mut rng = fastrand::Rng::new();
    let group_bank = match spec.group_bank {
        Some(group_id) => {
            let mut conn = pool.acquire().await?;
            QuestionBank::from_questions(
                crate::bank::group_questions(&mut conn, group_id, false).await?,
            )
        }
        None => QuestionBank::default(),
    };
    let chosen = if spec.group_bank.is_some() {
        // A group's own questions have no domains or case studies: a random draw of the
        // chosen item types, the unseen first.
        let mut drawn: Vec<&Question> = group_bank
            .questions
            .iter()
            .filter(|q| spec.item_types.is_empty() || spec.item_types.contains(&q.item_type()))
            .collect();
        rng.shuffle(&mut drawn);
        drawn.sort_by_key(|q| seen.contains(q.id()));
        drawn
            .into_iter()
            .take(spec.questions)
            .map(|q| select::Chosen {
                id: q.id().to_string(),
                section: 0,
            })
            .collect()
    } else {
        let candidates: Vec<select::Candidate> = exam
            .bank
            .pools()
            .filter(|(domain, item_type, _)| {
                (spec.domains.is_empty() || spec.domains.iter().any(|d| d == domain))
                    && (spec.item_types.is_empty() || spec.item_types.contains(item_type))
            })
            .flat_map(|(_, item_type, pool)| {
                select::sample_pool(pool, item_type, spec.questions, &mut rng, |i| {
                    !seen.contains(exam.bank.questions[i].id())
                })
            })
            .map(|i| &exam.bank.questions[i])
            .map(|q| select::Candidate {
                id: q.id(),
                domain: &q.def.domain,
                item_type: q.item_type(),
                case: q.def.case.as_deref(),
                seen: seen.contains(q.id()),
            })
            .collect();
        let domains: Vec<(String, f64)> = domain_weights(exam)
            .into_iter()
            .filter(|(d, _)| spec.domains.is_empty() || spec.domains.contains(d))
            .collect();
        let (types, case_studies) = if spec.item_types.is_empty() {
            (blueprint.type_mix(), blueprint.case_studies)
        } else {
            (
                spec.item_types
                    .iter()
                    .filter(|t| **t != ItemType::Case)
                    .map(|t| (*t, 1.0))
                    .collect(),
                usize::from(spec.item_types.contains(&ItemType::Case)),
            )
        };
        let plan = select::Plan {
            questions: spec.questions,
            domains,
            types,
            case_studies,
        };
        select::select(&candidates, &plan, &mut rng)
    };
    if chosen.is_empty() {
        return Err(AppError::Conflict(if spec.group_bank.is_some() {
            "The group's own bank has no questions of these item types.".to_string()
        } else {
            "No questions match this exam's domains and item types.".to_string()
        }));
    }
    let used = Blueprint {
        questions: chosen.len(),
        duration_minutes: spec.minutes,
        ..blueprint.clone()
    };
    let mut tx = pool.begin().await?;
    let attempt_id = sqlx::query_scalar!(
        r#"
        insert into exam_attempt (user_id, exam_code, blueprint, deadline, assignment_id)
        values ($1, $2, $3, $4, $5)
        returning attempt_id
        "#,
        user.user_id,
        exam.meta.code,
        serde_json::to_value(&used)?,
        spec.deadline,
        spec.assignment_id,
    )
    .fetch_one(&mut *tx)
    .await?;
    // Every item in one statement (a 50-question exam used to take 50 round trips).
    let mut positions = Vec::with_capacity(chosen.len());
    let mut question_ids = Vec::with_capacity(chosen.len());
    let mut item_versions = Vec::with_capacity(chosen.len());
    let mut sections = Vec::with_capacity(chosen.len());
    let mut orders = Vec::with_capacity(chosen.len());
    for (position, item) in chosen.iter().enumerate() {
        let Some(question) = exam.bank.get(&item.id).or_else(|| group_bank.get(&item.id)) else {
            continue;
        };
        let order = content::questions::shown::presentation_order(question, &mut rng);
        positions.push(i32::try_from(position).unwrap_or(i32::MAX));
        question_ids.push(item.id.clone());
        item_versions.push(versions.get(&item.id).copied().unwrap_or(1));
        sections.push(item.section);
        orders.push(serde_json::to_value(&order)?);
    }
    sqlx::query!(
        r#"
        insert into exam_item (attempt_id, position, question_id, version, section, option_order)
        select $1, * from unnest($2::int4[], $3::text[], $4::int4[], $5::int2[], $6::jsonb[])
        "#,
        attempt_id,
        &positions,
        &question_ids,
        &item_versions,
        &sections,
        &orders,
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(
        attempt_id,
        assignment_id = spec.assignment_id,
        "mock exam started"
    );
    Ok(attempt_id)
}
