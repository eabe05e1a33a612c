use crate::components::RequireUser;
use crate::i18n::{absence_label, error_label, hazard_label, hygiene_label, use_i18n, Msg};
use crate::pages::room::room_id_param;
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::{AbsenceReason, DormCheck, FieldError, HazardKind, HygieneRating, SafetyHazard, StudentId};

/// The check being edited, and the errors of the last save attempt (paths relative to it).
#[derive(Clone, Copy)]
struct Form {
    check: RwSignal<Option<DormCheck>>,
    errors: RwSignal<Vec<FieldError>>,
}

impl Form {
    fn edit(self, f: impl FnOnce(&mut DormCheck)) {
        self.check.update(|c| {
            if let Some(c) = c.as_mut() {
                f(c)
            }
        })
    }

    fn read<T: Default>(self, f: impl FnOnce(&DormCheck) -> T) -> T {
        self.check.with(|c| c.as_ref().map(f).unwrap_or_default())
    }

    /// The translated error of one field, if the last save attempt found one.
    fn error_for(self, field: String) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        crate::pages::fields::FormErrors(self.errors).for_field(field)
    }
}

/// 查寝 form: every resident starts present; tap the ones who are not.
#[component]
pub fn DormCheckForm() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let room_id = room_id_param();
    // Editing a saved check starts from it; a new one waits for the roster (below).
    let read_only = crate::pages::fields::read_only();
    let shown = crate::pages::fields::editing();
    let previous = StoredValue::new(shown.clone().filter(|_| !read_only));
    let shown_photos = shown.as_ref().map(|e| e.photos.clone()).unwrap_or_default();
    let form = Form { check: RwSignal::new(shown.and_then(|e| DormCheck::try_from(e.body).ok())), errors: RwSignal::new(Vec::new()) };
    let saving = RwSignal::new(false);
    let photos = crate::pages::photos::PhotoDraft::new(shown_photos.clone());

    let go_to = crate::pages::fields::navigator();
    let return_to = StoredValue::new(crate::pages::fields::back_param());

    // The form starts once the roster is on hand (right away when offline: it is local).
    Effect::new(move |_| {
        if form.check.with_untracked(|c| c.is_some()) {
            return;
        }
        if let Some(id) = room_id.get() {
            let residents: Option<Vec<StudentId>> = store.roster.with(|r| r.room(id).map(|_| r.residents(id).into_iter().map(|(_, s)| s.id).collect()));
            if let Some(residents) = residents {
                let now = rounds::school_time::now_in(&store.zone());
                form.check.set(Some(DormCheck::blank(id, &residents, now)));
            }
        }
    });
    let has_form = Memo::new(move |_| form.check.with(|c| c.is_some()));

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() || photos.busy.get_untracked() {
            return;
        }
        let Some(current) = form.check.get_untracked() else { return };
        #[cfg(feature = "hydrate")]
        {
            saving.set(true);
            leptos::task::spawn_local(async move {
                let body = rounds::RecordBody::DormCheck(current.clone());
                let result = crate::client::save_with_photos(store, body, previous.get_value(), false, photos.photos.get_untracked()).await;
                saving.set(false);
                match result {
                    Ok(_) => {
                        form.errors.set(vec![]);
                        crate::pages::fields::saved(store, i18n, go_to, previous.get_value(), return_to.get_value(), || format!("/rooms/{}", current.room_id));
                    }
                    Err(crate::client::SaveError::Invalid(e)) => {
                        form.errors.set(
                            e.0.into_iter()
                                .map(|mut e| {
                                    e.field = e.field.trim_start_matches("body.data.").to_string();
                                    e
                                })
                                .collect(),
                        );
                    }
                    Err(e) => {
                        form.errors.set(vec![FieldError { field: String::new(), code: "storage".into(), message: e.to_string() }]);
                    }
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (current, go_to, previous, return_to);
    };

    let room_id = Memo::new(move |_| form.check.with(|c| c.as_ref().map(|c| c.room_id)).or_else(|| room_id.get()));
    let room_number = move || room_id.get().and_then(|id| store.roster.with(|r| r.room(id).map(|r| r.number.clone()))).unwrap_or_default();
    let back = move || format!("/rooms/{}", room_id.get().map(|r| r.0).unwrap_or(0));

    if read_only {
        return view! {
            <fieldset class="form check-form read-only" disabled>
                <CheckedAtField form/>
                <HygieneField form/>
                <ResidentsFields form/>
                <HazardsFields form/>
                <NotesFields form/>
            </fieldset>
            <crate::pages::photos::PhotoThumbs photos=shown_photos/>
        }
        .into_any();
    }
    view! {
        <RequireUser>
            <h1>{move || match previous.with_value(|p| p.is_some()) {
                true => format!("{} · {} {}", i18n.t(Msg::EditRecord), i18n.t(Msg::DormCheck), room_number()),
                false => format!("{} {}", i18n.t(Msg::DormCheck), room_number()),
            }}</h1>
            <Show when=move || has_form.get() fallback=move || view! { <p class="muted">{move || i18n.t(Msg::RoomNotFound)}</p> }>
                <form class="form check-form" on:submit=save novalidate>
                    <ErrorSummary form/>
                    <CheckedAtField form/>
                    <HygieneField form/>
                    <ResidentsFields form/>
                    <HazardsFields form/>
                    <NotesFields form/>
                    <crate::pages::photos::PhotoField draft=photos/>
                    <div class="actions">
                        <A href=back attr:class="button secondary">{move || i18n.t(Msg::Back)}</A>
                        <button type="submit" class="primary big" disabled=move || saving.get() || photos.busy.get()>
                            {move || if saving.get() { i18n.t(Msg::Saving) } else { i18n.t(Msg::Save) }}
                        </button>
                    </div>
                </form>
            </Show>
        </RequireUser>
    }
    .into_any()
}

/// Says where an error is in words a counselor uses: `马宇轩 · 缺勤原因`, not a JSON path.
fn field_label(form: Form, field: &str) -> String {
    let i18n = use_i18n();
    let store = use_store();
    let index = |rest: &str| -> Option<(usize, String)> {
        let (i, tail) = rest.split_once(']')?;
        Some((i.parse().ok()?, tail.trim_start_matches('.').to_string()))
    };
    let leaf = |name: &str| match name {
        "absence_reason" => i18n.t(Msg::AbsenceReasonLabel).to_string(),
        "note" => i18n.t(Msg::AbsenceNote).to_string(),
        "description" => i18n.t(Msg::HazardDescription).to_string(),
        "follow_up" => i18n.t(Msg::HazardFollowUp).to_string(),
        "notes" => i18n.t(Msg::Notes).to_string(),
        "checked_at" => i18n.t(Msg::CheckedAt).to_string(),
        "hygiene" => i18n.t(Msg::Hygiene).to_string(),
        other => other.to_string(),
    };
    if let Some(rest) = field.strip_prefix("residents[") {
        if let Some((i, tail)) = index(rest) {
            let name = form
                .check
                .with_untracked(|c| c.as_ref().and_then(|c| c.residents.get(i)).map(|r| r.student_id))
                .and_then(|id| store.roster.with_untracked(|r| r.student(id).map(|s| s.name.clone())))
                .unwrap_or_default();
            return format!("{name} · {}", leaf(&tail));
        }
    }
    if let Some(rest) = field.strip_prefix("hazards[") {
        if let Some((i, tail)) = index(rest) {
            return format!("{} {} · {}", i18n.t(Msg::Hazards), i + 1, leaf(&tail));
        }
    }
    leaf(field)
}

#[component]
fn ErrorSummary(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || !form.errors.with(|e| e.is_empty())>
            <div class="error" role="alert">
                <p>{move || i18n.t(Msg::FixErrors)}</p>
                <ul>
                    {move || form.errors.get().into_iter().map(|e| {
                        let text = if e.code == "storage" {
                            e.message.clone()
                        } else {
                            format!("{}：{}", field_label(form, &e.field), error_label(&e.code, i18n.lang()))
                        };
                        view! { <li>{text}</li> }
                    }).collect_view()}
                </ul>
            </div>
        </Show>
    }
    .into_any()
}

#[component]
fn CheckedAtField(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    view! {
        <label class="field">
            <span>{move || i18n.t(Msg::CheckedAt)}</span>
            <input type="datetime-local"
                prop:value=move || form.read(|c| crate::pages::fields::to_input_value(&c.checked_at, &store.zone()))
                on:change=move |ev| {
                    if let Some(t) = crate::pages::fields::from_input_value(&event_target_value(&ev), &store.zone()) {
                        form.edit(|c| c.checked_at = t);
                    }
                }/>
        </label>
        <small class="field-error">{form.error_for("checked_at".into())}</small>
    }
    .into_any()
}

#[component]
fn HygieneField(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="choice" role="radiogroup" aria-labelledby="hygiene-legend">
            <legend id="hygiene-legend">{move || i18n.t(Msg::Hygiene)}</legend>
            <div class="segmented">
                {HygieneRating::ALL.into_iter().map(|rating| view! {
                    <label class="segment">
                        <input type="radio" name="hygiene"
                            prop:checked=move || form.read(|c| c.hygiene == rating)
                            on:change=move |_| form.edit(|c| c.hygiene = rating)/>
                        <span>{move || hygiene_label(rating, i18n.lang())}</span>
                    </label>
                }).collect_view()}
            </div>
        </fieldset>
    }
    .into_any()
}

