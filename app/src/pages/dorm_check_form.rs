//! 查寝: a room's check, every resident starting present, a tap for each who is not; hygiene,
//! safety hazards and notes. A draft of `DormCheck` in the shared `FormFrame` like every other
//! form (validated by `src/`, saved through the one pipeline, shown read-only on its record's
//! page); the residents and the hazards are fields of its own.

use crate::components::RequireUser;
use crate::i18n::{absence_label, hazard_label, hygiene_label, use_i18n, Lang, Msg};
use crate::kinds::KindUi;
use crate::pages::fields::{field_error, initial_draft, CheckField, FormFrame, TextField, TimeField};
use crate::pages::params::room_id_param;
use crate::state::use_store;
use leptos::prelude::*;
use rounds::{AbsenceReason, DormCheck, HazardKind, HygieneRating, RecordBody, RoomId, RosterSnapshot, SafetyHazard, StudentId};

/// `/rooms/:id/check`, and a saved check on its record's page. A new check starts once its room
/// is in the roster (at once offline: the roster is on the phone).
#[component]
pub fn DormCheckForm() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    // A saved check is about its own room (the record's page is inside its own `RequireUser`).
    if let Some(room) = crate::pages::fields::editing().and_then(|e| <&DormCheck>::try_from(&e.body).ok().map(|c| c.room_id)) {
        return view! { <DormCheckFields room/> }.into_any();
    }
    let room_id = room_id_param();
    // The room once the roster knows it; a later pull that keeps it does not redraw the form.
    let known = Memo::new(move |_| room_id.get().filter(|id| store.roster.with(|r| r.room(*id).is_some())));
    view! {
        <RequireUser>
            {move || match known.get() {
                Some(room) => view! { <DormCheckFields room/> }.into_any(),
                None => view! { <p class="muted">{move || i18n.t(Msg::RoomNotFound)}</p> }.into_any(),
            }}
        </RequireUser>
    }
    .into_any()
}

#[component]
fn DormCheckFields(room: RoomId) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let draft = RwSignal::new(initial_draft(|| {
        let residents: Vec<StudentId> = store.roster.with_untracked(|r| r.residents(room).into_iter().map(|(_, s)| s.id).collect());
        DormCheck::blank(room, &residents, rounds::school_time::now_in(&store.zone()))
    }));
    let number = store.roster.with_untracked(|r| r.room(room).map(|r| r.number.clone())).unwrap_or_default();
    let field_name = Callback::new(move |field: String| draft.with_untracked(|c| store.roster.with_untracked(|r| field_label(c, r, &field, i18n.lang()))));
    view! {
        <FormFrame title=Signal::derive(move || format!("{} · {}", i18n.t(DormCheck::LABEL), number))
            to_body=Callback::new(move |_| Some(RecordBody::DormCheck(draft.get_untracked())))
            done=Signal::derive(move || format!("/rooms/{room}"))
            field_name>
            <TimeField draft label=Msg::CheckedAt field="checked_at" get=|c| c.checked_at set=|c, v| c.checked_at = v/>
            <HygieneField draft/>
            <ResidentsFields draft/>
            <HazardsFields draft/>
            <TextField draft label=Msg::Notes field="notes" multiline=true get=|c| c.notes.clone() set=|c, v| c.notes = v/>
            <CheckField draft label=Msg::Centralized get=|c| c.centralized set=|c, v| c.centralized = v/>
        </FormFrame>
    }
    .into_any()
}

