//! The mock exam's start page: the blueprint, the lengths on offer, and a learner's past
//! attempts with their trend.

use shared::error::AppError;
use shared::exam::{DomainShare, ExamIntro, ExamLength};

use crate::Request;

/// The start page for the exam pack the visitor studies (past attempts when signed in).
pub async fn intro(req: &Request) -> Result<ExamIntro, AppError> {
    let user = req.user().await?;
    let exam = req.exam();
    let blueprint = &exam.blueprint;
    let weights = super::domain_weights(exam);
    let total: f64 = weights.iter().map(|(_, w)| w).sum();
    let domains = exam
        .meta
        .domains
        .iter()
        .zip(&weights)
        .map(|(d, (_, w))| DomainShare {
            name: d.name.clone(),
            official: d.weight.clone(),
            share: if total > 0.0 { w / total } else { 0.0 },
        })
        .collect();
    let (open_attempt, history) = match &user {
        Some(user) => (
            super::open_attempt(&req.state.pool, user, &exam.meta.code).await?,
            super::history(&req.state.pool, user, &exam.meta.code).await?,
        ),
        None => (None, Vec::new()),
    };
    let done: Vec<_> = history
        .iter()
        .rev()
        .filter(|a| a.scaled.is_some())
        .collect();
    let trend = (!done.is_empty()).then(|| {
        let points: Vec<crate::charts::Point> = done
            .iter()
            .map(|a| crate::charts::Point {
                label: a.started_at.get(5..10).unwrap_or_default().replace('-', "/"),
                value: f64::from(a.scaled.unwrap_or(0)) / 1000.0,
                count: a.questions,
            })
            .collect();
        let last = done.last().and_then(|a| a.scaled).unwrap_or(0);
        shared::progress::Chart {
            svg: crate::charts::score_chart(
                "exam-trend",
                "Mock exam scores",
                &format!(
                    "Scaled scores of your {} submitted mock exams, oldest first; the latest is {last} (pass mark {}).",
                    done.len(),
                    blueprint.pass_mark
                ),
                &points,
                f64::from(blueprint.pass_mark) / 1000.0,
            ),
            caption: "Your mock exam scores (1-1000)".to_string(),
            columns: vec!["Started".into(), "Questions".into(), "Score".into(), "Result".into()],
            rows: done
                .iter()
                .map(|a| {
                    vec![
                        shared::when::to_minute(&a.started_at),
                        a.questions.to_string(),
                        a.scaled.unwrap_or(0).to_string(),
                        if a.passed == Some(true) { "Pass" } else { "Fail" }.to_string(),
                    ]
                })
                .collect(),
        }
    });
    Ok(ExamIntro {
        exam_title: exam.meta.title.clone(),
        lengths: blueprint
            .lengths()
            .into_iter()
            .map(|n| ExamLength {
                questions: n,
                minutes: blueprint.minutes_for(n),
            })
            .collect(),
        pass_mark: blueprint.pass_mark,
        coverage_note: blueprint.coverage.note.clone(),
        domains,
        signed_in: user.is_some(),
        open_attempt,
        history,
        trend,
    })
}
