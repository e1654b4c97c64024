//! The autosave's usual path, built for a class saving at once: saves that arrive together are
//! written by one statement (group commit), and nothing a save needs is looked up twice.
//!
//! - Who: a session's signed-in user never changes (signing in gives a new session id), so the
//!   user and session epoch of a session id are kept in memory after the first load. The
//!   statement checks everything that can change: the session row still exists and has not
//!   expired, the account's epoch is the same and it is not disabled.
//! - What: an attempt's questions never change, so its question ids and presentation orders
//!   are kept in memory (to turn screen ids into the bank's and check an answer's shape
//!   without a query).
//! - Writing: saves queue for a writer task; it takes all that are waiting (up to
//!   [`MAX_BATCH`]) and applies them in one `update`, which checks per save what
//!   [`super::save`] checks (owner, open attempt before its deadline, item not locked nor in a
//!   closed case study, newer `seq`), holding the attempts `for share` so a save cannot slip
//!   between a submission's scoring and its commit. Each save is answered once that
//!   transaction has committed. A save the statement did not apply goes to the full path
//!   ([`super::save`]), which says why (or acknowledges an older `seq`, unapplied); so does
//!   every save of a batch that failed.
//!
//! Saves of one attempt always go to the same writer, so two batches of this instance never
//! wait on each other's rows.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use sqlx::PgPool;
use sqlx::types::Json;
use tokio::sync::mpsc;
use tower_sessions::Session;

use crate::auth::SessionClaim;
use crate::batch::{Reply, Writers};
use crate::memory::{SessionClaims, recall, remember};
use content::ContentStore;
use shared::error::AppError;
use shared::exam::SaveAck;
use shared::question::Response;

/// Most saves one statement writes.
const MAX_BATCH: usize = 256;
/// Attempts remembered before the memory starts over (a few MB at most).
const MAX_ATTEMPTS: usize = 5_000;

/// An attempt's items by position, in position order: the question id and the presentation
/// order (to turn the browser's screen ids into the bank's).
type AttemptQuestions = Arc<[(i32, String, Vec<String>)]>;

/// One save waiting for its writer.
struct Pending {
    attempt_id: i64,
    claim: SessionClaim,
    session_id: String,
    position: i32,
    response: Option<serde_json::Value>,
    seq: i64,
    applied: Reply<bool>,
}

/// The memories and the writers of one app instance.
pub struct Autosaver {
    pool: PgPool,
    claims: Arc<SessionClaims>,
    questions: Mutex<HashMap<i64, AttemptQuestions>>,
    writers: Writers<Pending>,
}

impl std::fmt::Debug for Autosaver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Autosaver").finish_non_exhaustive()
    }
}

impl Autosaver {
    pub fn new(pool: PgPool, claims: Arc<SessionClaims>) -> Self {
        Self {
            pool,
            claims,
            questions: Mutex::default(),
            writers: Writers::default(),
        }
    }

    /// The question ids of an attempt's items, by position (whoever owns it: only used to
    /// check an answer's shape before the statement checks the owner).
    async fn questions(&self, attempt_id: i64) -> Result<AttemptQuestions, AppError> {
        if let Some(ids) = recall(&self.questions, &attempt_id) {
            return Ok(ids);
        }
        let rows = sqlx::query!(
            r#"select position, question_id, option_order as "option_order: Json<Vec<String>>" from exam_item where attempt_id = $1 order by position"#,
            attempt_id,
        )
        .fetch_all(&self.pool)
        .await?;
        let ids: AttemptQuestions = rows
            .into_iter()
            .map(|r| {
                let order = r.option_order.0;
                (r.position, r.question_id, order)
            })
            .collect();
        if !ids.is_empty() {
            remember(&self.questions, MAX_ATTEMPTS, attempt_id, ids.clone());
        }
        Ok(ids)
    }

    /// The usual save: `Some(ack)` when it was applied, `None` when the full path should look
    /// at it (not signed in, a question of a group's bank, an answer of the wrong shape, or a
    /// save the statement did not apply).
    pub async fn save(
        &self,
        content: &ContentStore,
        session: &Session,
        attempt_id: i64,
        position: usize,
        response: Option<&Response>,
        seq: i64,
    ) -> Result<Option<SaveAck>, AppError> {
        let Ok(position_i32) = i32::try_from(position) else {
            return Ok(None);
        };
        if seq <= 0 {
            return Ok(None);
        }
        let Some((session_id, claim)) = self.claims.claim(session).await? else {
            return Ok(None);
        };
        let response = match response {
            Some(response) => {
                let items = self.questions(attempt_id).await?;
                // A group's question needs its bank loaded: the full path does that.
                let Some((question, order)) = items
                    .binary_search_by_key(&position_i32, |(p, ..)| *p)
                    .ok()
                    .and_then(|i| Some((content.question(&items[i].1)?, &items[i].2)))
                else {
                    return Ok(None);
                };
                // Screen ids to the bank's; an answer that does not fit takes the full path,
                // which says why.
                let Ok(bank_response) = question.shown(order).to_bank(response) else {
                    return Ok(None);
                };
                if super::answering::check_shape(question, &bank_response).is_err() {
                    return Ok(None);
                }
                Some(bank_response)
            }
            None => None,
        };
        let value = response.as_ref().map(serde_json::to_value).transpose()?;
        let applied = self
            .writers
            .send(
                attempt_id,
                |applied| Pending {
                    attempt_id,
                    claim,
                    session_id,
                    position: position_i32,
                    response: value,
                    seq,
                    applied,
                },
                |queue| write_batches(self.pool.clone(), queue),
                "autosave",
            )
            .await
            .unwrap_or(false);
        Ok(applied.then_some(SaveAck {
            position,
            seq,
            applied: true,
        }))
    }
}

