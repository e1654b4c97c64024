//! The progress dashboard: coverage, accuracy and mastery per exam domain and per reference
//! page, recent activity, the weakest topics, a readiness estimate, and two charts.

use std::collections::HashMap;

use anyhow::Context;
use sqlx::PgPool;
use time::OffsetDateTime;

use super::auth::User;
use super::charts::{self, BarGroup, Point};
use super::review;
use content::ExamPack;
use shared::progress::{Activity, Chart, Dashboard, Readiness, TopicProgress};

/// Answers below which the readiness estimate says it is too early to tell.
const MIN_ANSWERS_FOR_VERDICT: usize = 30;
/// Days shown in the accuracy chart.
const CHART_DAYS: i64 = 30;

#[derive(Clone, Copy, Default)]
struct Tally {
    answers: usize,
    correct: usize,
}

fn percent(value: f64) -> String {
    format!("{:.0}%", value * 100.0)
}

/// The dashboard of the signed-in learner for the pack they study.
pub async fn for_request(req: &crate::Request) -> Result<Dashboard, shared::error::AppError> {
    let user = req.require_user().await?;
    dashboard(
        &req.state.pool,
        &user,
        req.exam(),
        OffsetDateTime::now_utc(),
    )
    .await
    .map_err(shared::error::AppError::internal)
}

