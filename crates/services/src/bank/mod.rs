//! The question banks in the database: the exam packs' questions synced in at startup
//! ([`sync`]), groups' private banks, and interchange with Moodle's GIFT format: importing a
//! GIFT file into a group's private bank (every text sanitized with an allowlist before anyone
//! sees it; kinds our item types cannot hold are reported as skipped, with their lines) and
//! exporting our bank.

pub mod sync;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use content::questions::{
    Bank, OptionDef, Part, Question, QuestionBank, QuestionDef, StatementDef,
};
use content::{ContentStore, ExamPack};
use shared::error::AppError;
pub use shared::group::ImportSummary;
use shared::question::{ItemType, Key};

/// The domain shown for a group's own questions (they belong to none of the exam's).
pub const GROUP_DOMAIN: &str = "Group questions";

/// An option of an imported question, as sanitized HTML.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportedOption {
    pub html: String,
    pub correct: bool,
    pub why_html: String,
}

/// An imported question, ready to store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportedQuestion {
    pub item_type: ItemType,
    pub title: Option<String>,
    pub category: Option<String>,
    pub line: usize,
    pub stem_html: String,
    /// Single/multi: the options. Yes/no: one statement, `correct` meaning "true".
    pub options: Vec<ImportedOption>,
    pub explanation_html: String,
}

/// What an import found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    pub questions: Vec<ImportedQuestion>,
    /// (line, why) for questions of kinds we cannot hold.
    pub skipped: Vec<(usize, String)>,
    /// (line, what is wrong).
    pub errors: Vec<(usize, String)>,
}

/// Sanitizes HTML with an allowlist (ammonia's defaults: no scripts, styles, event handlers or
/// `javascript:` URLs; links get `rel="noopener noreferrer"`). Nothing imported reaches
/// another site: a link to one keeps its text and loses its address (a question must not send
/// a learner, or their browser's request for an image, anywhere but here), and images go
/// (an off-site image would tell its server who is reading the question, and when).
fn clean(html: &str) -> String {
    ammonia::Builder::default()
        .rm_tags(["img"])
        .attribute_filter(|element, attribute, value| {
            if element == "a" && attribute == "href" {
                let on_this_site =
                    value.starts_with('#') || shared::routes::local_path(value).is_some();
                return on_this_site.then(|| value.into());
            }
            Some(value.into())
        })
        .clean(html)
        .to_string()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A GIFT text in its format, as sanitized HTML.
fn to_html(text: &str, format: &gift::TextFormat) -> String {
    match format {
        gift::TextFormat::Html | gift::TextFormat::Moodle => clean(text),
        gift::TextFormat::Markdown => {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(text));
            clean(&html)
        }
        gift::TextFormat::Plain => escape(text).replace('\n', "<br>"),
    }
}

/// Parses, maps and sanitizes a GIFT file.
pub fn convert(text: &str) -> ImportReport {
    let parsed = gift::parse(text);
    let mut report = ImportReport {
        errors: parsed
            .errors
            .into_iter()
            .map(|e| (e.line, e.message))
            .collect(),
        ..ImportReport::default()
    };
    for q in parsed.questions {
        let html = |t: &str| to_html(t, &q.format);
        let explanation_html = q.general_feedback.as_deref().map(html).unwrap_or_default();
        let skip = |what: &str| (q.line, format!("{what}: our item types cannot hold it"));
        match &q.kind {
            gift::Kind::MultipleChoice { answers, .. } => {
                let right = answers.iter().filter(|a| a.weight > 0.0).count();
                if right == 0 {
                    report.errors.push((q.line, "no right answer".to_string()));
                    continue;
                }
                report.questions.push(ImportedQuestion {
                    item_type: if right == 1 {
                        ItemType::Single
                    } else {
                        ItemType::Multi
                    },
                    title: q.title.clone(),
                    category: q.category.clone(),
                    line: q.line,
                    stem_html: html(&q.text),
                    options: answers
                        .iter()
                        .map(|a| ImportedOption {
                            html: html(&a.text),
                            correct: a.weight > 0.0,
                            why_html: a.feedback.as_deref().map(html).unwrap_or_default(),
                        })
                        .collect(),
                    explanation_html,
                });
            }
            gift::Kind::TrueFalse {
                answer,
                feedback_wrong,
                feedback_right,
            } => {
                let why = feedback_right
                    .as_deref()
                    .or(feedback_wrong.as_deref())
                    .map(html)
                    .unwrap_or_default();
                report.questions.push(ImportedQuestion {
                    item_type: ItemType::Yesno,
                    title: q.title.clone(),
                    category: q.category.clone(),
                    line: q.line,
                    stem_html: "<p>Is this statement true?</p>".to_string(),
                    options: vec![ImportedOption {
                        html: html(&q.text),
                        correct: *answer,
                        why_html: why,
                    }],
                    explanation_html,
                });
            }
            gift::Kind::ShortAnswer { .. } => report.skipped.push(skip("short answer")),
            gift::Kind::Matching { .. } => report.skipped.push(skip("matching")),
            gift::Kind::Numerical { .. } => report.skipped.push(skip("numerical")),
            gift::Kind::Essay => report.skipped.push(skip("essay")),
            gift::Kind::Description => report.skipped.push(skip("description (no answer)")),
        }
    }
    report.errors.sort();
    report.skipped.sort();
    report
}

