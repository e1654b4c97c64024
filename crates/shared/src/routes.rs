//! The site's URLs, built in one place: a route that moves changes here, and nowhere else.
//! Wasm-safe (pages and the server both use it).

/// Percent-encodes a query-string value (space as `+`).
pub fn query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A reference page, or one of its sections when `anchor` is not empty.
pub fn reference(slug: &str, anchor: &str) -> String {
    if anchor.is_empty() {
        format!("/reference/{slug}")
    } else {
        format!("/reference/{slug}#{anchor}")
    }
}

/// A `page-slug#heading-id` target (as content writes it) as a URL.
pub fn reference_target(target: &str) -> String {
    let (slug, anchor) = target.split_once('#').unwrap_or((target, ""));
    reference(slug, anchor)
}

/// A glossary entry.
pub fn glossary_term(id: &str) -> String {
    format!("/glossary#{id}")
}

/// A diagram of the gallery.
pub fn diagram(slug: &str) -> String {
    format!("/diagrams#{slug}")
}

/// Practice of one question.
pub fn practice_question(id: &str) -> String {
    format!("/practice?question={}", query_value(id))
}

/// A search, within one domain when `domain` is not empty.
pub fn search(q: &str, domain: &str) -> String {
    if domain.is_empty() {
        format!("/search?q={}", query_value(q))
    } else {
        format!(
            "/search?q={}&domain={}",
            query_value(q),
            query_value(domain)
        )
    }
}

/// `next` when a browser resolves it to a path of this site, else `None`. Browsers drop tabs
/// and newlines anywhere in an address and control characters and spaces around it, and read
/// `\` as `/`, so `/\t/host` or `/\\host` would be `//host`, another site: any control
/// character, space or backslash is refused, and the path must start with exactly one `/`.
/// One rule for every redirect (sign-in, sign-up, the exam picker) and every link a group's
/// imported question may carry.
pub fn local_path(next: &str) -> Option<&str> {
    let clean = !next
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    (clean && next.starts_with('/') && !next.starts_with("//")).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_built_and_encoded() {
        assert_eq!(reference("cli-v2", ""), "/reference/cli-v2");
        assert_eq!(
            reference_target("cli-v2#traffic"),
            "/reference/cli-v2#traffic"
        );
        assert_eq!(search("a&b c", "d1"), "/search?q=a%26b+c&domain=d1");
        assert_eq!(query_value("a&b=c/é"), "a%26b%3Dc%2F%C3%A9");
        assert_eq!(practice_question("g1-2"), "/practice?question=g1-2");
    }

    proptest::proptest! {
        /// Whatever a path accepted by `local_path` is, a browser's URL parser (the `url`
        /// crate implements the WHATWG standard) resolves it on this site.
        #[test]
        fn an_accepted_path_stays_on_this_site(next in "[/\\\\\\t\\n\\r :a-z.%?#@0-9\u{1}\u{3000}]{0,12}") {
            if let Some(path) = local_path(&next) {
                let base = url::Url::parse("https://exam.test/groups/1").unwrap();
                let joined = base.join(path).unwrap();
                proptest::prop_assert_eq!(joined.host_str(), Some("exam.test"));
                proptest::prop_assert_eq!(joined.scheme(), "https");
            }
        }
    }
}