/// Says where an error is in words a counselor uses: `马宇轩 · 缺勤原因`, not a JSON path.
fn field_label(check: &DormCheck, roster: &RosterSnapshot, field: &str, lang: Lang) -> String {
    let index = |rest: &str| -> Option<(usize, String)> {
        let (i, tail) = rest.split_once(']')?;
        Some((i.parse().ok()?, tail.trim_start_matches('.').to_string()))
    };
    let leaf = |name: &str| match name {
        "absence_reason" => Msg::AbsenceReasonLabel.text(lang).to_string(),
        "note" => Msg::AbsenceNote.text(lang).to_string(),
        "description" => Msg::HazardDescription.text(lang).to_string(),
        "follow_up" => Msg::HazardFollowUp.text(lang).to_string(),
        "notes" => Msg::Notes.text(lang).to_string(),
        "checked_at" => Msg::CheckedAt.text(lang).to_string(),
        "hygiene" => Msg::Hygiene.text(lang).to_string(),
        other => other.to_string(),
    };
    if let Some((i, tail)) = field.strip_prefix("residents[").and_then(index) {
        let name = check.residents.get(i).and_then(|r| roster.student(r.student_id)).map(|s| s.name.clone()).unwrap_or_default();
        return format!("{name} · {}", leaf(&tail));
    }
    if let Some((i, tail)) = field.strip_prefix("hazards[").and_then(index) {
        return format!("{} {} · {}", Msg::Hazards.text(lang), i + 1, leaf(&tail));
    }
    leaf(field)
}

#[component]
fn HygieneField(draft: RwSignal<DormCheck>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="choice" role="radiogroup" aria-labelledby="hygiene-legend">
            <legend id="hygiene-legend">{move || i18n.t(Msg::Hygiene)}</legend>
            <div class="segmented">
                {HygieneRating::ALL.iter().copied().map(|rating| view! {
                    <label class="segment">
                        <input type="radio" name="hygiene"
                            prop:checked=move || draft.with(|c| c.hygiene == rating)
                            on:change=move |_| draft.update(|c| c.hygiene = rating)/>
                        <span>{move || hygiene_label(rating, i18n.lang())}</span>
                    </label>
                }).collect_view()}
            </div>
        </fieldset>
    }
    .into_any()
}

