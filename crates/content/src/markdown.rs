//! The one Markdown entry point, [`render_markdown`]: pulldown-cmark with GFM tables and
//! alerts, stable heading ids with anchor links, server-side syntax highlighting, LaTeX math to
//! MathML, callouts and mermaid diagrams. Content is rendered once at startup, never per request.
//!
//! Besides the HTML it returns what the rest of the app needs from a page: its headings (table
//! of contents, link checks), its plain-text sections (search) and its internal links.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};

use super::highlight;
use super::math;

/// A heading of a rendered page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    /// 1-based line in the source file.
    pub line: usize,
}

/// The plain text under one heading (or before the first one), for full-text search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Empty for the text before the first heading.
    pub heading_id: String,
    pub heading: String,
    pub text: String,
}

/// A link found in the page, with the line it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub target: String,
    pub line: usize,
}

/// A problem in the Markdown, with the line it is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

/// Everything rendering a page produces.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub sections: Vec<Section>,
    pub links: Vec<Link>,
    pub problems: Vec<Problem>,
}

/// Renders a diagram fence; returns the HTML and the link targets of its clickable nodes, or an
/// error message with a line in the fence.
pub type DiagramRenderer<'a> =
    &'a dyn Fn(&str, &str) -> Result<(String, Vec<String>), (usize, String)>;

/// Where the Markdown comes from, for line numbers and unique ids.
pub struct Source<'a> {
    pub markdown: &'a str,
    /// Added to every line number (the front matter above the body).
    pub first_line: usize,
    /// Prefix for ids generated inside the page (diagrams), so they stay unique on a page.
    pub id_prefix: &'a str,
    /// Links the first use of each glossary term to its entry (reference pages only), with
    /// the page's slug.
    pub glossary: Option<(&'a super::glossary::Linker, &'a str)>,
}

/// A heading being read: its inline events are collected until it ends.
#[derive(Default)]
struct OpenHeading<'a> {
    level: u8,
    explicit_id: Option<String>,
    line: usize,
    text: String,
    inner: Vec<Event<'a>>,
}

