//! Form pieces: a labelled input with its error messages next to it, the form-wide error, and
//! the hard navigation that follows signing in or out (every part of the page must change).

use leptos::prelude::*;

use shared::error::AppError;

/// The messages for one field of the last result of an action.
pub fn field_messages<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
    field: &'static str,
) -> Signal<Vec<String>> {
    Signal::derive(move || match value.get() {
        Some(Err(err)) => err.field_messages(field),
        _ => Vec::new(),
    })
}

/// A labelled input whose errors appear right under it and are announced.
#[component]
pub fn Field(
    /// The form field name (and the server function argument).
    name: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] min: Option<&'static str>,
    #[prop(optional)] max: Option<&'static str>,
    #[prop(optional)] step: Option<&'static str>,
    errors: Signal<Vec<String>>,
) -> impl IntoView {
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if !errors.get().is_empty() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field--invalid=move || !errors.get().is_empty()>
            <label for=id.clone()>{label}</label>
            {hint.map(|text| view! { <p class="field__hint" id=hint_id.clone()>{text}</p> })}
            <input
                id=id.clone()
                name=name
                type=kind
                autocomplete=autocomplete
                required=required
                value=value
                min=min
                max=max
                step=step
                aria-invalid=move || (!errors.get().is_empty()).then_some("true")
                aria-describedby=described
                data-testid=format!("{name}-input")
            />
            <div id=error_id aria-live="polite">
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|m| view! { <p class="field-error" data-testid=format!("{name}-error")>{m}</p> })
                        .collect_view()
                }}
            </div>
        </div>
    }
}

/// The error of the last result that belongs to no single field (wrong credentials, rate
/// limits, a server fault), shown above the submit button.
#[component]
pub fn FormError<T: Clone + Send + Sync + 'static>(
    value: Signal<Option<Result<T, AppError>>>,
    /// Field names shown next to their inputs (not repeated here).
    fields: &'static [&'static str],
) -> impl IntoView {
    let message = move || match value.get() {
        Some(Err(AppError::Validation(map))) => {
            let rest: Vec<String> = map
                .iter()
                .filter(|(field, _)| !fields.contains(&field.as_str()))
                .flat_map(|(_, messages)| messages.clone())
                .collect();
            (!rest.is_empty()).then(|| rest.join(" "))
        }
        Some(Err(err)) => Some(err.to_string()),
        _ => None,
    };
    view! {
        <div aria-live="assertive">
            {move || {
                message()
                    .map(|m| {
                        view! {
                            <p
                                class="notice--error form-error"
                                role="alert"
                                data-testid="form-error"
                            >
                                {m}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// Loads a page from scratch (after signing in or out, the header and every resource change).
pub fn go_to(url: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = url;
}

/// Asks the person to confirm (the browser's dialog); never confirmed outside the browser.
pub fn confirm(message: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.confirm_with_message(message).ok())
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = message;
        false
    }
}

/// A local path to return to after signing in (anything else goes to the dashboard).
pub fn safe_next(next: Option<String>) -> String {
    next.as_deref()
        .and_then(shared::routes::local_path)
        .map_or_else(|| "/progress".to_string(), str::to_string)
}

/// Moves keyboard focus to the element with this id once it is on the page, when focus was
/// lost: the element that had it (a button in a part of the page that was just replaced) is
/// gone, so the browser put focus on `<body>` and the next Tab would start again at the top of
/// the page. Only when `enabled` (not on a page's first load, where focus belongs at the top).
/// The element needs `tabindex="-1"` unless it is focusable anyway.
pub fn focus_when_lost(id: &'static str, enabled: bool) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        if !enabled {
            return;
        }
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let lost = document
            .active_element()
            .is_none_or(|active| active.tag_name() == "BODY");
        if lost
            && let Some(element) = document
                .get_element_by_id(id)
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, enabled);
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/review".into())), "/review");
        assert_eq!(safe_next(Some("//evil.example".into())), "/progress");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/progress");
        assert_eq!(safe_next(Some("/\\evil.example".into())), "/progress");
        assert_eq!(safe_next(None), "/progress");
        // What a browser reads as `//host` once it drops the tab, newline or space.
        for trick in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            " //evil.example",
            "/\u{0}/x",
        ] {
            assert_eq!(safe_next(Some(trick.into())), "/progress", "{trick:?}");
        }
        assert_eq!(safe_next(Some("/exams?x=1#y".into())), "/exams?x=1#y");
    }
}
