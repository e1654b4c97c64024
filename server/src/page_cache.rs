//! A cache of the pages that are the same for every signed-out visitor: the reference index,
//! the reference pages and the diagram gallery. Content is loaded once at startup and never
//! changes while the server runs, so a rendered page stays right; only the CSP nonce must be
//! new for every response, and it is swapped in on the way out.
//!
//! Only a request without a session cookie is served from (or stored in) the cache, and only a
//! 200 HTML response that sets no cookie is stored. The key holds what else changes the page:
//! the path and the theme and exam cookies.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use shared::exam_choice;
use shared::theme::Theme;

/// The largest page stored (a reference page is about 30 KB).
const MAX_PAGE_BYTES: usize = 512 * 1024;

/// The most pages kept. Keys are canonical (a served exam, a known theme, a path made only of
/// lower-case letters, digits and dashes, and only 200 responses are kept), so the pages that
/// exist fit many times over; the bound is there for whatever slips past that.
const MAX_PAGES: usize = 2_048;

/// Rendered pages by key.
#[derive(Clone, Default)]
pub struct PageCache {
    pages: Arc<RwLock<HashMap<String, Arc<Cached>>>>,
    /// The exams served (an `exam` cookie naming another is the default exam's page).
    exams: Arc<[String]>,
}

impl PageCache {
    /// A cache for a site serving these exam codes (the first is the default).
    pub fn new(exams: impl IntoIterator<Item = String>) -> Self {
        Self {
            pages: Arc::default(),
            exams: exams.into_iter().collect(),
        }
    }

