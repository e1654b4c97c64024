//! The exam practice web app: the Leptos component tree shared by the server (SSR) and the
//! browser (hydration), and the server functions, each a thin call into the `services` crate
//! (behind the `ssr` feature, with the `content` crate's loaded exam packs).

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod pages;
pub mod web;

mod shell;

pub use shell::{App, shell};

/// Browser entry point: attaches the server-rendered page to the Leptos runtime.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // A marker for tests and CSS: interactive behaviour is live from here on.
    if let Some(root) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element())
    {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