/// Languages whose code fences are allowed; `text` and `mermaid` are not highlighted.
pub const CODE_LANGUAGES: &[&str] = &[
    "yaml",
    "bash",
    "python",
    "json",
    "dockerfile",
    "text",
    "mermaid",
];

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders trusted Markdown from `content/` to HTML (raw HTML in the source is escaped).
pub fn render_markdown(source: &Source<'_>, diagrams: Option<DiagramRenderer<'_>>) -> Rendered {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(source.markdown.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| -> usize {
        line_starts.partition_point(|&start| start <= offset) + source.first_line - 1
    };

    let mut out = Rendered::default();
    let mut used_ids = BTreeSet::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut diagram_count = 0usize;
    // Glossary terms already linked on this page, and how deep inside a link the text is.
    let mut linked_terms = BTreeSet::new();
    let mut link_depth = 0usize;

    // State while inside a heading, a code block or a section.
    let mut heading: Option<OpenHeading<'_>> = None;
    let mut code: Option<(String, usize, String)> = None;
    let mut section = Section {
        heading_id: String::new(),
        heading: String::new(),
        text: String::new(),
    };

    for (event, range) in Parser::new_ext(source.markdown, options()).into_offset_iter() {
        let line = line_of(range.start);
        // Inside a code block: collect the text, emit the block at its end.
        if let Some((lang, start_line, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, start_line, text) = (lang.clone(), *start_line, text.clone());
                    code = None;
                    push_text(&mut section.text, &text);
                    let html = if lang == "mermaid" {
                        diagram_count += 1;
                        let id = format!("{}d{diagram_count}", source.id_prefix);
                        match diagrams.map(|render| render(&text, &id)) {
                            Some(Ok((html, links))) => {
                                out.links.extend(links.into_iter().map(|target| Link {
                                    target,
                                    line: start_line,
                                }));
                                html
                            }
                            Some(Err((fence_line, message))) => {
                                out.problems.push(Problem {
                                    line: start_line + fence_line,
                                    message: format!("diagram: {message}"),
                                });
                                code_block_html("mermaid", &text)
                            }
                            None => code_block_html("mermaid", &text),
                        }
                    } else {
                        if !CODE_LANGUAGES.contains(&lang.as_str()) {
                            let message = if lang.is_empty() {
                                format!(
                                    "code fence without a language (use one of: {})",
                                    CODE_LANGUAGES.join(", ")
                                )
                            } else {
                                format!(
                                    "unknown code fence language `{lang}` (use one of: {})",
                                    CODE_LANGUAGES.join(", ")
                                )
                            };
                            out.problems.push(Problem {
                                line: start_line,
                                message,
                            });
                        }
                        code_block_html(&lang, &text)
                    };
                    events.push(Event::Html(html.into()));
                }
                _ => {}
            }
            continue;
        }
        // Inside a heading: collect its inline events and text.
        if let Some(open) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let OpenHeading {
                        level,
                        explicit_id: explicit,
                        line: start_line,
                        text,
                        inner,
                    } = std::mem::take(open);
                    let text = text.trim().to_string();
                    heading = None;
                    let id = match explicit {
                        Some(id) => {
                            if !used_ids.insert(id.clone()) {
                                out.problems.push(Problem {
                                    line: start_line,
                                    message: format!("duplicate heading id `{id}`"),
                                });
                            }
                            id
                        }
                        None => unique_id(&slugify(&text), &mut used_ids),
                    };
                    let level_num = level;
                    let mut inner_html = String::new();
                    html::push_html(&mut inner_html, inner.into_iter());
                    let mut h = String::new();
                    let _ = writeln!(
                        h,
                        "<h{level_num} id=\"{id}\">{inner_html}<a class=\"anchor\" href=\"#{id}\">\
                         <span class=\"visually-hidden\">Link to this section</span>\
                         <span aria-hidden=\"true\">#</span></a></h{level_num}>",
                        id = escape(&id),
                    );
                    events.push(Event::Html(h.into()));
                    flush_section(&mut out.sections, &mut section);
                    section.heading_id = id.clone();
                    section.heading = text.clone();
                    out.headings.push(Heading {
                        level: level_num,
                        id,
                        text,
                        line: start_line,
                    });
                }
                Event::Text(ref t) | Event::Code(ref t) => {
                    open.text.push_str(t);
                    open.inner.push(event);
                }
                Event::InlineMath(ref t) => {
                    open.text.push_str(t);
                    let html = math_html(t, false, open.line, &mut out.problems);
                    open.inner.push(Event::Html(html.into()));
                }
                // Raw HTML in a heading is text too, as everywhere else (found by the fuzzer).
                Event::Html(raw) | Event::InlineHtml(raw) => {
                    open.text.push_str(&raw);
                    open.inner.push(Event::Text(raw));
                }
                other => open.inner.push(other),
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some(OpenHeading {
                    level: heading_level(level),
                    explicit_id: id.map(|id| id.to_string()),
                    line,
                    text: String::new(),
                    inner: Vec::new(),
                });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, line, String::new()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = callout(kind);
                events.push(Event::Html(
                    format!(
                        "<aside class=\"callout callout--{class}\" aria-label=\"{title}\">\
                         <p class=\"callout__title\">{title}</p>\n"
                    )
                    .into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                events.push(Event::Html("</aside>\n".into()));
            }
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html("<div class=\"table-wrap\">".into()));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                link_depth += 1;
                let dest_url = rewrite_link(dest_url);
                out.links.push(Link {
                    target: dest_url.to_string(),
                    line,
                });
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::InlineMath(latex) => {
                push_text(&mut section.text, &latex);
                events.push(Event::Html(
                    math_html(&latex, false, line, &mut out.problems).into(),
                ));
            }
            Event::DisplayMath(latex) => {
                push_text(&mut section.text, &latex);
                events.push(Event::Html(
                    math_html(&latex, true, line, &mut out.problems).into(),
                ));
            }
            // Images are not part of our format either (a diagram is a ```mermaid block, a
            // picture would need a text alternative and would load from who knows where): the
            // alt text stays as text, and the checker says so.
            Event::Start(Tag::Image { .. }) => {
                out.problems.push(Problem {
                    line,
                    message: "images are not part of the format: describe it in text or draw \
                              a ```mermaid diagram"
                        .to_string(),
                });
            }
            Event::End(TagEnd::Image) => {}
            // Content is trusted, but raw HTML is not part of our format: show it as text.
            Event::Html(raw) | Event::InlineHtml(raw) => {
                events.push(Event::Text(raw));
            }
            Event::End(TagEnd::Link) => {
                link_depth = link_depth.saturating_sub(1);
                events.push(event);
            }
            Event::Text(ref t) => {
                push_text(&mut section.text, t);
                let pieces = source
                    .glossary
                    .filter(|_| link_depth == 0)
                    .and_then(|(linker, page)| linker.link(t, page, &mut linked_terms));
                match pieces {
                    Some(pieces) => {
                        for piece in pieces {
                            events.push(match piece {
                                super::glossary::Piece::Text(text) => {
                                    Event::Text(text.to_string().into())
                                }
                                super::glossary::Piece::Term(text, id) => Event::Html(
                                    format!(
                                        "<a class=\"term\" href=\"{}\">{}</a>",
                                        escape(&shared::routes::glossary_term(id)),
                                        escape(text)
                                    )
                                    .into(),
                                ),
                            });
                        }
                    }
                    None => events.push(event),
                }
            }
            Event::Code(ref t) => {
                push_text(&mut section.text, t);
                events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                section.text.push(' ');
                events.push(event);
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                section.text.push(' ');
                events.push(event);
            }
            other => events.push(other),
        }
    }
    flush_section(&mut out.sections, &mut section);
    html::push_html(&mut out.html, events.into_iter());
    out
}

