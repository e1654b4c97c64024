//! GIFT interchange: import into a group's bank (all or nothing, sanitized, by role) and the
//! export/import round trip of our own bank.

use axum::http::StatusCode;
use sqlx::PgPool;

use crate::helpers::{CONTENT, Client, create_user};

const PASSWORD: &str = "copper kettle marches north";

const GIFT: &str = "$CATEGORY: top/MLOps/Week 1\n\n\
::Registry::Where do approved models go? {=The registry#Right: it is shared. ~A local folder#Not shared. ####Registries share models across workspaces.}\n\n\
// A comment between questions.\n\
::Pick two::Which run pipelines? {~%50%Jobs ~%50%Pipeline jobs ~%-100%Datastores}\n\n\
Managed online endpoints scale for you. {T}\n\n\
Name the tracking tool. {=MLflow}\n";

async fn signed_in(router: &axum::Router, pool: &PgPool, email: &str) -> Client {
    create_user(pool, email, PASSWORD, false).await;
    let mut client = Client::new(router.clone());
    client
        .form(
            "/api/account/signin",
            &[("email", email), ("password", PASSWORD)],
        )
        .await;
    client
}

#[sqlx::test(migrator = "app::backend::db::MIGRATOR")]
async fn a_gift_file_comes_into_the_group_bank_all_or_nothing(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = signed_in(&router, &pool, "owner@example.org").await;
    let mut outsider = signed_in(&router, &pool, "out@example.org").await;
    let group = owner
        .form(
            "/api/groups/create",
            &[("name", "Class"), ("description", "")],
        )
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    let reply = owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", GIFT)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["imported"], 3);
    let skipped = reply.body["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert!(
        skipped[0]
            .as_str()
            .unwrap()
            .starts_with("line 10: short answer"),
        "{skipped:?}"
    );
    let bank = owner
        .form("/api/groups/bank", &[("group_id", &group)])
        .await
        .body;
    assert_eq!(bank.as_array().unwrap().len(), 3);
    assert_eq!(bank[0]["category"], "top/MLOps/Week 1");
    // A broken file imports nothing and says where.
    let broken = "Good one. {=a ~b}\n\nBroken {=a ~b\n\nWeights? {~%abc%x =y}\n";
    let reply = owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", broken)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let errors = reply.body["Validation"]["file"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e.as_str().unwrap().starts_with("line 3")),
        "{errors:?}"
    );
    let rows: i64 = sqlx::query_scalar("select count(*) from group_question")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 3, "nothing of the broken file was stored");
    // Only the group's managers import; outsiders learn nothing.
    let reply = outsider
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", GIFT)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(
        outsider
            .form("/api/groups/bank", &[("group_id", &group)])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrator = "app::backend::db::MIGRATOR")]
async fn html_in_an_import_is_sanitized_before_anyone_sees_it(pool: PgPool) {
    let router = crate::helpers::router(pool.clone()).await;
    let mut owner = signed_in(&router, &pool, "owner@example.org").await;
    let group = owner
        .form(
            "/api/groups/create",
            &[("name", "Class"), ("description", "")],
        )
        .await
        .body
        .as_i64()
        .unwrap()
        .to_string();
    let evil = "[html]<img src=x onerror=alert(1)><b>Bold</b> question <script>steal()</script> {=<a href\\=\"javascript:alert(1)\">yes</a> ~no}\n";
    let reply = owner
        .form(
            "/api/groups/import",
            &[("group_id", &group), ("text", evil)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let stored: String = sqlx::query_scalar("select content::text from group_question")
        .fetch_one(&pool)
        .await
        .unwrap();
    for bad in ["onerror", "<script", "href=\\\"javascript"] {
        assert!(!stored.contains(bad), "{bad} in {stored}");
    }
    assert!(stored.contains("<b>Bold</b>"));
}

#[test]
fn our_bank_survives_export_and_import() {
    let exam = CONTENT.default_exam();
    let (text, skipped) = app::backend::bank::export(exam);
    let report = app::backend::bank::convert(&text);
    assert!(
        report.errors.is_empty(),
        "{:?}",
        &report.errors[..report.errors.len().min(5)]
    );
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    let exported = exam.bank.questions.len() - skipped.len();
    assert_eq!(report.questions.len(), exported);
    assert!(
        exported > 150,
        "single, multiple choice and one-statement yes/no: {exported}"
    );
    for q in &report.questions {
        let id = q.title.as_deref().unwrap();
        let source = exam.bank.get(id).unwrap();
        let key: Vec<bool> = q.options.iter().map(|o| o.correct).collect();
        let expected: Vec<bool> = if source.def.statements.len() == 1 {
            vec![source.def.statements[0].answer]
        } else {
            source.def.options.iter().map(|o| o.correct).collect()
        };
        assert_eq!(key, expected, "{id}");
        assert_eq!(q.item_type, source.item_type(), "{id}");
        assert!(
            !q.stem_html.is_empty() && !q.explanation_html.is_empty(),
            "{id}"
        );
    }
}