    /// How many pages are stored.
    pub fn len(&self) -> usize {
        self.pages.read().map_or(0, |pages| pages.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

struct Cached {
    headers: HeaderMap,
    /// The page split where its nonce was (in its script tags), so a fresh one is put in
    /// without searching the page again; shared, so a response copies none of it.
    pieces: Vec<Bytes>,
}

impl Cached {
    fn new(headers: HeaderMap, body: &str, nonce: &str) -> Self {
        let pieces = body
            .split(nonce)
            .map(|piece| Bytes::copy_from_slice(piece.as_bytes()))
            .collect();
        Self { headers, pieces }
    }
}

/// A response body made of shared pieces, sent as they are (hyper writes them with one
/// vectored write) and never copied into one buffer: the page is 28 KB, and that copy was a
/// tenth of a cached response's CPU.
struct Pieces {
    chunks: VecDeque<Bytes>,
    remaining: u64,
}

impl Pieces {
    fn new(chunks: impl IntoIterator<Item = Bytes>) -> Self {
        let chunks: VecDeque<Bytes> = chunks.into_iter().filter(|c| !c.is_empty()).collect();
        let remaining = chunks.iter().map(|c| c.len() as u64).sum();
        Self { chunks, remaining }
    }
}

impl http_body::Body for Pieces {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        let next = self.chunks.pop_front().map(|chunk| {
            self.remaining -= chunk.len() as u64;
            Ok(http_body::Frame::data(chunk))
        });
        std::task::Poll::Ready(next)
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

/// Whether this path shows the same page to every signed-out visitor, written the one way
/// pages link to it (a percent-encoded or otherwise odd spelling is rendered, not stored).
fn cacheable_path(path: &str) -> bool {
    path == "/reference"
        || path == "/diagrams"
        || path == "/glossary"
        || path.strip_prefix("/reference/").is_some_and(|slug| {
            !slug.is_empty()
                && slug.len() <= 80
                && slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// The cache key of a request, or `None` when it must be rendered.
fn key(request: &Request<Body>, exams: &[String]) -> Option<String> {
    if request.method() != Method::GET || request.uri().query().is_some() {
        return None;
    }
    let path = request.uri().path();
    if !cacheable_path(path) {
        return None;
    }
    let cookies: Vec<&str> = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    let has_session = cookies
        .iter()
        .flat_map(|c| c.split(';'))
        .any(|pair| pair.trim_start().starts_with("session="));
    if has_session {
        return None;
    }
    let theme = cookies
        .iter()
        .map(|c| Theme::from_cookie_header(c))
        .find(|t| *t != Theme::System)
        .unwrap_or_default();
    // The exam the page is rendered for: a cookie naming no served exam gets the default's.
    let exam = cookies
        .iter()
        .find_map(|c| exam_choice::from_cookie_header(c))
        .and_then(|code| exams.iter().position(|e| *e == code))
        .filter(|&i| i > 0)
        .map_or("", |i| exams[i].as_str());
    Some(format!(
        "{path}|{}|{exam}",
        theme.attribute().unwrap_or("system")
    ))
}

/// The nonce in a CSP header value (`'nonce-…'`).
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers
        .get(header::CONTENT_SECURITY_POLICY)?
        .to_str()
        .ok()?;
    let rest = policy.split("'nonce-").nth(1)?;
    Some(rest.split('\'').next()?.to_string())
}

impl Cached {
    /// The page with a fresh nonce.
    fn response(&self) -> Response {
        let nonce = app::web::csp::new_nonce();
        let mut headers = self.headers.clone();
        if let Ok(policy) = HeaderValue::from_str(&app::web::csp::policy(Some(&nonce))) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        let nonce = Bytes::from(nonce);
        let mut chunks = Vec::with_capacity(self.pieces.len() * 2);
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                chunks.push(nonce.clone());
            }
            chunks.push(piece.clone());
        }
        let body = Body::new(Pieces::new(chunks));
        (StatusCode::OK, headers, body).into_response()
    }
}

/// The middleware: serves a stored page, or renders and stores it.
pub async fn cached_pages(
    State(cache): State<PageCache>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let Some(key) = key(&request, &cache.exams) else {
        return next.run(request).await;
    };
    let hit = cache
        .pages
        .read()
        .ok()
        .and_then(|pages| pages.get(&key).cloned());
    if let Some(page) = hit {
        return page.response();
    }
    let response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status() != StatusCode::OK
        || !is_html
        || response.headers().contains_key(header::SET_COOKIE)
    {
        return response;
    }
    let Some(nonce) = nonce_of(response.headers()) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large").into_response();
    };
    let Ok(text) = String::from_utf8(bytes.to_vec()) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    if let Ok(mut pages) = cache.pages.write()
        && pages.len() < MAX_PAGES
    {
        pages.insert(
            key,
            Arc::new(Cached::new(parts.headers.clone(), &text, &nonce)),
        );
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, cookie: Option<&str>) -> Request<Body> {
        let mut builder = Request::get(path);
        if let Some(cookie) = cookie {
            builder = builder.header(header::COOKIE, cookie);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn a_cached_page_gets_a_fresh_nonce_everywhere_the_old_one_was() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("script-src 'nonce-OLD'"),
        );
        let page = Cached::new(
            headers,
            "<script nonce=\"OLD\">a</script><p>x</p><script nonce=\"OLD\">b</script>",
            "OLD",
        );
        let response = page.response();
        let nonce = nonce_of(response.headers()).unwrap();
        assert_ne!(nonce, "OLD");
        let body = axum::body::to_bytes(response.into_body(), MAX_PAGE_BYTES)
            .await
            .unwrap();
        assert_eq!(
            std::str::from_utf8(&body).unwrap(),
            format!(
                "<script nonce=\"{nonce}\">a</script><p>x</p><script nonce=\"{nonce}\">b</script>"
            )
        );
    }

    #[tokio::test]
    async fn pieces_make_one_body_of_the_exact_length() {
        use http_body::Body as _;
        let chunks = ["<p>", "", "abc", "</p>"].map(|c| Bytes::from_static(c.as_bytes()));
        let pieces = Pieces::new(chunks);
        assert_eq!(pieces.size_hint().exact(), Some(10));
        assert_eq!(pieces.chunks.len(), 3, "the empty piece is dropped");
        let body = axum::body::to_bytes(Body::new(pieces), MAX_PAGE_BYTES)
            .await
            .unwrap();
        assert_eq!(&body[..], b"<p>abc</p>");
    }

    #[tokio::test]
    async fn odd_cookies_and_spellings_do_not_grow_the_cache() {
        use tower::ServiceExt;
        let cache = PageCache::new(["ai-300".to_string(), "sample-101".to_string()]);
        let app = axum::Router::new()
            .fallback(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                        (header::CONTENT_SECURITY_POLICY, "script-src 'nonce-N1'"),
                    ],
                    "<script nonce=\"N1\"></script><p>page</p>",
                )
            })
            .layer(axum::middleware::from_fn_with_state(
                cache.clone(),
                cached_pages,
            ));
        for i in 0..250 {
            for (path, cookie) in [
                ("/reference/cicd".to_string(), format!("exam=x{i}-1")),
                (format!("/reference/%63icd{i}"), String::new()),
                (
                    "/reference/cicd".to_string(),
                    format!("exam=ai-300; theme=t{i}"),
                ),
            ] {
                let response = app
                    .clone()
                    .oneshot(request(
                        &path,
                        Some(&cookie).filter(|c| !c.is_empty()).map(String::as_str),
                    ))
                    .await
                    .unwrap();
                assert_eq!(response.status(), StatusCode::OK);
            }
        }
        assert_eq!(cache.len(), 1, "one page, one key");
    }

    #[test]
    fn only_signed_out_reference_pages_are_cached() {
        let exams = ["ai-300".to_string(), "sample-101".to_string()];
        let key = |path: &str, cookie: Option<&str>| key(&request(path, cookie), &exams);
        assert_eq!(
            key("/reference/cicd", None).as_deref(),
            Some("/reference/cicd|system|")
        );
        assert_eq!(
            key("/reference/cicd", Some("theme=dark; exam=sample-101")).as_deref(),
            Some("/reference/cicd|dark|sample-101")
        );
        // The default exam, named or not, and an exam not served: one page.
        for cookie in ["exam=ai-300", "exam=nope-1", "exam=zz-999"] {
            assert_eq!(
                key("/reference/cicd", Some(cookie)).as_deref(),
                Some("/reference/cicd|system|"),
                "{cookie}"
            );
        }
        assert!(key("/reference/cicd", Some("theme=dark; session=abc")).is_none());
        assert!(key("/practice", None).is_none());
        assert!(key("/reference/cicd?x=1", None).is_none());
        assert!(key("/reference/a/b", None).is_none());
        // Other spellings of a page are rendered, never stored under a key of their own.
        assert!(key("/reference/%63icd", None).is_none());
        assert!(key("/reference/CICD", None).is_none());
    }
}
