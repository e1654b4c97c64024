//! The parsed form of a flowchart.

/// The direction in which a flowchart (or a subgraph) flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// `TB` or `TD`: top to bottom.
    #[default]
    TopBottom,
    /// `BT`: bottom to top.
    BottomTop,
    /// `LR`: left to right.
    LeftRight,
    /// `RL`: right to left.
    RightLeft,
}

impl Direction {
    /// Parses `TB`, `TD`, `BT`, `LR` or `RL`.
    pub fn from_keyword(word: &str) -> Option<Direction> {
        match word {
            "TB" | "TD" => Some(Direction::TopBottom),
            "BT" => Some(Direction::BottomTop),
            "LR" => Some(Direction::LeftRight),
            "RL" => Some(Direction::RightLeft),
            _ => None,
        }
    }

    /// True for `LR` and `RL`.
    pub fn is_horizontal(self) -> bool {
        matches!(self, Direction::LeftRight | Direction::RightLeft)
    }
}

/// The outline of a node, chosen by its brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Shape {
    /// `A[text]`
    #[default]
    Rect,
    /// `A(text)`
    Rounded,
    /// `A([text])`
    Stadium,
    /// `A[[text]]`
    Subroutine,
    /// `A[(text)]`
    Cylinder,
    /// `A((text))`
    Circle,
    /// `A{text}`
    Diamond,
    /// `A{{text}}`
    Hexagon,
    /// `A>text]`
    Asymmetric,
}

impl Shape {
    /// A short lowercase name, used in CSS class names (`fc-shape-diamond`).
    pub fn name(self) -> &'static str {
        match self {
            Shape::Rect => "rect",
            Shape::Rounded => "rounded",
            Shape::Stadium => "stadium",
            Shape::Subroutine => "subroutine",
            Shape::Cylinder => "cylinder",
            Shape::Circle => "circle",
            Shape::Diamond => "diamond",
            Shape::Hexagon => "hexagon",
            Shape::Asymmetric => "asymmetric",
        }
    }
}

/// How an edge's line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Stroke {
    /// `-->` and `---`
    #[default]
    Solid,
    /// `-.->` and `-.-`
    Dotted,
    /// `==>` and `===`
    Thick,
}

/// One `property:value` pair from `classDef` or `style`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StyleProp {
    /// Lowercase CSS-like property, e.g. `fill`.
    pub property: String,
    /// The value, e.g. `#f9f`.
    pub value: String,
}

/// A link attached to a node with `click A "/path" "tooltip"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// A site path starting with `/` or `#`.
    pub href: String,
    /// Optional tooltip text.
    pub tooltip: Option<String>,
}

/// A node (box) of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The id used in the source, e.g. `A`.
    pub id: String,
    /// The decoded label; lines are separated by `\n`.
    pub label: String,
    /// The outline.
    pub shape: Shape,
    /// Class names from `class` and `:::`.
    pub classes: Vec<String>,
    /// Properties from `style` statements.
    pub style: Vec<StyleProp>,
    /// Link from a `click` statement.
    pub link: Option<Link>,
    /// Index of the innermost subgraph the node belongs to.
    pub subgraph: Option<usize>,
}

/// An edge between two nodes.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Index of the source node.
    pub from: usize,
    /// Index of the target node.
    pub to: usize,
    /// The decoded label; lines are separated by `\n`.
    pub label: Option<String>,
    /// Line style.
    pub stroke: Stroke,
    /// Whether the edge ends in an arrowhead.
    pub arrow: bool,
    /// Minimum length in ranks: 1 for `-->`, 2 for `--->`, ...
    pub length: usize,
}

/// A `subgraph ... end` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Subgraph {
    /// The id, when the source gave one (`subgraph id [title]` or `subgraph id`).
    pub id: Option<String>,
    /// The decoded title; lines are separated by `\n`.
    pub title: String,
    /// The `direction` statement inside the subgraph, if any.
    pub direction: Option<Direction>,
    /// Index of the enclosing subgraph (always smaller than this one's index).
    pub parent: Option<usize>,
    /// Nodes directly inside this subgraph (not inside a nested one).
    pub nodes: Vec<usize>,
    /// Class names from `class`.
    pub classes: Vec<String>,
    /// Properties from `style` statements.
    pub style: Vec<StyleProp>,
}

/// A `classDef` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassDef {
    /// The class name (`default` applies to every node).
    pub name: String,
    /// Its properties, in source order.
    pub styles: Vec<StyleProp>,
}

/// A parsed flowchart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Flowchart {
    /// The direction from the header.
    pub direction: Direction,
    /// Nodes in order of first mention.
    pub nodes: Vec<Node>,
    /// Edges in source order.
    pub edges: Vec<Edge>,
    /// Subgraphs in source order (parents before children).
    pub subgraphs: Vec<Subgraph>,
    /// Class definitions in source order.
    pub class_defs: Vec<ClassDef>,
}

impl Flowchart {
    /// Looks a node up by its id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// Properties accepted by `classDef` and `style`.
pub(crate) const STYLE_PROPERTIES: &[&str] = &[
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "opacity",
    "fill-opacity",
    "stroke-opacity",
    "color",
    "font-weight",
    "font-style",
];

/// True when `name` is usable in a CSS class name as is.
pub(crate) fn valid_class_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// True when `value` is a safe CSS value: colours, lengths, keywords and
/// `rgb()`/`rgba()`/`hsl()`/`hsla()` only. Nothing that could close a rule,
/// load a resource or break out of the `<style>` element gets through.
pub(crate) fn valid_style_value(value: &str) -> bool {
    if value.is_empty() || value.len() > 100 {
        return false;
    }
    let allowed = value.chars().all(|c| {
        c.is_ascii_alphanumeric() || matches!(c, '#' | '%' | '.' | ',' | '-' | ' ' | '(' | ')')
    });
    if !allowed {
        return false;
    }
    let opens = value.matches('(').count();
    let closes = value.matches(')').count();
    if opens == 0 && closes == 0 {
        return !value.contains(',');
    }
    let lower = value.to_ascii_lowercase();
    opens == 1
        && closes == 1
        && lower.ends_with(')')
        && ["rgb(", "rgba(", "hsl(", "hsla("]
            .iter()
            .any(|f| lower.starts_with(f))
}

/// True when `href` is a site path (`/...`) or a fragment (`#...`): no
/// scheme, no protocol-relative `//host`, no backslashes, no whitespace or
/// control characters.
pub(crate) fn valid_href(href: &str) -> bool {
    let starts_ok = href.starts_with('/') || href.starts_with('#');
    starts_ok
        && !href.starts_with("//")
        && !href
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}
