//! GIFT's backslash escapes: `\~ \= \# \{ \} \: \\` stand for the character
//! itself and `\n` for a newline. Structure is only ever searched for among
//! unescaped characters.

/// Characters that have a meaning in GIFT and so are escaped in texts.
const SPECIAL: [char; 6] = ['~', '=', '#', '{', '}', ':'];

/// Characters with their byte offsets, skipping every backslash and the
/// character it escapes (known escape or not, as Moodle does).
pub(crate) fn unescaped_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut chars = text.char_indices();
    std::iter::from_fn(move || {
        loop {
            let (at, c) = chars.next()?;
            if c != '\\' {
                return Some((at, c));
            }
            chars.next();
        }
    })
}

/// Byte offset of the first unescaped occurrence of `pattern`, which must
/// not contain a backslash.
pub(crate) fn find_unescaped(text: &str, pattern: &str) -> Option<usize> {
    unescaped_chars(text)
        .map(|(at, _)| at)
        .find(|&at| text[at..].starts_with(pattern))
}

/// Resolves escapes; an unknown escape such as `\x` stays as written.
pub(crate) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(escaped) if escaped == '\\' || SPECIAL.contains(&escaped) => out.push(escaped),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The inverse of [`unescape`], for any text.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push_str("\\n"),
            '\\' if backslash_needs_escape(chars.peek().copied()) => out.push_str("\\\\"),
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A backslash before `-` is an unknown escape, read back as written, and
/// writing it bare keeps the `-` escaped: `\->` written as `\\->` would read
/// back as a matching arrow.
fn backslash_needs_escape(next: Option<char>) -> bool {
    next != Some('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        for text in [
            "a~b=c#d{e}f:g",
            "back\\slash",
            "\\",
            "\\n is not a newline",
            "line\nbreak",
            "\\->",
            "\\x and \\\\x",
            "ends with \\",
        ] {
            assert_eq!(unescape(&escape(text)), text, "{text:?}");
        }
    }

    #[test]
    fn unknown_escapes_stay() {
        assert_eq!(unescape(r"\x\~\n\\"), "\\x~\n\\");
    }

    #[test]
    fn search_skips_escaped_characters() {
        assert_eq!(find_unescaped(r"a\##b####c", "####"), Some(5));
        assert_eq!(find_unescaped(r"\:\::", "::"), None);
        assert_eq!(find_unescaped("é->", "->"), Some(2));
    }
}
