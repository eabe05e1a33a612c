//! 我的学生: search the students of the user's classes; a student's timeline (成长档案).

use crate::components::{NewRecord, NewRecordActions, RequireUser};
use crate::i18n::{use_i18n, Msg};
use crate::pages::records::SyncBadge;
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use rounds::{HomeVisit, ParentContact, StudentId, StudentIssue, Subject, Talk};

pub fn student_id_param() -> Memo<Option<StudentId>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse().ok()).map(StudentId)))
}

#[component]
pub fn MyStudents() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let query = RwSignal::new(String::new());
    let found = move || {
        let q = query.get();
        store.roster.with(|r| {
            r.students
                .iter()
                .filter(|s| s.matches(&q))
                .take(200)
                .map(|s| (s.id, s.name.clone(), s.student_no.clone(), r.class(s.class_id).map(|c| c.name.clone()).unwrap_or_default()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h1>{move || i18n.t(Msg::MyStudents)}</h1>
        <RequireUser>
            <label class="field">
                <span>{move || i18n.t(Msg::SearchStudents)}</span>
                <input type="search" prop:value=query on:input=move |ev| query.set(event_target_value(&ev))/>
            </label>
            <Show when=move || !found().is_empty() fallback=move || view! { <p class="muted">{move || i18n.t(Msg::NoStudentsFound)}</p> }>
                <ul class="residents">
                    {move || found().into_iter().map(|(id, name, no, class)| view! {
                        <li><A href=format!("/students/{id}") attr:class="name">{name}</A><span class="muted">{no}" "{class}</span></li>
                    }).collect_view()}
                </ul>
            </Show>
        </RequireUser>
    }
    .into_any()
}

#[component]
pub fn StudentPage() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let student_id = student_id_param();
    let student = move || student_id.get().and_then(|id| store.roster.with(|r| r.student(id).cloned()));
    view! {
        <RequireUser>
            {move || match student() {
                None => view! { <p class="muted">{move || i18n.t(Msg::StudentNotFound)}</p> }.into_any(),
                Some(s) => {
                    let id = s.id;
                    let class = store.roster.with_untracked(|r| r.class(s.class_id).map(|c| c.name.clone())).unwrap_or_default();
                    let timeline = move || store.records.with(|all| {
                        all.iter().filter(|r| !r.record.deleted && r.record.body.concerns_student(id)).cloned().collect::<Vec<_>>()
                    });
                    view! {
                        <h1>{s.name.clone()}</h1>
                        <p class="muted">{format!("{} {} · {}", i18n.t(Msg::StudentNo), s.student_no, class)}</p>
                        <NewRecordActions subject=Subject::Student(id) base=format!("/students/{id}") forms=vec![
                            NewRecord::of::<Talk>("talk", Msg::KindTalk),
                            NewRecord::of::<ParentContact>("parent-contact", Msg::KindParentContact),
                            NewRecord::of::<HomeVisit>("home-visit", Msg::KindHomeVisit),
                            NewRecord::of::<StudentIssue>("issue", Msg::KindStudentIssue),
                        ]/>
                        {s.archive.clone().map(|a| view! { <ArchiveCard student=id archive=a/> })}
                        <h2>{move || i18n.t(Msg::Timeline)}</h2>
                        <ul class="records">
                            {move || timeline().into_iter().map(|local| {
                                let (title, _) = store.roster.with_untracked(|r| crate::pages::summary::title_and_link(&local.record.body, r, i18n.lang()));
                                let when = rounds::school_time::format_minute(&local.record.body.occurred_at(), &store.zone());
                                let href = format!("/records/{}", local.record.id);
                                view! { <li class="record"><div class="record-head"><A href=href>{title}</A><SyncBadge state=local.state.clone()/></div><div class="muted">{when}</div><crate::pages::photos::PhotoThumbs photos=local.record.photos.clone()/></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </RequireUser>
    }
    .into_any()
}

/// The archive of a student (only ever sent to staff assigned to them), and its editor: online
/// only, for the office and the counselors and head teachers of the student's class.
#[component]
fn ArchiveCard(student: StudentId, archive: rounds::StudentArchive) -> impl IntoView {
    use crate::i18n::{economy_label, flag_label};
    let i18n = use_i18n();
    let store = use_store();
    let today = rounds::school_time::now_in(&store.zone()).date_naive();
    let due = archive.needs_confirmation(today);
    let editing = RwSignal::new(false);
    let may_edit = move || {
        store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything() || rounds::admin::assignable_to_class(u.role)))
    };
    let original = archive.clone();
    let a = archive;
    let row = move |label: Msg, value: String| {
        (!value.trim().is_empty()).then(|| view! { <div class="archive-row"><dt>{move || i18n.t(label)}</dt><dd>{value}</dd></div> })
    };
    let lang = i18n.lang();
    let family = [
        a.origin.map(|o| if o == rounds::Origin::Rural { i18n.t(Msg::Rural) } else { i18n.t(Msg::Urban) }).unwrap_or_default().to_string(),
        a.economy.map(|e| economy_label(e, lang)).unwrap_or_default().to_string(),
        a.family_notes.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join("，");
    let flags = a.flags.iter().map(|f| flag_label(*f, lang)).collect::<Vec<_>>().join("、");
    view! {
        <section class="card archive" aria-label=move || i18n.t(Msg::Archive)>
            <div class="section-head">
                <h2>{move || i18n.t(Msg::Archive)}</h2>
                <Show when=move || may_edit() && !editing.get()>
                    <button type="button" class="secondary" on:click=move |_| editing.set(true)>{move || i18n.t(Msg::EditArchive)}</button>
                </Show>
            </div>
            <Show when=move || editing.get()>
                <crate::pages::office::archive::ArchiveEditor student archive=original.clone() on_close=Callback::new(move |_| editing.set(false))/>
            </Show>
            <dl>
                {row(Msg::GuardianName, a.guardian_name.clone())}
                {row(Msg::GuardianPhone, a.guardian_phone.clone())}
                {row(Msg::HomeAddress, a.home_address.clone())}
                {row(Msg::FamilyNotes, family)}
                {row(Msg::MedicalNotes, a.medical_notes.clone())}
                {row(Msg::AttentionFlags, flags)}
                {row(Msg::ConfirmedOn, a.confirmed_on.map(|d| d.to_string()).unwrap_or_default())}
            </dl>
            {due.then(|| view! { <p class="warning">{move || i18n.t(Msg::NeedsConfirmation)}</p> })}
        </section>
    }
    .into_any()
}
