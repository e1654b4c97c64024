//! The exam a visitor is studying for, when the site serves several: remembered in a cookie,
//! read on the server for every page and server function.

/// Name of the cookie that remembers the chosen exam (its code).
pub const EXAM_COOKIE: &str = "exam";

/// Finds the exam cookie in a `Cookie` header value. Only plausible codes are returned
/// (letters, digits and dashes, at most 40), so a forged cookie never reaches a lookup.
pub fn from_cookie_header(header: &str) -> Option<String> {
    header
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| name.trim() == EXAM_COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|code| is_code(code))
}

/// Whether `code` looks like an exam code (a folder name under `content/exams/`).
pub fn is_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// An exam the site serves, for the picker.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ExamChoice {
    pub code: String,
    pub short_title: String,
    pub title: String,
    /// The one being studied now.
    pub current: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exam_cookie_is_found_among_others() {
        assert_eq!(
            from_cookie_header("theme=dark; exam=ai-300; x=y").as_deref(),
            Some("ai-300")
        );
        assert_eq!(from_cookie_header("theme=dark"), None);
    }

    #[test]
    fn a_forged_exam_cookie_is_ignored() {
        assert_eq!(from_cookie_header("exam=../../etc"), None);
        assert_eq!(from_cookie_header("exam="), None);
        assert_eq!(
            from_cookie_header(&format!("exam={}", "a".repeat(41))),
            None
        );
    }
}
