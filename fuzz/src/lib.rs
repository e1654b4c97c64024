//! Checks shared by the fuzz targets: a small, strict reader of the markup the renderers emit.
//!
//! The renderers escape every piece of input text, so their output must read as well-formed
//! markup made only of the elements they are known to write. Raw HTML that slipped through
//! shows up as an unknown element (`<script>`, `<img onerror=...>`), an unbalanced tag or a
//! bare `<` or `&`.

use std::collections::BTreeSet;

/// Attribute names and values (still escaped; `None` for a bare attribute such as `hidden`).
pub type Attributes = Vec<(String, Option<String>)>;

/// An element that was read: its name and its attributes.
#[derive(Debug)]
pub struct Element {
    pub name: String,
    pub attributes: Attributes,
}

/// What a markup dialect allows.
pub struct Dialect {
    /// Element names that may appear (lowercase; SVG names keep their case).
    pub elements: &'static [&'static str],
    /// Elements written without a closing tag (`<br>`); `<x/>` is always accepted.
    pub void: &'static [&'static str],
}

/// HTML written by pulldown-cmark, the Markdown renderer itself, syntect, math-core and the
/// diagram figures (SVG and its text alternative).
#[rustfmt::skip]
pub const MARKDOWN_HTML: Dialect = Dialect {
    elements: &[
        // pulldown-cmark
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "em", "strong", "del", "code", "pre",
        "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "hr", "br",
        "img", "input", "sup", "sub", "dl", "dt", "dd",
        // render_markdown, code_block_html, syntect
        "div", "span", "button", "aside",
        // diagrams::render_figure
        "figure", "figcaption", "details", "summary",
        // flowchart (SVG and text alternative)
        "svg", "title", "desc", "style", "defs", "marker", "path", "g", "rect", "polygon",
        "circle", "text", "tspan",
        // math-core (MathML Core)
        "math", "semantics", "annotation", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow",
        "mfrac", "msqrt", "mroot", "msub", "msup", "msubsup", "munder", "mover", "munderover",
        "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd", "mpadded", "mphantom",
        "menclose", "merror", "mstyle",
    ],
    void: &["br", "hr", "img", "input"],
};

/// The standalone SVG of the flowchart crate.
#[rustfmt::skip]
pub const FLOWCHART_SVG: Dialect = Dialect {
    elements: &[
        "svg", "title", "desc", "style", "defs", "marker", "path", "g", "rect", "polygon",
        "circle", "text", "tspan", "a",
    ],
    void: &[],
};

/// The HTML text alternative of the flowchart crate.
pub const FLOWCHART_ALT: Dialect = Dialect {
    elements: &["p", "ul", "li", "a", "div", "br"],
    void: &["br"],
};

/// Reads `markup` strictly and returns its elements in document order, or what is wrong.
///
/// Accepted: elements of `dialect` with double- or single-quoted (or no) attribute values,
/// every non-void element closed in order, text without a bare `<`, and `&` only as an entity
/// (`&name;`, `&#N;`, `&#xH;`). `<style>` content is text that must not contain `<`.
pub fn read_markup(markup: &str, dialect: &Dialect) -> Result<Vec<Element>, String> {
    let b = markup.as_bytes();
    let mut open: Vec<String> = Vec::new();
    let mut elements = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'&' => i = entity(b, i).ok_or_else(|| at(markup, i, "bare '&'"))?,
            b'<' if b.get(i + 1) == Some(&b'/') => {
                let (name, end) = name(b, i + 2).ok_or_else(|| at(markup, i, "bad end tag"))?;
                let end = skip_space(b, end);
                if b.get(end) != Some(&b'>') {
                    return Err(at(markup, i, "unterminated end tag"));
                }
                match open.pop() {
                    Some(top) if top == name => {}
                    Some(top) => return Err(at(markup, i, &format!("</{name}> closes <{top}>"))),
                    None => return Err(at(markup, i, &format!("</{name}> closes nothing"))),
                }
                i = end + 1;
            }
            b'<' => {
                let (name, end) = name(b, i + 1).ok_or_else(|| at(markup, i, "bare '<'"))?;
                if !dialect.elements.contains(&name.as_str()) {
                    return Err(at(markup, i, &format!("unexpected element <{name}>")));
                }
                let (attributes, self_closing, end) = attributes(markup, end)?;
                if !self_closing && !dialect.void.contains(&name.as_str()) {
                    open.push(name.clone());
                }
                elements.push(Element { name, attributes });
                i = end;
            }
            _ => i += 1,
        }
    }
    match open.pop() {
        Some(name) => Err(format!("<{name}> is never closed")),
        None => Ok(elements),
    }
}

