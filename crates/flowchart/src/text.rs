//! Label decoding, XML escaping and text measurement.

/// Font size of labels, in px.
pub(crate) const FONT_SIZE: f64 = 14.0;
/// Distance between two lines of a label, in px.
pub(crate) const LINE_HEIGHT: f64 = 18.0;

/// Advance widths of Helvetica/Arial (`Liberation Sans` has the same
/// metrics) for U+0020..=U+007E, in 1/1000 em.
const ASCII_WIDTHS: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0..9
    278, 278, 584, 584, 584, 556, 1015, // :..@
    667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A..M
    722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N..Z
    278, 278, 278, 469, 556, 333, // [..`
    556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a..m
    556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n..z
    334, 260, 334, 584, // {..~
];

/// Width of one character in 1/1000 em.
fn char_width(c: char) -> f64 {
    let code = u32::from(c);
    if (0x20..=0x7e).contains(&code) {
        let idx = (code - 0x20) as usize;
        return ASCII_WIDTHS.get(idx).copied().map_or(556.0, f64::from);
    }
    match code {
        0x0300..=0x036f | 0x200b..=0x200f | 0xfe00..=0xfe0f => 0.0,
        0x00a0 => 278.0,
        0x1100..=0x115f
        | 0x2e80..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1faff
        | 0x20000..=0x3fffd => 1000.0,
        0x2014 => 1000.0,
        0x2190..=0x21ff => 1000.0,
        _ => 600.0,
    }
}

/// Estimated rendered width of one line of text, in px.
pub(crate) fn text_width(s: &str, bold: bool) -> f64 {
    let units: f64 = s.chars().map(char_width).sum();
    let factor = if bold { 1.08 } else { 1.0 };
    units * FONT_SIZE / 1000.0 * factor
}

/// Width and height of a (possibly multi-line) label, in px.
pub(crate) fn block_size(label: &str, bold: bool) -> (f64, f64) {
    let mut width: f64 = 0.0;
    let mut lines = 0usize;
    for line in label.split('\n') {
        width = width.max(text_width(line, bold));
        lines += 1;
    }
    (width, lines.max(1) as f64 * LINE_HEIGHT)
}

