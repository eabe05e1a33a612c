//! The generic form frame and its fields: every record form is a draft of one `src/` type,
//! edited through these, validated by the shared validator and saved through the one pipeline.

use crate::i18n::{error_label, use_i18n, Lang, Msg};
use crate::state::use_store;
use leptos::prelude::*;
use rounds::{FieldError, RecordBody, RecordEnvelope};

/// Now, in the school's time zone (the phone's calendar, not the phone's clock's zone).
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    rounds::school_time::now_in(&use_store().zone())
}

/// A student's name from the roster on the phone; empty for one it does not hold.
pub fn student_name(id: rounds::StudentId) -> String {
    use_store().roster.with_untracked(|r| r.student(id).map(|s| s.name.clone())).unwrap_or_default()
}

/// A form's title: the kind's name and whom it is about (`谈心谈话 · 张三`).
pub fn titled(kind: Msg, of: String) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || format!("{} · {}", i18n.t(kind), of))
}

/// The errors of the last save attempt, paths relative to the record's data; fields read them.
#[derive(Clone, Copy)]
pub struct FormErrors(pub RwSignal<Vec<FieldError>>);

impl FormErrors {
    /// Shows why a save did not happen: the validator's errors by field (paths relative to the
    /// record's data), or the phone's storage refusing, as the form's own error.
    #[cfg(feature = "hydrate")]
    pub fn show(self, e: crate::client::SaveError) {
        let shown = match e {
            crate::client::SaveError::Invalid(e) => {
                e.0.into_iter()
                    .map(|mut e| {
                        e.field = e.field.trim_start_matches("body.data.").to_string();
                        e
                    })
                    .collect()
            }
            e => vec![FieldError { field: String::new(), code: "storage".into(), message: e.to_string() }],
        };
        self.0.set(shown);
    }

    pub fn for_field(self, field: impl Into<String>) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let field: String = field.into();
        let i18n = use_i18n();
        move || self.0.with(|es| es.iter().find(|e| e.field == field).map(|e| error_label(&e.code, i18n.lang()).to_string()))
    }
}

/// The record a form starts from: shown read-only (a record's page, a past revision), or edited,
/// when saving makes its next revision instead of a new record.
#[derive(Clone)]
pub struct Editing {
    pub record: RecordEnvelope,
    pub read_only: bool,
}

pub fn editing() -> Option<RecordEnvelope> {
    use_context::<Editing>().map(|e| e.record)
}

/// Whether the form around shows a record without letting it change.
pub fn read_only() -> bool {
    use_context::<Editing>().is_some_and(|e| e.read_only)
}

/// A form's first draft: the edited record's body when it is of this kind, else `fresh()`.
pub fn initial_draft<T: TryFrom<RecordBody>>(fresh: impl FnOnce() -> T) -> T {
    editing().and_then(|e| T::try_from(e.body).ok()).unwrap_or_else(fresh)
}

/// Where to go, once set; an effect owns the navigator, so the handlers that set it stay `Copy`.
pub fn navigator() -> RwSignal<Option<String>> {
    let go_to = RwSignal::new(None::<String>);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(path) = go_to.get() {
            navigate(&path, Default::default());
        }
    });
    go_to
}

/// The page a saved form returns to instead of its own: the `back` query parameter, when it
/// is a path of this app (Today sends its forms back to itself). Read as the form is made.
pub fn back_param() -> Option<String> {
    leptos_router::hooks::use_query_map().with_untracked(|q| q.get("back")).filter(|b| is_local_path(b))
}

/// A path on this site, never another origin (`//host`, `/\host`, `https://…`).
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/') && !path.starts_with("//") && !path.starts_with("/\\")
}

/// After a save: "已保存" for a while, and on to the record (after an edit), the `back` page,
/// or the form's own page.
#[cfg(feature = "hydrate")]
pub fn saved(
    store: crate::state::AppStore,
    i18n: crate::i18n::I18n,
    go_to: RwSignal<Option<String>>,
    edited: Option<RecordEnvelope>,
    back: Option<String>,
    own: impl FnOnce() -> String,
) {
    store.flash.set(Some(i18n.t(Msg::Saved).to_string()));
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(8000).await;
        store.flash.set(None);
    });
    go_to.set(Some(match (edited, back) {
        (Some(e), _) => format!("/records/{}", e.id),
        (None, Some(back)) => back,
        (None, None) => own(),
    }));
}

