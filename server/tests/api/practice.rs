//! The question bank in the database, and practice mode through its HTTP endpoints with a
//! real session cookie.

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{CONTENT, Client, PASSWORD, count, right_choice, signed_in};

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn syncing_the_same_bank_twice_adds_no_versions(pool: PgPool) {
    let exam = CONTENT.default_exam();
    let (first, _) = services::bank::sync::sync_bank(&pool, exam).await.unwrap();
    assert_eq!(first.added, exam.bank.len());
    let row_versions = "select string_agg(xmin::text, ',' order by question_id) from question";
    let before: String = sqlx::query_scalar(row_versions)
        .fetch_one(&pool)
        .await
        .unwrap();
    let (second, versions) = services::bank::sync::sync_bank(&pool, exam).await.unwrap();
    let after: String = sqlx::query_scalar(row_versions)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(
        before, after,
        "an unchanged question's row is not rewritten"
    );
    assert_eq!(second.unchanged, exam.bank.len());
    assert_eq!((second.added, second.changed), (0, 0));
    assert!(versions.values().all(|v| *v == 1));
    let rows: i64 = sqlx::query_scalar("select count(*) from question_version")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, i64::try_from(exam.bank.len()).unwrap());
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_changed_question_gets_a_new_version_and_keeps_the_old_one(pool: PgPool) {
    let exam = CONTENT.default_exam();
    services::bank::sync::sync_bank(&pool, exam).await.unwrap();
    let mut changed = exam.clone();
    let question = &mut changed.bank.questions[0];
    question.def.stem = format!("Edited. {}", question.def.stem);
    question.content_hash = "edited".to_string();
    let id = question.id().to_string();
    let (report, versions) = services::bank::sync::sync_bank(&pool, &changed)
        .await
        .unwrap();
    assert_eq!(report.changed, 1);
    assert_eq!(versions[&id], 2);
    let stems: Vec<String> = sqlx::query_scalar(
        "select content->>'stem' from question_version where question_id = $1 order by version",
    )
    .bind(&id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(stems.len(), 2, "both versions are kept");
    assert!(!stems[0].starts_with("Edited."));
    assert!(stems[1].starts_with("Edited."));
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_question_removed_from_the_content_is_retired_not_deleted(pool: PgPool) {
    let exam = CONTENT.default_exam();
    services::bank::sync::sync_bank(&pool, exam).await.unwrap();
    let mut smaller = exam.clone();
    let removed = smaller.bank.questions.pop().unwrap();
    let (report, _) = services::bank::sync::sync_bank(&pool, &smaller)
        .await
        .unwrap();
    assert_eq!(report.retired, 1);
    assert!(is_retired(&pool, removed.id()).await);
    // Back in the content: live again.
    services::bank::sync::sync_bank(&pool, exam).await.unwrap();
    assert!(!is_retired(&pool, removed.id()).await);
}

async fn is_retired(pool: &PgPool, question_id: &str) -> bool {
    sqlx::query_scalar("select retired_at is not null from question where question_id = $1")
        .bind(question_id)
        .fetch_one(pool)
        .await
        .unwrap()
}

async fn client(pool: PgPool) -> Client {
    Client::new(crate::helpers::router(pool).await)
}

fn filter(item_type: &str, count: u8) -> Value {
    json!({ "filter": { "domain": null, "page": null, "item_type": item_type, "difficulty": null, "status": "all", "count": count } })
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_practice_set_starts_without_revealing_any_key(pool: PgPool) {
    let mut client = client(pool).await;
    let (status, state) = client
        .post("/api/practice/start", filter("single", 5))
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["total"], 5);
    let text = state.to_string();
    assert!(!text.contains("\"correct\":true"), "{text}");
    // No option explanation, under either name it has (a stem may say "why" in its own words).
    assert!(
        !text.contains("\"why_html\"") && !text.contains("\"why\""),
        "{text}"
    );
    let id = state["question"]["id"].as_str().unwrap();
    let question = CONTENT.default_exam().bank.get(id).unwrap();
    assert!(!text.contains(&question.explanation_html));
    assert!(state["feedback"].is_null());
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn answering_scores_against_the_key_and_explains_every_option(pool: PgPool) {
    let mut client = client(pool).await;
    let (_, state) = client
        .post("/api/practice/start", filter("single", 2))
        .await;
    let id = state["question"]["id"].as_str().unwrap().to_string();
    let question = CONTENT.default_exam().bank.get(&id).unwrap();
    let key = right_choice(&id, &state["question"]);
    let view = state["question"].clone();
    let (status, state) = client
        .post(
            "/api/practice/answer",
            json!({ "question_id": id, "response": { "kind": "choices", "value": [key] } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    let feedback = &state["feedback"];
    assert_eq!(feedback["correct"], true);
    assert_eq!(
        feedback["parts"].as_array().unwrap().len(),
        question.parts.len()
    );
    assert!(
        feedback["parts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| !p["why_html"].as_str().unwrap().is_empty())
    );
    assert!(!feedback["refs"].as_array().unwrap().is_empty());
    // Submitting again changes nothing.
    let wrong = view["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .find(|c| *c != key)
        .unwrap();
    let (_, again) = client
        .post(
            "/api/practice/answer",
            json!({ "question_id": id, "response": { "kind": "choices", "value": [wrong] } }),
        )
        .await;
    assert_eq!(again["feedback"]["correct"], true);
    // On to the next question, then the summary.
    let (_, next) = client.post("/api/practice/next", json!({})).await;
    assert_eq!(next["position"], 1);
    assert_ne!(next["question"]["id"], id);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_choose_n_answer_with_the_wrong_count_is_a_field_error(pool: PgPool) {
    let mut client = client(pool).await;
    let (_, state) = client.post("/api/practice/start", filter("multi", 1)).await;
    let id = state["question"]["id"].as_str().unwrap().to_string();
    let first = state["question"]["choices"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, error) = client
        .post(
            "/api/practice/answer",
            json!({ "question_id": id, "response": { "kind": "choices", "value": [first] } }),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    assert!(error.to_string().contains("Select exactly"), "{error}");
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn bad_filters_and_stale_answers_get_clear_errors(pool: PgPool) {
    let mut client = client(pool).await;
    let (status, error) = client
        .post("/api/practice/start", filter("single", 0))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error.to_string().contains("between 1 and 50"), "{error}");
    let (status, _) = client
        .post(
            "/api/practice/answer",
            json!({ "question_id": "x", "response": { "kind": "choices", "value": ["a"] } }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "no set in progress");
    client
        .post("/api/practice/start", filter("single", 2))
        .await;
    let (status, error) = client
        .post("/api/practice/answer", json!({ "question_id": "not-the-current-one", "response": { "kind": "choices", "value": ["a"] } }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    let (status, _) = client
        .post(
            "/api/practice/start",
            json!({ "filter": { "count": "many" } }),
        )
        .await;
    assert!(
        status.is_client_error(),
        "malformed input is a 4xx, got {status}"
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_second_visitor_does_not_see_the_first_ones_set(pool: PgPool) {
    let router = crate::helpers::router(pool).await;
    let mut alice = Client::new(router.clone());
    let mut bob = Client::new(router);
    alice.post("/api/practice/start", filter("single", 3)).await;
    let (status, state) = bob.post("/api/practice/state", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(state.is_null(), "{state}");
}

/// A set is kept in the session as one JSON string; a session written by an older version, as
/// a tree of values, still loads (a learner mid-set during an upgrade keeps the set).
#[tokio::test]
async fn practice_state_loads_from_either_session_format() {
    use services::practice::{PracticeSession, SESSION_KEY};
    use std::sync::Arc;
    use tower_sessions::{MemoryStore, Session};

    let mut practice = PracticeSession::default();
    practice.flagged.insert("q-1".to_string());
    practice.bookmarked.insert("q-2".to_string());

    let session = Session::new(None, Arc::new(MemoryStore::default()), None);
    practice.store(&session).await.unwrap();
    assert!(
        session
            .get_value(SESSION_KEY)
            .await
            .unwrap()
            .unwrap()
            .is_string(),
        "stored as one string"
    );
    assert_eq!(PracticeSession::load(&session).await.unwrap(), practice);

    let legacy = Session::new(None, Arc::new(MemoryStore::default()), None);
    legacy.insert(SESSION_KEY, &practice).await.unwrap();
    assert!(
        legacy
            .get_value(SESSION_KEY)
            .await
            .unwrap()
            .unwrap()
            .is_object()
    );
    assert_eq!(PracticeSession::load(&legacy).await.unwrap(), practice);

    let empty = Session::new(None, Arc::new(MemoryStore::default()), None);
    assert_eq!(
        PracticeSession::load(&empty).await.unwrap(),
        PracticeSession::default()
    );
}

/// The keyed answer to the question a practice view shows, in its screen ids.
fn right_answer(view: &Value) -> Value {
    let question_id = view["id"].as_str().unwrap();
    json!({ "question_id": question_id, "response": { "kind": "choices", "value": [right_choice(question_id, view)] } })
}

/// The learner's practice answers in the history.
async fn answers(pool: &PgPool, user_id: i64) -> i64 {
    count(
        pool,
        "select count(*) from practice_answer where user_id = $1",
        user_id,
    )
    .await
}

/// A signed-in learner's set lives with the account: another browser signed in as the same
/// learner continues it where the first left it, and ten answers to one question sent at once
/// (a double click, two tabs) store one answer, one review and one history row.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_signed_in_set_follows_the_learner_and_keeps_the_first_answer(pool: PgPool) {
    let user_id = crate::helpers::create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let router = crate::helpers::router(pool.clone()).await;
    let mut laptop = signed_in(&router, "ada@example.org").await;
    let (status, state) = laptop
        .post("/api/practice/start", filter("single", 3))
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    let first = state["question"]["id"].as_str().unwrap().to_string();
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let mut client = Client::new(router.clone());
        client.cookie = laptop.cookie.clone();
        let body = right_answer(&state["question"]);
        tasks.push(tokio::spawn(async move {
            client.post("/api/practice/answer", body).await
        }));
    }
    for task in tasks {
        let (status, state) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{state}");
        assert_eq!(state["feedback"]["correct"], true, "{state}");
        assert_eq!(state["answered"], 1, "{state}");
        assert_eq!(state["correct"], 1, "{state}");
    }
    for table in ["practice_answer", "review_card"] {
        let sql = format!("select count(*) from {table} where user_id = $1");
        assert_eq!(count(&pool, &sql, user_id).await, 1, "{table}");
    }
    let stored: Value =
        sqlx::query_scalar("select response from practice_answer where user_id = $1")
            .bind(user_id)
            .fetch_one(&pool)
            .await
            .unwrap();
    // Stored in the bank's ids, whatever the screen called them.
    assert_eq!(
        stored,
        serde_json::to_value(&CONTENT.question(&first).unwrap().key).unwrap()
    );
    let (status, next) = laptop.post("/api/practice/next", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{next}");
    assert_eq!(next["position"], 1);
    assert!(next["feedback"].is_null());

    // The phone: same set, same place, the first answer counted.
    let mut phone = signed_in(&router, "ada@example.org").await;
    let (_, there) = phone.post("/api/practice/state", json!({})).await;
    assert_eq!(there["position"], 1, "{there}");
    assert_eq!(there["question"]["id"], next["question"]["id"]);
    assert_eq!(there["answered"], 1);
    let (status, answered) = phone
        .post("/api/practice/answer", right_answer(&there["question"]))
        .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["answered"], 2);
    // The laptop, still showing the second question, gets the phone's answer, not a second one.
    let mut wrong = right_answer(&there["question"]);
    wrong["response"]["value"] = json!(["none-of-these"]);
    let (status, stale) = laptop.post("/api/practice/answer", wrong).await;
    assert_eq!(status, StatusCode::OK, "{stale}");
    assert_eq!(stale["feedback"]["correct"], true, "{stale}");
    assert_eq!(answers(&pool, user_id).await, 2);
    // On to the summary, then a new set; ending it leaves the history alone.
    phone.post("/api/practice/next", json!({})).await;
    let (status, summary) = phone.post("/api/practice/next", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert!(summary["question"].is_null(), "{summary}");
    assert_eq!(summary["summary"].as_array().unwrap().len(), 3);
    let (status, _) = phone.post("/api/practice/end", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let (_, none) = laptop.post("/api/practice/state", json!({})).await;
    assert!(none.is_null(), "{none}");
    assert_eq!(answers(&pool, user_id).await, 2);
}

/// A set begun signed out goes on after signing in, and its answers from then on are the
/// account's; a signed-out session that reuses the old cookie gets nothing of it.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_set_begun_signed_out_goes_on_in_the_account(pool: PgPool) {
    let user_id = crate::helpers::create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let router = crate::helpers::router(pool.clone()).await;
    let mut client = Client::new(router.clone());
    let (_, state) = client
        .post("/api/practice/start", filter("single", 2))
        .await;
    client
        .post("/api/practice/answer", right_answer(&state["question"]))
        .await;
    let (_, next) = client.post("/api/practice/next", json!({})).await;
    crate::helpers::sign_in(&mut client, "ada@example.org").await;
    let (_, state) = client.post("/api/practice/state", json!({})).await;
    assert_eq!(state["position"], 1, "{state}");
    assert_eq!(state["question"]["id"], next["question"]["id"]);
    assert_eq!(state["answered"], 1);
    let (status, answered) = client
        .post("/api/practice/answer", right_answer(&state["question"]))
        .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["answered"], 2);
    assert_eq!(
        answers(&pool, user_id).await,
        2,
        "the signed-out answer (merged) and the signed-in one"
    );
    let cookie = client.cookie.clone();
    client.form("/api/account/signout", &[]).await;
    let mut stale = Client::new(router);
    stale.cookie = cookie;
    let (status, state) = stale.post("/api/practice/state", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert!(state.is_null(), "{state}");
    let (status, _) = stale.post("/api/practice/next", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

/// Starting a set in two tabs at the same moment: both succeed, the last one wins whole.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn sets_started_at_once_replace_each_other_whole(pool: PgPool) {
    let user_id = crate::helpers::create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let router = crate::helpers::router(pool.clone()).await;
    let tab = signed_in(&router, "ada@example.org").await;
    let mut tasks = Vec::new();
    for n in 1..=6u8 {
        let mut client = Client::new(router.clone());
        client.cookie = tab.cookie.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post("/api/practice/start", filter("single", n))
                .await
        }));
    }
    for task in tasks {
        let (status, state) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{state}");
    }
    let (total, items): (i32, i64) = sqlx::query_as(
        "select total, (select count(*) from practice_item i where i.user_id = s.user_id) \
         from practice_set s where user_id = $1",
    )
    .bind(user_id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(i64::from(total), items, "one set, all of its questions");
}

/// The rows one practice answer leaves, without the times each path stamps itself (when it
/// was answered, how long it took, when the card is due): the set's item and counts, the
/// history row and the review card.
async fn answer_rows(pool: &PgPool, user_id: i64, position: i32) -> Value {
    sqlx::query_scalar(
        r#"
        select jsonb_build_object(
            'item', (select jsonb_build_object('question', i.question_id, 'version', i.version,
                            'response', i.answer -> 'response', 'points', i.answer -> 'points',
                            'max', i.answer -> 'max', 'correct', i.correct)
                     from practice_item i where i.user_id = $1 and i.position = $2),
            'set', (select jsonb_build_object('position', s.position, 'answered', s.answered,
                           'correct', s.correct)
                    from practice_set s where s.user_id = $1),
            'history', (select jsonb_agg(jsonb_build_object('question', a.question_id,
                               'version', a.version, 'response', a.response,
                               'points', a.points, 'max', a.max_points, 'correct', a.correct)
                               order by a.practice_answer_id)
                        from practice_answer a where a.user_id = $1),
            'cards', (select jsonb_agg(jsonb_build_object('question', c.question_id,
                             'stability', c.stability, 'difficulty', c.difficulty,
                             'reps', c.reps, 'lapses', c.lapses, 'state', c.state,
                             'scheduled_days', c.scheduled_days)
                             order by c.question_id)
                      from review_card c where c.user_id = $1))
        "#,
    )
    .bind(user_id)
    .bind(position)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// The fast path of a practice answer (one statement for a batch of learners) and the full
/// path (every rule in Rust against the loaded set) leave the same rows and show the same
/// feedback, for a right and for a wrong answer.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_fast_and_the_full_practice_answer_leave_the_same_rows(pool: PgPool) {
    use services::{Request, State};
    use shared::question::Response;

    let user_id = crate::helpers::create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = signed_in(&router, "ada@example.org").await;
    let (status, mut view) = ada.post("/api/practice/start", filter("single", 3)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    // The services with ada's session, as her requests reach them.
    let store = server::startup::session_store(&pool).await.unwrap();
    let session = tower_sessions::Session::new(
        Some(ada.session_id().unwrap().parse().unwrap()),
        std::sync::Arc::new(store),
        None,
    );
    let req = Request::new(State::new(pool.clone(), CONTENT.clone()), session, None);
    for position in 0..2 {
        assert_eq!(view["position"], position, "{view}");
        let question_id = view["question"]["id"].as_str().unwrap().to_string();
        let mut body = right_answer(&view["question"]);
        if position == 1 {
            let wrong = view["question"]["choices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string())
                .find(|id| *id != right_choice(&question_id, &view["question"]))
                .unwrap();
            body["response"]["value"] = json!([wrong]);
        }
        let response: Response = serde_json::from_value(body["response"].clone()).unwrap();
        let before = answer_rows(&pool, user_id, position).await;

        let place = req
            .state
            .answerer
            .answer(&CONTENT, "ai-300", &req.session, &question_id, &response)
            .await
            .unwrap()
            .expect("the fast path takes a signed-in learner's answer");
        let fast_view = services::practice::view::place_view(
            req.exam(),
            &place,
            &content::questions::Bank::of_exams(&CONTENT),
        )
        .unwrap();
        let fast = answer_rows(&pool, user_id, position).await;
        assert_ne!(fast, before);

        // Back to before the answer, then the full path.
        let (answered, correct): (i32, i32) =
            sqlx::query_as("select answered, correct from practice_set where user_id = $1")
                .bind(user_id)
                .fetch_one(&pool)
                .await
                .unwrap();
        let right = i32::from(position == 0);
        sqlx::query("update practice_set set answered = $2, correct = $3 where user_id = $1")
            .bind(user_id)
            .bind(answered - 1)
            .bind(correct - right)
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query(
            "update practice_item set answer = null, correct = null where user_id = $1 and position = $2",
        )
        .bind(user_id)
        .bind(position)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query(
            "delete from practice_answer where practice_answer_id = (select max(practice_answer_id) from practice_answer where user_id = $1)",
        )
        .bind(user_id)
        .execute(&pool)
        .await
        .unwrap();
        sqlx::query("delete from review_card where user_id = $1 and question_id = $2")
            .bind(user_id)
            .bind(&question_id)
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(answer_rows(&pool, user_id, position).await, before);

        let full_view = services::practice::service::answer_in_full(&req, &question_id, &response)
            .await
            .unwrap();
        assert_eq!(
            answer_rows(&pool, user_id, position).await,
            fast,
            "position {position}"
        );
        assert_eq!(
            serde_json::to_value(&full_view).unwrap(),
            serde_json::to_value(&fast_view).unwrap()
        );
        assert_eq!(
            full_view.feedback.as_ref().map(|f| f.correct),
            Some(position == 0)
        );
        let (status, next) = ada.post("/api/practice/next", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{next}");
        view = next;
    }
}