/// Imports a GIFT file into a group's bank: all or nothing. Any error (listed with its line)
/// imports nothing.
pub async fn import(
    pool: &PgPool,
    group_id: i64,
    user_id: Option<i64>,
    text: &str,
) -> Result<ImportSummary, AppError> {
    let report = convert(text);
    if !report.errors.is_empty() {
        let messages = report
            .errors
            .iter()
            .map(|(line, message)| format!("line {line}: {message}"))
            .collect();
        return Err(AppError::Validation(BTreeMap::from([(
            "file".to_string(),
            messages,
        )])));
    }
    if report.questions.is_empty() {
        return Err(AppError::field(
            "file",
            "The file holds no question we can import.",
        ));
    }
    let mut tx = pool.begin().await?;
    // One import at a time per group: the ids below count the questions already there.
    sqlx::query!(
        "select group_id from study_group where group_id = $1 for update",
        group_id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(AppError::NotFound)?;
    let start: i64 = sqlx::query_scalar!(
        "select count(*) as \"n!\" from group_question where group_id = $1",
        group_id
    )
    .fetch_one(&mut *tx)
    .await?;
    for (n, q) in report.questions.iter().enumerate() {
        let id = format!(
            "g{group_id}-{}",
            start + i64::try_from(n).unwrap_or_default() + 1
        );
        sqlx::query!(
            r#"
            insert into group_question (group_id, question_id, item_type, title, category,
                                        source_line, content, imported_by)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            "#,
            group_id,
            id,
            q.item_type.as_str(),
            q.title,
            q.category,
            i32::try_from(q.line).unwrap_or(i32::MAX),
            serde_json::to_value(q)?,
            user_id,
        )
        .execute(&mut *tx)
        .await?;
        // Also a question of the bank proper (its own exam code keeps it out of the exam's
        // search and sync), so answers and exam items can point at its version.
        let question = to_question(id.clone(), q);
        sqlx::query!(
            r#"
            insert into question (question_id, exam_code, current_version, item_type, domain,
                                  page_slug, difficulty, search_text)
            values ($1, $2, 1, $3, $4, '', $5, '')
            "#,
            id,
            format!("group-{group_id}"),
            q.item_type.as_str(),
            GROUP_DOMAIN,
            i16::from(question.def.difficulty),
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            r#"
            insert into question_version (question_id, version, content_hash, content)
            values ($1, 1, $2, $3)
            "#,
            id,
            question.content_hash,
            serde_json::to_value(q)?,
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(ImportSummary {
        imported: report.questions.len(),
        skipped: report
            .skipped
            .iter()
            .map(|(line, why)| format!("line {line}: {why}"))
            .collect(),
    })
}

/// A group's imported questions, in import order.
pub async fn group_bank(
    pool: &PgPool,
    group_id: i64,
) -> Result<Vec<(String, ImportedQuestion)>, AppError> {
    let rows = sqlx::query!(
        "select question_id, content from group_question where group_id = $1 order by imported_at, source_line",
        group_id
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((r.question_id, serde_json::from_value(r.content).ok()?)))
        .collect())
}

/// The group a question id belongs to (`g{group}-{n}`), if it is a group's own question.
pub fn group_of(question_id: &str) -> Option<i64> {
    question_id
        .strip_prefix('g')?
        .split_once('-')?
        .0
        .parse()
        .ok()
}

/// An imported question as a question of the bank: single and multiple choice keep their
/// options (ids `o1`, `o2`, ...); a true/false statement becomes a yes/no statement `s1`.
/// The HTML was sanitized at import and is used as it is.
pub fn to_question(id: String, q: &ImportedQuestion) -> Question {
    let part_id = |i: usize| match q.item_type {
        ItemType::Yesno => format!("s{}", i + 1),
        _ => format!("o{}", i + 1),
    };
    let parts: Vec<Part> = q
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| Part {
            id: part_id(i),
            html: o.html.clone(),
            why_html: o.why_html.clone(),
            correct: o.correct,
        })
        .collect();
    let key = match q.item_type {
        ItemType::Yesno => Key::YesNo(parts.iter().map(|p| (p.id.clone(), p.correct)).collect()),
        _ => Key::Choices(
            parts
                .iter()
                .filter(|p| p.correct)
                .map(|p| p.id.clone())
                .collect(),
        ),
    };
    let (options, statements) = match q.item_type {
        ItemType::Yesno => (
            Vec::new(),
            parts
                .iter()
                .map(|p| StatementDef {
                    id: p.id.clone(),
                    text: p.html.clone(),
                    answer: p.correct,
                    why: p.why_html.clone(),
                })
                .collect(),
        ),
        _ => (
            parts
                .iter()
                .map(|p| OptionDef {
                    id: p.id.clone(),
                    text: p.html.clone(),
                    correct: p.correct,
                    why: p.why_html.clone(),
                })
                .collect(),
            Vec::new(),
        ),
    };
    let choose = (q.item_type == ItemType::Multi)
        .then(|| u8::try_from(parts.iter().filter(|p| p.correct).count()).unwrap_or(u8::MAX));
    let content = serde_json::to_string(q).unwrap_or_default();
    Question {
        def: QuestionDef {
            id,
            item_type: q.item_type,
            domain: GROUP_DOMAIN.to_string(),
            objective: q.title.clone().unwrap_or_default(),
            refs: Vec::new(),
            difficulty: 2,
            tags: q.category.iter().cloned().collect(),
            stem: q.stem_html.clone(),
            explanation: q.explanation_html.clone(),
            options,
            choose,
            steps: Vec::new(),
            statements,
            dimensions: Vec::new(),
            case: None,
            diagram: None,
            sources: Vec::new(),
        },
        file: std::path::PathBuf::new(),
        line: q.line,
        page: String::new(),
        case: None,
        stem_html: q.stem_html.clone(),
        explanation_html: q.explanation_html.clone(),
        diagram_html: None,
        parts,
        dimensions: Vec::new(),
        key,
        content_hash: format!("{:016x}", content::questions::fnv1a(content.as_bytes())),
    }
}

/// A group's own questions, ready to serve, in import order. Retired ones (of a deleted
/// group) only when asked for: old answers and attempts still show them.
pub async fn group_questions(
    conn: &mut sqlx::PgConnection,
    group_id: i64,
    include_retired: bool,
) -> Result<Vec<Question>, AppError> {
    let rows = sqlx::query!(
        r#"
        select q.question_id, v.content
        from question q
        join question_version v on v.question_id = q.question_id and v.version = q.current_version
        where q.exam_code = 'group-' || $1::bigint and ($2 or q.retired_at is null)
        order by length(q.question_id), q.question_id
        "#,
        group_id,
        include_retired,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let q: ImportedQuestion = serde_json::from_value(r.content).ok()?;
            Some(to_question(r.question_id, &q))
        })
        .collect())
}