#[component]
fn ResidentsFields(form: Form) -> impl IntoView {
    let store = use_store();
    // Only the list of residents, not their answers, decides the rows: typing keeps focus.
    let rows = Memo::new(move |_| {
        form.read(|c| {
            c.residents
                .iter()
                .map(|r| {
                    let name = store.roster.with_untracked(|ro| ro.student(r.student_id).map(|s| s.name.clone())).unwrap_or_default();
                    (r.student_id, name)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <div class="residents-form">
            {move || rows.get().into_iter().enumerate().map(|(i, (student_id, name))| view! {
                <ResidentField form index=i student_id name/>
            }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn ResidentField(form: Form, index: usize, student_id: StudentId, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let i = index;
    let present = move || form.read(|c| c.residents.get(i).map(|r| r.present).unwrap_or(true));
    let reason = move || form.read(|c| c.residents.get(i).and_then(|r| r.absence_reason));
    let legend_id = format!("resident-{}", student_id.0);
    let labelled_by = legend_id.clone();
    view! {
        <fieldset class="resident" class:absent=move || !present() aria-labelledby=labelled_by>
            <legend id=legend_id>{name}</legend>
            <div class="segmented">
                <label class="segment">
                    <input type="radio" name=format!("presence-{i}") prop:checked=present
                        on:change=move |_| form.edit(|c| {
                            if let Some(r) = c.residents.get_mut(i) {
                                r.present = true;
                                r.absence_reason = None;
                            }
                        })/>
                    <span>{move || i18n.t(Msg::Present)}</span>
                </label>
                <label class="segment">
                    <input type="radio" name=format!("presence-{i}") prop:checked=move || !present()
                        on:change=move |_| form.edit(|c| {
                            if let Some(r) = c.residents.get_mut(i) {
                                r.present = false;
                            }
                        })/>
                    <span>{move || i18n.t(Msg::Absent)}</span>
                </label>
            </div>
            <Show when=move || !present()>
                <label class="field">
                    <span>{move || i18n.t(Msg::AbsenceReasonLabel)}</span>
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        let chosen = AbsenceReason::ALL.into_iter().find(|r| format!("{r:?}") == v);
                        form.edit(|c| if let Some(r) = c.residents.get_mut(i) { r.absence_reason = chosen; });
                    }>
                        <option value="" selected=move || reason().is_none()>{move || i18n.t(Msg::ChooseReason)}</option>
                        {AbsenceReason::ALL.into_iter().map(|r| view! {
                            <option value=format!("{r:?}") selected=move || reason() == Some(r)>{move || absence_label(r, i18n.lang())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <small class="field-error">{form.error_for(format!("residents[{i}].absence_reason"))}</small>
                <label class="field">
                    <span>{move || i18n.t(Msg::AbsenceNote)}</span>
                    <input type="text"
                        prop:value=move || form.read(|c| c.residents.get(i).map(|r| r.note.clone()).unwrap_or_default())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            form.edit(|c| if let Some(r) = c.residents.get_mut(i) { r.note = v; });
                        }/>
                </label>
                <small class="field-error">{form.error_for(format!("residents[{i}].note"))}</small>
            </Show>
        </fieldset>
    }
    .into_any()
}

#[component]
fn HazardsFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let count = Memo::new(move |_| form.read(|c| c.hazards.len()));
    view! {
        <section class="hazards">
            <h2>{move || i18n.t(Msg::Hazards)}</h2>
            {move || (0..count.get()).map(|i| view! { <HazardField form index=i/> }).collect_view()}
            <button type="button" class="secondary" on:click=move |_| form.edit(|c| c.hazards.push(SafetyHazard {
                kind: HazardKind::ProhibitedAppliance,
                description: String::new(),
                follow_up: String::new(),
            }))>
                {move || i18n.t(Msg::AddHazard)}
            </button>
        </section>
    }
    .into_any()
}

#[component]
fn HazardField(form: Form, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let i = index;
    let initial_kind = form.check.with_untracked(|c| c.as_ref().and_then(|c| c.hazards.get(i)).map(|h| h.kind));
    view! {
        <div class="hazard card">
            <label class="field">
                <span>{move || i18n.t(Msg::HazardKindLabel)}</span>
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(kind) = HazardKind::ALL.into_iter().find(|k| format!("{k:?}") == v) {
                        form.edit(|c| if let Some(h) = c.hazards.get_mut(i) { h.kind = kind; });
                    }
                }>
                    {HazardKind::ALL.into_iter().map(|k| view! {
                        <option value=format!("{k:?}") selected=initial_kind == Some(k)>{move || hazard_label(k, i18n.lang())}</option>
                    }).collect_view()}
                </select>
            </label>
            <HazardText form index=i label=Msg::HazardDescription field="description"
                get=|h| h.description.clone() set=|h, v| h.description = v/>
            <HazardText form index=i label=Msg::HazardFollowUp field="follow_up"
                get=|h| h.follow_up.clone() set=|h, v| h.follow_up = v/>
            <button type="button" class="link danger" on:click=move |_| form.edit(|c| { if i < c.hazards.len() { c.hazards.remove(i); } })>
                {move || i18n.t(Msg::RemoveHazard)}
            </button>
        </div>
    }
    .into_any()
}

/// One free-text field of a hazard.
#[component]
fn HazardText(
    form: Form,
    index: usize,
    label: Msg,
    field: &'static str,
    get: fn(&SafetyHazard) -> String,
    set: fn(&mut SafetyHazard, String),
) -> impl IntoView {
    let i18n = use_i18n();
    let i = index;
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <textarea rows="2"
                prop:value=move || form.read(|c| c.hazards.get(i).map(get).unwrap_or_default())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.edit(|c| if let Some(h) = c.hazards.get_mut(i) { set(h, v); });
                }></textarea>
        </label>
        <small class="field-error">{form.error_for(format!("hazards[{i}].{field}"))}</small>
    }
    .into_any()
}

#[component]
fn NotesFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || i18n.t(Msg::Notes)}</span>
            <textarea rows="3"
                prop:value=move || form.read(|c| c.notes.clone())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    form.edit(|c| c.notes = v);
                }></textarea>
        </label>
        <small class="field-error">{form.error_for("notes".into())}</small>
        <label class="check">
            <input type="checkbox"
                prop:checked=move || form.read(|c| c.centralized)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    form.edit(|c| c.centralized = on);
                }/>
            <span>{move || i18n.t(Msg::Centralized)}</span>
        </label>
    }
    .into_any()
}
