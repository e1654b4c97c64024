//! Accounts as the browser sees them, and the rules for what a user may type into the account
//! forms. The same `parse` functions run in the server functions, whatever the browser checked.

use serde::{Deserialize, Serialize};

/// Shortest password accepted (OWASP: at least 12 characters without other composition rules).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest password accepted: argon2 copes with more, but nobody types this much.
pub const MAX_PASSWORD_CHARS: usize = 128;
/// Longest display name.
pub const MAX_DISPLAY_NAME_CHARS: usize = 60;
/// Longest email address (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// The signed-in user, as pages need them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
}

/// A normalised email address (trimmed, lowercase).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Checks the shape only (one `@`, a dot in the domain, no spaces); whether mail arrives is
    /// not our concern.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("Enter your email address.".into());
        }
        if email.chars().count() > MAX_EMAIL_CHARS {
            return Err(format!(
                "An email address has at most {MAX_EMAIL_CHARS} characters."
            ));
        }
        let valid = match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if valid {
            Ok(Self(email))
        } else {
            Err("Enter an email address like name@example.com.".into())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A display name: trimmed, 1 to 60 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let name = raw.trim();
        if name.is_empty() {
            return Err("Enter the name other people will see.".into());
        }
        if name.chars().count() > MAX_DISPLAY_NAME_CHARS {
            return Err(format!(
                "A display name has at most {MAX_DISPLAY_NAME_CHARS} characters."
            ));
        }
        if let Some(problem) = super::text::line_problem(name) {
            return Err(format!("Display name: {problem}"));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The length rules for a new password. The server also refuses common passwords (a list the
/// browser does not carry).
pub fn check_password_length(password: &str) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(format!(
            "Use at least {MIN_PASSWORD_CHARS} characters (a few unrelated words make a good one)."
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(format!("Use at most {MAX_PASSWORD_CHARS} characters."));
    }
    Ok(())
}

/// A line of the site admin's account list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    pub disabled: bool,
    /// RFC 3339.
    pub created_at: String,
    pub answers: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            Email::parse("  Ada@Example.ORG ").unwrap().as_str(),
            "ada@example.org"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "ada@@example.org",
            "a da@example.org",
            "ada@.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn display_names_have_bounds() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(61)).is_err());
        assert!(DisplayName::parse("a\u{7}b").is_err());
        assert_eq!(DisplayName::parse(" Ada ").unwrap().as_str(), "Ada");
    }

    #[test]
    fn passwords_need_twelve_characters() {
        assert!(check_password_length("eleven-char").is_err());
        assert!(check_password_length("twelve-chars").is_ok());
        assert!(check_password_length(&"x".repeat(129)).is_err());
    }
}