/// Named entities understood in labels (`&amp;` and mermaid's `#amp;`).
const NAMED_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("hellip", '…'),
    ("mdash", '—'),
    ("ndash", '–'),
    ("larr", '←'),
    ("rarr", '→'),
    ("uarr", '↑'),
    ("darr", '↓'),
    ("harr", '↔'),
    ("lArr", '⇐'),
    ("rArr", '⇒'),
    ("hArr", '⇔'),
    ("times", '×'),
    ("divide", '÷'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("le", '≤'),
    ("ge", '≥'),
    ("ne", '≠'),
    ("middot", '·'),
    ("bull", '•'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("sect", '§'),
    ("para", '¶'),
    ("euro", '€'),
    ("pound", '£'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("micro", 'µ'),
    ("infin", '∞'),
    ("semi", ';'),
    ("num", '#'),
];

/// Decodes the body of an entity (`35`, `x23`, `amp`), without `&`/`#` and `;`.
fn decode_entity_body(body: &str, numeric_only: bool) -> Option<char> {
    if let Some(hex) = body.strip_prefix('x').or_else(|| body.strip_prefix('X'))
        && !hex.is_empty()
        && hex.chars().all(|c| c.is_ascii_hexdigit())
    {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    if !body.is_empty() && body.chars().all(|c| c.is_ascii_digit()) {
        return body.parse::<u32>().ok().and_then(char::from_u32);
    }
    if numeric_only {
        return None;
    }
    NAMED_ENTITIES
        .iter()
        .find(|(name, _)| *name == body)
        .map(|&(_, c)| c)
}

/// Tries to read an entity starting at `chars[i]` (which is `&` or `#`).
/// Returns the decoded character and the number of chars consumed.
fn entity_at(chars: &[char], i: usize) -> Option<(char, usize)> {
    let first = *chars.get(i)?;
    let body_start = if first == '&' && chars.get(i + 1) == Some(&'#') {
        i + 2
    } else {
        i + 1
    };
    let mut body = String::new();
    let mut j = body_start;
    while let Some(&c) = chars.get(j) {
        if c == ';' {
            break;
        }
        if !c.is_ascii_alphanumeric() || body.len() >= 10 {
            return None;
        }
        body.push(c);
        j += 1;
    }
    if chars.get(j) != Some(&';') || body.is_empty() {
        return None;
    }
    // `&#35;` is numeric; `&amp;` is named; mermaid's `#35;` and `#amp;` are either.
    let numeric_only = first == '&' && body_start == i + 2;
    let decoded = decode_entity_body(&body, numeric_only)?;
    if decoded.is_control() {
        return None;
    }
    Some((decoded, j + 1 - i))
}

/// Length of a `<br>`, `<br/>` or `<br />` tag (any case) at `chars[i]`.
fn br_at(chars: &[char], i: usize) -> Option<usize> {
    let lower = |k: usize| chars.get(i + k).map(|c| c.to_ascii_lowercase());
    if lower(0) != Some('<') || lower(1) != Some('b') || lower(2) != Some('r') {
        return None;
    }
    let mut k = 3;
    while matches!(lower(k), Some(' ' | '\t')) {
        k += 1;
    }
    if lower(k) == Some('/') {
        k += 1;
    }
    (lower(k) == Some('>')).then_some(k + 1)
}

/// Turns label source text into display text: `<br>` becomes a line break,
/// entity codes (`#35;`, `#quot;`, `&amp;`, `&#x23;`) are decoded, and every
/// line is trimmed. Unknown entities stay as written.
pub(crate) fn decode_label(raw: &str) -> String {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '<'
            && let Some(len) = br_at(&chars, i)
        {
            out.push('\n');
            i += len;
            continue;
        }
        if (c == '&' || c == '#')
            && let Some((decoded, len)) = entity_at(&chars, i)
        {
            out.push(decoded);
            i += len;
            continue;
        }
        out.push(c);
        i += 1;
    }
    let lines: Vec<&str> = out.split('\n').map(str::trim).collect();
    lines.join("\n").trim_matches('\n').to_string()
}

/// True for characters allowed in XML 1.0 documents.
fn xml_char(c: char) -> bool {
    matches!(u32::from(c), 0x9 | 0xa | 0xd | 0x20..=0xd7ff | 0xe000..=0xfffd | 0x10000..=0x10ffff)
}

/// Escapes text for use in XML/HTML text and double- or single-quoted
/// attributes. Characters that XML forbids become U+FFFD.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if xml_char(c) => out.push(c),
            _ => out.push('\u{fffd}'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_breaks_and_entities() {
        assert_eq!(decode_label("a<br/>b<BR>c<br />d"), "a\nb\nc\nd");
        assert_eq!(
            decode_label("#35; #quot;x#quot; &amp; &#35; &#x23; &lt;"),
            "# \"x\" & # # <"
        );
        assert_eq!(
            decode_label("&bogus; #; &#xZZ; a#b"),
            "&bogus; #; &#xZZ; a#b"
        );
        assert_eq!(decode_label("  x  <br>  y "), "x\ny");
        assert_eq!(decode_label("#0; &#0;"), "#0; &#0;");
        assert_eq!(decode_label("&#x110000;"), "&#x110000;");
    }

    #[test]
    fn escapes_markup_and_invalid_chars() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{1}b"), "a\u{fffd}b");
    }

    #[test]
    fn measures_text() {
        assert!((text_width("ii", false) - 2.0 * 222.0 * FONT_SIZE / 1000.0).abs() < 1e-9);
        let (w, h) = block_size("abc\nlonger line", false);
        assert!(w > text_width("abc", false));
        assert!((h - 2.0 * LINE_HEIGHT).abs() < 1e-9);
        assert!(text_width("漢字", false) > text_width("ab", false));
    }
}
