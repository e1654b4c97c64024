//! The instructors' results of an assignment, with item analysis as Moodle's quiz statistics
//! give it: facility index, discrimination index, how often each option was chosen; and the
//! results as CSV.

use super::*;

struct ItemRow {
    attempt_id: i64,
    question_id: String,
    response: Option<serde_json::Value>,
    points: Option<f64>,
    max_points: Option<f64>,
}

/// Results of an assignment for its owners and instructors.
pub async fn results(
    pool: &PgPool,
    content: &ContentStore,
    user: &User,
    assignment_id: i64,
) -> Result<AssignmentResults, AppError> {
    let r = row(pool, assignment_id).await?;
    require_manager(pool, user, r.group_id).await?;
    let exam = crate::groups::exam_of(pool, content, r.group_id).await?;
    let assignment = get(pool, user, assignment_id).await?;
    let members = sqlx::query!(
        r#"
        select m.user_id, u.display_name from group_member m join app_user u using (user_id)
        where m.group_id = $1 and m.role = 'learner' order by u.display_name
        "#,
        r.group_id
    )
    .fetch_all(pool)
    .await?;
    let attempts = sqlx::query!(
        r#"
        select attempt_id, user_id, started_at, submitted_at, deadline, scaled_score, passed, raw_score
        from exam_attempt where assignment_id = $1
        "#,
        assignment_id
    )
    .fetch_all(pool)
    .await?;
    let now = OffsetDateTime::now_utc();
    let mut member_results = Vec::new();
    for m in &members {
        let mine: Vec<_> = attempts.iter().filter(|a| a.user_id == m.user_id).collect();
        let best = mine
            .iter()
            .filter(|a| a.submitted_at.is_some())
            .max_by_key(|a| a.scaled_score.unwrap_or(0));
        let (_, ext_due) = extension(pool, assignment_id, m.user_id).await?;
        let due = ext_due.map_or(r.due_at, |d| d.max(r.due_at));
        let summary = MyAttempts {
            used: i64::try_from(mine.len()).unwrap_or_default(),
            open: mine
                .iter()
                .find(|a| a.submitted_at.is_none() && a.deadline > now)
                .map(|a| a.attempt_id),
            latest_submitted: best.map(|a| a.attempt_id),
            best: best.and_then(|a| a.scaled_score),
        };
        member_results.push(MemberResult {
            user_id: m.user_id,
            display_name: m.display_name.clone(),
            status: status(now, r.opens_at, due, &summary),
            attempts: summary.used,
            best_score: summary.best,
            passed: best.and_then(|a| a.passed),
            time_used_secs: best
                .and_then(|a| a.submitted_at.map(|s| (s - a.started_at).whole_seconds())),
            attempt_id: best.map(|a| a.attempt_id),
        });
    }
    let submitted: Vec<i64> = attempts
        .iter()
        .filter(|a| a.submitted_at.is_some())
        .map(|a| a.attempt_id)
        .collect();
    let mean_score = (!submitted.is_empty()).then(|| {
        attempts
            .iter()
            .filter(|a| a.submitted_at.is_some())
            .map(|a| f64::from(a.scaled_score.unwrap_or(0)))
            .sum::<f64>()
            / submitted.len() as f64
    });
    let items = sqlx::query_as!(
        ItemRow,
        r#"
        select i.attempt_id, i.question_id, i.response, i.points, i.max_points
        from exam_item i where i.attempt_id = any($1)
        "#,
        &submitted
    )
    .fetch_all(pool)
    .await?;
    let bank = {
        let mut conn = pool.acquire().await?;
        crate::bank::bank_for(
            &mut conn,
            content,
            crate::bank::groups_in(content, items.iter().map(|i| i.question_id.as_str())),
        )
        .await?
    };
    let (domain_averages, objective_averages, item_stats) = analyse(exam, &bank, &items);
    Ok(AssignmentResults {
        assignment,
        members: member_results,
        domain_averages,
        objective_averages,
        mean_score,
        items: item_stats,
    })
}

fn share(item: &ItemRow) -> f64 {
    match (item.points, item.max_points) {
        (Some(p), Some(m)) if m > 0.0 => p / m,
        _ => 0.0,
    }
}

/// The objective a question tests, as instructors read it ("3.2.4 Use provisioned ...").
fn objective_label(exam: &ExamPack, id: &str) -> String {
    exam.meta
        .objective(id)
        .map_or(id.to_string(), |o| format!("{} {}", o.id, o.name))
}

