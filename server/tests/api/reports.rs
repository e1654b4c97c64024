//! "Report a problem" through the real router and database: filing on a question or a page
//! section, the reporter's list, the admins' queue and answers, a group's reports for its
//! owner and instructors, and every access rule and limit.

use axum::http::StatusCode;
use serde_json::{Value, json};
use sqlx::PgPool;

use crate::helpers::{Client, account};

async fn report(client: &mut Client, fields: &[(&str, &str)]) -> crate::helpers::Reply {
    let mut all = vec![
        ("question_id", ""),
        ("page", ""),
        ("heading", ""),
        ("details", ""),
    ];
    for &(k, v) in fields {
        all.retain(|(key, _)| *key != k);
        all.push((k, v));
    }
    client.form("/api/reports/file", &all).await
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_report_reaches_the_admins_and_their_reply_reaches_the_reporter(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    let mut bob = account(&router, &pool, "bob@example.org", false).await;
    let mut admin = account(&router, &pool, "admin@example.org", true).await;
    let mut anonymous = Client::new(router.clone());

    // Ada answers a question, then reports it; what she answered is kept with the report.
    let (status, state) = ada
        .post(
            "/api/practice/start",
            json!({ "filter": { "item_type": "single", "status": "all", "count": 1 } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{state}");
    let question = state["question"]["id"].as_str().unwrap().to_string();
    let (status, _) = ada
        .post(
            "/api/practice/answer",
            json!({ "question_id": question, "response": { "kind": "choices", "value": ["c1"] } }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let reply = report(
        &mut ada,
        &[
            ("question_id", &question),
            ("reason", "wrong_key"),
            (
                "details",
                "The docs say otherwise:\u{7} see the troubleshooting page.\u{202E}",
            ),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = reply.body.as_i64().unwrap();
    // A section of a page, and the page as a whole.
    let reply = report(
        &mut ada,
        &[
            ("page", "online-endpoints"),
            ("heading", "everyday-operations"),
            ("reason", "typo"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = report(
        &mut ada,
        &[("page", "online-endpoints"), ("reason", "outdated")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);

    let mine = ada.form("/api/reports/mine", &[]).await.body;
    assert_eq!(ids(&mine).len(), 3, "{mine}");
    let first = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap();
    assert_eq!(first["status"], "open");
    assert_eq!(
        first["details"], "The docs say otherwise: see the troubleshooting page.",
        "control and direction characters are dropped"
    );
    assert!(
        first["answered"].as_str().unwrap().starts_with("Chose "),
        "{first}"
    );
    assert!(
        first["target"].as_str().unwrap().contains(&question),
        "{first}"
    );
    assert_eq!(
        first["reporter"], "",
        "a reporter is not told their own name"
    );

    // Bob sees none of Ada's; signed out, nobody can report or read.
    let theirs = bob.form("/api/reports/mine", &[]).await.body;
    assert_eq!(theirs, json!([]));
    assert_eq!(
        report(
            &mut anonymous,
            &[("page", "online-endpoints"), ("reason", "typo")]
        )
        .await
        .status,
        StatusCode::UNAUTHORIZED
    );
    // Only site admins see the queue and answer any report.
    assert_eq!(
        bob.form("/api/reports/admin", &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let reply = bob
        .form(
            "/api/reports/answer",
            &[
                ("report_id", &id.to_string()),
                ("status", "fixed"),
                ("reply", "no"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
    let queue = admin
        .form("/api/reports/admin", &[("status", "open")])
        .await
        .body;
    assert_eq!(ids(&queue).len(), 3, "{queue}");
    assert_eq!(queue[0]["reporter"], "Test Learner");
    let by_question = admin
        .form("/api/reports/admin", &[("question", &question)])
        .await
        .body;
    assert_eq!(ids(&by_question), vec![id]);
    let by_page = admin
        .form("/api/reports/admin", &[("page", "online-endpoints")])
        .await
        .body;
    assert_eq!(ids(&by_page).len(), 2);
    let reply = admin
        .form(
            "/api/reports/answer",
            &[
                ("report_id", &id.to_string()),
                ("status", "fixed"),
                ("reply", "Right: corrected in version 4."),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let mine = ada.form("/api/reports/mine", &[]).await.body;
    let first = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap();
    assert_eq!(first["status"], "fixed");
    assert_eq!(first["reply"], "Right: corrected in version 4.");
    let open = admin
        .form("/api/reports/admin", &[("status", "open")])
        .await
        .body;
    assert_eq!(ids(&open).len(), 2);
    // The export carries them too.
    let export = ada.get("/account/export").await.body;
    assert_eq!(export["problem_reports"].as_array().unwrap().len(), 3);
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn bad_reports_get_clear_errors_and_twenty_a_day_is_the_limit(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    for (fields, expected) in [
        (
            vec![("question_id", "no-such-question"), ("reason", "typo")],
            StatusCode::NOT_FOUND,
        ),
        (
            vec![("question_id", "g999-1"), ("reason", "typo")],
            StatusCode::NOT_FOUND,
        ),
        (
            vec![("page", "no-such-page"), ("reason", "typo")],
            StatusCode::NOT_FOUND,
        ),
        (
            vec![
                ("page", "online-endpoints"),
                ("heading", "no-such-heading"),
                ("reason", "typo"),
            ],
            StatusCode::NOT_FOUND,
        ),
        (
            vec![("page", "online-endpoints"), ("reason", "because")],
            StatusCode::BAD_REQUEST,
        ),
        (vec![("reason", "typo")], StatusCode::BAD_REQUEST),
        (
            vec![
                ("page", "online-endpoints"),
                ("question_id", "cicd-001"),
                ("reason", "typo"),
            ],
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let reply = report(&mut ada, &fields).await;
        assert_eq!(reply.status, expected, "{fields:?}: {}", reply.body);
    }
    let long = "x".repeat(2001);
    let reply = report(
        &mut ada,
        &[
            ("page", "online-endpoints"),
            ("reason", "other"),
            ("details", &long),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert!(
        reply.body["Validation"]["details"].is_array(),
        "{}",
        reply.body
    );
    // Twenty a day; the 21st is refused with the wait.
    for i in 0..20 {
        let reply = report(
            &mut ada,
            &[
                ("page", "online-endpoints"),
                ("reason", "typo"),
                ("details", &format!("n{i}")),
            ],
        )
        .await;
        assert_eq!(reply.status, StatusCode::OK, "{i}: {}", reply.body);
    }
    let reply = report(
        &mut ada,
        &[("page", "online-endpoints"), ("reason", "typo")],
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        reply.body
    );
    assert!(reply.headers.contains_key(axum::http::header::RETRY_AFTER));
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_groups_instructors_see_and_answer_reports_on_its_questions_only(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = account(&router, &pool, "owner@example.org", false).await;
    let mut ada = account(&router, &pool, "ada@example.org", false).await;
    let mut other = account(&router, &pool, "other@example.org", false).await;
    let mut outsider = account(&router, &pool, "out@example.org", false).await;
    let group = crate::helpers::group_with(&mut owner, "Cohort", &mut ada).await;
    let other_group = crate::helpers::new_group(&mut other, "Other").await;
    owner
        .form(
            "/api/groups/import",
            &[
                ("group_id", &group.to_string()),
                ("text", "::A::Pick {=yes ~no}\n"),
            ],
        )
        .await;
    let question = format!("g{group}-1");
    // A non-member cannot even tell the question exists.
    let reply = report(
        &mut outsider,
        &[("question_id", &question), ("reason", "unclear")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = report(
        &mut ada,
        &[("question_id", &question), ("reason", "unclear")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let id = reply.body.as_i64().unwrap().to_string();
    // An exam-bank report is not the group's business.
    report(
        &mut ada,
        &[("page", "online-endpoints"), ("reason", "typo")],
    )
    .await;

    let theirs = owner
        .form("/api/reports/group", &[("group_id", &group.to_string())])
        .await
        .body;
    assert_eq!(ids(&theirs).len(), 1, "{theirs}");
    // A learner of the group, and another group's owner, see none of it.
    assert_eq!(
        ada.form("/api/reports/group", &[("group_id", &group.to_string())])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        other
            .form("/api/reports/group", &[("group_id", &group.to_string())])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let none = other
        .form(
            "/api/reports/group",
            &[("group_id", &other_group.to_string())],
        )
        .await
        .body;
    assert_eq!(none, json!([]));
    let reply = other
        .form(
            "/api/reports/answer",
            &[("report_id", &id), ("status", "rejected"), ("reply", "x")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = owner
        .form(
            "/api/reports/answer",
            &[
                ("report_id", &id),
                ("status", "fixed"),
                ("reply", "Reworded the stem."),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let mine = ada.form("/api/reports/mine", &[]).await.body;
    let answered = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["question_id"] == question.as_str())
        .unwrap();
    assert_eq!(answered["reply"], "Reworded the stem.");
}
