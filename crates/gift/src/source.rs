//! Cutting GIFT text into question blocks: blank lines separate questions and
//! lines starting with `//` are comments.

use crate::GiftError;
use crate::span::Span;

/// A non-blank, non-comment line, trimmed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// 1-based.
    pub number: usize,
    pub text: &'a str,
}

/// Groups of consecutive lines, one group per question (or category).
pub(crate) fn blocks(text: &str) -> Vec<Vec<Line<'_>>> {
    let mut blocks = Vec::new();
    let mut current = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let text = raw.trim();
        if text.is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else if !text.starts_with("//") {
            current.push(Line {
                number: index + 1,
                text,
            });
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// For a `$CATEGORY:` line, the path it sets (`None` for an empty path, which
/// goes back to no category).
/// A carriage return inside the line is read as a space, as the writer writes it (found by
/// `make fuzz`: `a\rb` used to come back from a round trip as `a b`).
pub(crate) fn category(line: &str) -> Option<Option<String>> {
    let path = line.strip_prefix("$CATEGORY:")?.trim().replace('\r', " ");
    Some(Some(path).filter(|path| !path.is_empty()))
}

/// One question's lines joined with `\n`, remembering where each line starts.
#[derive(Debug)]
pub(crate) struct Block {
    text: String,
    /// `(byte offset in text, line number)`, one per line, offsets increasing.
    starts: Vec<(usize, usize)>,
}

impl Block {
    /// `lines` must not be empty.
    pub fn new(lines: &[Line<'_>]) -> Self {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(lines.len());
        for line in lines {
            if !text.is_empty() {
                text.push('\n');
            }
            starts.push((text.len(), line.number));
            text.push_str(line.text);
        }
        Block { text, starts }
    }

    pub fn span(&self) -> Span<'_> {
        Span::new(&self.text, 0)
    }

    pub fn first_line(&self) -> usize {
        self.starts.first().map_or(1, |&(_, line)| line)
    }

    pub fn line_at(&self, offset: usize) -> usize {
        let after = self.starts.partition_point(|&(start, _)| start <= offset);
        self.starts
            .get(after.saturating_sub(1))
            .map_or(1, |&(_, line)| line)
    }

    /// An error about the piece of the block starting at `offset`.
    pub fn error(&self, offset: usize, message: impl Into<String>) -> GiftError {
        GiftError {
            line: self.line_at(offset),
            message: message.into(),
        }
    }
}