/// Domain and objective averages and item statistics (grouped by objective, hardest first
/// within each) over submitted attempts.
#[expect(clippy::type_complexity, reason = "three tables of one analysis")]
fn analyse(
    exam: &ExamPack,
    bank: &Bank<'_>,
    items: &[ItemRow],
) -> (Vec<(String, f64)>, Vec<(String, f64)>, Vec<ItemStats>) {
    // Each attempt's total share, for the rest-of-test correlation.
    let mut totals: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
    for item in items {
        let t = totals.entry(item.attempt_id).or_default();
        t.0 += share(item);
        t.1 += 1;
    }
    let mut by_domain: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut by_objective: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut by_question: BTreeMap<&str, Vec<&ItemRow>> = BTreeMap::new();
    for item in items {
        by_question.entry(&item.question_id).or_default().push(item);
        if let Some(q) = bank.get(&item.question_id) {
            if !exam.meta.objectives.is_empty() {
                let o = by_objective
                    .entry(objective_label(exam, &q.def.objective))
                    .or_default();
                o.0 += share(item);
                o.1 += 1;
            }
            let name = exam
                .meta
                .domains
                .iter()
                .find(|d| d.id == q.def.domain)
                .map_or(q.def.domain.clone(), |d| d.name.clone());
            let d = by_domain.entry(name).or_default();
            d.0 += share(item);
            d.1 += 1;
        }
    }
    let average = |map: BTreeMap<String, (f64, usize)>| -> Vec<(String, f64)> {
        map.into_iter()
            .map(|(name, (sum, n))| (name, sum / n.max(1) as f64 * 100.0))
            .collect()
    };
    let domain_averages = average(by_domain);
    let objective_averages = average(by_objective);
    let mut stats: Vec<ItemStats> = by_question
        .into_iter()
        .filter_map(|(id, rows)| {
            let q = bank.get(id)?;
            let scores: Vec<f64> = rows.iter().map(|r| share(r)).collect();
            let rests: Vec<f64> = rows
                .iter()
                .map(|r| {
                    let (total, n) = totals.get(&r.attempt_id).copied().unwrap_or((0.0, 1));
                    if n > 1 {
                        (total - share(r)) / (n - 1) as f64
                    } else {
                        0.0
                    }
                })
                .collect();
            let facility = scores.iter().sum::<f64>() / scores.len().max(1) as f64 * 100.0;
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for r in &rows {
                if let Some(Response::Choices(chosen)) = r
                    .response
                    .clone()
                    .and_then(|v| serde_json::from_value(v).ok())
                {
                    for c in chosen {
                        *counts.entry(c).or_default() += 1;
                    }
                }
            }
            let options = q
                .parts
                .iter()
                .filter(|_| {
                    matches!(
                        q.item_type(),
                        ItemType::Single | ItemType::Multi | ItemType::Case | ItemType::Diagram
                    )
                })
                .map(|p| OptionCount {
                    option: p.id.clone(),
                    text: plain_text(&p.html),
                    correct: p.correct,
                    chosen: counts.get(&p.id).copied().unwrap_or(0),
                })
                .collect();
            Some(ItemStats {
                objective: if exam.meta.objectives.is_empty() {
                    String::new()
                } else {
                    objective_label(exam, &q.def.objective)
                },
                question_id: id.to_string(),
                stem: plain_text(&q.stem_html).chars().take(160).collect(),
                item_type: q.item_type().label().to_string(),
                attempts: rows.len(),
                facility,
                discrimination: correlation(&scores, &rests),
                options,
            })
        })
        .collect();
    stats.sort_by(|a, b| {
        a.objective
            .cmp(&b.objective)
            .then(a.facility.total_cmp(&b.facility))
    });
    (domain_averages, objective_averages, stats)
}

/// The text of a bit of our own rendered HTML (tags dropped, basic entities decoded).
fn plain_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pearson correlation, when there are 3+ pairs and both sides vary.
pub fn correlation(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len();
    if n < 3 || ys.len() != n {
        return None;
    }
    let mx = xs.iter().sum::<f64>() / n as f64;
    let my = ys.iter().sum::<f64>() / n as f64;
    let cov: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let vx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    let vy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    (vx > 0.0 && vy > 0.0).then(|| cov / (vx.sqrt() * vy.sqrt()))
}

/// The results as CSV (one line per member).
pub fn csv(results: &AssignmentResults) -> String {
    let quote = |s: &str| {
        // Neutralise spreadsheet formulas and quote every field.
        let s = if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_string()
        };
        format!("\"{}\"", s.replace('"', "\"\""))
    };
    let mut out = String::from("member,status,attempts,best_score,passed,time_used_minutes\n");
    for m in &results.members {
        out.push_str(&format!(
            "{},{},{},{},{},{}\n",
            quote(&m.display_name),
            quote(m.status.label()),
            m.attempts,
            m.best_score.map_or(String::new(), |s| s.to_string()),
            m.passed
                .map_or(String::new(), |p| if p { "yes" } else { "no" }.to_string()),
            m.time_used_secs
                .map_or(String::new(), |s| format!("{:.1}", s as f64 / 60.0)),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_needs_three_varying_pairs() {
        assert_eq!(correlation(&[1.0, 0.0], &[1.0, 0.0]), None);
        assert_eq!(correlation(&[1.0, 1.0, 1.0], &[0.2, 0.5, 0.9]), None);
        let r = correlation(&[1.0, 0.0, 1.0, 0.0], &[0.9, 0.2, 0.8, 0.1]).unwrap();
        assert!(r > 0.9, "{r}");
        let r = correlation(&[0.0, 1.0, 0.0, 1.0], &[0.9, 0.2, 0.8, 0.1]).unwrap();
        assert!(r < -0.9, "{r}");
    }

    #[test]
    fn csv_fields_are_quoted_and_formulas_neutralised() {
        let results = AssignmentResults {
            assignment: AssignmentView {
                id: 1,
                group_id: 1,
                group_name: String::new(),
                title: String::new(),
                questions: 10,
                duration_minutes: 20,
                opens_at: String::new(),
                due_at: String::new(),
                my_due_at: String::new(),
                attempts_allowed: 1,
                attempts_used: 0,
                review_policy: String::new(),
                group_questions: false,
                status: AssignmentStatus::NotStarted,
                attempt_id: None,
                best_score: None,
            },
            members: vec![MemberResult {
                user_id: 1,
                display_name: "=HYPERLINK(\"x\")".into(),
                status: AssignmentStatus::Submitted,
                attempts: 1,
                best_score: Some(800),
                passed: Some(true),
                time_used_secs: Some(600),
                attempt_id: Some(1),
            }],
            domain_averages: Vec::new(),
            objective_averages: Vec::new(),
            mean_score: None,
            items: Vec::new(),
        };
        let text = csv(&results);
        assert!(
            text.contains("\"'=HYPERLINK(\"\"x\"\")\",\"Submitted\",1,800,yes,10.0"),
            "{text}"
        );
    }
}
