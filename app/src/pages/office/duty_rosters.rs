//! 值班安排 (000 七(一)): the office's schedule of who is on duty on which day and shift, and
//! whether each shift was logged; a swap (调班) is the office's edit of it. The staff it names
//! receive it and see their coming shifts on Today, each to the duty log's form.

use super::plans::{PlanCard, PlanCards, RemoveLine, RowChoice, StaffChips};
use super::OfficePage;
use crate::components::{RequireUser, TodayList};
use crate::i18n::{shift_label, use_i18n, Msg};
use crate::pages::fields::{initial_draft, read_only, FormFrame, TextField};
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::sorting::Order;
use rounds::*;

/// How many days ahead Today shows someone's shifts.
const SHIFTS_AHEAD_DAYS: i64 = 7;

/// The schedules on this device with their ids, newest first.
fn rosters_on_device() -> Vec<(uuid::Uuid, DutyRoster)> {
    let mut rosters = use_store().current_of::<DutyRoster>();
    rosters.order_by_key(|(_, r)| std::cmp::Reverse(r.made_at));
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
    let cards = Signal::derive(|| {
        rosters_on_device()
            .into_iter()
            .map(|(id, roster)| {
                let cover = cover_of(&roster);
                PlanCard { id, subtitle: None, done: cover.iter().filter(|c| c.logged_by.is_some()).count(), total: cover.len(), title: roster.title }
            })
            .collect()
    });
    view! {
        <PlanCards about=Msg::DutyRostersAbout new_href="/office/duty-rosters/new" new_label=Msg::DutyRosterNew none=Msg::DutyRostersNone
            progress=Msg::DutyRosterProgress cards/>
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
    let staff_choices = Signal::derive(move || store.roster.with(|r| r.staff.iter().map(|p| (p.id, p.display_name.clone())).collect::<Vec<_>>()));
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
                                        <RowChoice options=DutyShift::ALL current=s.shift label=Msg::Shift name=shift_label locked
                                            on_pick=Callback::new(move |k| draft.update(|d| if let Some(x) = d.shifts.get_mut(i) { x.shift = k }))/>
                                    </td>
                                    <td>
                                        <StaffChips staff name=Callback::new(staff_name) choices=staff_choices locked
                                            add_label=Msg::DutyRosterAddStaff remove_label=Msg::VisitPlanRemoveStaff
                                            on_add=Callback::new(move |u| draft.update(|d| if let Some(x) = d.shifts.get_mut(i) { if !x.staff.contains(&u) { x.staff.push(u) } }))
                                            on_remove=Callback::new(move |u| draft.update(|d| if let Some(x) = d.shifts.get_mut(i) { x.staff.retain(|y| *y != u) }))
                                            field=format!("shifts[{i}].staff")/>
                                    </td>
                                    <td>{logged.unwrap_or_else(|| i18n.t(Msg::DutyRosterNotLogged).to_string())}</td>
                                    <td>
                                        <RemoveLine locked on_remove=Callback::new(move |_| draft.update(|d| { if i < d.shifts.len() { d.shifts.remove(i); } }))/>
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
        out.order_by_key(|(on, shift)| (*on, DutyShift::ALL.iter().position(|s| s == shift)));
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