/// The group whose own question this is (`None` for a question of an exam pack's bank).
pub fn own_group(content: &ContentStore, question_id: &str) -> Option<i64> {
    group_of(question_id).filter(|_| content.pack_of(question_id).is_none())
}

/// The groups whose own questions are among these ids (ids of the exam's bank are skipped).
pub fn groups_in<'i>(
    content: &ContentStore,
    ids: impl IntoIterator<Item = &'i str>,
) -> std::collections::BTreeSet<i64> {
    ids.into_iter()
        .filter_map(|id| own_group(content, id))
        .collect()
}

/// [`bank_for`] over the pool: a connection is taken only when some id is a group's question
/// (the common case, the exams' own questions, needs no database at all).
pub async fn bank_for_ids<'a, 'i>(
    pool: &PgPool,
    content: &'a ContentStore,
    ids: impl IntoIterator<Item = &'i str>,
) -> Result<Bank<'a>, AppError> {
    let groups = groups_in(content, ids);
    if groups.is_empty() {
        return Ok(Bank::of_exams(content));
    }
    let mut conn = pool.acquire().await?;
    bank_for(&mut conn, content, groups).await
}

/// The exam's bank plus these groups' own questions (see `groups_in`).
pub async fn bank_for<'a>(
    conn: &mut sqlx::PgConnection,
    content: &'a ContentStore,
    groups: std::collections::BTreeSet<i64>,
) -> Result<Bank<'a>, AppError> {
    let mut questions = Vec::new();
    for group_id in groups {
        questions.extend(group_questions(&mut *conn, group_id, true).await?);
    }
    Ok(Bank {
        exams: &content.exams,
        groups: QuestionBank::from_questions(questions),
    })
}

