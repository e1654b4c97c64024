//! Rules for text people type that other people see: names, titles, descriptions.

/// Characters that change the direction text is shown in (bidi embeddings, overrides,
/// isolates and marks): in a name they can make it read as something else ("Trojan Source").
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// What is wrong with a one-line text (a name, a title), if anything: no control characters
/// (line breaks included) and no text-direction controls.
pub fn line_problem(text: &str) -> Option<&'static str> {
    if text.chars().any(char::is_control) {
        Some("It cannot contain control characters such as line breaks or tabs.")
    } else if text.chars().any(is_direction_control) {
        Some("It cannot contain characters that change the direction of the text.")
    } else {
        None
    }
}

/// What is wrong with a text of several lines (a description), if anything: line breaks and
/// tabs are fine, other control characters and text-direction controls are not.
pub fn paragraph_problem(text: &str) -> Option<&'static str> {
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        Some("It cannot contain control characters.")
    } else if text.chars().any(is_direction_control) {
        Some("It cannot contain characters that change the direction of the text.")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_refuse_control_and_direction_characters() {
        assert_eq!(line_problem("Study group 7"), None);
        assert_eq!(line_problem("Ünïcödé — ok"), None);
        for bad in [
            "a\nb",
            "a\rb",
            "a\tb",
            "a\u{0}b",
            "a\u{202E}b",
            "\u{2066}x",
            "a\u{200F}",
        ] {
            assert!(line_problem(bad).is_some(), "{bad:?}");
        }
        assert_eq!(paragraph_problem("line one\nline two\ttab"), None);
        assert!(paragraph_problem("a\u{7}b").is_some());
        assert!(paragraph_problem("a\u{202D}b").is_some());
    }
}
