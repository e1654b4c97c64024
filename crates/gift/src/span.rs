//! A slice of a question block that remembers where it starts, so errors can
//! point at the line of the piece that is wrong.

use std::ops::{Bound, RangeBounds};

use crate::escape;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span<'a> {
    pub text: &'a str,
    /// Byte offset of `text` in its block.
    pub start: usize,
}

impl<'a> Span<'a> {
    pub fn new(text: &'a str, start: usize) -> Self {
        Span { text, start }
    }

    pub fn is_blank(self) -> bool {
        self.text.trim().is_empty()
    }

    pub fn trim(self) -> Self {
        self.trim_start().trim_end()
    }

    pub fn trim_start(self) -> Self {
        let text = self.text.trim_start();
        Span::new(text, self.start + (self.text.len() - text.len()))
    }

    pub fn trim_end(self) -> Self {
        Span::new(self.text.trim_end(), self.start)
    }

    /// Byte ranges must come from searches on this span, so they fall on char
    /// boundaries.
    pub fn slice(self, range: impl RangeBounds<usize>) -> Self {
        let from = match range.start_bound() {
            Bound::Included(&i) => i,
            Bound::Excluded(&i) => i + 1,
            Bound::Unbounded => 0,
        };
        let to = match range.end_bound() {
            Bound::Included(&i) => i + 1,
            Bound::Excluded(&i) => i,
            Bound::Unbounded => self.text.len(),
        };
        Span::new(&self.text[from..to], self.start + from)
    }

    /// Byte offset of the first unescaped `pattern`.
    pub fn find(self, pattern: &str) -> Option<usize> {
        escape::find_unescaped(self.text, pattern)
    }

    /// Splits at the first unescaped `pattern`, dropping it.
    pub fn split_once(self, pattern: &str) -> Option<(Self, Self)> {
        let at = self.find(pattern)?;
        Some((self.slice(..at), self.slice(at + pattern.len()..)))
    }

    /// The trimmed text with escapes resolved.
    pub fn unescaped(self) -> String {
        escape::unescape(self.text.trim())
    }

    /// Like [`Span::unescaped`], but `None` when there is nothing.
    pub fn unescaped_non_empty(self) -> Option<String> {
        Some(self.unescaped()).filter(|text| !text.is_empty())
    }
}
