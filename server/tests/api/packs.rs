//! Content packs: a second exam served next to AI-300, chosen with the exam picker (a cookie),
//! with its own reference, practice bank and mock exam.

use std::path::Path;
use std::sync::{Arc, LazyLock};

use axum::http::{StatusCode, header};
use content::ContentStore;
use sqlx::PgPool;

use crate::helpers::{CONTENT, Client, PASSWORD, create_user};

/// AI-300 (the default, first) and the small sample pack of the test fixtures.
static TWO_PACKS: LazyLock<Arc<ContentStore>> = LazyLock::new(|| {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs");
    let sample = server::commands::load_content(&dir).expect("the sample pack loads");
    let mut exams = CONTENT.exams.clone();
    exams.extend(sample.exams);
    Arc::new(ContentStore { exams })
});

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_exam_picker_switches_reference_practice_and_mock_exams(pool: PgPool) {
    let router = crate::helpers::router_with(pool.clone(), TWO_PACKS.clone()).await;
    let mut client = Client::new(router.clone());
    let exams = client.form("/api/exams/list", &[]).await.body;
    let codes: Vec<&str> = exams
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["ai-300", "sample-101"]);
    assert_eq!(exams[0]["current"], true, "the first pack is the default");
    let index = client.form("/api/reference/index", &[]).await.body;
    assert!(
        index["exam_title"].as_str().unwrap().contains("AI-300"),
        "{index}"
    );

    // Choosing an exam sets the cookie and goes back to the page it came from.
    let reply = client
        .form(
            "/choose-exam",
            &[("code", "sample-101"), ("next", "/reference")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.headers[header::LOCATION], "/reference");
    let exams = client.form("/api/exams/list", &[]).await.body;
    assert_eq!(exams[1]["current"], true, "{exams}");
    let index = client.form("/api/reference/index", &[]).await.body;
    assert_eq!(index["page_count"], 1, "{index}");
    assert!(
        index["exam_title"]
            .as_str()
            .unwrap()
            .contains("Version Control"),
        "{index}"
    );
    let page = client
        .form("/api/reference/page", &[("slug", "commits")])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let options = client.form("/api/practice/options", &[]).await.body;
    assert_eq!(options["total"], 4, "{options}");
    let (status, state) = client
        .post(
            "/api/practice/start",
            serde_json::json!({ "filter": { "domain": null, "page": null, "item_type": null, "difficulty": null, "status": "all", "count": 10 } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    assert_eq!(state["total"], 4);
    assert!(
        state["question"]["id"]
            .as_str()
            .unwrap()
            .starts_with("sample-")
    );
    // An answer to the sample exam's question is scored against its own key.
    let id = state["question"]["id"].as_str().unwrap().to_string();
    let question = TWO_PACKS.question(&id).unwrap();
    let key = crate::helpers::on_screen_of(question, &state["question"], &question.key);
    let (status, answered) = client
        .post(
            "/api/practice/answer",
            serde_json::json!({ "question_id": id, "response": key }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!(answered["feedback"]["correct"], true, "{answered}");

    // A signed-in learner sits the sample exam's mock exam.
    create_user(&pool, "learner@example.org", PASSWORD, false).await;
    client
        .form(
            "/api/account/signin",
            &[("email", "learner@example.org"), ("password", PASSWORD)],
        )
        .await;
    let intro = client.form("/api/exams/intro", &[]).await.body;
    assert!(intro.to_string().contains("Sample"), "{intro}");
    let reply = client.form("/api/exams/start", &[("questions", "4")]).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let attempt = reply.body.as_i64().unwrap().to_string();
    let open = client
        .form("/api/exams/attempt", &[("id", &attempt)])
        .await
        .body;
    let items = open["Open"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 4);
    let drawn: Vec<String> =
        sqlx::query_scalar("select question_id from exam_item where attempt_id = $1::text::int8")
            .bind(&attempt)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(
        drawn.iter().all(|id| id.starts_with("sample-")),
        "{drawn:?}"
    );
    // A group made now studies the sample exam.
    let group = client
        .form(
            "/api/groups/create",
            &[("name", "Git club"), ("description", "")],
        )
        .await
        .body
        .as_i64()
        .unwrap();
    let code: Option<String> =
        sqlx::query_scalar("select exam_code from study_group where group_id = $1")
            .bind(group)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(code.as_deref(), Some("sample-101"));
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_picker_refuses_unknown_exams_and_foreign_redirects(pool: PgPool) {
    let router = crate::helpers::router_with(pool.clone(), TWO_PACKS.clone()).await;
    let mut client = Client::new(router);
    let reply = client
        .form("/choose-exam", &[("code", "nope-000"), ("next", "/")])
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.headers.get(header::SET_COOKIE).is_none());
    let reply = client
        .form("/choose-exam", &[("code", "../etc"), ("next", "/")])
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    // A GET changes nothing (the picker is a POST form).
    let reply = client.get("/choose-exam?code=sample-101&next=%2F").await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(reply.headers.get(header::SET_COOKIE).is_none());
    for next in [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        // Browsers drop a tab, newline or carriage return: `//evil.example`.
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        " //evil.example",
    ] {
        let reply = client
            .form("/choose-exam", &[("code", "sample-101"), ("next", next)])
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.headers[header::LOCATION], "/", "{next}");
    }
    // A forged cookie naming no served exam falls back to the default.
    client
        .others
        .insert("exam".into(), "exam=not-served".into());
    let exams = client.form("/api/exams/list", &[]).await.body;
    assert_eq!(exams[0]["current"], true, "{exams}");
}
