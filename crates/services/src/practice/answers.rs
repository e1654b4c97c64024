//! The usual path of a signed-in learner's practice answer and "next", built for a class
//! practising at once (the full path in `api::practice` handles everything else and says what
//! went wrong).
//!
//! - Who: the session's claim comes from [`SessionClaims`]; the statements check what can
//!   change (the session row still exists and has not expired, the account's epoch, a disabled
//!   account).
//! - Scoring needs no query: the question is in the exam's bank in memory (a study group's
//!   question takes the full path).
//! - Answers queue for a writer task, which takes all that are waiting (up to [`MAX_BATCH`])
//!   and, in one transaction, reads every learner's current question, review card and plan
//!   (locking the set), schedules the reviews, then writes the items, the history
//!   and the cards with one statement. Each answer is acknowledged once that transaction has
//!   committed: an answer the learner saw scored is on disk.
//! - An answer the batch did not write (no set, not the current question, already answered,
//!   signed out...) gets `None`: the full path looks at it again and explains, or shows the
//!   first answer. So does every answer of a batch that failed.
//!
//! A learner's answers always go to the same writer, so this instance's batches never wait on
//! each other's rows.

use std::sync::Arc;

use anyhow::Context;
use sqlx::PgPool;
use time::OffsetDateTime;
use tokio::sync::mpsc;
use tower_sessions::Session;

use super::{AnswerRecord, SetItem, now_ms};
use crate::auth::SessionClaim;
use crate::batch::{Reply, Writers};
use crate::memory::SessionClaims;
use crate::review::{self, CardRow, Plan};
use content::ContentStore;
use shared::error::AppError;
use shared::question::Response;

/// Most answers one transaction writes.
const MAX_BATCH: usize = 256;

/// The current question of a learner's set, as an answer or a move left it.
#[derive(Clone, Debug)]
pub struct SetPlace {
    pub position: usize,
    pub total: usize,
    /// `None` past the last question (the summary).
    pub item: Option<SetItem>,
    pub answered: usize,
    pub correct: usize,
    pub flagged: bool,
    pub bookmarked: bool,
    /// The question is part of the learner's open mock exam: shown, never explained.
    pub in_open_exam: bool,
}

/// One answer waiting for its writer.
struct Pending {
    claim: SessionClaim,
    session_id: String,
    exam_code: String,
    question_id: String,
    /// In screen ids: the writer turns them into the bank's with the item's order.
    response: Response,
    content: Arc<ContentStore>,
    now_ms: i64,
    reply: Reply<Option<SetPlace>>,
}

/// The writers of one app instance.
pub struct Answerer {
    pool: PgPool,
    claims: Arc<SessionClaims>,
    writers: Writers<Pending>,
}

impl std::fmt::Debug for Answerer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Answerer").finish_non_exhaustive()
    }
}

fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or_default()
}

impl Answerer {
    pub fn new(pool: PgPool, claims: Arc<SessionClaims>) -> Self {
        Self {
            pool,
            claims,
            writers: Writers::default(),
        }
    }

    /// The usual answer: `Some(place)` once it is stored, `None` when the full path should
    /// look at it.
    pub async fn answer(
        &self,
        content: &Arc<ContentStore>,
        exam_code: &str,
        session: &Session,
        question_id: &str,
        response: &Response,
    ) -> Result<Option<SetPlace>, AppError> {
        let Some((session_id, claim)) = self.claims.claim(session).await? else {
            return Ok(None);
        };
        if content.question(question_id).is_none() {
            return Ok(None);
        }
        let user_id = claim.user_id;
        Ok(self
            .writers
            .send(
                user_id,
                |reply| Pending {
                    claim,
                    session_id,
                    exam_code: exam_code.to_string(),
                    question_id: question_id.to_string(),
                    response: response.clone(),
                    content: Arc::clone(content),
                    now_ms: now_ms(),
                    reply,
                },
                |queue| write_batches(self.pool.clone(), queue),
                "practice answers",
            )
            .await
            .flatten())
    }

