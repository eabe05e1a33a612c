//! 寒暑假家访方案 (004 三(四)): the office's plans of vacation home visits, their progress from the
//! home visits recorded in their days, and each staff member's part on Today. A plan is a record
//! like any other (saved offline, synced, revised); the staff it names receive it.

use super::frame::*;
use super::plans::{PlanCard, PlanCards, RemoveLine, RowChoice, StaffChips};
use super::OfficePage;
use crate::components::RequireUser;
use crate::i18n::{use_i18n, Lang, Msg};
use crate::pages::fields::{initial_draft, read_only, FormFrame, TextField};
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::admin::Account;
use rounds::sorting::Order;
use rounds::*;

fn reason_label(r: VisitReason, lang: Lang) -> &'static str {
    match (r, lang) {
        (VisitReason::Hardship, Lang::Zh) => "特困",
        (VisitReason::Typical, Lang::Zh) => "典型",
        (VisitReason::KeyMatter, Lang::Zh) => "需重点沟通",
        (VisitReason::Hardship, Lang::En) => "Hardship",
        (VisitReason::Typical, Lang::En) => "Typical case",
        (VisitReason::KeyMatter, Lang::En) => "Key matter",
    }
}

/// The plans on this device with their ids, newest first.
fn plans_on_device() -> Vec<(uuid::Uuid, HomeVisitPlan)> {
    let mut plans = use_store().current_of::<HomeVisitPlan>();
    plans.order_by_key(|p| std::cmp::Reverse(p.1.starts_on));
    plans
}

/// A plan's progress over the records on this device.
fn progress_of(plan: &HomeVisitPlan) -> Vec<VisitProgress> {
    let store = use_store();
    let zone = store.zone();
    store.with_envelopes(|envelopes| plan.progress(envelopes, &zone))
}

/// `/office/visit-plans`
#[component]
pub fn VisitPlansPage() -> impl IntoView {
    view! { <OfficePage title=Msg::VisitPlans><VisitPlans/></OfficePage> }.into_any()
}

#[component]
fn VisitPlans() -> impl IntoView {
    let cards = Signal::derive(|| {
        plans_on_device()
            .into_iter()
            .map(|(id, plan)| {
                let progress = progress_of(&plan);
                PlanCard {
                    id,
                    subtitle: Some(format!("{} – {}", plan.starts_on, plan.ends_on)),
                    done: progress.iter().filter(|p| p.visited_on.is_some()).count(),
                    total: progress.len(),
                    title: plan.title,
                }
            })
            .collect()
    });
    view! {
        <PlanCards about=Msg::VisitPlansAbout new_href="/office/visit-plans/new" new_label=Msg::VisitPlanNew none=Msg::VisitPlansNone
            progress=Msg::VisitPlanProgress cards/>
    }
    .into_any()
}

/// `/office/visit-plans/new`
#[component]
pub fn NewVisitPlanPage() -> impl IntoView {
    view! { <RequireUser><HomeVisitPlanForm/></RequireUser> }.into_any()
}