/// Our bank as GIFT (Markdown text), for the item types GIFT can express: single and multiple
/// choice, and yes/no questions of one statement (as true/false). Returns the text and the ids
/// left out with the reason.
pub fn export(exam: &ExamPack) -> (String, Vec<(String, String)>) {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for q in &exam.bank.questions {
        let def = &q.def;
        let category = Some(format!(
            "{}/{}/{}",
            exam.meta.short_title, def.domain, q.page
        ));
        let kind = match def.item_type {
            ItemType::Single | ItemType::Multi => {
                let right = def.options.iter().filter(|o| o.correct).count().max(1);
                gift::Kind::MultipleChoice {
                    answers: def
                        .options
                        .iter()
                        .map(|o| gift::Answer {
                            text: o.text.clone(),
                            weight: match (def.item_type, o.correct) {
                                (ItemType::Single, true) => 100.0,
                                (ItemType::Single, false) => 0.0,
                                // Moodle's convention: wrong choices cost, so ticking everything earns nothing.
                                (_, true) => (100.0 / right as f64 * 100_000.0).round() / 100_000.0,
                                (_, false) => -100.0,
                            },
                            feedback: Some(o.why.clone()),
                        })
                        .collect(),
                    missing_word: false,
                }
            }
            ItemType::Yesno if def.statements.len() == 1 => {
                let s = &def.statements[0];
                out.push(gift::Question {
                    line: 0,
                    title: Some(def.id.clone()),
                    category,
                    format: gift::TextFormat::Markdown,
                    text: format!("{}\n\n{}", def.stem, s.text),
                    kind: gift::Kind::TrueFalse {
                        answer: s.answer,
                        feedback_wrong: Some(s.why.clone()),
                        feedback_right: Some(s.why.clone()),
                    },
                    general_feedback: Some(def.explanation.clone()),
                });
                continue;
            }
            other => {
                skipped.push((
                    def.id.clone(),
                    format!("{}: GIFT has no equivalent", other.label()),
                ));
                continue;
            }
        };
        out.push(gift::Question {
            line: 0,
            title: Some(def.id.clone()),
            category,
            format: gift::TextFormat::Markdown,
            text: def.stem.clone(),
            kind,
            general_feedback: Some(def.explanation.clone()),
        });
    }
    (gift::write(&out), skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imported_text_is_sanitized() {
        let report = convert(
            "::Evil::[html]<p onclick=\"x()\">Pick <script>alert(1)</script>one</p> {\n=<a href=\"javascript:alert(1)\">right</a> ~wrong}\n",
        );
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let q = &report.questions[0];
        assert!(
            !q.stem_html.contains("script") && !q.stem_html.contains("onclick"),
            "{}",
            q.stem_html
        );
        assert!(
            !q.options[0].html.contains("javascript"),
            "{}",
            q.options[0].html
        );
    }

    #[test]
    fn imported_text_reaches_no_other_site() {
        let report = convert(
            "::Links::[html]<p>See <a href=\"https://evil.example/x\">this</a>, <a href=\"//evil.example\">that</a> and <a href=\"/reference/cicd#gates\">ours</a><img src=\"https://tracker.example/p.gif\" alt=\"x\"></p> {=yes ~no}\n",
        );
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let stem = &report.questions[0].stem_html;
        assert!(!stem.contains("evil.example"), "{stem}");
        assert!(
            !stem.contains("tracker.example") && !stem.contains("<img"),
            "{stem}"
        );
        assert!(
            stem.contains("this") && stem.contains("that"),
            "link text kept: {stem}"
        );
        assert!(stem.contains("href=\"/reference/cicd#gates\""), "{stem}");
    }

    #[test]
    fn kinds_we_cannot_hold_are_skipped_with_their_lines() {
        let report = convert(
            "Name it. {=MLflow =mlflow}\n\nHow many? {#3:1}\n\nDiscuss. {}\n\nA fact. {T}\n",
        );
        assert_eq!(report.questions.len(), 1);
        assert_eq!(report.questions[0].item_type, ItemType::Yesno);
        let lines: Vec<usize> = report.skipped.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![1, 3, 5]);
    }

    #[test]
    fn weights_make_a_multiple_response_question() {
        let report = convert("Pick two. {~%50%a ~%50%b ~%-100%c}\n");
        assert_eq!(report.questions[0].item_type, ItemType::Multi);
        let key: Vec<bool> = report.questions[0]
            .options
            .iter()
            .map(|o| o.correct)
            .collect();
        assert_eq!(key, vec![true, true, false]);
    }
}
