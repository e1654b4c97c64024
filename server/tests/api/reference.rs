//! The reference pages and their search, through the real router and a real database.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use sqlx::PgPool;
use tower::ServiceExt;

async fn get(router: axum::Router, uri: &str) -> (StatusCode, String) {
    let response = router
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_index_lists_every_page_grouped_by_domain(pool: PgPool) {
    let (status, html) = get(crate::helpers::router(pool).await, "/reference").await;
    assert_eq!(status, StatusCode::OK);
    for page in &crate::helpers::CONTENT.default_exam().pages {
        assert!(
            html.contains(&format!("href=\"/reference/{}\"", page.front.slug)),
            "index misses {}",
            page.front.slug
        );
    }
    assert!(html.contains("Design and implement an MLOps infrastructure"));
    assert!(html.contains("Implement machine learning model lifecycle and operations"));
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_page_is_rendered_with_its_tables_code_and_formulas(pool: PgPool) {
    let (status, html) = get(
        crate::helpers::router(pool).await,
        "/reference/model-metrics",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<math"), "formulas become MathML");
    assert!(html.contains("<table>"), "tables are rendered");
    assert!(html.contains("class=\"anchor\""), "headings have anchors");
    assert!(html.contains("rel=\"next\""), "a next-page link");
    assert!(html.contains("On this page"), "a table of contents");
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn an_unknown_page_is_a_real_404(pool: PgPool) {
    let (status, html) = get(
        crate::helpers::router(pool).await,
        "/reference/no-such-page",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Page not found"));
}

/// The results of a search of the shipped pack (nothing hidden).
fn search(query: &str, domain: Option<&str>) -> Vec<shared::reference::SearchGroup> {
    let exam = crate::helpers::CONTENT.default_exam();
    exam.search.search(exam, query, domain, &Default::default())
}

fn group(
    groups: &[shared::reference::SearchGroup],
    kind: shared::reference::HitKind,
) -> Vec<shared::reference::SearchHit> {
    groups
        .iter()
        .find(|g| g.kind == kind)
        .map(|g| g.hits.clone())
        .unwrap_or_default()
}

#[test]
fn searching_batch_endpoint_ranks_the_batch_page_first() {
    let hits = group(
        &search("batch endpoint", None),
        shared::reference::HitKind::Section,
    );
    assert!(!hits.is_empty());
    assert!(
        hits[0].url.starts_with("/reference/batch-endpoints"),
        "first hit: {:?}",
        hits[0]
    );
    assert!(
        hits[0].snippet_html.contains("<mark>"),
        "{}",
        hits[0].snippet_html
    );
}

#[test]
fn a_search_that_matches_nothing_returns_nothing() {
    assert!(search("xylophone quokka", None).is_empty());
    assert!(search("the of and", None).is_empty());
}

#[test]
fn everyday_words_typos_and_identifiers_find_their_section() {
    use shared::reference::HitKind;
    for (query, page) in [
        // A glossary phrasing: neither "undo" nor "bad release" is on the page.
        (
            "how do I undo a bad release",
            "/reference/cli-v2#traffic-shift-pattern",
        ),
        ("enviroment from a conda file", "/reference/environments"),
        ("mlflow.log_metric", "/reference/mlflow"),
        (
            "az ml online-deployment get-logs",
            "/reference/online-endpoints",
        ),
    ] {
        let hits = group(&search(query, None), HitKind::Section);
        assert!(
            hits.iter().take(3).any(|h| h.url.starts_with(page)),
            "{query}: {:?}",
            hits.iter().take(3).map(|h| &h.url).collect::<Vec<_>>()
        );
    }
    let terms = group(&search("where should secrets go", None), HitKind::Term);
    assert!(
        terms
            .iter()
            .any(|t| t.heading == "Azure Key Vault" || t.heading == "Key Vault"),
        "{terms:?}"
    );
}

#[test]
fn a_domain_filter_keeps_other_domains_out() {
    let content = &crate::helpers::CONTENT;
    let exam = content.default_exam();
    let groups = search("deployment", Some("genai-optimize"));
    assert!(!groups.is_empty());
    for group in &groups {
        for hit in &group.hits {
            if let Some(slug) = hit.url.strip_prefix("/reference/") {
                let slug = slug.split('#').next().unwrap();
                let page = exam.page(slug).unwrap();
                assert!(
                    page.front.domains.iter().any(|d| d == "genai-optimize"),
                    "{}",
                    hit.url
                );
            }
        }
    }
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_search_page_renders_results_without_javascript(pool: PgPool) {
    let (status, html) = get(
        crate::helpers::router(pool).await,
        "/search?q=managed+identity",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("data-testid=\"search-results\""),
        "results are server-rendered"
    );
    assert!(html.contains("<mark>"), "matches are highlighted");
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn an_unknown_domain_is_a_field_error_and_the_glossary_page_renders(pool: PgPool) {
    let router = crate::helpers::router(pool).await;
    let response = router
        .clone()
        .oneshot(
            Request::post("/api/search")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("query=deploy&domain=nope"))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let body = String::from_utf8_lossy(&body);
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("domain"), "{body}");
    let (status, html) = get(router, "/glossary").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("id=\"managed-identity\""),
        "an entry's anchor"
    );
    assert!(html.contains("href=\"/reference/"), "links to its section");
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn reading_progress_is_recorded_once_per_page(pool: PgPool) {
    let user_id: i64 = sqlx::query_scalar(
        "insert into app_user (email, display_name, password_hash) values ('a@example.com', 'A', 'x') returning user_id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    use services::progress::{mark_page_read, pages_read};
    mark_page_read(&pool, user_id, "ai-300", "cicd")
        .await
        .unwrap();
    mark_page_read(&pool, user_id, "ai-300", "cicd")
        .await
        .unwrap();
    mark_page_read(&pool, user_id, "ai-300", "mlflow")
        .await
        .unwrap();
    assert_eq!(
        pages_read(&pool, user_id, "ai-300").await.unwrap(),
        ["cicd", "mlflow"]
    );
    sqlx::query("delete from app_user where user_id = $1")
        .bind(user_id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(
        pages_read(&pool, user_id, "ai-300")
            .await
            .unwrap()
            .is_empty()
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn the_diagram_gallery_draws_every_diagram_as_accessible_svg(pool: PgPool) {
    let (status, html) = get(crate::helpers::router(pool).await, "/diagrams").await;
    assert_eq!(status, StatusCode::OK);
    let diagrams = &crate::helpers::CONTENT.default_exam().diagrams;
    assert!(diagrams.len() >= 7);
    let svgs = html.matches("role=\"img\"").count()
        + html.matches("role=\"group\" aria-labelledby").count();
    assert_eq!(svgs, diagrams.len());
    assert!(html.contains("Diagram as text"));
    assert!(
        html.contains("href=\"/reference/"),
        "nodes link to the reference"
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_mermaid_fence_in_a_page_becomes_a_diagram(pool: PgPool) {
    let (_, html) = get(crate::helpers::router(pool).await, "/reference/mlops-loop").await;
    assert!(html.contains("<figure class=\"diagram\""));
    assert!(html.contains("<svg"));
    assert!(
        !html.contains("language-mermaid"),
        "the fence is not shown as code"
    );
}

#[test]
fn search_finds_questions_by_their_stem_and_links_to_practising_them() {
    use shared::reference::HitKind;
    let exam = crate::helpers::CONTENT.default_exam();
    let hits = group(&search("canary relase", None), HitKind::Question);
    assert!(!hits.is_empty());
    for hit in &hits {
        assert!(hit.url.starts_with("/practice?question="), "{}", hit.url);
        let id = hit.url.trim_start_matches("/practice?question=");
        let question = exam.bank.get(id).unwrap();
        // Only the stem is searchable: explanations never show up in a snippet.
        assert!(!hit.snippet_html.contains(question.def.explanation.trim()));
    }
    // A domain filter keeps the other domains' questions out.
    for hit in group(&search("canary", Some("genaiops-infra")), HitKind::Question) {
        let id = hit.url.trim_start_matches("/practice?question=");
        assert_eq!(exam.bank.get(id).unwrap().def.domain, "genaiops-infra");
    }
    // A question the searcher has in an open mock exam is left out.
    let first = hits[0]
        .url
        .trim_start_matches("/practice?question=")
        .to_string();
    let hidden = std::collections::HashSet::from([first.clone()]);
    let again = exam.search.search(exam, "canary relase", None, &hidden);
    assert!(
        !group(&again, HitKind::Question)
            .iter()
            .any(|h| h.url.ends_with(&first))
    );
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn a_reference_page_offers_practice_on_its_questions(pool: PgPool) {
    let (_, html) = get(
        crate::helpers::router(pool).await,
        "/reference/batch-endpoints",
    )
    .await;
    assert!(
        html.contains("href=\"/practice?page=batch-endpoints\""),
        "practice link"
    );
    assert!(html.contains("Practise this page ("), "with a count");
}

#[sqlx::test(migrator = "services::db::MIGRATOR")]
async fn signed_out_pages_come_from_the_cache_with_a_fresh_nonce_and_nothing_personal(
    pool: PgPool,
) {
    use crate::helpers::{Client, create_user};
    let router = crate::helpers::router(pool.clone()).await;
    let nonce = |reply: &crate::helpers::Reply| {
        let policy = reply.headers["content-security-policy"].to_str().unwrap();
        policy
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string()
    };
    let mut visitor = Client::new(router.clone());
    let first = visitor.get("/reference/cicd").await;
    let second = visitor.get("/reference/cicd").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(second.status, StatusCode::OK);
    let (one, two) = (nonce(&first), nonce(&second));
    assert_ne!(one, two, "every response has its own nonce");
    let (a, b) = (first.body.as_str().unwrap(), second.body.as_str().unwrap());
    assert!(b.contains(&format!("nonce=\"{two}\"")) && !b.contains(&one));
    assert_eq!(a.replace(&one, "N"), b.replace(&two, "N"), "the same page");

    // A signed-in reader gets their own page (their name in the header); the cache never
    // serves it to anyone else.
    create_user(
        &pool,
        "zed@example.org",
        "copper kettle marches north",
        false,
    )
    .await;
    sqlx::query(
        "update app_user set display_name = 'Zed Quillfeather' where email = 'zed@example.org'",
    )
    .execute(&pool)
    .await
    .unwrap();
    let mut reader = Client::new(router.clone());
    reader
        .form(
            "/api/account/signin",
            &[
                ("email", "zed@example.org"),
                ("password", "copper kettle marches north"),
            ],
        )
        .await;
    let own = reader.get("/reference/cicd").await;
    assert!(
        own.body.as_str().unwrap().contains("Zed Quillfeather"),
        "signed in, the page is rendered for the reader"
    );
    let after = visitor.get("/reference/cicd").await;
    assert!(!after.body.as_str().unwrap().contains("Zed Quillfeather"));
    // An unknown page is a 404 every time (not cached as anything).
    assert_eq!(
        visitor.get("/reference/no-such-page").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        visitor.get("/reference/no-such-page").await.status,
        StatusCode::NOT_FOUND
    );
}
