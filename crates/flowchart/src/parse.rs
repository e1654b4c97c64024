//! Parser for the flowchart language (a subset of mermaid's flowchart syntax).
//!
//! The parser works on a `Vec<char>` with an index; every look-up goes
//! through `get`, so no input can make it panic, and it never recurses.
#![deny(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::collections::BTreeMap;
use std::fmt;

use crate::model::{
    ClassDef, Direction, Edge, Flowchart, Link, Node, STYLE_PROPERTIES, Shape, Stroke, StyleProp,
    Subgraph, valid_class_name, valid_href, valid_style_value,
};
use crate::text::decode_label;

/// Subgraphs may be nested at most this deep.
pub const MAX_SUBGRAPH_DEPTH: usize = 32;

/// A syntax error, with a 1-based line and column (counted in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column number, in characters.
    pub column: usize,
    /// What went wrong, e.g. `expected a node id after '-->'`.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses flowchart source text.
///
/// ```
/// let chart = flowchart::parse("flowchart LR\nA[Start] --> B{Done?}").unwrap();
/// assert_eq!(chart.nodes.len(), 2);
/// assert_eq!(chart.nodes[1].label, "Done?");
///
/// let err = flowchart::parse("flowchart LR\nA -->").unwrap_err();
/// assert_eq!(err.to_string(), "2:6: expected a node id after '-->'");
/// ```
pub fn parse(src: &str) -> std::result::Result<Flowchart, ParseError> {
    Parser::new(src).run()
}

/// Statements that refer to nodes which may be defined later.
enum Deferred {
    Class {
        targets: Vec<(String, usize)>,
        classes: Vec<String>,
    },
    Style {
        target: String,
        pos: usize,
        props: Vec<StyleProp>,
    },
    Click {
        target: String,
        pos: usize,
        link: Link,
    },
}

/// An edge operator with its optional label.
struct EdgeOp {
    stroke: Stroke,
    arrow: bool,
    length: usize,
    label: Option<String>,
    /// The operator as written (the closing part for `-- text -->`).
    text: String,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    chart: Flowchart,
    node_ids: BTreeMap<String, usize>,
    subgraph_ids: BTreeMap<String, usize>,
    /// Open subgraphs: (index, position of the `subgraph` keyword).
    open: Vec<(usize, usize)>,
    deferred: Vec<Deferred>,
}

type Result<T> = std::result::Result<T, ParseError>;