/// Builds the dashboard of one user for one exam.
pub async fn dashboard(
    pool: &PgPool,
    user: &User,
    exam: &ExamPack,
    now: OffsetDateTime,
) -> anyhow::Result<Dashboard> {
    let tallies: HashMap<String, Tally> = sqlx::query!(
        r#"
        select question_id, count(*) as "answers!", count(*) filter (where correct) as "correct!"
        from practice_answer where user_id = $1 group by question_id
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("tally answers")?
    .into_iter()
    .map(|r| {
        (
            r.question_id,
            Tally {
                answers: usize::try_from(r.answers).unwrap_or_default(),
                correct: usize::try_from(r.correct).unwrap_or_default(),
            },
        )
    })
    .collect();
    let memories = review::memories(pool, user.user_id, &exam.meta.code, now).await?;
    let due_now = memories.iter().filter(|m| m.due <= now).count();
    let recall: HashMap<&str, f64> = memories
        .iter()
        .map(|m| (m.question_id.as_str(), m.retrievability))
        .collect();

    let topic = |id: &str,
                 title: &str,
                 practice_url: String,
                 reference_url: Option<String>,
                 questions: &[&content::questions::Question]| {
        let mut t = TopicProgress {
            id: id.to_string(),
            title: title.to_string(),
            total: questions.len(),
            seen: 0,
            answers: 0,
            correct: 0,
            mastery: 0.0,
            practice_url,
            reference_url,
        };
        let mut recall_sum = 0.0;
        for q in questions {
            if let Some(tally) = tallies.get(q.id()) {
                t.seen += 1;
                t.answers += tally.answers;
                t.correct += tally.correct;
            }
            recall_sum += recall.get(q.id()).copied().unwrap_or(0.0);
        }
        if !questions.is_empty() {
            t.mastery = recall_sum / questions.len() as f64;
        }
        t
    };

    let questions: Vec<_> = exam.bank.questions.iter().collect();
    let domains: Vec<TopicProgress> = exam
        .meta
        .domains
        .iter()
        .map(|d| {
            let qs: Vec<_> = questions
                .iter()
                .copied()
                .filter(|q| q.def.domain == d.id)
                .collect();
            topic(
                &d.id,
                &d.name,
                format!("/practice?domain={}", d.id),
                None,
                &qs,
            )
        })
        .collect();
    let pages: Vec<TopicProgress> = exam
        .pages
        .iter()
        .map(|p| {
            let qs: Vec<_> = questions
                .iter()
                .copied()
                .filter(|q| q.page == p.front.slug)
                .collect();
            topic(
                &p.front.slug,
                &p.front.title,
                format!("/practice?page={}", p.front.slug),
                Some(format!("/reference/{}", p.front.slug)),
                &qs,
            )
        })
        .collect();

    // Each official objective, with the first page that teaches it.
    let objectives: Vec<TopicProgress> = exam
        .meta
        .objectives
        .iter()
        .map(|o| {
            let qs: Vec<_> = questions
                .iter()
                .copied()
                .filter(|q| q.def.objective == o.id)
                .collect();
            let page = exam
                .pages
                .iter()
                .find(|p| p.front.objectives.contains(&o.id))
                .map(|p| format!("/reference/{}", p.front.slug));
            topic(
                &o.id,
                &format!("{} {}", o.id, o.name),
                format!("/practice?objective={}", o.id),
                page,
                &qs,
            )
        })
        .collect();
    let mut weakest_objectives: Vec<TopicProgress> =
        objectives.iter().filter(|o| o.seen > 0).cloned().collect();
    weakest_objectives.sort_by(|a, b| {
        a.mastery.total_cmp(&b.mastery).then(
            a.accuracy()
                .unwrap_or(0.0)
                .total_cmp(&b.accuracy().unwrap_or(0.0)),
        )
    });
    weakest_objectives.truncate(3);

    let mut weakest: Vec<TopicProgress> = pages.iter().filter(|p| p.seen > 0).cloned().collect();
    weakest.sort_by(|a, b| {
        a.mastery.total_cmp(&b.mastery).then(
            a.accuracy()
                .unwrap_or(0.0)
                .total_cmp(&b.accuracy().unwrap_or(0.0)),
        )
    });
    weakest.truncate(3);

    let answers: usize = tallies.values().map(|t| t.answers).sum();
    let correct: usize = tallies.values().map(|t| t.correct).sum();
    let seen = questions
        .iter()
        .filter(|q| tallies.contains_key(q.id()))
        .count();
    let readiness = readiness(exam, &domains, answers, seen, questions.len());

    let read = super::progress::pages_read(pool, user.user_id, &exam.meta.code).await?;
    let recent = recent_activity(pool, user, exam).await?;
    let accuracy_chart = accuracy_chart(pool, user, now).await?;
    let domain_chart = domain_chart(&domains);
    let exams = super::exams::history(pool, user, &exam.meta.code).await?;
    let submitted: Vec<_> = exams.iter().filter(|a| !a.open).collect();
    let last_exam = submitted
        .first()
        .map(|a| (a.id, a.scaled.unwrap_or(1), a.passed == Some(true)));

    Ok(Dashboard {
        exam_title: exam.meta.title.clone(),
        display_name: user.display_name.clone(),
        total_questions: questions.len(),
        seen,
        answers,
        correct,
        pages_read: read.len(),
        pages_total: exam.pages.len(),
        due_now,
        readiness,
        domains,
        pages,
        weakest,
        objectives,
        weakest_objectives,
        recent,
        accuracy_chart,
        domain_chart,
        exams_taken: submitted.len(),
        last_exam,
    })
}

fn readiness(
    exam: &ExamPack,
    domains: &[TopicProgress],
    answers: usize,
    seen: usize,
    total: usize,
) -> Readiness {
    let weights: Vec<f64> = exam
        .meta
        .domains
        .iter()
        .map(|d| content::weight_midpoint(&d.weight))
        .collect();
    let weight_sum: f64 = weights.iter().sum();
    let estimate = if weight_sum > 0.0 {
        domains
            .iter()
            .zip(&weights)
            .map(|(d, w)| d.mastery * w)
            .sum::<f64>()
            / weight_sum
    } else {
        0.0
    };
    let weights_text = exam
        .meta
        .domains
        .iter()
        .map(|d| format!("{} {}", d.name, d.weight))
        .collect::<Vec<_>>()
        .join("; ");
    let basis = format!(
        "The chance that you would answer a question of this bank correctly today, averaged over \
         all {total} questions and weighted by the official domain weights ({weights_text}). Each \
         answered question's chance comes from its spaced-review memory model (FSRS); the {} \
         questions you have not answered yet count as zero. It rests on {answers} answers to \
         {seen} questions and says nothing about the exam's other domains, which this bank does \
         not cover.",
        total - seen
    );
    let verdict = if answers < MIN_ANSWERS_FOR_VERDICT {
        format!("Too early to tell: answer at least {MIN_ANSWERS_FOR_VERDICT} questions first.")
    } else if estimate >= 0.8 {
        "Likely ready: keep your reviews up to date and sit a mock exam.".to_string()
    } else if estimate >= 0.7 {
        "Close: work on the weakest topics below, then sit a mock exam.".to_string()
    } else {
        "Not ready yet: cover more of the bank and review what is due.".to_string()
    };
    Readiness {
        estimate,
        basis,
        verdict,
    }
}

async fn recent_activity(
    pool: &PgPool,
    user: &User,
    exam: &ExamPack,
) -> anyhow::Result<Vec<Activity>> {
    let ts = super::db::rfc3339;
    let answers = sqlx::query!(
        r#"
        select question_id, correct, answered_at from practice_answer
        where user_id = $1 order by answered_at desc, practice_answer_id desc limit 8
        "#,
        user.user_id
    )
    .fetch_all(pool)
    .await
    .context("recent answers")?;
    let reads = sqlx::query!(
        r#"
        select page_slug, read_at from page_read
        where user_id = $1 and exam_code = $2 order by read_at desc limit 4
        "#,
        user.user_id,
        exam.meta.code,
    )
    .fetch_all(pool)
    .await
    .context("recent reads")?;
    let mut items: Vec<(OffsetDateTime, Activity)> = Vec::new();
    for a in answers {
        let page = exam
            .bank
            .get(&a.question_id)
            .and_then(|q| exam.page(&q.page));
        let title = page.map_or("a retired question".to_string(), |p| p.front.title.clone());
        items.push((
            a.answered_at,
            Activity {
                at: ts(a.answered_at),
                text: format!(
                    "Answered a question on {title}: {}",
                    if a.correct { "right" } else { "wrong" }
                ),
                correct: Some(a.correct),
                url: format!("/practice?question={}", a.question_id),
            },
        ));
    }
    for r in reads {
        let title = exam
            .page(&r.page_slug)
            .map_or(r.page_slug.clone(), |p| p.front.title.clone());
        items.push((
            r.read_at,
            Activity {
                at: ts(r.read_at),
                text: format!("Read {title}"),
                correct: None,
                url: format!("/reference/{}", r.page_slug),
            },
        ));
    }
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    Ok(items.into_iter().take(8).map(|(_, a)| a).collect())
}

async fn accuracy_chart(pool: &PgPool, user: &User, now: OffsetDateTime) -> anyhow::Result<Chart> {
    let since = now - time::Duration::days(CHART_DAYS);
    let rows = sqlx::query!(
        r#"
        select (answered_at at time zone 'UTC')::date as "day!", count(*) as "answers!",
               count(*) filter (where correct) as "correct!"
        from practice_answer where user_id = $1 and answered_at >= $2
        group by 1 order by 1
        "#,
        user.user_id,
        since,
    )
    .fetch_all(pool)
    .await
    .context("daily accuracy")?;
    let format = time::macros::format_description!("[day padding:none] [month repr:short]");
    let points: Vec<Point> = rows
        .iter()
        .map(|r| Point {
            label: r.day.format(&format).unwrap_or_default(),
            value: r.correct as f64 / r.answers.max(1) as f64,
            count: usize::try_from(r.answers).unwrap_or_default(),
        })
        .collect();
    let summary = match (points.first(), points.last()) {
        (Some(first), Some(last)) => format!(
            "Share of right answers on each of the {} days you practised in the last {CHART_DAYS} \
             days: {} on {}, {} on {}.",
            points.len(),
            percent(first.value),
            first.label,
            percent(last.value),
            last.label
        ),
        _ => format!("No practice in the last {CHART_DAYS} days."),
    };
    Ok(Chart {
        svg: charts::line_chart("accuracy-chart", "Accuracy by day", &summary, &points),
        caption: format!("Accuracy by day (UTC), last {CHART_DAYS} days"),
        columns: vec![
            "Day".into(),
            "Answers".into(),
            "Right".into(),
            "Accuracy".into(),
        ],
        rows: rows
            .iter()
            .zip(&points)
            .map(|(r, p)| {
                vec![
                    p.label.clone(),
                    r.answers.to_string(),
                    r.correct.to_string(),
                    percent(p.value),
                ]
            })
            .collect(),
    })
}

fn domain_chart(domains: &[TopicProgress]) -> Chart {
    let groups: Vec<BarGroup> = domains
        .iter()
        .map(|d| BarGroup {
            label: d.title.clone(),
            values: vec![
                d.seen as f64 / d.total.max(1) as f64,
                d.accuracy().unwrap_or(0.0),
                d.mastery,
            ],
        })
        .collect();
    let summary = domains
        .iter()
        .map(|d| {
            format!(
                "{}: coverage {}, accuracy {}, mastery {}",
                d.title,
                percent(d.seen as f64 / d.total.max(1) as f64),
                d.accuracy().map_or("none yet".to_string(), percent),
                percent(d.mastery)
            )
        })
        .collect::<Vec<_>>()
        .join(". ");
    Chart {
        svg: charts::bar_chart(
            "domain-chart",
            "Progress by exam domain",
            &summary,
            &["Coverage", "Accuracy", "Mastery"],
            &groups,
        ),
        caption: "Coverage, accuracy and mastery by exam domain".into(),
        columns: vec![
            "Domain".into(),
            "Coverage".into(),
            "Accuracy".into(),
            "Mastery".into(),
        ],
        rows: domains
            .iter()
            .map(|d| {
                vec![
                    d.title.clone(),
                    format!("{} of {}", d.seen, d.total),
                    d.accuracy().map_or("–".to_string(), percent),
                    percent(d.mastery),
                ]
            })
            .collect(),
    }
}
