//! Faults: PostgreSQL restarting under the server, and two server instances sharing one
//! database.

use axum::http::{StatusCode, header};
use serde_json::json;
use sqlx::PgPool;

use crate::helpers::{Client, PASSWORD, create_user, right_choice};

fn practice_filter() -> serde_json::Value {
    json!({ "filter": { "domain": null, "page": null, "item_type": "single", "difficulty": null, "status": "all", "count": 3 } })
}

#[tokio::test]
async fn a_postgres_restart_answers_503_meanwhile_and_the_server_recovers_by_itself() {
    // A cluster of this test's own, so stopping it disturbs no other test.
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("restart-pg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut pg = server::embedded_pg::EmbeddedPostgres::locate(&dir).unwrap();
    let options = pg.start().await.unwrap();
    let pool = server::startup::pool_options()
        .connect_with(options)
        .await
        .unwrap();
    services::db::MIGRATOR.run(&pool).await.unwrap();
    let router = crate::helpers::router(pool.clone()).await;
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let mut ada = crate::helpers::signed_in(&router, "ada@example.org").await;
    let (status, state) = ada.post("/api/practice/start", practice_filter()).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    let id = state["question"]["id"].as_str().unwrap().to_string();
    let (status, answered) = ada
        .post(
            "/api/practice/answer",
            json!({ "question_id": id, "response": { "kind": "choices", "value": [right_choice(&id, &state["question"])] } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answered}");

    // Load all along: 8 clients asking for Ada's practice state without pause.
    let running = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let mut load = Vec::new();
    for _ in 0..8 {
        let mut client = Client::new(router.clone());
        client.cookie = ada.cookie.clone();
        let running = running.clone();
        load.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            while running.load(std::sync::atomic::Ordering::Relaxed) {
                let reply = client.form("/api/practice/state", &[]).await;
                if reply.status == StatusCode::INTERNAL_SERVER_ERROR {
                    eprintln!("500: {}", reply.body);
                }
                statuses.push(reply.status);
            }
            statuses
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    pg.stop().await;
    // During the outage: 503 with Retry-After for everything that needs the database, never a
    // 500 (and a panic would fail this test).
    let mut anonymous = Client::new(router.clone());
    for _ in 0..3 {
        let health = anonymous.get("/healthz").await;
        assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
        let reply = ada.form("/api/practice/state", &[]).await;
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            reply.body
        );
        assert_eq!(reply.headers[header::RETRY_AFTER], "5");
        assert_eq!(reply.body, json!("Unavailable"), "{}", reply.body);
        let page = ada.get("/progress").await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
        // What needs no database still works.
        let reference = anonymous.get("/reference/cicd").await;
        assert_eq!(reference.status, StatusCode::OK);
    }

    pg.start().await.unwrap();
    // The pool reconnects by itself.
    let mut healthy = false;
    for _ in 0..50 {
        if anonymous.get("/healthz").await.status == StatusCode::OK {
            healthy = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(healthy, "the server recovered");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    running.store(false, std::sync::atomic::Ordering::Relaxed);
    let mut statuses = Vec::new();
    for task in load {
        statuses.extend(task.await.expect("no load task panicked"));
    }
    let count = |code: StatusCode| statuses.iter().filter(|s| **s == code).count();
    assert_eq!(
        count(StatusCode::OK) + count(StatusCode::SERVICE_UNAVAILABLE),
        statuses.len(),
        "only 200 and 503 under load: {statuses:?}"
    );
    assert!(count(StatusCode::SERVICE_UNAVAILABLE) > 0 && count(StatusCode::OK) > 0);
    // The session and the answer saved before the outage are still there.
    let reply = ada.form("/api/practice/state", &[]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["answered"], 1, "{}", reply.body);
    let stored: i64 = sqlx::query_scalar("select count(*) from practice_answer")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(stored, 1);
    pool.close().await;
    pg.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn two_instances_on_one_database_share_sessions_practice_and_exams(pool: PgPool) {
    // Two routers, each with its own state, pool and session store, as two processes have.
    let other_pool = server::startup::pool_options()
        .connect_with((*pool.connect_options()).clone())
        .await
        .unwrap();
    let a = crate::helpers::router(pool.clone()).await;
    let b = crate::helpers::router(other_pool).await;
    create_user(&pool, "ada@example.org", PASSWORD, false).await;
    let mut client = Client::new(a.clone());
    // Alternates between the instances on every request.
    let mut turn = 0usize;
    let mut next = |client: &mut Client| {
        turn += 1;
        client.router = if turn.is_multiple_of(2) {
            a.clone()
        } else {
            b.clone()
        };
    };
    next(&mut client);
    let reply = client
        .form(
            "/api/account/signin",
            &[("email", "ada@example.org"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    next(&mut client);
    let me = client.form("/api/account/me", &[]).await;
    assert_eq!(me.body["email"], "ada@example.org", "{}", me.body);

    // Practice: start on one, answer on the other, move on with the first.
    next(&mut client);
    let (status, state) = client.post("/api/practice/start", practice_filter()).await;
    assert_eq!(status, StatusCode::OK, "{state}");
    for _ in 0..3 {
        let current = client.form("/api/practice/state", &[]).await.body;
        let id = state_id(&current);
        next(&mut client);
        let (status, answered) = client
            .post(
                "/api/practice/answer",
                json!({ "question_id": id, "response": { "kind": "choices", "value": [right_choice(&id, &current["question"])] } }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answered}");
        assert_eq!(answered["feedback"]["correct"], true);
        next(&mut client);
        client.form("/api/practice/next", &[]).await;
    }
    next(&mut client);
    let done = client.form("/api/practice/state", &[]).await.body;
    assert_eq!(done["correct"], 3, "{done}");

    // A mock exam: start on one, every save alternating, submit, results.
    next(&mut client);
    let reply = client
        .form("/api/exams/start", &[("questions", "10")])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let attempt = reply.body.as_i64().unwrap();
    next(&mut client);
    let open = client
        .form("/api/exams/attempt", &[("id", &attempt.to_string())])
        .await
        .body;
    let items = open["Open"]["items"].as_array().unwrap().clone();
    let mut saved = 0;
    for (seq, item) in items.iter().enumerate() {
        if item["question"]["item_type"] != "single" {
            continue;
        }
        let (id, _) =
            crate::helpers::exam_question(&pool, attempt, item["position"].as_i64().unwrap()).await;
        let choice = right_choice(&id, &item["question"]);
        next(&mut client);
        let (status, ack) = client
            .post(
                "/api/exams/save",
                json!({ "id": attempt, "position": item["position"], "response": { "kind": "choices", "value": [choice] }, "seq": seq + 1 }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{ack}");
        saved += 1;
    }
    assert!(saved > 0);
    next(&mut client);
    let reply = client
        .form("/api/exams/submit", &[("id", &attempt.to_string())])
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    next(&mut client);
    let results = client
        .form("/api/exams/attempt", &[("id", &attempt.to_string())])
        .await
        .body;
    assert_eq!(results["Done"]["answered"], saved, "{results}");
}

fn state_id(state: &serde_json::Value) -> String {
    state["question"]["id"].as_str().unwrap().to_string()
}
