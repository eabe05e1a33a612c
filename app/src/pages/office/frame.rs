//! The one frame every office list uses: a list fetched from the API, a table with edit and
//! delete per row, and a form over a `rounds::admin` request type that validates before it
//! sends and shows the server's field errors beside the fields. Online only: on the server
//! render and before hydration the lists show "loading".

use crate::i18n::{error_label, fill, use_i18n, Lang, Msg};
use crate::state::use_store;
use leptos::prelude::*;
use rounds::admin::AdminInput;
use rounds::FieldError;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;

/// Why a call failed, in the parts the page shows (the client's `ApiFailure` without the
/// browser-only bits).
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// 0 when no answer came.
    pub status: u16,
    pub code: String,
    pub message: String,
}

impl Failure {
    /// The browser's own validator refused the input.
    fn local() -> Failure {
        Failure { status: 400, code: "invalid".into(), message: String::new() }
    }
}

#[cfg(feature = "hydrate")]
impl From<&crate::client::http::ApiFailure> for Failure {
    fn from(f: &crate::client::http::ApiFailure) -> Failure {
        Failure { status: f.status, code: f.code.clone(), message: f.message.clone() }
    }
}

/// What to tell the user about a failure.
pub fn failure_text(f: &Failure, lang: Lang) -> String {
    match (f.status, f.code.as_str()) {
        (0, _) => Msg::OfficeNeedsNetwork.text(lang).to_string(),
        (401, _) => Msg::OfficeSignInAgain.text(lang).to_string(),
        (403, _) => Msg::OfficeForbidden.text(lang).to_string(),
        (_, "invalid" | "duplicate") => Msg::FixErrors.text(lang).to_string(),
        (409, _) => format!("{} {}", Msg::OfficeInUse.text(lang), f.message),
        _ => fill(Msg::OfficeFailed.text(lang), &[("e", f.message.clone())]),
    }
}

/// The translation of a field error's code.
pub fn office_error(e: &FieldError, lang: Lang) -> &'static str {
    let msg = match e.code.as_str() {
        "duplicate" => Msg::OfficeErrDuplicate,
        "unknown" => Msg::OfficeErrUnknown,
        "bad_phone" => Msg::OfficeErrBadPhone,
        "bad_characters" => Msg::OfficeErrBadCharacters,
        "out_of_range" => Msg::OfficeErrOutOfRange,
        "too_short" => Msg::OfficeErrTooShort,
        "bad_length" => Msg::OfficeErrBadLength,
        "wrong_role" => Msg::OfficeErrWrongRole,
        "own_account" => Msg::OfficeErrOwnAccount,
        "bad_id" => Msg::OfficeErrBadId,
        "not_dutiable" => Msg::OfficeErrNotDutiable,
        "unknown_kind" => Msg::OfficeErrUnknownKind,
        "unknown_activity" => Msg::OfficeErrUnknownActivity,
        "scope_mismatch" => Msg::OfficeErrScopeMismatch,
        "zero_period" => Msg::OfficeErrZeroPeriod,
        "share_needs_window" => Msg::OfficeErrShareNeedsWindow,
        "not_per_student" => Msg::OfficeErrNotPerStudent,
        "never_met" => Msg::OfficeErrNeverMet,
        "before_start" => Msg::OfficeErrBeforeStart,
        "outside_semester" => Msg::OfficeErrOutsideSemester,
        "overlap" => Msg::OfficeErrOverlap,
        "unknown_zone" => Msg::OfficeErrUnknownZone,
        other => return error_label(other, lang),
    };
    msg.text(lang)
}

/// A value loaded from the API.
#[derive(Debug, Clone, PartialEq)]
pub enum Remote<T> {
    Loading,
    Ready(T),
    Failed(Failure),
}

impl<T> Remote<T> {
    pub fn ready(&self) -> Option<&T> {
        match self {
            Remote::Ready(v) => Some(v),
            _ => None,
        }
    }

    pub fn map<U>(&self, f: impl FnOnce(&T) -> U) -> Remote<U> {
        match self {
            Remote::Loading => Remote::Loading,
            Remote::Ready(v) => Remote::Ready(f(v)),
            Remote::Failed(e) => Remote::Failed(e.clone()),
        }
    }
}

/// Asks a list to load again (after a save or a delete).
#[derive(Clone, Copy)]
pub struct Reload(RwSignal<u32>);

impl Reload {
    pub fn new() -> Reload {
        Reload(RwSignal::new(0))
    }

