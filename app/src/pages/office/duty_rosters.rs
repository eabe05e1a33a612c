//! 值班安排 (000 七(一)): the office's schedule of who is on duty on which day and shift, and
//! whether each shift was logged; a swap (调班) is the office's edit of it. The staff it names
//! receive it and see their coming shifts on Today, each to the duty log's form.

use super::OfficePage;
use crate::components::{RequireUser, TodayList};
use crate::i18n::{shift_label, use_i18n, Msg};
use crate::pages::fields::{initial_draft, read_only, FormFrame, TextField};
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::*;

/// How many days ahead Today shows someone's shifts.
const SHIFTS_AHEAD_DAYS: i64 = 7;

/// The schedules on this device with their ids, newest first.
fn rosters_on_device() -> Vec<(uuid::Uuid, DutyRoster)> {
    let mut rosters = use_store().current_of::<DutyRoster>();
    rosters.sort_by_key(|(_, r)| std::cmp::Reverse(r.made_at));
    rosters
}

/// Which shifts of a schedule were logged, over the records on this device.
fn cover_of(roster: &DutyRoster) -> Vec<ShiftCover> {
    let store = use_store();
    let zone = store.zone();
    store.with_envelopes(|envelopes| roster.cover(envelopes, &zone))
}

/// A staff member's name, from the roster's staff (offline too).
fn staff_name(id: UserId) -> String {
    use_store().roster.with(|r| r.staff_name(id).map(str::to_string)).unwrap_or_else(|| format!("#{}", id.0))
}

/// `/office/duty-rosters`
#[component]
pub fn DutyRostersPage() -> impl IntoView {
    view! { <OfficePage title=Msg::DutyRosters><Rosters/></OfficePage> }.into_any()
}

#[component]
fn Rosters() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="muted">{move || i18n.t(Msg::DutyRostersAbout)}</p>
        <A href="/office/duty-rosters/new" attr:class="button primary">{move || i18n.t(Msg::DutyRosterNew)}</A>
        {move || {
            let rosters = rosters_on_device();
            if rosters.is_empty() {
                return view! { <p class="muted">{move || i18n.t(Msg::DutyRostersNone)}</p> }.into_any();
            }
            rosters
                .into_iter()
                .map(|(id, roster)| {
                    let cover = cover_of(&roster);
                    let (kept, total) = (cover.iter().filter(|c| c.logged_by.is_some()).count(), cover.len());
                    let (label, heading) = (roster.title.clone(), roster.title.clone());
                    view! {
                        <article class="card" aria-label=label>
                            <h2><A href=format!("/records/{id}")>{heading}</A></h2>
                            <p>{move || i18n.tf(Msg::DutyRosterProgress, &[("done", kept.to_string()), ("total", total.to_string())])}</p>
                            <progress max=total.to_string() value=kept.to_string()></progress>
                        </article>
                    }
                })
                .collect_view()
                .into_any()
        }}
    }
    .into_any()
}

/// `/office/duty-rosters/new`
#[component]
pub fn NewDutyRosterPage() -> impl IntoView {
    view! { <RequireUser><DutyRosterForm/></RequireUser> }.into_any()
}