/// A writer: takes every save waiting (at least one), writes them in one statement, answers
/// each, and goes on until the app stops.
async fn write_batches(pool: PgPool, mut queue: mpsc::UnboundedReceiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let result = write(&pool, &batch).await.map_err(|err| err.to_string());
        for save in batch.drain(..) {
            let applied = result
                .as_ref()
                .map(|applied| applied.contains(&(save.attempt_id, save.position, save.seq)));
            // The request may have gone (its client left): nothing to answer then.
            let _ = save.applied.send(applied.map_err(Clone::clone));
        }
    }
}

/// Writes a batch; returns the (attempt, position, seq) of the saves it applied. Of two saves
/// of one item in a batch only the newer is offered to the statement.
async fn write(pool: &PgPool, batch: &[Pending]) -> Result<HashSet<(i64, i32, i64)>, sqlx::Error> {
    let mut newest: HashMap<(i64, i32), &Pending> = HashMap::with_capacity(batch.len());
    for save in batch {
        newest
            .entry((save.attempt_id, save.position))
            .and_modify(|kept| {
                if save.seq > kept.seq {
                    *kept = save;
                }
            })
            .or_insert(save);
    }
    let mut saves: Vec<&Pending> = newest.into_values().collect();
    saves.sort_by_key(|s| (s.attempt_id, s.position));
    let mut attempts: Vec<i64> = saves.iter().map(|s| s.attempt_id).collect();
    attempts.dedup();
    let rows = sqlx::query!(
        r#"
        with attempt as (
            select attempt_id, user_id, case_closed from exam_attempt
            where attempt_id = any($1) and attempt_open(submitted_at, deadline)
            order by attempt_id
            for share
        )
        update exam_item i set response = s.response, saved_seq = s.seq, saved_at = now()
        from unnest($2::int8[], $3::int8[], $4::int4[], $5::text[], $6::int4[], $7::jsonb[], $8::int8[])
            as s(attempt_id, user_id, epoch, session_id, position, response, seq)
        join attempt on attempt.attempt_id = s.attempt_id and attempt.user_id = s.user_id
        where i.attempt_id = s.attempt_id and i.position = s.position and i.saved_seq < s.seq
          and exam_item_writable(i.locked, i.section, attempt.case_closed)
          and exists (select 1 from live_account a where a.user_id = s.user_id and a.epoch = s.epoch)
          and exists (select 1 from live_session t where t.id = s.session_id)
        returning i.attempt_id, i.position, i.saved_seq
        "#,
        &attempts,
        &saves.iter().map(|s| s.attempt_id).collect::<Vec<_>>(),
        &saves.iter().map(|s| s.claim.user_id).collect::<Vec<_>>(),
        &saves.iter().map(|s| s.claim.epoch).collect::<Vec<_>>(),
        &saves.iter().map(|s| s.session_id.clone()).collect::<Vec<_>>(),
        &saves.iter().map(|s| s.position).collect::<Vec<_>>(),
        &saves.iter().map(|s| s.response.clone()).collect::<Vec<_>>() as &[Option<serde_json::Value>],
        &saves.iter().map(|s| s.seq).collect::<Vec<_>>(),
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.attempt_id, r.position, r.saved_seq))
        .collect())
}

/// Autosaves the answer to one question of an attempt: the usual save takes the fast path
/// ([`Autosaver::save`]); anything it cannot decide alone, the full one ([`super::save`]).
pub async fn save_answer(
    req: &crate::Request,
    attempt_id: i64,
    position: usize,
    response: Option<Response>,
    seq: i64,
) -> Result<SaveAck, AppError> {
    let state = &req.state;
    if let Some(ack) = state
        .autosaver
        .save(
            &state.content,
            &req.session,
            attempt_id,
            position,
            response.as_ref(),
            seq,
        )
        .await?
    {
        return Ok(ack);
    }
    let user = req.require_user().await?;
    super::save(
        &state.pool,
        &state.content,
        &user,
        attempt_id,
        position,
        response,
        seq,
    )
    .await
}
