//! The Content-Security-Policy. Pages carry a fresh nonce per response (leptos_axum makes one
//! for every render and puts it on the hydration and streaming scripts), so no inline script
//! runs without it: an injected `<script>` is refused even if some text ever slipped past the
//! escaping and sanitizing. Styles keep `'unsafe-inline'`: the diagrams' SVG carry a `<style>`
//! element and some elements a `style` attribute (bar widths), and a nonce cannot cover
//! attributes.

/// The policy, with `nonce` allowed for inline scripts (pages) or none at all (everything
/// else). `'wasm-unsafe-eval'` lets the app's own wasm compile. Debug builds also allow
/// cargo-leptos's reload websocket (`make dev`); release builds connect to nothing but
/// themselves.
pub fn policy(nonce: Option<&str>) -> String {
    policy_for(nonce, cfg!(debug_assertions))
}

fn policy_for(nonce: Option<&str>, dev_reload: bool) -> String {
    let scripts = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_string(),
    };
    let connect = if dev_reload {
        "'self' ws://127.0.0.1:3001"
    } else {
        "'self'"
    };
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src {connect}; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// A fresh nonce (128 random bits, hex) for a page served from the page cache.
pub fn new_nonce() -> String {
    services::auth::random_token()
}

/// Sets the policy with this render's nonce on the response being rendered.
pub fn apply_to_page() {
    use leptos::prelude::use_context;
    if let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) && let Ok(value) = axum::http::HeaderValue::from_str(&policy(Some(&nonce)))
    {
        response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_need_the_nonce() {
        let page = policy(Some("abc123"));
        assert!(page.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(!page.contains("script-src 'self' 'unsafe-inline'"));
        assert!(page.contains("frame-ancestors 'none'"));
        assert!(!policy(None).contains("nonce"));
    }

    #[test]
    fn only_a_debug_build_may_reach_the_reload_websocket() {
        assert!(policy_for(None, true).contains("connect-src 'self' ws://127.0.0.1:3001;"));
        let release = policy_for(Some("n"), false);
        assert!(release.contains("connect-src 'self';"), "{release}");
        assert!(!release.contains("ws:"), "{release}");
    }
}