/// Wraps a record form: on submit it turns the draft into a record body, saves it offline
/// (validated first), and goes to `done` with "已保存"; or shows what to fix.
#[component]
pub fn FormFrame(
    title: Signal<String>,
    /// Makes the record from the draft.
    to_body: Callback<(), Option<RecordBody>>,
    /// Where to go once saved.
    done: Signal<String>,
    /// Says where an error is in the form's own words (`马宇轩 · 缺勤原因`), for forms of lists
    /// whose paths (`residents[0].absence_reason`) mean nothing to a counselor.
    #[prop(optional)]
    field_name: Option<Callback<String, String>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let errors = FormErrors(RwSignal::new(Vec::new()));
    provide_context(errors);
    let read_only = read_only();
    let previous = StoredValue::new(editing().filter(|_| !read_only));
    let saving = RwSignal::new(false);
    // An edit keeps the record's photos unless removed.
    let photos = crate::pages::photos::PhotoDraft::new(editing().map(|e| e.photos).unwrap_or_default());
    let go_to = navigator();
    let return_to = StoredValue::new(back_param());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() || photos.busy.get_untracked() {
            return;
        }
        let Some(body) = to_body.run(()) else { return };
        #[cfg(feature = "hydrate")]
        {
            saving.set(true);
            leptos::task::spawn_local(async move {
                let result = crate::client::save_with_photos(store, body, previous.get_value(), false, photos.photos.get_untracked()).await;
                saving.set(false);
                match result {
                    Ok(_) => {
                        errors.0.set(vec![]);
                        saved(store, i18n, go_to, previous.get_value(), return_to.get_value(), || done.get_untracked());
                    }
                    Err(e) => errors.show(e),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (body, store, go_to, done, previous, return_to);
    };
    let heading = move || match previous.with_value(|p| p.is_some()) {
        true => format!("{} · {}", i18n.t(Msg::EditRecord), title.get()),
        false => title.get(),
    };
    if read_only {
        // The page around has the heading; a disabled fieldset keeps every input as it was.
        let shown = editing().map(|e| e.photos).unwrap_or_default();
        return view! {
            <fieldset class="form read-only" disabled>{children()}</fieldset>
            <crate::pages::photos::PhotoThumbs photos=shown/>
        }
        .into_any();
    }
    view! {
        <h1>{heading}</h1>
        <form class="form" on:submit=submit novalidate>
            <ErrorSummary errors field_name/>
            {children()}
            <crate::pages::photos::PhotoField draft=photos form_error=errors.for_field("photos")/>
            <div class="actions">
                <button type="submit" class="primary big" disabled=move || saving.get() || photos.busy.get()>
                    {move || if saving.get() { i18n.t(Msg::Saving) } else { i18n.t(Msg::Save) }}
                </button>
            </div>
        </form>
    }
    .into_any()
}

fn errors() -> FormErrors {
    expect_context::<FormErrors>()
}

/// What the last save attempt refused, field by field, above a form; the phone's storage
/// refusing, in its own words.
#[component]
pub fn ErrorSummary(errors: FormErrors, #[prop(default = None)] field_name: Option<Callback<String, String>>) -> impl IntoView {
    let i18n = use_i18n();
    let line = move |e: FieldError| match e.code.as_str() {
        "storage" => e.message,
        code => {
            let field = field_name.map_or_else(|| e.field.clone(), |name| name.run(e.field.clone()));
            format!("{field} — {}", error_label(code, i18n.lang()))
        }
    };
    view! {
        <Show when=move || !errors.0.with(|e| e.is_empty())>
            <div class="error" role="alert">
                <p>{move || i18n.t(Msg::FixErrors)}</p>
                <ul>{move || errors.0.get().into_iter().map(|e| view! { <li>{line(e)}</li> }).collect_view()}</ul>
            </div>
        </Show>
    }
}

/// The error of one field of the form around, for fields a form draws itself.
pub fn field_error(field: impl Into<String>) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    errors().for_field(field)
}

/// A one-line or multi-line text field of a draft.
#[component]
pub fn TextField<T: Send + Sync + 'static>(
    draft: RwSignal<T>,
    label: Msg,
    field: &'static str,
    get: fn(&T) -> String,
    set: fn(&mut T, String),
    #[prop(optional)] multiline: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = errors().for_field(field);
    let value = move || draft.with(get);
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        draft.update(|d| set(d, v));
    };
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            {if multiline {
                view! { <textarea rows="3" prop:value=value on:input=on_input></textarea> }.into_any()
            } else {
                view! { <input type="text" prop:value=value on:input=on_input/> }.into_any()
            }}
        </label>
        <small class="field-error">{error}</small>
    }
    .into_any()
}

