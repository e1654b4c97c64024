//! Checks every request goes through before any handler sees it, and headers every private
//! response gets.
//!
//! - Control characters: no address this app serves has a control character in its path or
//!   query (browsers never send one unencoded; `%00`, `%0A`, `%0D` and the rest are refused
//!   with 400), and no field of any form or server function may hold a NUL (PostgreSQL cannot
//!   store one in text). Line breaks inside a POSTed field are fine (a GIFT file, a
//!   description); single-line fields refuse them with a message beside the field.
//! - Private responses: a response to a request with a session, and every server function's
//!   answer, is `Cache-Control: no-store` (a shared computer's back button or a proxy keeps
//!   nothing of it), unless the handler set a policy of its own.

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// A 400 that says what was wrong, in the error format server functions use.
fn bad_request(message: &str) -> Response {
    let error = shared::error::AppError::field("form", message);
    let body = serde_json::to_string(&error).unwrap_or_default();
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// Whether a percent-encoded piece of an address holds a control character, encoded or not.
fn has_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x20 || b == 0x7f {
            return true;
        }
        if b == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(value) = u8::from_str_radix(hex, 16)
        {
            if value < 0x20 || value == 0x7f {
                return true;
            }
            i += 3;
            continue;
        }
        i += 1;
    }
    false
}

/// Whether a request body holds a NUL: raw, percent-encoded (forms) or escaped (JSON).
fn has_nul(body: &[u8]) -> bool {
    body.contains(&0)
        || body.windows(3).any(|w| w == b"%00")
        || (0..body.len().saturating_sub(5)).any(|i| {
            // `\u0000` whose backslash is not itself escaped (an odd run of backslashes).
            body[i] == b'\\'
                && body[i + 1] == b'u'
                && body[i + 2..i + 6].eq_ignore_ascii_case(b"0000")
                && body[..=i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
        })
}

/// The middleware: refuses control characters in the address and NUL in a body (400), and
/// marks private responses `no-store`.
pub async fn guard(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let uri = request.uri();
    if has_control(uri.path()) || uri.query().is_some_and(has_control) {
        return bad_request("The address holds a control character; remove it and try again.");
    }
    let private = uri.path().starts_with("/api/")
        || request
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|c| c.split(';'))
            .any(|pair| pair.trim_start().starts_with("session="));
    let request = if request.method() == Method::POST {
        let (parts, body) = request.into_parts();
        // The body limit layer outside this one has already bounded the size.
        let bytes = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => bytes,
            Err(_) => {
                return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.")
                    .into_response();
            }
        };
        if has_nul(&bytes) {
            return bad_request("A field holds a NUL character; remove it and try again.");
        }
        Request::from_parts(parts, Body::from(bytes))
    } else {
        request
    };
    let mut response = next.run(request).await;
    if private && !response.headers().contains_key(header::CACHE_CONTROL) {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_raw_and_encoded() {
        for bad in ["/join/%00", "/join/%0a", "q=a%0Db", "/x%7F", "a\tb", "%1f"] {
            assert!(has_control(bad), "{bad}");
        }
        for good in [
            "/join/abc",
            "q=a%20b",
            "/reference/cicd",
            "%",
            "%zz",
            "100%25",
        ] {
            assert!(!has_control(good), "{good}");
        }
    }

    #[test]
    fn a_nul_is_found_in_any_spelling() {
        assert!(has_nul(b"name=a%00b"));
        assert!(has_nul(br#"{"name":"a\u0000b"}"#));
        assert!(has_nul(b"a\0b"));
        assert!(!has_nul(br#"{"text":"line\nbreak \\u0000 is text"}"#));
        assert!(!has_nul(b"name=100%25"));
        assert!(!has_nul(br#"{"text":"a\u00e9"}"#));
    }
}