/// The plan: its days, its students and who visits each; on a saved plan, who was visited.
#[component]
pub fn HomeVisitPlanForm() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let now = rounds::school_time::now_in(&store.zone());
    let today = now.date_naive();
    let draft = RwSignal::new(initial_draft(|| HomeVisitPlan {
        title: String::new(),
        made_at: now,
        starts_on: today,
        ends_on: today + chrono::Duration::days(30),
        visits: Vec::new(),
        notes: String::new(),
    }));
    let locked = read_only();
    // Names of the staff, and who looks after each class: the office's account list (online).
    let accounts = if locked { RwSignal::new(Remote::Loading).into() } else { fetch::<Vec<Account>>(|| "/api/v1/admin/accounts".into(), Reload::new()) };
    let staff_name = move |id: UserId| -> String {
        if store.user.with_untracked(|u| u.as_ref().map(|u| u.id)) == Some(id) {
            return i18n.t(Msg::VisitPlanMe).to_string();
        }
        accounts
            .with(|a| a.ready().and_then(|list| list.iter().find(|x| x.id == id).map(|x| x.display_name.clone())))
            .or_else(|| store.roster.with_untracked(|r| r.staff_name(id).map(str::to_string)))
            .unwrap_or_else(|| format!("#{}", id.0))
    };
    // Who may be sent: the office's active staff accounts.
    let staff_choices = Signal::derive(move || {
        accounts.with(|a| {
            a.ready()
                .into_iter()
                .flatten()
                .filter(|x| x.active && matches!(x.role, Role::Counselor | Role::HeadTeacher | Role::Leader | Role::Office))
                .map(|x| (x.id, x.display_name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let class_staff = move |class: ClassId| -> Vec<UserId> {
        accounts.with_untracked(|a| {
            a.ready()
                .map(|list| list.iter().filter(|x| x.active && x.role == Role::Counselor && x.classes.contains(&class)).map(|x| x.id).collect())
                .unwrap_or_default()
        })
    };
    let add_student = move |student: &Student, reason: VisitReason| {
        let staff = class_staff(student.class_id);
        draft.update(|d| {
            if !d.visits.iter().any(|v| v.student_id == student.id) {
                d.visits.push(PlannedVisit { student_id: student.id, reason, staff });
            }
        });
    };
    // 004 三(四)1: «选取一定数量的特困、典型学生» — the special archive in one tap.
    let add_special = move |_| {
        let special: Vec<Student> =
            store.roster.with_untracked(|r| r.students.iter().filter(|s| s.archive.as_ref().is_some_and(|a| a.in_special_archive())).cloned().collect());
        for s in &special {
            add_student(s, VisitReason::Hardship);
        }
    };
    let query = RwSignal::new(String::new());
    let add_found = move |_| {
        let q = query.get_untracked();
        let found = store.roster.with_untracked(|r| r.students.iter().find(|s| s.student_no == q.trim() || s.name == q.trim()).cloned());
        if let Some(s) = found {
            add_student(&s, VisitReason::Typical);
            query.set(String::new());
        }
    };
    let saved_id = crate::pages::fields::editing().map(|e| e.id);
    let progress = move || draft.with(|plan| if saved_id.is_some() { progress_of(plan) } else { Vec::new() });
    let title = Signal::derive(move || {
        let t = draft.with(|d| d.title.clone());
        if t.is_empty() {
            i18n.t(Msg::KindHomeVisitPlan).to_string()
        } else {
            t
        }
    });
    view! {
        <FormFrame title to_body=Callback::new(move |_| Some(RecordBody::HomeVisitPlan(draft.get_untracked())))
            done=Signal::derive(|| "/office/visit-plans".to_string())>
            <TextField draft label=Msg::VisitPlanTitle field="title" get=|d| d.title.clone() set=|d, v| d.title = v/>
            <TextField draft label=Msg::VisitPlanStarts field="starts_on" get=|d| d.starts_on.to_string()
                set=|d, v| if let Ok(day) = v.trim().parse() { d.starts_on = day }/>
            <TextField draft label=Msg::VisitPlanEnds field="ends_on" get=|d| d.ends_on.to_string()
                set=|d, v| if let Ok(day) = v.trim().parse() { d.ends_on = day }/>
            <TextField draft label=Msg::VisitPlanNotes field="notes" multiline=true get=|d| d.notes.clone() set=|d, v| d.notes = v/>
            <fieldset class="visit-plan">
                <legend>{move || i18n.t(Msg::VisitPlanStudents)}</legend>
                <Show when=move || !locked>
                    <div class="row">
                        <button type="button" class="secondary" on:click=add_special>{move || i18n.t(Msg::VisitPlanAddSpecial)}</button>
                        <label class="field">
                            <span>{move || i18n.t(Msg::VisitPlanFind)}</span>
                            <input type="search" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                        </label>
                        <button type="button" class="secondary" on:click=add_found>{move || i18n.t(Msg::VisitPlanAdd)}</button>
                    </div>
                </Show>
                <small class="field-error">{crate::pages::fields::field_error("visits")}</small>
                <table class="ledger">
                    <thead><tr>
                        <th>{move || i18n.t(Msg::VisitPlanStudent)}</th>
                        <th>{move || i18n.t(Msg::VisitPlanReason)}</th>
                        <th>{move || i18n.t(Msg::VisitPlanStaff)}</th>
                        <th>{move || i18n.t(Msg::VisitPlanVisited)}</th>
                        <th></th>
                    </tr></thead>
                    <tbody>
                        {move || draft.with(|d| d.visits.clone()).into_iter().enumerate().map(|(i, v)| {
                            let (name, class) = store.roster.with_untracked(|r| {
                                let s = r.student(v.student_id);
                                (
                                    s.map(|s| s.name.clone()).unwrap_or_else(|| format!("#{}", v.student_id.0)),
                                    s.and_then(|s| r.class(s.class_id)).map(|c| c.name.clone()).unwrap_or_default(),
                                )
                            });
                            let visited = progress().get(i).and_then(|p| p.visited_on).map(|d| d.to_string());
                            let staff = v.staff.clone();
                            view! {
                                <tr>
                                    <td>{name}" · "{class}</td>
                                    <td>
                                        <RowChoice options=VisitReason::ALL current=v.reason label=Msg::VisitPlanReason name=reason_label locked
                                            on_pick=Callback::new(move |r| draft.update(|d| if let Some(v) = d.visits.get_mut(i) { v.reason = r }))/>
                                    </td>
                                    <td>
                                        <StaffChips staff name=Callback::new(staff_name) choices=staff_choices locked
                                            add_label=Msg::VisitPlanAddStaff remove_label=Msg::VisitPlanRemoveStaff
                                            on_add=Callback::new(move |u| draft.update(|d| if let Some(v) = d.visits.get_mut(i) { if !v.staff.contains(&u) { v.staff.push(u) } }))
                                            on_remove=Callback::new(move |u| draft.update(|d| if let Some(v) = d.visits.get_mut(i) { v.staff.retain(|x| *x != u) }))
                                            field=format!("visits[{i}].staff")/>
                                    </td>
                                    <td>{visited.unwrap_or_else(|| i18n.t(Msg::VisitPlanNotYet).to_string())}</td>
                                    <td>
                                        <RemoveLine locked on_remove=Callback::new(move |_| draft.update(|d| { if i < d.visits.len() { d.visits.remove(i); } }))/>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </fieldset>
        </FormFrame>
    }
    .into_any()
}

/// Today's line for a staff member named in a plan whose days have come: the students still to
/// visit, each to the home-visit form.
#[component]
pub fn MyPlannedVisits() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let owed = move || {
        let me = store.user.with(|u| u.as_ref().map(|u| u.id))?;
        let today = rounds::school_time::now_in(&store.zone()).date_naive();
        let mut out = Vec::new();
        for (_, plan) in plans_on_device() {
            if today < plan.starts_on || today > plan.ends_on {
                continue;
            }
            for p in progress_of(&plan) {
                if p.visited_on.is_none() && p.staff.contains(&me) {
                    let name = store.roster.with(|r| r.student(p.student_id).map(|s| s.name.clone())).unwrap_or_default();
                    out.push((plan.title.clone(), plan.ends_on, p.student_id, name));
                }
            }
        }
        (!out.is_empty()).then_some(out)
    };
    view! {
        {move || owed().map(|list| view! {
            <crate::components::TodayList title=Msg::VisitPlanTodayTitle>
                {list.into_iter().map(|(title, ends, student, name)| view! {
                    <li>
                        <A href=format!("/students/{student}/home-visit?back=/")>{name}</A>
                        <span class="muted">" · "{title}" · "{move || i18n.tf(Msg::VisitPlanBy, &[("date", ends.to_string())])}</span>
                    </li>
                }).collect_view()}
            </crate::components::TodayList>
        })}
    }
}