/// A choice among a closed list (a `choice!` enum of `src/`), as a select.
#[component]
pub fn ChoiceField<T: Send + Sync + 'static, C: Copy + PartialEq + std::fmt::Debug + Send + Sync + 'static>(
    draft: RwSignal<T>,
    label: Msg,
    options: &'static [C],
    name: fn(C, Lang) -> &'static str,
    get: fn(&T) -> C,
    set: fn(&mut T, C),
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <select on:change=move |ev| {
                let v = event_target_value(&ev);
                if let Some(c) = options.iter().copied().find(|c| format!("{c:?}") == v) {
                    draft.update(|d| set(d, c));
                }
            }>
                {options.iter().copied().map(|c| view! {
                    <option value=format!("{c:?}") selected=move || draft.with(get) == c>{move || name(c, i18n.lang())}</option>
                }).collect_view()}
            </select>
        </label>
    }
    .into_any()
}

/// A yes/no of a draft.
#[component]
pub fn CheckField<T, G, S>(draft: RwSignal<T>, label: Msg, get: G, set: S) -> impl IntoView
where
    T: Send + Sync + 'static,
    G: Fn(&T) -> bool + Copy + Send + Sync + 'static,
    S: Fn(&mut T, bool) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <label class="check">
            <input type="checkbox" prop:checked=move || draft.with(get)
                on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| set(d, on)); }/>
            <span>{move || i18n.t(label)}</span>
        </label>
    }
    .into_any()
}

/// The value of a `datetime-local` input for an instant, in the school's zone.
pub fn to_input_value(t: &chrono::DateTime<chrono::FixedOffset>, zone: &chrono::FixedOffset) -> String {
    t.with_timezone(zone).format("%Y-%m-%dT%H:%M").to_string()
}

/// The instant a `datetime-local` input means, in the school's zone.
pub fn from_input_value(value: &str, zone: &chrono::FixedOffset) -> Option<chrono::DateTime<chrono::FixedOffset>> {
    use chrono::TimeZone;
    let naive = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").ok()?;
    zone.from_local_datetime(&naive).single()
}

/// When the recorded thing happened, in the school's zone.
#[component]
pub fn TimeField<T: Send + Sync + 'static>(
    draft: RwSignal<T>,
    label: Msg,
    field: &'static str,
    get: fn(&T) -> chrono::DateTime<chrono::FixedOffset>,
    set: fn(&mut T, chrono::DateTime<chrono::FixedOffset>),
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let error = errors().for_field(field);
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <input type="datetime-local"
                prop:value=move || draft.with(|d| to_input_value(&get(d), &store.zone()))
                on:change=move |ev| {
                    if let Some(t) = from_input_value(&event_target_value(&ev), &store.zone()) {
                        draft.update(|d| set(d, t));
                    }
                }/>
        </label>
        <small class="field-error">{error}</small>
    }
    .into_any()
}

/// Ticks students off a list (students met at a visit, absent from a meeting).
#[component]
pub fn StudentChecklist<T: Send + Sync + 'static>(
    draft: RwSignal<T>,
    label: Msg,
    field: &'static str,
    students: Vec<(rounds::StudentId, String)>,
    get: fn(&T) -> &Vec<rounds::StudentId>,
    set: fn(&mut T, rounds::StudentId, bool),
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let error = errors().for_field(field);
    // A whole class is long: a filter by name, initials or number finds one in a few taps.
    let query = RwSignal::new(String::new());
    let long = students.len() > 8;
    let hidden = move |id: rounds::StudentId| {
        let q = query.get();
        !q.trim().is_empty() && !store.roster.with_untracked(|r| r.student(id).is_some_and(|s| s.matches(&q)))
    };
    view! {
        <fieldset class="choice">
            <legend>{move || i18n.t(label)}</legend>
            {long.then(|| view! {
                <label class="field">
                    <span>{move || i18n.t(Msg::SearchInList)}</span>
                    <input type="search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
                </label>
            })}
            <div class="checklist">
                {students.into_iter().map(|(id, name)| view! {
                    <label class="check" class:hidden=move || hidden(id)>
                        <input type="checkbox" prop:checked=move || draft.with(|d| get(d).contains(&id))
                            on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| set(d, id, on)); }/>
                        <span>{name}</span>
                    </label>
                }).collect_view()}
            </div>
        </fieldset>
        <small class="field-error">{error}</small>
    }
    .into_any()
}

/// Adds or removes one id of a list, keeping it free of repeats.
pub fn toggle(list: &mut Vec<rounds::StudentId>, id: rounds::StudentId, on: bool) {
    list.retain(|s| *s != id);
    if on {
        list.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn a_form_returns_only_to_a_page_of_this_app() {
        for ok in ["/", "/records", "/rooms/3?x=1"] {
            assert!(is_local_path(ok), "{ok}");
        }
        for bad in ["", "https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "records"] {
            assert!(!is_local_path(bad), "{bad}");
        }
    }
}