/// The schedule: its shifts and who is on each; on a saved one, who logged each shift.
#[component]
pub fn DutyRosterForm() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let now = rounds::school_time::now_in(&store.zone());
    let draft = RwSignal::new(initial_draft(|| DutyRoster { title: String::new(), made_at: now, shifts: Vec::new(), notes: String::new() }));
    let locked = read_only();
    let saved = crate::pages::fields::editing().is_some();
    let cover = move || draft.with(|r| if saved { cover_of(r) } else { Vec::new() });
    let staff_choices = move || store.roster.with(|r| r.staff.clone());
    let add_shift = move |_| {
        draft.update(|d| {
            let next = d.shifts.last().map_or(now.date_naive(), |s| s.on + chrono::Duration::days(1));
            d.shifts.push(ScheduledShift { on: next, shift: DutyShift::Night, staff: Vec::new() });
        })
    };
    let title = Signal::derive(move || {
        let t = draft.with(|d| d.title.clone());
        if t.is_empty() {
            i18n.t(Msg::KindDutyRoster).to_string()
        } else {
            t
        }
    });
    view! {
        <FormFrame title to_body=Callback::new(move |_| Some(RecordBody::DutyRoster(draft.get_untracked())))
            done=Signal::derive(|| "/office/duty-rosters".to_string())>
            <TextField draft label=Msg::DutyRosterTitle field="title" get=|d| d.title.clone() set=|d, v| d.title = v/>
            <TextField draft label=Msg::DutyRosterNotes field="notes" multiline=true get=|d| d.notes.clone() set=|d, v| d.notes = v/>
            <fieldset class="visit-plan">
                <legend>{move || i18n.t(Msg::DutyRosterShifts)}</legend>
                <small class="field-error">{crate::pages::fields::field_error("shifts")}</small>
                <table class="ledger">
                    <thead><tr>
                        <th>{move || i18n.t(Msg::DutyRosterDay)}</th>
                        <th>{move || i18n.t(Msg::Shift)}</th>
                        <th>{move || i18n.t(Msg::DutyRosterStaff)}</th>
                        <th>{move || i18n.t(Msg::DutyRosterLogged)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        {move || draft.with(|d| d.shifts.clone()).into_iter().enumerate().map(|(i, s)| {
                            let logged = cover().get(i).and_then(|c| c.logged_by).map(staff_name);
                            let staff = s.staff.clone();
                            view! {
                                <tr>
                                    <td>
                                        <input type="date" disabled=locked aria-label=move || i18n.t(Msg::DutyRosterDay) prop:value=s.on.to_string()
                                            on:change=move |ev| {
                                                if let Ok(day) = event_target_value(&ev).parse() {
                                                    draft.update(|d| if let Some(x) = d.shifts.get_mut(i) { x.on = day });
                                                }
                                            }/>
                                    </td>
                                    <td>
                                        <select disabled=locked aria-label=move || i18n.t(Msg::Shift)
                                            on:change=move |ev| {
                                                let v = event_target_value(&ev);
                                                draft.update(|d| if let (Some(x), Some(k)) = (d.shifts.get_mut(i), DutyShift::ALL.iter().find(|k| format!("{k:?}") == v)) { x.shift = *k });
                                            }>
                                            {DutyShift::ALL.iter().map(|k| {
                                                let k = *k;
                                                view! { <option value=format!("{k:?}") selected=k == s.shift>{move || shift_label(k, i18n.lang())}</option> }
                                            }).collect_view()}
                                        </select>
                                    </td>
                                    <td>
                                        {staff.iter().map(|u| {
                                            let u = *u;
                                            view! {
                                                <span class="chip">{staff_name(u)}
                                                    <Show when=move || !locked>
                                                        <button type="button" class="link" aria-label=move || i18n.t(Msg::VisitPlanRemoveStaff)
                                                            on:click=move |_| draft.update(|d| if let Some(x) = d.shifts.get_mut(i) { x.staff.retain(|y| *y != u) })>"×"</button>
                                                    </Show>
                                                </span>
                                            }
                                        }).collect_view()}
                                        <Show when=move || !locked>
                                            <select aria-label=move || i18n.t(Msg::DutyRosterAddStaff)
                                                on:change=move |ev| {
                                                    if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                                                        draft.update(|d| if let Some(x) = d.shifts.get_mut(i) { if !x.staff.contains(&UserId(id)) { x.staff.push(UserId(id)) } });
                                                    }
                                                }>
                                                <option value="">{move || i18n.t(Msg::DutyRosterAddStaff)}</option>
                                                {move || staff_choices().into_iter().map(|p| view! { <option value=p.id.0.to_string()>{p.display_name}</option> }).collect_view()}
                                            </select>
                                        </Show>
                                        <small class="field-error">{crate::pages::fields::field_error(format!("shifts[{i}].staff"))}</small>
                                    </td>
                                    <td>{logged.unwrap_or_else(|| i18n.t(Msg::DutyRosterNotLogged).to_string())}</td>
                                    <td>
                                        <Show when=move || !locked>
                                            <button type="button" class="link danger" on:click=move |_| draft.update(|d| { if i < d.shifts.len() { d.shifts.remove(i); } })>
                                                {move || i18n.t(Msg::VisitPlanRemove)}
                                            </button>
                                        </Show>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <Show when=move || !locked>
                    <button type="button" class="secondary" on:click=add_shift>{move || i18n.t(Msg::DutyRosterAddShift)}</button>
                </Show>
            </fieldset>
        </FormFrame>
    }
    .into_any()
}

/// Today's line for staff on a coming shift (this week) not yet logged: each to the duty log.
#[component]
pub fn MyShifts() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let owed = move || {
        let me = store.user.with(|u| u.as_ref().map(|u| u.id))?;
        let today = rounds::school_time::now_in(&store.zone()).date_naive();
        let mut out: Vec<(chrono::NaiveDate, DutyShift)> = rosters_on_device()
            .iter()
            .flat_map(|(_, r)| cover_of(r))
            .filter(|c| c.staff.contains(&me) && c.logged_by.is_none() && c.on >= today && c.on <= today + chrono::Duration::days(SHIFTS_AHEAD_DAYS))
            .map(|c| (c.on, c.shift))
            .collect();
        out.sort_by_key(|(on, shift)| (*on, DutyShift::ALL.iter().position(|s| s == shift)));
        out.dedup();
        (!out.is_empty()).then_some(out)
    };
    view! {
        {move || owed().map(|list| view! {
            <TodayList title=Msg::DutyRosterTodayTitle>
                {list.into_iter().map(|(on, shift)| view! {
                    <li>
                        <A href="/duty-log?back=/">{on.to_string()}" · "{move || shift_label(shift, i18n.lang())}</A>
                    </li>
                }).collect_view()}
            </TodayList>
        })}
    }
}