    /// The usual "next": moves the learner's set on by one and returns the new place, or
    /// `None` (nothing moved) when the full path should do it (signed out, no set).
    pub async fn next(&self, session: &Session) -> Result<Option<SetPlace>, AppError> {
        let Some((session_id, claim)) = self.claims.claim(session).await? else {
            return Ok(None);
        };
        let now = now_ms();
        let row = sqlx::query!(
            r#"
            with moved as (
                update practice_set s set position = least(s.position + 1, s.total)
                where s.user_id = $1
                  and exists (select 1 from live_account a where a.user_id = $1 and a.epoch = $2)
                  and exists (select 1 from live_session t where t.id = $3)
                returning s.user_id, s.position, s.total, s.answered, s.correct
            ), shown as (
                update practice_item i set shown_at_ms = $4 from moved
                where i.user_id = moved.user_id and i.position = moved.position
                  and i.shown_at_ms is null
            )
            select moved.position, moved.total, i.question_id as "question_id?",
                   i.version as "version?", i.option_order as "option_order?",
                   coalesce(i.shown_at_ms, $4) as "shown_at_ms!", i.answer,
                   moved.answered, moved.correct,
                   exists (select 1 from question_mark m where m.user_id = $1
                           and m.question_id = i.question_id and m.kind = 'flag') as "flagged!",
                   exists (select 1 from question_mark m where m.user_id = $1
                           and m.question_id = i.question_id and m.kind = 'bookmark') as "bookmarked!",
                   exists (select 1 from open_exam_question o where o.user_id = $1
                           and o.question_id = i.question_id) as "in_open_exam!"
            from moved
            left join practice_item i on i.user_id = moved.user_id and i.position = moved.position
            "#,
            claim.user_id,
            claim.epoch,
            session_id,
            now,
        )
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let item = match (row.question_id, row.version, row.option_order) {
            (Some(question_id), Some(version), Some(order)) => Some(super::sets::item(
                question_id,
                version,
                order,
                Some(row.shown_at_ms),
                row.answer,
            )?),
            _ => None,
        };
        Ok(Some(SetPlace {
            position: count(row.position.into()),
            total: count(row.total.into()),
            item,
            answered: count(row.answered.into()),
            correct: count(row.correct.into()),
            flagged: row.flagged,
            bookmarked: row.bookmarked,
            in_open_exam: row.in_open_exam,
        }))
    }
}

/// A writer: takes every answer waiting (at least one), writes them in one transaction,
/// answers each, and goes on until the app stops.
async fn write_batches(pool: PgPool, mut queue: mpsc::UnboundedReceiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let result = write(&pool, &batch).await.map_err(|err| format!("{err:#}"));
        for (i, pending) in batch.drain(..).enumerate() {
            let place = result.as_ref().map(|places| places[i].clone());
            // The request may have gone (its client left): nothing to answer then.
            let _ = pending.reply.send(place.map_err(Clone::clone));
        }
    }
}

/// A learner's answer as the batch writes it.
struct Write {
    index: usize,
    position: i32,
    record: AnswerRecord,
    card: CardRow,
}

