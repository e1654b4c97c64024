//! Mock exams through the real router and a real database: selection, integrity, ownership,
//! autosave ordering, the section rules, the deadline and scoring.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{CONTENT, Client, account, exam_question, screen_key, signed_in};

async fn learner(router: &axum::Router, pool: &PgPool, email: &str) -> Client {
    account(router, pool, email, false).await
}

async fn start(client: &mut Client, questions: usize) -> i64 {
    let reply = client
        .form("/api/exams/start", &[("questions", &questions.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body.as_i64().unwrap()
}

async fn attempt(client: &mut Client, id: i64) -> Value {
    let reply = client
        .form("/api/exams/attempt", &[("id", &id.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    reply.body
}

/// The bank question behind an attempt's item (from the database: nothing the client
/// receives names it).
async fn bank_id(pool: &PgPool, attempt: i64, item: &Value) -> String {
    exam_question(pool, attempt, item["position"].as_i64().unwrap())
        .await
        .0
}

/// The right answer to an attempt's item, in the screen ids the item shows.
async fn key(pool: &PgPool, attempt: i64, item: &Value) -> Value {
    screen_key(&bank_id(pool, attempt, item).await, &item["question"])
}

async fn save(
    client: &mut Client,
    id: i64,
    position: usize,
    response: Value,
    seq: i64,
) -> (StatusCode, Value) {
    client
        .post(
            "/api/exams/save",
            json!({ "id": id, "position": position, "response": response, "seq": seq }),
        )
        .await
}

async fn go(client: &mut Client, id: i64, position: usize) -> crate::helpers::Reply {
    client
        .form(
            "/api/exams/go",
            &[("id", &id.to_string()), ("position", &position.to_string())],
        )
        .await
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn mock_exams_need_an_account(pool: PgPool) {
    let mut client = Client::new(crate::helpers::router(pool).await);
    let intro = client.form("/api/exams/intro", &[]).await;
    assert_eq!(intro.status, StatusCode::OK);
    assert_eq!(intro.body["signed_in"], false);
    assert!(
        intro.body["coverage_note"]
            .as_str()
            .unwrap()
            .contains("all five domains")
    );
    let reply = client
        .form("/api/exams/start", &[("questions", "10")])
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    let page = client.get("/exams").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .as_str()
            .unwrap()
            .contains("Sign in to sit a mock exam")
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_full_exam_follows_the_blueprint(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = learner(&router, &pool, "ada@example.org").await;
    let reply = ada.form("/api/exams/start", &[("questions", "37")]).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "only the blueprint's lengths"
    );
    let id = start(&mut ada, 50).await;
    assert_eq!(
        start(&mut ada, 10).await,
        id,
        "an open attempt is resumed, not doubled"
    );
    let session = &attempt(&mut ada, id).await["Open"];
    let items = session["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    let exam = CONTENT.default_exam();
    let mut domains: BTreeMap<String, usize> = BTreeMap::new();
    let mut ids = std::collections::BTreeSet::new();
    for item in items {
        let q = exam.bank.get(&bank_id(&pool, id, item).await).unwrap();
        *domains.entry(q.def.domain.clone()).or_default() += 1;
        ids.insert(q.id().to_string());
    }
    assert_eq!(ids.len(), 50, "no repeats");
    // The five official weights (midpoints 17.5, 27.5, 22.5, 12.5, 12.5 of 92.5): about
    // 9.5, 14.9, 12.2, 6.8 and 6.8 of 50 (the case study can tip a domain by a few).
    for (domain, expected) in [
        ("mlops-infra", 9.5),
        ("model-lifecycle", 14.9),
        ("genaiops-infra", 12.2),
        ("genai-quality", 6.8),
        ("genai-optimize", 6.8),
    ] {
        let got = domains.get(domain).copied().unwrap_or(0) as f64;
        assert!((got - expected).abs() <= 4.0, "{domain}: {domains:?}");
    }
    let case: Vec<&Value> = items.iter().filter(|i| i["section"] == 1).collect();
    assert!(!case.is_empty(), "a case study section");
    assert!(
        items
            .iter()
            .skip_while(|i| i["section"] == 0)
            .all(|i| i["section"] == 1)
    );
    // The deadline is the server's: 100 minutes.
    let left =
        session["deadline_ms"].as_i64().unwrap() - session["server_now_ms"].as_i64().unwrap();
    assert!((99 * 60_000..=100 * 60_000).contains(&left), "{left}");
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn an_open_attempt_reveals_no_key_and_belongs_to_its_owner(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = learner(&router, &pool, "ada@example.org").await;
    let mut bob = learner(&router, &pool, "bob@example.org").await;
    let id = start(&mut ada, 25).await;
    let body = attempt(&mut ada, id).await;
    let text = body.to_string();
    assert!(!text.contains("why_html"), "no explanations");
    assert!(!text.contains("\"correct\""), "no correctness");
    assert!(!text.contains("explanation_html"), "no explanations");
    assert!(!text.contains("\"feedback\""), "no feedback");
    // The server-rendered page (and its hydration data) carries none either.
    let page = ada.get(&format!("/exams/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.body.as_str().unwrap().to_string();
    assert!(
        html.contains("data-testid=\"exam\""),
        "the page shows the exam"
    );
    let exam = CONTENT.default_exam();
    for item in body["Open"]["items"].as_array().unwrap() {
        let q = exam.bank.get(&bank_id(&pool, id, item).await).unwrap();
        for part in q
            .parts
            .iter()
            .chain(q.dimensions.iter().flat_map(|d| d.2.iter()))
        {
            if part.why_html.len() > 20 {
                assert!(!html.contains(&part.why_html), "a why leaked into the page");
            }
        }
        assert!(
            !html.contains(&q.explanation_html),
            "an explanation leaked into the page"
        );
    }
    // Bob cannot see, save, flag, move or submit Ada's attempt.
    let reply = bob
        .form("/api/exams/attempt", &[("id", &id.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let (status, _) = save(&mut bob, id, 0, json!(null), 1).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for (path, extra) in [
        (
            "/api/exams/flag",
            vec![("position", "0"), ("flagged", "true")],
        ),
        ("/api/exams/go", vec![("position", "1")]),
        ("/api/exams/submit", vec![]),
    ] {
        let mut fields = vec![("id", id.to_string())];
        fields.extend(extra.into_iter().map(|(k, v)| (k, v.to_string())));
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            bob.form(path, &fields).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let submitted: Option<bool> = sqlx::query_scalar(
        "select submitted_at is not null from exam_attempt where attempt_id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .ok();
    assert_eq!(submitted, Some(false));
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_late_older_save_never_overwrites_a_newer_one(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = learner(&router, &pool, "ada@example.org").await;
    let id = start(&mut ada, 10).await;
    let session = attempt(&mut ada, id).await;
    let item = session["Open"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["question"]["item_type"] == "single")
        .unwrap()
        .clone();
    let position = item["position"].as_u64().unwrap() as usize;
    let choices: Vec<String> = item["question"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let newer = json!({ "kind": "choices", "value": [choices[0]] });
    let older = json!({ "kind": "choices", "value": [choices[1]] });
    let (status, ack) = save(&mut ada, id, position, newer.clone(), 20).await;
    assert_eq!(status, StatusCode::OK, "{ack}");
    assert_eq!(ack["applied"], true);
    let (_, ack) = save(&mut ada, id, position, older, 10).await;
    assert_eq!(ack["applied"], false, "the older save arrived late");
    let (_, ack) = save(&mut ada, id, position, newer.clone(), 20).await;
    assert_eq!(ack["applied"], false, "a retried save changes nothing");
    let stored = &attempt(&mut ada, id).await["Open"]["items"][position]["response"];
    assert_eq!(stored, &newer);
    // Bad saves get clear errors.
    let (status, _) = save(&mut ada, id, 999, newer.clone(), 30).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, error) = save(
        &mut ada,
        id,
        position,
        json!({ "kind": "order", "value": ["x"] }),
        31,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    let (status, _) = save(&mut ada, id, position, newer, 0).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn answers_after_the_deadline_are_refused_and_the_exam_submits_itself(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = learner(&router, &pool, "ada@example.org").await;
    let id = start(&mut ada, 10).await;
    let session = attempt(&mut ada, id).await;
    let first = &session["Open"]["items"][0];
    let answer = key(&pool, id, first).await;
    let (status, _) = save(&mut ada, id, 0, answer.clone(), 5).await;
    assert_eq!(status, StatusCode::OK);
    sqlx::query("update exam_attempt set deadline = now() - interval '1 minute', started_at = now() - interval '21 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    let (status, error) = save(&mut ada, id, 1, answer, 6).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(error.to_string().contains("Time is up"), "{error}");
    let results = &attempt(&mut ada, id).await["Done"];
    assert_eq!(results["auto_submitted"], true);
    assert_eq!(results["answered"], 1, "the answer saved in time counts");
    assert!(
        results["items"][0]["feedback"]["parts"]
            .as_array()
            .is_some()
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_server_submits_an_abandoned_exam_at_its_deadline(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = learner(&router, &pool, "ada@example.org").await;
    let id = start(&mut ada, 10).await;
    assert_eq!(
        services::exams::submit_overdue(&pool, &CONTENT)
            .await
            .unwrap(),
        0,
        "nothing is overdue yet"
    );
    sqlx::query("update exam_attempt set deadline = now() - interval '10 seconds', started_at = now() - interval '20 minutes'")
        .execute(&pool)
        .await
        .unwrap();
    assert_eq!(
        services::exams::submit_overdue(&pool, &CONTENT)
            .await
            .unwrap(),
        1
    );
    let (auto, scaled): (bool, Option<i32>) = sqlx::query_as(
        "select auto_submitted, scaled_score from exam_attempt where attempt_id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(auto);
    assert_eq!(scaled, Some(1), "nothing answered: the bottom of the scale");
    assert_eq!(
        services::exams::submit_overdue(&pool, &CONTENT)
            .await
            .unwrap(),
        0
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn all_right_answers_score_1000_with_a_domain_report(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = learner(&router, &pool, "ada@example.org").await;
    let id = start(&mut ada, 10).await;
    let session = attempt(&mut ada, id).await;
    for (seq, item) in session["Open"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        let position = item["position"].as_u64().unwrap() as usize;
        let (status, ack) = save(
            &mut ada,
            id,
            position,
            key(&pool, id, item).await,
            seq as i64 + 1,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{ack}");
    }
    let reply = ada
        .form("/api/exams/submit", &[("id", &id.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let results = &attempt(&mut ada, id).await["Done"];
    assert_eq!(results["scaled"], 1000);
    assert_eq!(results["passed"], true);
    assert_eq!(results["answered"], 10);
    let domain_questions: u64 = results["by_domain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["questions"].as_u64().unwrap())
        .sum();
    assert_eq!(domain_questions, 10);
    assert!(
        results["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["correct"] == true)
    );
    // Saving after submitting is refused.
    let (status, _) = save(&mut ada, id, 0, json!(null), 99).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // The history and the trend show it.
    let intro = ada.form("/api/exams/intro", &[]).await.body;
    assert_eq!(intro["history"][0]["scaled"], 1000);
    assert!(
        intro["trend"]["svg"]
            .as_str()
            .unwrap()
            .contains("chart__threshold")
    );
    assert!(intro["open_attempt"].is_null());
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_yes_no_answer_left_and_a_case_study_left_cannot_be_reentered(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = learner(&router, &pool, "ada@example.org").await;
    let id = start(&mut ada, 50).await;
    let session = attempt(&mut ada, id).await;
    let items = session["Open"]["items"].as_array().unwrap().clone();
    let yesno = items
        .iter()
        .find(|i| i["question"]["item_type"] == "yesno" && i["section"] == 0);
    if let Some(item) = yesno {
        let position = item["position"].as_u64().unwrap() as usize;
        assert_eq!(go(&mut ada, id, position).await.status, StatusCode::OK);
        let (status, _) = save(&mut ada, id, position, key(&pool, id, item).await, 1).await;
        assert_eq!(status, StatusCode::OK);
        let other = if position == 0 { 1 } else { 0 };
        let nav = go(&mut ada, id, other).await;
        assert_eq!(nav.status, StatusCode::OK);
        assert!(
            nav.body["locked"]
                .as_array()
                .unwrap()
                .contains(&json!(position))
        );
        let back = go(&mut ada, id, position).await;
        assert_eq!(back.status, StatusCode::CONFLICT);
        let (status, _) = save(&mut ada, id, position, json!(null), 2).await;
        assert_eq!(status, StatusCode::CONFLICT);
    }
    let case_at = items
        .iter()
        .position(|i| i["section"] == 1)
        .expect("a case study");
    assert_eq!(go(&mut ada, id, case_at).await.status, StatusCode::OK);
    let general = items
        .iter()
        .position(|i| i["section"] == 0 && i["question"]["item_type"] != "yesno")
        .unwrap();
    let nav = go(&mut ada, id, general).await;
    assert_eq!(nav.body["case_closed"], true);
    assert_eq!(go(&mut ada, id, case_at).await.status, StatusCode::CONFLICT);
    // Reloading keeps the order, the position and the rules.
    let again = attempt(&mut ada, id).await;
    assert_eq!(again["Open"]["position"], general);
    assert_eq!(again["Open"]["case_closed"], true);
    let ids = |v: &Value| -> Vec<String> {
        v["Open"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["question"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&again), ids(&session));
}

/// The autosave's usual path (a batched update that checks everything itself, with the
/// session's user remembered) refuses what the full path refuses: a session signed out, one
/// whose password changed, a disabled account, another learner's attempt, a submitted one;
/// and what it applies is what the results show.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn an_autosave_checks_the_account_the_owner_and_the_attempt_every_time(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = learner(&router, &pool, "ada@example.org").await;
    let mut bob = learner(&router, &pool, "bob@example.org").await;
    let id = start(&mut ada, 10).await;
    let session = attempt(&mut ada, id).await;
    let items = session["Open"]["items"].as_array().unwrap().clone();
    let mut answers = Vec::new();
    for item in &items {
        answers.push(key(&pool, id, item).await);
    }
    let answer_of = |position: usize| answers[position].clone();
    let (status, ack) = save(&mut ada, id, 0, answer_of(0), 1).await;
    assert_eq!(
        (status, ack["applied"].clone()),
        (StatusCode::OK, json!(true))
    );
    // Clearing an answer needs no question lookup; it is applied too.
    let (status, ack) = save(&mut ada, id, 1, answer_of(1), 2).await;
    assert_eq!(
        (status, ack["applied"].clone()),
        (StatusCode::OK, json!(true))
    );
    let (status, ack) = save(&mut ada, id, 1, Value::Null, 3).await;
    assert_eq!(
        (status, ack["applied"].clone()),
        (StatusCode::OK, json!(true))
    );
    assert!(attempt(&mut ada, id).await["Open"]["items"][1]["response"].is_null());

    // Signed out in this browser: a copy of the old cookie saves nothing, though the server
    // remembers who that session was.
    let mut stale = Client::new(router.clone());
    stale.cookie = ada.cookie.clone();
    let reply = ada.form("/api/account/signout", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (status, _) = save(&mut stale, id, 2, answer_of(2), 4).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let mut ada = signed_in(&router, "ada@example.org").await;

    // Another learner: not found, and nothing changes.
    let (status, _) = save(&mut bob, id, 2, answer_of(2), 4).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = save(&mut bob, id, 2, Value::Null, 5).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The password changed in another session: this one is signed out, the save refused.
    sqlx::query(
        "update app_user set session_epoch = session_epoch + 1 where email = 'ada@example.org'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let (status, _) = save(&mut ada, id, 2, answer_of(2), 6).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let mut ada = signed_in(&router, "ada@example.org").await;
    let (status, ack) = save(&mut ada, id, 2, answer_of(2), 7).await;
    assert_eq!(
        (status, ack["applied"].clone()),
        (StatusCode::OK, json!(true))
    );

    // A disabled account: refused.
    sqlx::query("update app_user set disabled_at = now() where email = 'ada@example.org'")
        .execute(&pool)
        .await
        .unwrap();
    let (status, _) = save(&mut ada, id, 3, answer_of(3), 8).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    sqlx::query("update app_user set disabled_at = null where email = 'ada@example.org'")
        .execute(&pool)
        .await
        .unwrap();
    let mut ada = signed_in(&router, "ada@example.org").await;

    // Submitted: refused with the reason; the answers saved before count.
    let reply = ada
        .form("/api/exams/submit", &[("id", &id.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let (status, error) = save(&mut ada, id, 4, answer_of(4), 9).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error}");
    let results = &attempt(&mut ada, id).await["Done"];
    assert_eq!(results["answered"], 2, "{results}");
    let stored: Vec<(i32, bool)> = sqlx::query_as(
        "select position, response is not null from exam_item where attempt_id = $1 and position < 5 order by position",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        stored,
        vec![(0, true), (1, false), (2, true), (3, false), (4, false)]
    );
}

/// Saves sent all at once (several to each question, in any order, as a class would send
/// them) are written in batches; for each question the newest one is acknowledged as applied
/// and is the one stored, and a save acknowledged as applied is never overwritten by an older.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn saves_sent_at_once_keep_the_newest_answer_of_each_question(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let ada = learner(&router, &pool, "ada@example.org").await;
    let bob = learner(&router, &pool, "bob@example.org").await;
    let mut tasks = Vec::new();
    let mut expected = BTreeMap::new();
    for (mut client, learner) in [(ada, "ada"), (bob, "bob")] {
        let id = start(&mut client, 10).await;
        let session = attempt(&mut client, id).await;
        let items = session["Open"]["items"].as_array().unwrap().clone();
        let cookie = client.cookie.clone();
        // Five saves to each of the 10 questions; seq 1..=50 sent in a shuffled order.
        for seq in (1..=50i64).rev() {
            let position = (seq as usize * 7) % 10;
            let response = if seq % 5 == 0 {
                Value::Null
            } else {
                key(&pool, id, &items[position]).await
            };
            let newest = expected
                .entry((learner, id, position))
                .or_insert((seq, response.clone()));
            if seq > newest.0 {
                *newest = (seq, response.clone());
            }
            let mut client = Client::new(router.clone());
            client.cookie = cookie.clone();
            tasks.push(tokio::spawn(async move {
                let (status, ack) = save(&mut client, id, position, response, seq).await;
                assert_eq!(status, StatusCode::OK, "{ack}");
                (id, position, seq, ack["applied"] == json!(true))
            }));
        }
    }
    let mut acks = Vec::new();
    for task in tasks {
        acks.push(task.await.unwrap());
    }
    for ((_, id, position), (seq, response)) in &expected {
        assert!(
            acks.contains(&(*id, *position, *seq, true)),
            "the newest save of {id}/{position} (seq {seq}) was not applied"
        );
        let stored: (Option<Value>, i64) = sqlx::query_as(
            "select response, saved_seq from exam_item where attempt_id = $1 and position = $2",
        )
        .bind(id)
        .bind(*position as i32)
        .fetch_one(&pool)
        .await
        .unwrap();
        // Stored in the bank's ids: the screen's, read through the item's presentation order.
        let (bank_id, order) = exam_question(&pool, *id, *position as i64).await;
        let expected = (!response.is_null()).then(|| {
            let screen = serde_json::from_value(response.clone()).unwrap();
            let bank = CONTENT
                .question(&bank_id)
                .unwrap()
                .shown(&order)
                .to_bank(&screen)
                .unwrap();
            serde_json::to_value(bank).unwrap()
        });
        assert_eq!(stored, (expected, *seq));
    }
}

/// The full path's grace (`exams::GRACE`, in Rust) and the group-commit path's and the
/// embargo's (`attempt_open`, in SQL) are the same two seconds.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_grace_after_the_deadline_is_one_rule(pool: PgPool) {
    let grace = services::exams::GRACE.as_seconds_f64();
    let open_at = |past_deadline: f64| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, bool>(
                "select attempt_open(null, now() - make_interval(secs => $1))",
            )
            .bind(past_deadline)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert!(open_at(grace - 0.5).await, "inside the grace");
    assert!(!open_at(grace + 0.5).await, "past the grace");
    let submitted: bool =
        sqlx::query_scalar("select attempt_open(now(), now() + interval '1 hour')")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(!submitted, "a submitted attempt takes no answers");
}

/// The group-commit path (what an ordinary autosave takes) and the full path (`exams::save`,
/// where any save the first cannot take goes) leave the same row for the same save, and both
/// ignore an older save.
#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_fast_and_the_full_autosave_leave_the_same_rows(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = learner(&router, &pool, "ada@example.org").await;
    let id = start(&mut ada, 10).await;
    let session = attempt(&mut ada, id).await;
    let user = sqlx::query_as::<_, (i64, String, String, bool, i32)>(
        "select user_id, email, display_name, is_admin, session_epoch from app_user where email = 'ada@example.org'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    let user = services::auth::User {
        user_id: user.0,
        email: user.1,
        display_name: user.2,
        is_admin: user.3,
        session_epoch: user.4,
    };
    let row = |position: i64| {
        let pool = pool.clone();
        async move {
            sqlx::query_as::<_, (Option<Value>, i64, bool)>(
                "select response, saved_seq, saved_at is not null from exam_item where attempt_id = $1 and position = $2",
            )
            .bind(id)
            .bind(i32::try_from(position).unwrap())
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    let items = session["Open"]["items"].as_array().unwrap().clone();
    let mut compared = 0;
    for item in items.iter().filter(|i| i["section"] == 0).take(4) {
        let position = item["position"].as_i64().unwrap();
        let response = key(&pool, id, item).await;
        // The endpoint: a signed-in learner's save of an exam-pack question goes the fast way.
        let (status, ack) = save(&mut ada, id, position as usize, response.clone(), 5).await;
        assert_eq!(status, StatusCode::OK, "{ack}");
        assert_eq!(ack["applied"], true, "{ack}");
        let fast = row(position).await;
        sqlx::query(
            "update exam_item set response = null, saved_seq = 0, saved_at = null where attempt_id = $1 and position = $2",
        )
        .bind(id)
        .bind(i32::try_from(position).unwrap())
        .execute(&pool)
        .await
        .unwrap();
        let ack = services::exams::save(
            &pool,
            &CONTENT,
            &user,
            id,
            position as usize,
            Some(serde_json::from_value(response.clone()).unwrap()),
            5,
        )
        .await
        .unwrap();
        assert!(ack.applied);
        let full = row(position).await;
        assert_eq!(fast, full, "position {position}");
        // An older save changes nothing, either way.
        let (_, ack) = save(&mut ada, id, position as usize, json!(null), 4).await;
        assert_eq!(ack["applied"], false, "{ack}");
        let ack = services::exams::save(&pool, &CONTENT, &user, id, position as usize, None, 4)
            .await
            .unwrap();
        assert!(!ack.applied);
        assert_eq!(row(position).await, full);
        compared += 1;
    }
    assert_eq!(compared, 4);
}