    pub fn bump(self) {
        self.0.update(|n| *n = n.wrapping_add(1));
    }

    /// Makes the running effect load again on the next bump.
    pub fn track(self) {
        self.0.track();
    }
}

impl Default for Reload {
    fn default() -> Self {
        Reload::new()
    }
}

/// Loads `url` after hydration, again whenever the URL changes or `reload` is bumped. An
/// answer to an older request never overwrites a newer one.
pub fn fetch<T>(url: impl Fn() -> String + Send + Sync + 'static, reload: Reload) -> Signal<Remote<T>>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    let data = RwSignal::new(Remote::Loading);
    let latest = StoredValue::new(0u32);
    Effect::new(move |_| {
        let url = url();
        reload.track();
        latest.update_value(|n| *n = n.wrapping_add(1));
        #[cfg(feature = "hydrate")]
        {
            let mine = latest.get_value();
            leptos::task::spawn_local(async move {
                let result = crate::client::http::get::<T>(&url).await;
                if latest.get_value() == mine {
                    data.set(match result {
                        Ok(v) => Remote::Ready(v),
                        Err(f) => Remote::Failed(Failure::from(&f)),
                    });
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = url;
    });
    data.into()
}

/// A value for a URL query: percent-encoded in the browser (the only place requests are made).
pub fn query_value(s: &str) -> String {
    #[cfg(feature = "hydrate")]
    {
        String::from(js_sys::encode_uri_component(s))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        s.to_string()
    }
}

/// The errors of the form being edited; the fields read theirs.
#[derive(Clone, Copy)]
pub struct OfficeErrors(pub RwSignal<Vec<FieldError>>);

fn field_error(field: String) -> impl Fn() -> Option<String> + Send + Sync + Copy + 'static {
    let errors = expect_context::<OfficeErrors>();
    let i18n = use_i18n();
    let field = StoredValue::new(field);
    move || errors.0.with(|es| es.iter().find(|e| field.with_value(|f| &e.field == f)).map(|e| office_error(e, i18n.lang()).to_string()))
}

/// The error of a whole group (a rule, a semester, a holiday) that no single field shows.
#[component]
pub fn GroupError(#[prop(into)] field: String) -> impl IntoView {
    let error = field_error(field);
    view! { <small class="field-error" role="alert">{error}</small> }.into_any()
}

/// The item index and the rest of a path into a list: `("rules", "rules[3].period.days")` gives
/// `(3, "period.days")`; `None` for paths outside the list.
pub fn list_item<'p>(list: &str, field: &'p str) -> Option<(usize, &'p str)> {
    let rest = field.strip_prefix(list)?.strip_prefix('[')?;
    let (index, rest) = rest.split_once(']')?;
    let index = index.parse().ok()?;
    match rest {
        "" => Some((index, "")),
        _ => rest.strip_prefix('.').map(|r| (index, r)),
    }
}

/// A getter and a setter of a text field of one item of a draft (a rule, a holiday), for the
/// fields above; an item removed meanwhile reads as empty and takes no change.
pub fn item_field<D, T, L, M>(
    locate: L,
    locate_mut: M,
    get: fn(&T) -> String,
    set: fn(&mut T, String),
) -> (impl Fn(&D) -> String + Copy + Send + Sync + 'static, impl Fn(&mut D, String) + Copy + Send + Sync + 'static)
where
    D: 'static,
    T: 'static,
    L: Fn(&D) -> Option<&T> + Copy + Send + Sync + 'static,
    M: Fn(&mut D) -> Option<&mut T> + Copy + Send + Sync + 'static,
{
    (
        move |d: &D| locate(d).map(get).unwrap_or_default(),
        move |d: &mut D, v: String| {
            if let Some(item) = locate_mut(d) {
                set(item, v);
            }
        },
    )
}

/// After item `removed` left a list, its errors go with it and the later items' move up one,
/// so every error still stands beside the item it is about.
pub fn forget_removed(errors: &mut Vec<FieldError>, list: &str, removed: usize) {
    errors.retain(|e| list_item(list, &e.field).is_none_or(|(i, _)| i != removed));
    for e in errors.iter_mut() {
        if let Some((i, rest)) = list_item(list, &e.field).filter(|(i, _)| *i > removed) {
            let dot = if rest.is_empty() { "" } else { "." };
            e.field = format!("{list}[{}]{dot}{rest}", i - 1);
        }
    }
}

/// Where a form sends its draft.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// POST to this URL.
    Create(String),
    /// PUT to this URL.
    Update(String),
}

/// A form over one request type: validated here first, then sent; the server's field errors
/// land beside the fields, anything else above them. `on_done` gets the server's answer.
#[component]
pub fn EditForm<I>(
    title: Signal<String>,
    draft: RwSignal<I>,
    target: Target,
    on_done: Callback<serde_json::Value>,
    on_cancel: Callback<()>,
    /// Called instead of the generic message when the server answers 409 (someone else saved).
    #[prop(optional_no_strip)]
    on_conflict: Option<Callback<Failure>>,
    /// Names an error's field for people in the list above the form; the raw path if not given.
    #[prop(optional)]
    field_name: Option<fn(&str, Lang) -> String>,
    /// The cancel button's label, for forms that stay open (放弃修改).
    #[prop(optional)]
    cancel_label: Option<Msg>,
    children: Children,
) -> impl IntoView
where
    I: AdminInput + Serialize + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let store = use_store();
    let errors = OfficeErrors(RwSignal::new(Vec::new()));
    provide_context(errors);
    let problem = RwSignal::new(None::<Failure>);
    let saving = RwSignal::new(false);
    let target = StoredValue::new(target);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let input = draft.get_untracked();
        let zone = rounds::school_time::offset(store.utc_offset_seconds.get_untracked());
        let local = input.validate(rounds::school_time::now_in(&zone).date_naive());
        if !local.is_empty() {
            errors.0.set(local.0);
            problem.set(Some(Failure::local()));
            return;
        }
        #[cfg(feature = "hydrate")]
        {
            use crate::client::http;
            saving.set(true);
            let target = target.get_value();
            leptos::task::spawn_local(async move {
                let result = match &target {
                    Target::Create(url) => http::post::<I, serde_json::Value>(url, &input).await,
                    Target::Update(url) => http::put::<I, serde_json::Value>(url, &input).await,
                };
                saving.set(false);
                match result {
                    Ok(answer) => {
                        errors.0.set(Vec::new());
                        problem.set(None);
                        on_done.run(answer);
                    }
                    Err(f) if f.status == 409 && on_conflict.is_some() => {
                        errors.0.set(Vec::new());
                        problem.set(None);
                        if let Some(c) = on_conflict {
                            c.run(Failure::from(&f));
                        }
                    }
                    Err(f) => {
                        errors.0.set(f.fields.clone());
                        problem.set(Some(Failure::from(&f)));
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (target, on_done, on_conflict);
    };
    let name_of = move |field: &str, lang: Lang| field_name.map_or_else(|| field.to_string(), |f| f(field, lang));
    view! {
        <form class="form office-form card" on:submit=submit novalidate aria-label=move || title.get()>
            <h2>{move || title.get()}</h2>
            <Show when=move || problem.with(|p| p.is_some())>
                <div class="error" role="alert">
                    <p>{move || problem.get().map(|p| failure_text(&p, i18n.lang()))}</p>
                    <ul>
                        {move || errors.0.get().into_iter().map(|e| {
                            view! { <li>{format!("{} — {}", name_of(&e.field, i18n.lang()), office_error(&e, i18n.lang()))}</li> }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            {children()}
            <div class="form-buttons">
                <button type="submit" class="primary" disabled=move || saving.get()>
                    {move || if saving.get() { i18n.t(Msg::Saving) } else { i18n.t(Msg::Save) }}
                </button>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                    {move || i18n.t(cancel_label.unwrap_or(Msg::OfficeCancel))}
                </button>
            </div>
        </form>
    }
    .into_any()
}

/// One document of the API edited in place (the duty rules, the calendar): loaded from `url`,
/// kept as a draft, saved with PUT, and put back as last loaded or saved on "discard changes".
#[component]
pub fn DocumentEditor<T, I>(
    url: &'static str,
    title: Msg,
    draft: RwSignal<I>,
    /// The draft a loaded or saved document makes.
    draft_of: fn(&T) -> I,
    /// What to say once it is saved.
    saved_text: fn(&T, Lang) -> String,
    field_name: fn(&str, Lang) -> String,
    notice: RwSignal<Option<String>>,
    /// Bumped, loads the document again (after someone else's save).
    #[prop(optional)]
    reload: Option<Reload>,
    /// Told of every document loaded or saved.
    #[prop(optional)]
    on_loaded: Option<Callback<T>>,
    #[prop(optional)] on_conflict: Option<Callback<Failure>>,
    /// Shown above the form once the document is there.
    #[prop(optional)]
    above: Option<ViewFn>,
    children: ChildrenFn,
) -> impl IntoView
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
    I: AdminInput + Serialize + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let reload = reload.unwrap_or_default();
    let loaded = fetch::<T>(move || url.to_string(), reload);
    let saved = RwSignal::new(None::<T>);
    let keep = move |doc: T| {
        draft.set(draft_of(&doc));
        if let Some(c) = on_loaded {
            c.run(doc.clone());
        }
        saved.set(Some(doc));
    };
    Effect::new(move |_| {
        if let Remote::Ready(doc) = loaded.get() {
            keep(doc);
        }
    });
    let on_done = Callback::new(move |answer: serde_json::Value| match serde_json::from_value::<T>(answer) {
        Ok(doc) => {
            notice.set(Some(saved_text(&doc, i18n.lang())));
            keep(doc);
        }
        // Saved, but the answer is not the document: read it back.
        Err(_) => {
            notice.set(Some(i18n.t(Msg::Saved).to_string()));
            reload.bump();
        }
    });
    let on_cancel = Callback::new(move |_| {
        if let Some(doc) = saved.get_untracked() {
            draft.set(draft_of(&doc));
        }
        notice.set(None);
    });
    let above = StoredValue::new(above);
    let children = StoredValue::new(children);
    view! {
        {move || match loaded.get() {
            Remote::Loading => Some(view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any()),
            Remote::Failed(f) if saved.with(Option::is_none) => {
                Some(view! { <p class="error" role="alert">{move || failure_text(&f, i18n.lang())}</p> }.into_any())
            }
            _ => None,
        }}
        <Show when=move || saved.with(Option::is_some)>
            {above.with_value(|a| a.as_ref().map(|a| a.run()))}
            <Show when=move || notice.with(Option::is_some)>
                <p class="notice" role="status">{move || notice.get().unwrap_or_default()}</p>
            </Show>
            <div class="long-form">
                <EditForm
                    title=Signal::derive(move || i18n.t(title).to_string())
                    draft
                    target=Target::Update(url.into())
                    on_done
                    on_cancel
                    on_conflict
                    field_name
                    cancel_label=Msg::OfficeDiscardChanges
                >
                    {children.with_value(|c| c())}
                </EditForm>
            </div>
        </Show>
    }
    .into_any()
}

/// A text input of a draft (also numbers, dates, passwords), labelled, with its error.
#[component]
pub fn Text<I, G, S>(
    draft: RwSignal<I>,
    label: Msg,
    #[prop(into)] field: String,
    get: G,
    set: S,
    /// The input's type; `text` unless given.
    #[prop(optional)]
    kind: Option<&'static str>,
    #[prop(optional)] multiline: bool,
) -> impl IntoView
where
    I: Send + Sync + 'static,
    G: Fn(&I) -> String + Copy + Send + Sync + 'static,
    S: Fn(&mut I, String) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let error = field_error(field);
    let value = move || draft.with(get);
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        draft.update(|d| set(d, v));
    };
    let invalid = move || error().map(|_| "true");
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            {if multiline {
                view! { <textarea rows="3" prop:value=value on:input=on_input aria-invalid=invalid></textarea> }.into_any()
            } else {
                view! { <input type=kind.unwrap_or("text") prop:value=value on:input=on_input aria-invalid=invalid/> }.into_any()
            }}
        </label>
        <small class="field-error">{error}</small>
    }
    .into_any()
}

/// A choice among options given as (value, label); the value `""` means none chosen.
#[component]
pub fn Select<I, G, S>(draft: RwSignal<I>, label: Msg, #[prop(into)] field: String, options: Signal<Vec<(String, String)>>, get: G, set: S) -> impl IntoView
where
    I: Send + Sync + 'static,
    G: Fn(&I) -> String + Copy + Send + Sync + 'static,
    S: Fn(&mut I, String) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let error = field_error(field);
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <select
                aria-invalid=move || error().map(|_| "true")
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    draft.update(|d| set(d, v));
                }
            >
                {move || options.get().into_iter().map(|(value, text)| {
                    let v = value.clone();
                    view! { <option value=value selected=move || draft.with(get) == v>{text}</option> }
                }).collect_view()}
            </select>
        </label>
        <small class="field-error">{error}</small>
    }
    .into_any()
}

/// A yes/no of a draft: the record forms' own field.
pub use crate::pages::fields::CheckField as Check;

/// Options with a leading "choose…" entry of value `""`.
pub fn with_choose(i18n: crate::i18n::I18n, list: Vec<(String, String)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), i18n.t(Msg::OfficeChoose).to_string())).chain(list).collect()
}