/// Writes a batch; returns, per answer, the place it left the set in (`None` if not written).
/// Only a learner's first answer in a batch is offered (a second one, a double click, takes
/// the full path and finds the first).
async fn write(pool: &PgPool, batch: &[Pending]) -> anyhow::Result<Vec<Option<SetPlace>>> {
    let mut places = vec![None; batch.len()];
    let mut offered: Vec<(usize, &Pending)> = Vec::with_capacity(batch.len());
    for (i, pending) in batch.iter().enumerate() {
        if !offered
            .iter()
            .any(|(_, p)| p.claim.user_id == pending.claim.user_id)
        {
            offered.push((i, pending));
        }
    }
    let column = |f: fn(&Pending) -> String| offered.iter().map(|(_, p)| f(p)).collect::<Vec<_>>();
    let mut tx = pool.begin().await.context("begin")?;
    let rows = sqlx::query!(
        r#"
        select r.ord as "ord!", s.position, s.total, i.version, i.option_order, i.shown_at_ms,
               s.answered, s.correct,
               exists (select 1 from question_mark m where m.user_id = s.user_id
                       and m.question_id = i.question_id and m.kind = 'flag') as "flagged!",
               exists (select 1 from question_mark m where m.user_id = s.user_id
                       and m.question_id = i.question_id and m.kind = 'bookmark') as "bookmarked!",
               p.exam_date as "exam_date?", p.desired_retention as "desired_retention?",
               c.due as "due?", c.stability as "stability?", c.difficulty as "difficulty?",
               c.elapsed_days as "elapsed_days?", c.scheduled_days as "scheduled_days?",
               c.reps as "reps?", c.lapses as "lapses?", c.state as "state?",
               c.last_review as "last_review?"
        from unnest($1::int8[], $2::int4[], $3::text[], $4::text[], $5::text[])
            with ordinality as r(user_id, epoch, session_id, question_id, exam_code, ord)
        join practice_set s on s.user_id = r.user_id
        join practice_item i on i.user_id = s.user_id and i.position = s.position
                            and i.question_id = r.question_id and i.answer is null
        left join study_plan p on p.user_id = s.user_id and p.exam_code = r.exam_code
        left join review_card c on c.user_id = s.user_id and c.question_id = i.question_id
        where exists (select 1 from live_account a where a.user_id = r.user_id and a.epoch = r.epoch)
          and exists (select 1 from live_session t where t.id = r.session_id)
        -- A question of the learner's open mock exam is not scored here (the full path says why).
        and not exists (
            select 1 from open_exam_question o
            where o.user_id = s.user_id and o.question_id = i.question_id
        )
        order by s.user_id
        for update of s
        "#,
        &offered
            .iter()
            .map(|(_, p)| p.claim.user_id)
            .collect::<Vec<_>>(),
        &offered
            .iter()
            .map(|(_, p)| p.claim.epoch)
            .collect::<Vec<_>>(),
        &column(|p| p.session_id.clone()),
        &column(|p| p.question_id.clone()),
        &column(|p| p.exam_code.clone()),
    )
    .fetch_all(&mut *tx)
    .await
    .context("read the answered questions")?;
    let time =
        |secs: i64| OffsetDateTime::from_unix_timestamp(secs).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let mut writes = Vec::with_capacity(rows.len());
    for row in rows {
        let Some(&(index, pending)) = usize::try_from(row.ord - 1)
            .ok()
            .and_then(|o| offered.get(o))
        else {
            continue;
        };
        // Screen ids to the bank's, then the score; an answer that does not fit is left to
        // the full path, which says why.
        let Some(question) = pending.content.question(&pending.question_id) else {
            continue;
        };
        let Ok(response) = question.shown(&row.option_order).to_bank(&pending.response) else {
            continue;
        };
        let Ok(score) = shared::question::score(&question.key, &response) else {
            continue;
        };
        let record = AnswerRecord::new(
            pending.question_id.clone(),
            row.version,
            response,
            &score,
            pending.now_ms,
            row.shown_at_ms,
        );
        let plan = Plan {
            exam_date: row.exam_date,
            desired_retention: row
                .desired_retention
                .map_or(Plan::default().desired_retention, f64::from),
        };
        // The learner's card for the question, if they have one (a left join: all or none).
        let card = (|| {
            Some(CardRow {
                due: row.due?,
                stability: row.stability?,
                difficulty: row.difficulty?,
                elapsed_days: row.elapsed_days?,
                scheduled_days: row.scheduled_days?,
                reps: row.reps?,
                lapses: row.lapses?,
                state: row.state?,
                last_review: row.last_review?,
            })
        })();
        let next = review::schedule(
            card.map(Into::into),
            review::rating(record.points, record.max, record.correct),
            time(record.answered_at),
            &plan,
        );
        places[index] = Some(SetPlace {
            position: count(row.position.into()),
            total: count(row.total.into()),
            item: Some(SetItem {
                question_id: record.question_id.clone(),
                version: row.version,
                order: row.option_order,
                shown_at_ms: row.shown_at_ms,
                answer: Some(record.clone()),
            }),
            answered: count(row.answered.into()) + 1,
            correct: count(row.correct.into()) + usize::from(record.correct),
            flagged: row.flagged,
            bookmarked: row.bookmarked,
            in_open_exam: false,
        });
        writes.push(Write {
            index,
            position: row.position,
            record,
            card: CardRow::from(&next),
        });
    }
    if writes.is_empty() {
        tx.rollback().await.context("rollback")?;
        return Ok(places);
    }
    let user = |w: &Write| batch[w.index].claim.user_id;
    let written = sqlx::query_scalar!(
        r#"
        with x as (
            select * from unnest($1::int8[], $2::int4[], $3::text[], $4::int4[], $5::jsonb[],
                                 $6::bool[], $7::float4[], $8::float4[],
                                 $9::int4[], $10::timestamptz[], $11::timestamptz[],
                                 $12::float8[], $13::float8[], $14::int4[], $15::int4[],
                                 $16::int4[], $17::int4[], $18::int2[], $19::timestamptz[])
                as x(user_id, position, question_id, version, answer, correct,
                     points, max_points, time_taken_ms, answered_at, due, stability,
                     difficulty, elapsed_days, scheduled_days, reps, lapses, state, last_review)
        ), item as (
            update practice_item i set answer = x.answer, correct = x.correct
            from x
            where i.user_id = x.user_id and i.position = x.position
              and i.question_id = x.question_id and i.answer is null
            returning i.user_id, x.correct
        ), counts as (
            update practice_set s
            set answered = s.answered + 1, correct = s.correct + item.correct::int
            from item where s.user_id = item.user_id
        ), history as (
            insert into practice_answer (user_id, question_id, version, response, points,
                                         max_points, correct, time_taken_ms, answered_at)
            select x.user_id, x.question_id, x.version, x.answer -> 'response', x.points,
                   x.max_points,
                   x.correct, x.time_taken_ms, x.answered_at
            from x join item using (user_id)
        ), card as (
            insert into review_card (user_id, question_id, due, stability, difficulty,
                                     elapsed_days, scheduled_days, reps, lapses, state,
                                     last_review)
            select x.user_id, x.question_id, x.due, x.stability, x.difficulty, x.elapsed_days,
                   x.scheduled_days, x.reps, x.lapses, x.state, x.last_review
            from x join item using (user_id)
            on conflict on constraint review_card_pkey do update set
                due = excluded.due, stability = excluded.stability,
                difficulty = excluded.difficulty, elapsed_days = excluded.elapsed_days,
                scheduled_days = excluded.scheduled_days, reps = excluded.reps,
                lapses = excluded.lapses, state = excluded.state,
                last_review = excluded.last_review
        )
        select user_id as "user_id!" from item
        "#,
        &writes.iter().map(user).collect::<Vec<_>>(),
        &writes.iter().map(|w| w.position).collect::<Vec<_>>(),
        &writes
            .iter()
            .map(|w| w.record.question_id.clone())
            .collect::<Vec<_>>(),
        &writes.iter().map(|w| w.record.version).collect::<Vec<_>>(),
        &writes
            .iter()
            .map(|w| serde_json::to_value(&w.record))
            .collect::<Result<Vec<_>, _>>()?,
        &writes.iter().map(|w| w.record.correct).collect::<Vec<_>>(),
        &writes
            .iter()
            .map(|w| w.record.points as f32)
            .collect::<Vec<_>>(),
        &writes
            .iter()
            .map(|w| w.record.max as f32)
            .collect::<Vec<_>>(),
        &writes
            .iter()
            .map(|w| w.record.time_taken_ms)
            .collect::<Vec<_>>(),
        &writes
            .iter()
            .map(|w| time(w.record.answered_at))
            .collect::<Vec<_>>(),
        &writes.iter().map(|w| w.card.due).collect::<Vec<_>>(),
        &writes.iter().map(|w| w.card.stability).collect::<Vec<_>>(),
        &writes.iter().map(|w| w.card.difficulty).collect::<Vec<_>>(),
        &writes
            .iter()
            .map(|w| w.card.elapsed_days)
            .collect::<Vec<_>>(),
        &writes
            .iter()
            .map(|w| w.card.scheduled_days)
            .collect::<Vec<_>>(),
        &writes.iter().map(|w| w.card.reps).collect::<Vec<_>>(),
        &writes.iter().map(|w| w.card.lapses).collect::<Vec<_>>(),
        &writes.iter().map(|w| w.card.state).collect::<Vec<_>>(),
        &writes
            .iter()
            .map(|w| w.card.last_review)
            .collect::<Vec<_>>(),
    )
    .fetch_all(&mut *tx)
    .await
    .context("write the answers")?;
    tx.commit().await.context("commit the answers")?;
    // Locked rows cannot have changed, but only what was written is acknowledged.
    for w in &writes {
        if !written.contains(&user(w)) {
            places[w.index] = None;
        }
    }
    Ok(places)
}