fn push_text(buffer: &mut String, text: &str) {
    buffer.push_str(text);
}

fn flush_section(sections: &mut Vec<Section>, section: &mut Section) {
    let text = section
        .text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !text.is_empty() || !section.heading_id.is_empty() {
        sections.push(Section {
            heading_id: std::mem::take(&mut section.heading_id),
            heading: std::mem::take(&mut section.heading),
            text,
        });
    }
    section.text.clear();
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The callout box for a GFM alert: `[!WARNING]` is an exam trap, `[!TIP]` a fast rule.
fn callout(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Warning | BlockQuoteKind::Caution => ("trap", "Exam trap"),
        BlockQuoteKind::Tip => ("rule", "Fast rule"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Note => ("note", "Note"),
    }
}

fn math_html(latex: &str, display: bool, line: usize, problems: &mut Vec<Problem>) -> String {
    match math::to_mathml(latex, display) {
        // A span (styled as a block): display math sits inside a paragraph.
        Ok(mathml) if display => format!("<span class=\"math-display\">{mathml}</span>"),
        Ok(mathml) => format!("<span class=\"math\">{mathml}</span>"),
        Err(message) => {
            problems.push(Problem {
                line,
                message: format!("formula does not parse: {message}"),
            });
            format!("<code class=\"math-error\">{}</code>", escape(latex))
        }
    }
}

/// A code block with its language label and a copy button (shown only once the page is
/// interactive, so it never appears broken without JavaScript).
pub fn code_block_html(lang: &str, code: &str) -> String {
    let body = highlight::highlight(lang, code).unwrap_or_else(|| escape(code));
    let label = match lang {
        "yaml" => "YAML",
        "bash" => "Shell",
        "python" => "Python",
        "json" => "JSON",
        "dockerfile" => "Dockerfile",
        "mermaid" => "Diagram source",
        _ => "Text",
    };
    format!(
        "<div class=\"code-block\"><div class=\"code-block__bar\"><span class=\"code-block__lang\">{label}</span>\
         <button type=\"button\" class=\"copy-button\" data-copy hidden>Copy</button></div>\
         <pre class=\"code\"><code class=\"language-{lang}\">{body}</code></pre></div>\n",
        lang = escape(lang),
    )
}

/// Links between pages are written as `other-page.md` or `other-page.md#heading` (so they
/// also work when browsing the files); they become `/reference/other-page#heading` here, once.
fn rewrite_link(dest: pulldown_cmark::CowStr<'_>) -> pulldown_cmark::CowStr<'_> {
    let (path, anchor) = match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor)),
        None => (dest.as_ref(), None),
    };
    let is_page = !path.contains(':') && !path.starts_with('/') && path.ends_with(".md");
    if !is_page {
        return dest;
    }
    let slug = path.trim_start_matches("./").trim_end_matches(".md");
    match anchor {
        Some(anchor) => format!("/reference/{slug}#{anchor}").into(),
        None => format!("/reference/{slug}").into(),
    }
}

/// Lowercase, ASCII letters and digits joined by single dashes: "Log a metric()" -> "log-a-metric".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

