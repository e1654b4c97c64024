//! Server functions: the app's public endpoints. Each checks who is asking before anything else.

pub mod practice;
pub mod reference;