/// The attributes of a start tag from `from` (just after its name): the attributes, whether
/// the tag ends with `/>`, and the offset after it.
fn attributes(markup: &str, from: usize) -> Result<(Attributes, bool, usize), String> {
    let b = markup.as_bytes();
    let mut attributes = Vec::new();
    let mut j = from;
    loop {
        let k = skip_space(b, j);
        match b.get(k) {
            Some(b'>') => return Ok((attributes, false, k + 1)),
            Some(b'/') if b.get(k + 1) == Some(&b'>') => return Ok((attributes, true, k + 2)),
            _ if k == j => return Err(at(markup, k, "no space before an attribute")),
            _ => {}
        }
        let (attr, after) = attribute_name(b, k).ok_or_else(|| at(markup, k, "bad attribute"))?;
        if b.get(after) != Some(&b'=') {
            attributes.push((attr, None));
            j = after;
            continue;
        }
        let quote = b.get(after + 1).copied().unwrap_or(0);
        if quote != b'"' && quote != b'\'' {
            return Err(at(markup, after, "unquoted attribute value"));
        }
        let start = after + 2;
        let close = b[start..]
            .iter()
            .position(|&c| c == quote)
            .ok_or_else(|| at(markup, after, "unterminated attribute value"))?
            + start;
        let value = &markup[start..close];
        if value.contains('<') {
            return Err(at(markup, after, "'<' in an attribute value"));
        }
        let mut v = 0;
        while let Some(p) = value[v..].find('&') {
            v = entity(value.as_bytes(), v + p)
                .ok_or_else(|| at(markup, start + v + p, "bare '&' in an attribute value"))?;
        }
        attributes.push((attr, Some(value.to_string())));
        j = close + 1;
    }
}

/// `what`, with the offset and the markup around it.
fn at(markup: &str, offset: usize, what: &str) -> String {
    let start = markup.floor_char_boundary(offset.saturating_sub(40));
    let end = markup.ceil_char_boundary((offset + 40).min(markup.len()));
    format!("{what} at byte {offset}: {:?}", &markup[start..end])
}

/// End of the entity starting at `b[at] == b'&'`, if it is one.
fn entity(b: &[u8], at: usize) -> Option<usize> {
    let rest = &b[at + 1..];
    let len = rest.iter().take(34).position(|&c| c == b';')?;
    let body = &rest[..len];
    let ok = match body {
        [b'#', b'x' | b'X', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
        [first, more @ ..] => {
            first.is_ascii_alphabetic() && more.iter().all(u8::is_ascii_alphanumeric)
        }
        [] => false,
    };
    ok.then_some(at + 1 + len + 1)
}

fn name(b: &[u8], at: usize) -> Option<(String, usize)> {
    if !b.get(at)?.is_ascii_alphabetic() {
        return None;
    }
    let len = b[at..]
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-'))
        .unwrap_or(b.len() - at);
    Some((
        String::from_utf8_lossy(&b[at..at + len]).into_owned(),
        at + len,
    ))
}

fn attribute_name(b: &[u8], at: usize) -> Option<(String, usize)> {
    let len = b[at..]
        .iter()
        .position(|c| {
            c.is_ascii_whitespace() || matches!(c, b'=' | b'>' | b'/' | b'"' | b'\'' | b'<')
        })
        .unwrap_or(b.len() - at);
    (len > 0).then(|| {
        (
            String::from_utf8_lossy(&b[at..at + len]).into_owned(),
            at + len,
        )
    })
}

fn skip_space(b: &[u8], mut at: usize) -> usize {
    while b.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// No element carries an event handler (`onclick`, `onerror`, ...).
pub fn assert_no_event_handlers(elements: &[Element], markup: &str) {
    for element in elements {
        for (attr, _) in &element.attributes {
            assert!(
                !attr.to_ascii_lowercase().starts_with("on"),
                "event handler {attr} on <{}> in {markup:?}",
                element.name
            );
        }
    }
}

/// The value of every `href` attribute.
pub fn hrefs(elements: &[Element]) -> Vec<&str> {
    elements
        .iter()
        .flat_map(|e| &e.attributes)
        .filter(|(name, _)| name == "href")
        .filter_map(|(_, value)| value.as_deref())
        .collect()
}

/// Lines of `text` numbered from 1 (a last line without a newline counts).
pub fn line_count(text: &str) -> usize {
    text.lines().count().max(1)
}

/// The last line a position in `text` can be on: a position at the very end of a text that
/// ends with a newline is on the (empty) line after it, as an editor shows it.
pub fn last_position_line(text: &str) -> usize {
    text.split('\n').count()
}

/// Element names, for messages.
pub fn names(elements: &[Element]) -> BTreeSet<&str> {
    elements.iter().map(|e| e.name.as_str()).collect()
}