/// One column of a table: its heading and how a row shows in it.
pub struct Column<R> {
    pub label: Msg,
    pub cell: Arc<dyn Fn(&R) -> String + Send + Sync>,
}

impl<R> Clone for Column<R> {
    fn clone(&self) -> Self {
        Column { label: self.label, cell: self.cell.clone() }
    }
}

pub fn col<R>(label: Msg, cell: impl Fn(&R) -> String + Send + Sync + 'static) -> Column<R> {
    Column { label, cell: Arc::new(cell) }
}

/// Buttons or links shown at the end of a row.
pub type RowActions<R> = Arc<dyn Fn(&R) -> AnyView + Send + Sync>;

/// A table of rows, scrolling sideways on a phone; with buttons at the end of each row if given.
#[component]
pub fn DataTable<R>(caption: Msg, rows: Signal<Remote<Vec<R>>>, columns: Vec<Column<R>>, #[prop(optional)] actions: Option<RowActions<R>>) -> impl IntoView
where
    R: Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let columns = StoredValue::new(columns);
    let actions = StoredValue::new(actions);
    move || match rows.get() {
        Remote::Loading => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
        Remote::Failed(f) => view! { <p class="error" role="alert">{move || failure_text(&f, i18n.lang())}</p> }.into_any(),
        Remote::Ready(list) if list.is_empty() => view! { <p class="muted">{move || i18n.t(Msg::OfficeNoEntries)}</p> }.into_any(),
        Remote::Ready(list) => view! {
            <div class="table-wrap">
                <table class="office-table">
                    <caption>{move || i18n.t(caption)}</caption>
                    <thead>
                        <tr>
                            {columns.with_value(|cs| cs.iter().map(|c| {
                                let label = c.label;
                                view! { <th scope="col">{move || i18n.t(label)}</th> }
                            }).collect_view())}
                            {actions.with_value(|a| a.is_some()).then(|| view! { <th scope="col">{move || i18n.t(Msg::OfficeActions)}</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {list.into_iter().map(|row| view! {
                            <tr>
                                {columns.with_value(|cs| cs.iter().map(|c| view! { <td>{(c.cell)(&row)}</td> }).collect_view())}
                                {actions.with_value(|a| a.as_ref().map(|a| view! { <td class="row-actions">{a(&row)}</td> }))}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
}

/// Asks the API to delete a row after the user confirms; reports how it went.
pub fn delete_row(url: String, name: String, notice: RwSignal<Option<String>>, reload: Reload, lang: Lang) {
    if !confirm(&fill(Msg::OfficeConfirmDelete.text(lang), &[("x", name)])) {
        return;
    }
    #[cfg(feature = "hydrate")]
    {
        leptos::task::spawn_local(async move {
            match crate::client::http::delete::<serde_json::Value>(&url).await {
                Ok(_) => {
                    notice.set(Some(Msg::OfficeDeleted.text(lang).to_string()));
                    reload.bump();
                }
                Err(f) => notice.set(Some(failure_text(&Failure::from(&f), lang))),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (url, notice, reload);
}

/// Asks the user a yes/no question in the browser's own dialog; no on the server.
pub fn confirm(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        false
    }
}

/// How a kind of row is edited: where new ones go, how a row becomes a draft and a URL, what
/// its fields are.
pub struct Editing<R, I> {
    pub create_url: String,
    /// A blank draft (with the page's filters filled in, e.g. the chosen room).
    pub blank: Arc<dyn Fn() -> I + Send + Sync>,
    /// The URL of a row and the draft that would leave it as it is.
    pub edit: fn(&R) -> (String, I),
    /// How the row is named in confirmations and button labels.
    pub name: fn(&R) -> String,
    pub fields: Arc<dyn Fn(RwSignal<I>) -> AnyView + Send + Sync>,
}

/// A list with add, edit and delete: the table and the form of one kind of row.
#[component]
pub fn Crud<R, I>(
    /// The section's heading, also the table's caption.
    title: Msg,
    rows: Signal<Remote<Vec<R>>>,
    reload: Reload,
    columns: Vec<Column<R>>,
    editing: Editing<R, I>,
    /// More buttons per row (staff of a class…).
    #[prop(optional)]
    extra: Option<RowActions<R>>,
) -> impl IntoView
where
    R: Clone + Send + Sync + 'static,
    I: AdminInput + Serialize + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let Editing { create_url, blank, edit, name, fields } = editing;
    let draft = RwSignal::new(blank());
    // The form is open while this holds where it sends, with its heading.
    let open = RwSignal::new(None::<(Target, String)>);
    let notice = RwSignal::new(None::<String>);
    let add = {
        let blank = blank.clone();
        move |_| {
            draft.set(blank());
            notice.set(None);
            open.set(Some((Target::Create(create_url.clone()), fill(i18n.t(Msg::OfficeAddOf), &[("x", i18n.t(title).to_string())]))));
        }
    };
    let actions: RowActions<R> = Arc::new(move |row: &R| {
        let label = name(row);
        let (url, input) = edit(row);
        let edit_label = fill(i18n.t(Msg::OfficeEditOf), &[("x", label.clone())]);
        let delete_label = fill(i18n.t(Msg::OfficeDeleteOf), &[("x", label.clone())]);
        let put_url = url.clone();
        let heading = edit_label.clone();
        let more = extra.as_ref().map(|f| f(row));
        view! {
            <button type="button" class="link" aria-label=edit_label on:click=move |_| {
                draft.set(input.clone());
                notice.set(None);
                open.set(Some((Target::Update(put_url.clone()), heading.clone())));
            }>{move || i18n.t(Msg::OfficeEdit)}</button>
            {more}
            <button type="button" class="link danger" aria-label=delete_label on:click=move |_| {
                delete_row(url.clone(), label.clone(), notice, reload, i18n.lang());
            }>{move || i18n.t(Msg::OfficeDelete)}</button>
        }
        .into_any()
    });
    let form = move || {
        open.get().map(|(target, heading)| {
            let fields = fields.clone();
            view! {
                <EditForm
                    title=Signal::derive(move || heading.clone())
                    draft
                    target
                    on_done=Callback::new(move |_| {
                        open.set(None);
                        notice.set(Some(i18n.t(Msg::Saved).to_string()));
                        reload.bump();
                    })
                    on_cancel=Callback::new(move |_| open.set(None))
                >
                    {fields(draft)}
                </EditForm>
            }
        })
    };
    view! {
        <section class="office-section" aria-label=move || i18n.t(title)>
            <div class="section-head">
                <h2>{move || i18n.t(title)}</h2>
                <button type="button" class="primary" on:click=add>{move || fill(i18n.t(Msg::OfficeAddOf), &[("x", i18n.t(title).to_string())])}</button>
            </div>
            <Show when=move || notice.with(|n| n.is_some())>
                <p class="notice" role="status">{move || notice.get().unwrap_or_default()}</p>
            </Show>
            {form}
            <DataTable caption=title rows columns actions/>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(field: &str) -> FieldError {
        FieldError { field: field.into(), code: "required".into(), message: String::new() }
    }

    #[test]
    fn paths_into_a_list_name_the_item_and_the_rest() {
        assert_eq!(list_item("rules", "rules[3].period.days"), Some((3, "period.days")));
        assert_eq!(list_item("rules", "rules[12]"), Some((12, "")));
        assert_eq!(list_item("semesters[0].holidays", "semesters[0].holidays[1].end"), Some((1, "end")));
        assert_eq!(list_item("semesters", "semesters[0].holidays[1].end"), Some((0, "holidays[1].end")));
        assert_eq!(list_item("rules", "rulesets[1]"), None);
        assert_eq!(list_item("rules", "rules[x].id"), None);
        assert_eq!(list_item("rules", "rules[1]id"), None);
        assert_eq!(list_item("rules", "time_zone"), None);
    }

    #[test]
    fn a_removed_item_takes_its_errors_and_the_later_ones_move_up() {
        let mut errors = vec![error("rules[0].title"), error("rules[1].period.days"), error("rules[2]"), error("rules[3].id"), error("time_zone")];
        forget_removed(&mut errors, "rules", 1);
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["rules[0].title", "rules[1]", "rules[2].id", "time_zone"]);
        let mut nested = vec![error("semesters[0].holidays[0].name"), error("semesters[0].holidays[2].end"), error("semesters[1].holidays[2].end")];
        forget_removed(&mut nested, "semesters[0].holidays", 0);
        let fields: Vec<&str> = nested.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["semesters[0].holidays[1].end", "semesters[1].holidays[2].end"]);
    }
}