#[component]
fn ResidentsFields(draft: RwSignal<DormCheck>) -> impl IntoView {
    let store = use_store();
    // Only the list of residents, not their answers, decides the rows: typing keeps focus.
    let rows = Memo::new(move |_| {
        draft.with(|c| {
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
                <ResidentField draft index=i student_id name/>
            }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
fn ResidentField(draft: RwSignal<DormCheck>, index: usize, student_id: StudentId, name: String) -> impl IntoView {
    let i18n = use_i18n();
    let i = index;
    let present = move || draft.with(|c| c.residents.get(i).is_none_or(|r| r.present));
    let reason = move || draft.with(|c| c.residents.get(i).and_then(|r| r.absence_reason));
    let legend_id = format!("resident-{}", student_id.0);
    let labelled_by = legend_id.clone();
    view! {
        <fieldset class="resident" class:absent=move || !present() aria-labelledby=labelled_by>
            <legend id=legend_id>{name}</legend>
            <div class="segmented">
                <label class="segment">
                    <input type="radio" name=format!("presence-{i}") prop:checked=present
                        on:change=move |_| draft.update(|c| {
                            if let Some(r) = c.residents.get_mut(i) {
                                r.present = true;
                                r.absence_reason = None;
                            }
                        })/>
                    <span>{move || i18n.t(Msg::Present)}</span>
                </label>
                <label class="segment">
                    <input type="radio" name=format!("presence-{i}") prop:checked=move || !present()
                        on:change=move |_| draft.update(|c| {
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
                        let chosen = AbsenceReason::ALL.iter().copied().find(|r| format!("{r:?}") == v);
                        draft.update(|c| if let Some(r) = c.residents.get_mut(i) { r.absence_reason = chosen; });
                    }>
                        <option value="" selected=move || reason().is_none()>{move || i18n.t(Msg::ChooseReason)}</option>
                        {AbsenceReason::ALL.iter().copied().map(|r| view! {
                            <option value=format!("{r:?}") selected=move || reason() == Some(r)>{move || absence_label(r, i18n.lang())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <small class="field-error">{field_error(format!("residents[{i}].absence_reason"))}</small>
                <label class="field">
                    <span>{move || i18n.t(Msg::AbsenceNote)}</span>
                    <input type="text"
                        prop:value=move || draft.with(|c| c.residents.get(i).map(|r| r.note.clone()).unwrap_or_default())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            draft.update(|c| if let Some(r) = c.residents.get_mut(i) { r.note = v; });
                        }/>
                </label>
                <small class="field-error">{field_error(format!("residents[{i}].note"))}</small>
            </Show>
        </fieldset>
    }
    .into_any()
}

#[component]
fn HazardsFields(draft: RwSignal<DormCheck>) -> impl IntoView {
    let i18n = use_i18n();
    let count = Memo::new(move |_| draft.with(|c| c.hazards.len()));
    view! {
        <section class="hazards">
            <h2>{move || i18n.t(Msg::Hazards)}</h2>
            {move || (0..count.get()).map(|i| view! { <HazardField draft index=i/> }).collect_view()}
            <button type="button" class="secondary" on:click=move |_| draft.update(|c| c.hazards.push(SafetyHazard {
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
fn HazardField(draft: RwSignal<DormCheck>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let i = index;
    let initial_kind = draft.with_untracked(|c| c.hazards.get(i).map(|h| h.kind));
    view! {
        <div class="hazard card">
            <label class="field">
                <span>{move || i18n.t(Msg::HazardKindLabel)}</span>
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(kind) = HazardKind::ALL.iter().copied().find(|k| format!("{k:?}") == v) {
                        draft.update(|c| if let Some(h) = c.hazards.get_mut(i) { h.kind = kind; });
                    }
                }>
                    {HazardKind::ALL.iter().copied().map(|k| view! {
                        <option value=format!("{k:?}") selected=initial_kind == Some(k)>{move || hazard_label(k, i18n.lang())}</option>
                    }).collect_view()}
                </select>
            </label>
            <HazardText draft index=i label=Msg::HazardDescription field="description"
                get=|h| h.description.clone() set=|h, v| h.description = v/>
            <HazardText draft index=i label=Msg::HazardFollowUp field="follow_up"
                get=|h| h.follow_up.clone() set=|h, v| h.follow_up = v/>
            <button type="button" class="link danger" on:click=move |_| draft.update(|c| { if i < c.hazards.len() { c.hazards.remove(i); } })>
                {move || i18n.t(Msg::RemoveHazard)}
            </button>
        </div>
    }
    .into_any()
}

/// One free-text field of a hazard.
#[component]
fn HazardText(
    draft: RwSignal<DormCheck>,
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
                prop:value=move || draft.with(|c| c.hazards.get(i).map(get).unwrap_or_default())
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    draft.update(|c| if let Some(h) = c.hazards.get_mut(i) { set(h, v); });
                }></textarea>
        </label>
        <small class="field-error">{field_error(format!("hazards[{i}].{field}"))}</small>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::tests::{evening, roster};

    #[test]
    fn an_error_is_named_by_the_resident_or_hazard_it_is_about() {
        let roster = roster();
        let check = DormCheck::blank(RoomId(1), &[StudentId(1), StudentId(2)], evening(11, 23));
        assert_eq!(field_label(&check, &roster, "residents[1].absence_reason", Lang::Zh), "李四 · 缺勤原因");
        assert_eq!(field_label(&check, &roster, "hazards[0].follow_up", Lang::Zh), "安全隐患 1 · 整改措施");
        assert_eq!(field_label(&check, &roster, "checked_at", Lang::En), Msg::CheckedAt.text(Lang::En));
        // A path it has no words for is shown as it is, not dropped.
        assert_eq!(field_label(&check, &roster, "residents[7].absence_reason", Lang::Zh), " · 缺勤原因");
        assert_eq!(field_label(&check, &roster, "centralized", Lang::Zh), "centralized");
    }
}
