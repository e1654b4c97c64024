//! Server-side syntax highlighting with syntect: spans with `hl-` classes, coloured by
//! `style/main.css` (so light and dark schemes both work). The syntax set loads once.

use std::sync::LazyLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// Highlights `code` as `lang`; `None` for languages we do not highlight (the caller escapes).
pub fn highlight(lang: &str, code: &str) -> Option<String> {
    let token = match lang {
        "yaml" => "yaml",
        "bash" => "bash",
        "python" => "py",
        "json" => "json",
        _ => return None,
    };
    let syntax = SYNTAXES.find_syntax_by_token(token)?;
    let mut generator = ClassedHTMLGenerator::new_with_class_style(
        syntax,
        &SYNTAXES,
        ClassStyle::SpacedPrefixed { prefix: "hl-" },
    );
    for line in LinesWithEndings::from(code) {
        generator
            .parse_html_for_line_which_includes_newline(line)
            .ok()?;
    }
    Some(generator.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_supported_language_is_found_and_highlighted() {
        for lang in ["yaml", "bash", "python", "json"] {
            let html = highlight(lang, "x: 1 # note\n").expect(lang);
            assert!(html.contains("hl-"), "{lang}: {html}");
        }
        assert!(highlight("text", "plain").is_none());
    }

    #[test]
    fn highlighted_code_is_escaped() {
        let html = highlight("bash", "echo '<b>'\n").unwrap();
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }
}
