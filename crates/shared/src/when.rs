//! Times as pages show them. The server sends RFC 3339 in UTC; pages show it to the minute.

/// `2026-11-26T21:43:05Z` as `2026-11-26 21:43`.
pub fn to_minute(rfc3339: &str) -> String {
    rfc3339.get(..16).unwrap_or(rfc3339).replace('T', " ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_timestamp_is_shown_to_the_minute() {
        assert_eq!(super::to_minute("2026-11-26T21:43:05Z"), "2026-11-26 21:43");
        assert_eq!(super::to_minute("short"), "short");
    }
}