fn describe(c: Option<char>) -> String {
    match c {
        None => "end of input".to_string(),
        Some('\n') => "end of line".to_string(),
        Some(c) => format!("'{c}'"),
    }
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_class_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

impl Parser {
    fn new(src: &str) -> Parser {
        Parser {
            chars: src.chars().collect(),
            pos: 0,
            chart: Flowchart::default(),
            node_ids: BTreeMap::new(),
            subgraph_ids: BTreeMap::new(),
            open: Vec::new(),
            deferred: Vec::new(),
        }
    }

    // ----- cursor helpers -------------------------------------------------

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.pos.saturating_add(k)).copied()
    }

    fn eof(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn looking_at(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.peek_at(i) == Some(c))
    }

    fn skip_inline_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\r')) {
            self.pos += 1;
        }
    }

    fn skip_line(&mut self) {
        while !matches!(self.peek(), None | Some('\n')) {
            self.pos += 1;
        }
    }

    /// Skips whitespace, blank lines, `;` and `%%` comments.
    fn skip_blank(&mut self) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r' | '\n' | ';') => self.pos += 1,
                Some('%') if self.peek_at(1) == Some('%') => self.skip_line(),
                _ => break,
            }
        }
    }

    fn at_statement_end(&self) -> bool {
        matches!(self.peek(), None | Some('\n' | ';')) || self.looking_at("%%")
    }

    /// Line and column (1-based) of a char index.
    fn position(&self, pos: usize) -> (usize, usize) {
        let mut line = 1;
        let mut column = 1;
        for &c in self.chars.iter().take(pos) {
            if c == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        (line, column)
    }

    fn error<T>(&self, pos: usize, message: impl Into<String>) -> Result<T> {
        let (line, column) = self.position(pos);
        Err(ParseError {
            line,
            column,
            message: message.into(),
        })
    }

    /// Reads a run of characters up to whitespace or `;`.
    fn read_token(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || c == ';' {
                break;
            }
            s.push(c);
            self.pos += 1;
        }
        s
    }

    /// Reads a node id: letters, digits, `_`, and `-` between such characters.
    fn read_id(&mut self) -> Option<String> {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            let dash_inside = c == '-' && !s.is_empty() && self.peek_at(1).is_some_and(is_id_char);
            if is_id_char(c) || dash_inside {
                s.push(c);
                self.pos += 1;
            } else {
                break;
            }
        }
        (!s.is_empty()).then_some(s)
    }

    fn read_class_name(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if !is_class_char(c) {
                break;
            }
            s.push(c);
            self.pos += 1;
        }
        s
    }

    /// Matches a keyword followed by whitespace or the end of the statement.
    fn keyword(&mut self, kw: &str) -> bool {
        if !self.looking_at(kw) {
            return false;
        }
        let after = self.peek_at(kw.chars().count());
        if matches!(after, None | Some(' ' | '\t' | '\r' | '\n' | ';')) {
            self.pos += kw.chars().count();
            true
        } else {
            false
        }
    }

    /// Reads a `"..."` string at the cursor (which must be on the quote).
    fn quoted(&mut self) -> Result<String> {
        let start = self.pos;
        self.pos += 1;
        let mut s = String::new();
        loop {
            match self.peek() {
                Some('"') => {
                    self.pos += 1;
                    return Ok(s);
                }
                None | Some('\n') => {
                    return self.error(start, "unterminated string: expected '\"'");
                }
                Some(c) => {
                    s.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    // ----- document ------------------------------------------------------

    fn run(mut self) -> Result<Flowchart> {
        self.skip_blank();
        self.header()?;
        self.end_statement()?;
        loop {
            self.skip_blank();
            if self.eof() {
                break;
            }
            self.statement()?;
            self.end_statement()?;
        }
        if let Some(&(sg, pos)) = self.open.last() {
            let name = self
                .chart
                .subgraphs
                .get(sg)
                .map(|s| s.id.clone().unwrap_or_else(|| s.title.clone()))
                .unwrap_or_default();
            return self.error(
                pos,
                format!("subgraph '{name}' is not closed: expected 'end'"),
            );
        }
        self.resolve()?;
        Ok(self.chart)
    }

    fn header(&mut self) -> Result<()> {
        let start = self.pos;
        let word = self.read_token();
        if word != "flowchart" && word != "graph" {
            return self.error(
                start,
                "expected 'flowchart' or 'graph' at the start of the diagram",
            );
        }
        self.skip_inline_ws();
        if self.at_statement_end() {
            self.chart.direction = Direction::TopBottom;
            return Ok(());
        }
        self.chart.direction = self.direction_word()?;
        Ok(())
    }

    fn direction_word(&mut self) -> Result<Direction> {
        let start = self.pos;
        let word = self.read_token();
        match Direction::from_keyword(&word) {
            Some(d) => Ok(d),
            None if word.is_empty() => {
                self.error(start, "expected a direction: TB, TD, BT, LR or RL")
            }
            None => self.error(
                start,
                format!("unknown direction '{word}': expected TB, TD, BT, LR or RL"),
            ),
        }
    }

    fn end_statement(&mut self) -> Result<()> {
        self.skip_inline_ws();
        if self.looking_at("%%") {
            self.skip_line();
            return Ok(());
        }
        match self.peek() {
            None | Some('\n' | ';') => Ok(()),
            c => self.error(
                self.pos,
                format!(
                    "unexpected {}: expected the end of the statement",
                    describe(c)
                ),
            ),
        }
    }

    fn statement(&mut self) -> Result<()> {
        let start = self.pos;
        if self.keyword("subgraph") {
            return self.subgraph(start);
        }
        if self.keyword("end") {
            return match self.open.pop() {
                Some(_) => Ok(()),
                None => self.error(start, "'end' without a matching 'subgraph'"),
            };
        }
        if self.keyword("direction") {
            self.skip_inline_ws();
            let d = self.direction_word()?;
            match self
                .open
                .last()
                .and_then(|&(sg, _)| self.chart.subgraphs.get_mut(sg))
            {
                Some(sg) => sg.direction = Some(d),
                None => self.chart.direction = d,
            }
            return Ok(());
        }
        if self.keyword("classDef") {
            return self.class_def();
        }
        if self.keyword("class") {
            return self.class_statement();
        }
        if self.keyword("style") {
            return self.style_statement();
        }
        if self.keyword("click") {
            return self.click_statement();
        }
        for unsupported in ["linkStyle", "accTitle", "accDescr"] {
            let after = self.peek_at(unsupported.chars().count());
            if self.looking_at(unsupported) && !after.is_some_and(is_id_char) {
                return self.error(start, format!("'{unsupported}' is not supported"));
            }
        }
        self.chain()
    }

    // ----- nodes and edges -------------------------------------------------

    fn chain(&mut self) -> Result<()> {
        let mut left = self.node_group(None)?;
        loop {
            self.skip_inline_ws();
            let Some(op) = self.edge_op()? else { break };
            self.skip_inline_ws();
            let right = self.node_group(Some(&op.text))?;
            for &from in &left {
                for &to in &right {
                    self.chart.edges.push(Edge {
                        from,
                        to,
                        label: op.label.clone(),
                        stroke: op.stroke,
                        arrow: op.arrow,
                        length: op.length,
                    });
                }
            }
            left = right;
        }
        if !self.at_statement_end() {
            let last = left
                .last()
                .and_then(|&n| self.chart.nodes.get(n))
                .map(|n| n.id.clone())
                .unwrap_or_default();
            return self.error(
                self.pos,
                format!(
                    "unexpected {} after node '{last}': expected an edge, '&' or the end of the statement",
                    describe(self.peek())
                ),
            );
        }
        Ok(())
    }

    fn node_group(&mut self, after: Option<&str>) -> Result<Vec<usize>> {
        let mut group = vec![self.node(after)?];
        loop {
            let save = self.pos;
            self.skip_inline_ws();
            if self.peek() != Some('&') {
                self.pos = save;
                return Ok(group);
            }
            self.pos += 1;
            self.skip_inline_ws();
            group.push(self.node(Some("&"))?);
        }
    }

    fn node(&mut self, after: Option<&str>) -> Result<usize> {
        let start = self.pos;
        let Some(id) = self.read_id() else {
            return match after {
                Some(op) => self.error(start, format!("expected a node id after '{op}'")),
                None => self.error(
                    start,
                    format!("expected a node id, found {}", describe(self.peek())),
                ),
            };
        };
        if self.subgraph_ids.contains_key(&id) {
            return self.error(
                start,
                format!("'{id}' is a subgraph: edges to subgraphs are not supported"),
            );
        }
        let idx = self.node_index(&id);
        let save = self.pos;
        self.skip_inline_ws();
        let open_pos = self.pos;
        if let Some((shape, close)) = self.shape_open() {
            let label = self.label(close, open_pos)?;
            if let Some(node) = self.chart.nodes.get_mut(idx) {
                node.shape = shape;
                node.label = label;
            }
        } else {
            self.pos = save;
        }
        if self.looking_at(":::") {
            self.pos += 3;
            let cpos = self.pos;
            let name = self.read_class_name();
            if name.is_empty() {
                return self.error(cpos, "expected a class name after ':::'");
            }
            if let Some(node) = self.chart.nodes.get_mut(idx)
                && !node.classes.contains(&name)
            {
                node.classes.push(name);
            }
        }
        self.claim(idx);
        Ok(idx)
    }

    fn node_index(&mut self, id: &str) -> usize {
        if let Some(&i) = self.node_ids.get(id) {
            return i;
        }
        let i = self.chart.nodes.len();
        self.chart.nodes.push(Node {
            id: id.to_string(),
            label: id.to_string(),
            shape: Shape::Rect,
            classes: Vec::new(),
            style: Vec::new(),
            link: None,
            subgraph: None,
        });
        self.node_ids.insert(id.to_string(), i);
        i
    }

    /// A node belongs to the first subgraph that mentions it.
    fn claim(&mut self, idx: usize) {
        let Some(&(sg, _)) = self.open.last() else {
            return;
        };
        let Some(node) = self.chart.nodes.get_mut(idx) else {
            return;
        };
        if node.subgraph.is_none() {
            node.subgraph = Some(sg);
            if let Some(s) = self.chart.subgraphs.get_mut(sg) {
                s.nodes.push(idx);
            }
        }
    }

    /// Consumes a shape's opening bracket; returns the shape and its closing bracket.
    fn shape_open(&mut self) -> Option<(Shape, &'static str)> {
        const OPENERS: [(&str, Shape, &str); 9] = [
            ("([", Shape::Stadium, "])"),
            ("((", Shape::Circle, "))"),
            ("[[", Shape::Subroutine, "]]"),
            ("[(", Shape::Cylinder, ")]"),
            ("{{", Shape::Hexagon, "}}"),
            ("(", Shape::Rounded, ")"),
            ("[", Shape::Rect, "]"),
            ("{", Shape::Diamond, "}"),
            (">", Shape::Asymmetric, "]"),
        ];
        for (open, shape, close) in OPENERS {
            if self.looking_at(open) {
                self.pos += open.chars().count();
                return Some((shape, close));
            }
        }
        None
    }

    /// Reads a label up to `close` (quoted or raw) and decodes it.
    fn label(&mut self, close: &'static str, open_pos: usize) -> Result<String> {
        self.skip_inline_ws();
        if self.peek() == Some('"') {
            let text = self.quoted()?;
            self.skip_inline_ws();
            if !self.looking_at(close) {
                return self.error(
                    self.pos,
                    format!(
                        "expected '{close}' after the quoted label, found {}",
                        describe(self.peek())
                    ),
                );
            }
            self.pos += close.chars().count();
            return Ok(decode_label(&text));
        }
        let mut raw = String::new();
        loop {
            if self.looking_at(close) {
                self.pos += close.chars().count();
                return Ok(decode_label(&raw));
            }
            match self.peek() {
                None | Some('\n') => {
                    return self.error(open_pos, format!("unterminated label: expected '{close}'"));
                }
                Some(c @ ('[' | ']' | '(' | ')' | '{' | '}' | '"')) => {
                    return self.error(
                        self.pos,
                        format!("unexpected '{c}' in label: put the label in quotes"),
                    );
                }
                Some(c) => {
                    raw.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    fn edge_op(&mut self) -> Result<Option<EdgeOp>> {
        let start = self.pos;
        let mut op = match (self.peek(), self.peek_at(1)) {
            (Some('-'), Some('.')) => self.dotted_op(start)?,
            (Some('-'), Some('-')) => self.repeated_op('-', Stroke::Solid, start)?,
            (Some('='), Some('=')) => self.repeated_op('=', Stroke::Thick, start)?,
            _ => return Ok(None),
        };
        let save = self.pos;
        self.skip_inline_ws();
        if self.peek() == Some('|') {
            let lpos = self.pos;
            if op.label.is_some() {
                return self.error(lpos, "this edge already has a label");
            }
            self.pos += 1;
            op.label = self.pipe_label(lpos)?;
        } else {
            self.pos = save;
        }
        Ok(Some(op))
    }

    fn count_run(&self, ch: char) -> usize {
        let mut n = 0;
        while self.peek_at(n) == Some(ch) {
            n += 1;
        }
        n
    }

    /// `-->`, `--->`, `---`, `==>`, `===`, or the text forms `-- text -->`, `== text ==>`.
    fn repeated_op(&mut self, ch: char, stroke: Stroke, start: usize) -> Result<EdgeOp> {
        let n = self.count_run(ch);
        self.pos += n;
        let run: String = std::iter::repeat_n(ch, n).collect();
        if self.peek() == Some('>') {
            self.pos += 1;
            return Ok(EdgeOp {
                stroke,
                arrow: true,
                length: n.saturating_sub(1).max(1),
                label: None,
                text: format!("{run}>"),
            });
        }
        if n >= 3 {
            return Ok(EdgeOp {
                stroke,
                arrow: false,
                length: n.saturating_sub(2).max(1),
                label: None,
                text: run,
            });
        }
        // Text form: `-- text -->` / `== text ==>`; the text ends at a run of
        // at least two `ch` followed by `ch` or `>`.
        let closes_here = |p: &Parser| {
            p.peek() == Some(ch)
                && p.peek_at(1) == Some(ch)
                && matches!(p.peek_at(2), Some(c) if c == ch || c == '>')
        };
        let expected = format!("'{ch}{ch}>' or '{ch}{ch}{ch}'");
        self.skip_inline_ws();
        let label = if self.peek() == Some('"') {
            let text = self.quoted()?;
            self.skip_inline_ws();
            if !closes_here(self) {
                return self.error(
                    self.pos,
                    format!("expected {expected} after the quoted edge text"),
                );
            }
            text
        } else {
            let mut text = String::new();
            while !closes_here(self) {
                match self.peek() {
                    None | Some('\n') => {
                        return self.error(
                            start,
                            format!("unterminated edge text: expected {expected}"),
                        );
                    }
                    Some(c) => {
                        text.push(c);
                        self.pos += 1;
                    }
                }
            }
            text
        };
        let m = self.count_run(ch);
        self.pos += m;
        let arrow = self.peek() == Some('>');
        if arrow {
            self.pos += 1;
        }
        let label = decode_label(&label);
        if label.is_empty() {
            return self.error(start, "empty edge text");
        }
        let closing: String = std::iter::repeat_n(ch, m).collect();
        Ok(EdgeOp {
            stroke,
            arrow,
            length: if arrow {
                m.saturating_sub(1)
            } else {
                m.saturating_sub(2)
            }
            .max(1),
            label: Some(label),
            text: if arrow {
                format!("{closing}>")
            } else {
                closing
            },
        })
    }

    /// `-.->`, `-..->`, `-.-`, or the text form `-. text .->`.
    fn dotted_op(&mut self, start: usize) -> Result<EdgeOp> {
        self.pos += 1; // '-'
        let dots = self.count_run('.');
        self.pos += dots;
        let dot_run: String = std::iter::repeat_n('.', dots).collect();
        if self.peek() == Some('-') {
            self.pos += 1;
            let arrow = self.peek() == Some('>');
            if arrow {
                self.pos += 1;
            }
            return Ok(EdgeOp {
                stroke: Stroke::Dotted,
                arrow,
                length: dots.max(1),
                label: None,
                text: format!("-{dot_run}-{}", if arrow { ">" } else { "" }),
            });
        }
        if dots != 1 {
            return self.error(start, "incomplete dotted edge: expected '-.->' or '-.-'");
        }
        let closes_here = |p: &Parser| p.peek() == Some('.') && p.peek_at(1) == Some('-');
        self.skip_inline_ws();
        let label = if self.peek() == Some('"') {
            let text = self.quoted()?;
            self.skip_inline_ws();
            if !closes_here(self) {
                return self.error(
                    self.pos,
                    "expected '.->' or '.-' after the quoted edge text",
                );
            }
            text
        } else {
            let mut text = String::new();
            while !closes_here(self) {
                match self.peek() {
                    None | Some('\n') => {
                        return self.error(start, "unterminated edge text: expected '.->' or '.-'");
                    }
                    Some(c) => {
                        text.push(c);
                        self.pos += 1;
                    }
                }
            }
            text
        };
        self.pos += 2;
        let arrow = self.peek() == Some('>');
        if arrow {
            self.pos += 1;
        }
        let label = decode_label(&label);
        if label.is_empty() {
            return self.error(start, "empty edge text");
        }
        Ok(EdgeOp {
            stroke: Stroke::Dotted,
            arrow,
            length: 1,
            label: Some(label),
            text: if arrow {
                ".->".to_string()
            } else {
                ".-".to_string()
            },
        })
    }

    /// Reads `label|` after an edge's opening `|`.
    fn pipe_label(&mut self, lpos: usize) -> Result<Option<String>> {
        self.skip_inline_ws();
        let text = if self.peek() == Some('"') {
            let text = self.quoted()?;
            self.skip_inline_ws();
            if self.peek() != Some('|') {
                return self.error(
                    self.pos,
                    format!(
                        "expected '|' after the quoted edge label, found {}",
                        describe(self.peek())
                    ),
                );
            }
            text
        } else {
            let mut text = String::new();
            loop {
                match self.peek() {
                    Some('|') => break,
                    None | Some('\n') => {
                        return self.error(lpos, "unterminated edge label: expected '|'");
                    }
                    Some(c) => {
                        text.push(c);
                        self.pos += 1;
                    }
                }
            }
            text
        };
        self.pos += 1; // closing '|'
        let label = decode_label(&text);
        Ok((!label.is_empty()).then_some(label))
    }

    // ----- subgraphs -------------------------------------------------------

    fn subgraph(&mut self, start: usize) -> Result<()> {
        self.skip_inline_ws();
        if self.at_statement_end() {
            return self.error(self.pos, "expected a subgraph id or title after 'subgraph'");
        }
        if self.open.len() >= MAX_SUBGRAPH_DEPTH {
            return self.error(
                start,
                format!("subgraphs are nested more than {MAX_SUBGRAPH_DEPTH} deep"),
            );
        }
        let id_pos = self.pos;
        let (id, title) = if self.peek() == Some('"') {
            let title = self.quoted()?;
            (None, decode_label(&title))
        } else {
            match self.read_id() {
                Some(id) => {
                    let after_id = self.pos;
                    self.skip_inline_ws();
                    if self.peek() == Some('[') {
                        self.pos += 1;
                        let title = self.label("]", after_id)?;
                        (Some(id), title)
                    } else if self.at_statement_end() {
                        let title = decode_label(&id);
                        (Some(id), title)
                    } else {
                        self.pos = id_pos;
                        (None, self.rest_of_statement())
                    }
                }
                None => (None, self.rest_of_statement()),
            }
        };
        if let Some(id) = &id {
            if self.subgraph_ids.contains_key(id) {
                return self.error(id_pos, format!("duplicate subgraph id '{id}'"));
            }
            if self.node_ids.contains_key(id) {
                return self.error(id_pos, format!("'{id}' is already used as a node id"));
            }
        }
        let idx = self.chart.subgraphs.len();
        if let Some(id) = &id {
            self.subgraph_ids.insert(id.clone(), idx);
        }
        self.chart.subgraphs.push(Subgraph {
            id,
            title,
            direction: None,
            parent: self.open.last().map(|&(p, _)| p),
            nodes: Vec::new(),
            classes: Vec::new(),
            style: Vec::new(),
        });
        self.open.push((idx, start));
        Ok(())
    }

    /// The rest of the statement as a decoded title.
    fn rest_of_statement(&mut self) -> String {
        let mut s = String::new();
        while !self.at_statement_end() {
            if let Some(c) = self.peek() {
                s.push(c);
            }
            self.pos += 1;
        }
        decode_label(&s)
    }

    // ----- styling and links -------------------------------------------

    /// Reads `name[,name...]`; `missing` is the message when no name is there.
    fn class_names(&mut self, missing: &str) -> Result<Vec<String>> {
        let mut names = Vec::new();
        loop {
            let pos = self.pos;
            let name = self.read_class_name();
            if name.is_empty() {
                let msg = if names.is_empty() {
                    missing.to_string()
                } else {
                    "expected a class name after ','".to_string()
                };
                return self.error(pos, msg);
            }
            names.push(name);
            if self.peek() != Some(',') {
                break;
            }
            self.pos += 1;
            self.skip_inline_ws();
        }
        if !matches!(self.peek(), None | Some(' ' | '\t' | '\r' | '\n' | ';')) {
            return self.error(
                self.pos,
                format!("unexpected {} in class name", describe(self.peek())),
            );
        }
        Ok(names)
    }

    /// Reads `prop:value,prop:value` up to the end of the statement.
    fn style_props(&mut self) -> Result<Vec<StyleProp>> {
        // Collect (text, position) parts split at top-level commas.
        let mut parts: Vec<(String, usize)> = Vec::new();
        let mut current = String::new();
        let mut current_pos = self.pos;
        let mut depth = 0usize;
        while !(matches!(self.peek(), None | Some('\n' | ';'))) {
            let Some(c) = self.peek() else { break };
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if c == ',' && depth == 0 {
                parts.push((std::mem::take(&mut current), current_pos));
                self.pos += 1;
                current_pos = self.pos;
                continue;
            }
            current.push(c);
            self.pos += 1;
        }
        parts.push((current, current_pos));
        let mut props = Vec::new();
        for (part, pos) in parts {
            let lead = part.chars().take_while(|c| c.is_whitespace()).count();
            let pos = pos + lead;
            let trimmed = part.trim();
            if trimmed.is_empty() {
                continue;
            }
            let Some((prop, value)) = trimmed.split_once(':') else {
                return self.error(
                    pos,
                    format!("expected 'property:value' in style, found '{trimmed}'"),
                );
            };
            let property = prop.trim().to_ascii_lowercase();
            if !STYLE_PROPERTIES.contains(&property.as_str()) {
                return self.error(
                    pos,
                    format!(
                        "unsupported style property '{}': expected one of {}",
                        prop.trim(),
                        STYLE_PROPERTIES.join(", ")
                    ),
                );
            }
            let value = value.trim().to_string();
            if !valid_style_value(&value) {
                let vpos = pos + prop.chars().count() + 1;
                return self.error(vpos, format!("invalid style value '{value}'"));
            }
            props.push(StyleProp { property, value });
        }
        if props.is_empty() {
            return self.error(self.pos, "expected styles such as 'fill:#f9f,stroke:#333'");
        }
        Ok(props)
    }

    fn class_def(&mut self) -> Result<()> {
        self.skip_inline_ws();
        let names = self.class_names("expected a class name after 'classDef'")?;
        self.skip_inline_ws();
        if self.at_statement_end() {
            return self.error(self.pos, "expected styles such as 'fill:#f9f,stroke:#333'");
        }
        let props = self.style_props()?;
        for name in names {
            match self.chart.class_defs.iter_mut().find(|c| c.name == name) {
                Some(existing) => existing.styles.extend(props.iter().cloned()),
                None => self.chart.class_defs.push(ClassDef {
                    name,
                    styles: props.clone(),
                }),
            }
        }
        Ok(())
    }

    fn class_statement(&mut self) -> Result<()> {
        self.skip_inline_ws();
        let mut targets = Vec::new();
        loop {
            let pos = self.pos;
            let Some(id) = self.read_id() else {
                let msg = if targets.is_empty() {
                    "expected a node id after 'class'"
                } else {
                    "expected a node id after ','"
                };
                return self.error(pos, msg);
            };
            targets.push((id, pos));
            if self.peek() != Some(',') {
                break;
            }
            self.pos += 1;
            self.skip_inline_ws();
        }
        self.skip_inline_ws();
        if self.at_statement_end() {
            return self.error(self.pos, "expected a class name after the node ids");
        }
        let classes = self.class_names("expected a class name after the node ids")?;
        self.deferred.push(Deferred::Class { targets, classes });
        Ok(())
    }

    fn style_statement(&mut self) -> Result<()> {
        self.skip_inline_ws();
        let pos = self.pos;
        let Some(target) = self.read_id() else {
            return self.error(pos, "expected a node id after 'style'");
        };
        self.skip_inline_ws();
        if self.at_statement_end() {
            return self.error(self.pos, "expected styles such as 'fill:#f9f,stroke:#333'");
        }
        let props = self.style_props()?;
        self.deferred.push(Deferred::Style { target, pos, props });
        Ok(())
    }

    fn click_statement(&mut self) -> Result<()> {
        self.skip_inline_ws();
        let pos = self.pos;
        let Some(target) = self.read_id() else {
            return self.error(pos, "expected a node id after 'click'");
        };
        self.skip_inline_ws();
        if self.keyword("href") {
            self.skip_inline_ws();
        }
        if self.peek() != Some('"') {
            return self.error(
                self.pos,
                format!(
                    "expected a quoted link such as \"/reference/page#id\" after 'click {target}'"
                ),
            );
        }
        let url_pos = self.pos;
        let href = self.quoted()?;
        if !valid_href(&href) {
            return self.error(
                url_pos,
                format!("link '{href}' must be a site path starting with '/' or '#'"),
            );
        }
        self.skip_inline_ws();
        let tooltip = if self.peek() == Some('"') {
            Some(decode_label(&self.quoted()?).replace('\n', " "))
        } else {
            None
        };
        self.deferred.push(Deferred::Click {
            target,
            pos,
            link: Link { href, tooltip },
        });
        Ok(())
    }

    /// Applies `class`, `style` and `click` now that every node is known.
    fn resolve(&mut self) -> Result<()> {
        let deferred = std::mem::take(&mut self.deferred);
        for d in deferred {
            match d {
                Deferred::Class { targets, classes } => {
                    for (target, pos) in targets {
                        let list = if let Some(&n) = self.node_ids.get(&target) {
                            self.chart.nodes.get_mut(n).map(|n| &mut n.classes)
                        } else if let Some(&s) = self.subgraph_ids.get(&target) {
                            self.chart.subgraphs.get_mut(s).map(|s| &mut s.classes)
                        } else {
                            None
                        };
                        let Some(list) = list else {
                            return self.error(pos, format!("unknown node or subgraph '{target}'"));
                        };
                        for class in &classes {
                            if valid_class_name(class) && !list.contains(class) {
                                list.push(class.clone());
                            }
                        }
                    }
                }
                Deferred::Style { target, pos, props } => {
                    let list = if let Some(&n) = self.node_ids.get(&target) {
                        self.chart.nodes.get_mut(n).map(|n| &mut n.style)
                    } else if let Some(&s) = self.subgraph_ids.get(&target) {
                        self.chart.subgraphs.get_mut(s).map(|s| &mut s.style)
                    } else {
                        None
                    };
                    let Some(list) = list else {
                        return self.error(pos, format!("unknown node or subgraph '{target}'"));
                    };
                    list.extend(props);
                }
                Deferred::Click { target, pos, link } => {
                    let node = self
                        .node_ids
                        .get(&target)
                        .copied()
                        .and_then(|n| self.chart.nodes.get_mut(n));
                    let Some(node) = node else {
                        return self.error(pos, format!("unknown node '{target}' in 'click'"));
                    };
                    node.link = Some(link);
                }
            }
        }
        Ok(())
    }
}
