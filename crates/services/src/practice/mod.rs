//! Practice: sets drawn from the bank by filter, answers recorded and scored at once (the
//! usual fast path in [`answers`], the full one beside it), what practice knows about a
//! learner ([`learner`]). The bank itself (loading, validation, how a question is shown) is
//! the content crate's.

pub mod answers;
mod draw;
pub mod learner;
pub mod service;
pub mod sets;
pub mod view;

#[cfg(test)]
mod tests;

pub use draw::*;