fn unique_id(base: &str, used: &mut BTreeSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // The five characters are ASCII, so runs between them are copied whole (search snippets
    // escape a few kilobytes a keystroke).
    let mut from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[from..at]);
        out.push_str(entity);
        from = at + 1;
    }
    out.push_str(&text[from..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(markdown: &str) -> Rendered {
        render_markdown(
            &Source {
                markdown,
                first_line: 1,
                id_prefix: "t-",
                glossary: None,
            },
            None,
        )
    }

    #[test]
    fn escape_replaces_the_five_html_characters_and_keeps_the_rest() {
        assert_eq!(
            escape("<a href=\"x\">Tom's & café</a> ✓"),
            "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; café&lt;/a&gt; ✓"
        );
        assert_eq!(escape(""), "");
        assert_eq!(escape("&"), "&amp;");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Any text renders without a panic, and raw HTML never survives as markup.
        #[test]
        fn any_text_renders_and_raw_html_stays_escaped(
            text in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::prelude::any::<String>(),
                    proptest::prelude::Just("<script>alert(1)</script>".to_string()),
                    proptest::prelude::Just("```mermaid\nflowchart LR\nA-->B\n```\n".to_string()),
                    proptest::prelude::Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
                    proptest::prelude::Just("$$x^2$$ and $y$ ".to_string()),
                    proptest::prelude::Just("## Heading {#id}\n".to_string()),
                    proptest::prelude::Just("\n## <script>x</script> <img onerror=y>\n".to_string()),
                    proptest::prelude::Just("> [!WARNING]\n> trap\n".to_string()),
                    proptest::prelude::Just("[link](page.md#x) ".to_string()),
                ],
                0..12,
            )
        ) {
            let markdown = text.concat();
            let rendered = render(&markdown);
            proptest::prop_assert!(!rendered.html.contains("<script>"));
            proptest::prop_assert!(!rendered.html.contains("<img"));
        }
    }

    /// Found by `make fuzz`: raw HTML inside a heading used to pass through as markup.
    #[test]
    fn raw_html_in_a_heading_is_text() {
        let out = render("# <script>alert(1)</script>\n\n## x <img src=x onerror=alert(1)>\n");
        assert!(!out.html.contains("<script"), "{}", out.html);
        assert!(!out.html.contains("<img"), "{}", out.html);
        assert!(
            out.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{}",
            out.html
        );
        assert_eq!(out.headings[1].text, "x <img src=x onerror=alert(1)>");
    }

    const SAMPLE: &str = r#"Intro with a [link](other-page.md#a-heading) and `code`.

## Compute choices

| Need | Choose |
|---|---|
| Notebooks | Compute instance |

### Same name

### Same name

## Custom id {#chosen}

```yaml
name: fraud-scorer
version: 2
```

Precision is $\frac{TP}{TP + FP}$, and:

$$
F_1 = 2 \times \frac{P \times R}{P + R}
$$

> [!WARNING]
> Workspace access is not storage access.

> [!TIP]
> Low latency means an online endpoint.

<script>alert(1)</script>
"#;

    #[test]
    fn the_sample_page_renders_as_reviewed() {
        insta::assert_snapshot!(render(SAMPLE).html);
    }

    #[test]
    fn headings_get_unique_stable_ids_and_sections() {
        let out = render(SAMPLE);
        let ids: Vec<&str> = out.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            ["compute-choices", "same-name", "same-name-1", "chosen"]
        );
        assert_eq!(out.sections[0].heading_id, "");
        assert!(out.sections[1].text.contains("Compute instance"));
        assert_eq!(out.links[0].target, "/reference/other-page#a-heading");
        assert!(out.problems.is_empty(), "{:?}", out.problems);
    }

    #[test]
    fn problems_carry_their_line() {
        let out = render(
            "Text\n\n```ruby\nputs 1\n```\n\n$\\nosuchcommand{x}$\n\n## A {#x}\n\n## B {#x}\n",
        );
        let found: Vec<(usize, &str)> = out
            .problems
            .iter()
            .map(|p| (p.line, p.message.split(' ').next().unwrap_or("")))
            .collect();
        assert_eq!(found, [(3, "unknown"), (7, "formula"), (11, "duplicate")]);
    }

    #[test]
    fn slugs_are_lowercase_ascii_words() {
        assert_eq!(slugify("Online or batch?"), "online-or-batch");
        assert_eq!(slugify("init() & run()"), "init-run");
        assert_eq!(slugify("???"), "section");
    }
}
