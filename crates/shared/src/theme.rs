//! The colour scheme a visitor picked with the toggle, remembered in a cookie.

/// Name of the cookie that remembers the visitor's colour scheme.
pub const THEME_COOKIE: &str = "theme";

/// A visitor's colour scheme: follow the operating system, or a fixed choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    /// No choice made: CSS follows `prefers-color-scheme`.
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    /// Reads a cookie value; anything unknown means "follow the system".
    pub fn parse(value: &str) -> Self {
        match value.trim() {
            "light" => Self::Light,
            "dark" => Self::Dark,
            _ => Self::System,
        }
    }

    /// Finds the theme cookie in a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| name.trim() == THEME_COOKIE)
            .map(|(_, value)| Self::parse(value))
            .unwrap_or_default()
    }

    /// The value of `<html data-theme>`, if a fixed choice was made.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Self::System => None,
            Self::Light => Some("light"),
            Self::Dark => Some("dark"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cookie_header_with_a_dark_theme_reads_as_dark() {
        assert_eq!(
            Theme::from_cookie_header("a=b; theme=dark; c=d"),
            Theme::Dark
        );
    }

    #[test]
    fn a_missing_or_unknown_theme_follows_the_system() {
        assert_eq!(Theme::from_cookie_header("a=b"), Theme::System);
        assert_eq!(Theme::from_cookie_header("theme=purple"), Theme::System);
        assert_eq!(Theme::System.attribute(), None);
    }
}
