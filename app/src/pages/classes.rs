//! 我的班级: the classes of the user, and one class with its students and records.

use crate::components::{NewRecord, NewRecordActions, RequireUser};
use crate::i18n::{use_i18n, Msg};
use crate::pages::params::class_id_param;
use crate::pages::records::SyncBadge;
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::record::Subject;
use rounds::{ClassCheck, ClassId, ClassMeeting, CommitteeMeeting, LectureVisit, StudentIssue, TeacherContact};

#[component]
pub fn MyClasses() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let classes = move || {
        store.roster.with(|r| {
            let mine: Vec<ClassId> = r.students.iter().map(|s| s.class_id).collect();
            r.classes
                .iter()
                .filter(|c| mine.contains(&c.id))
                .map(|c| (c.id, c.name.clone(), r.students.iter().filter(|s| s.class_id == c.id).count()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h1>{move || i18n.t(Msg::MyClasses)}</h1>
        <RequireUser>
            <Show when=move || !classes().is_empty() fallback=move || view! { <p class="muted">{move || i18n.t(Msg::NoClasses)}</p> }>
                <ul class="rooms">
                    {move || classes().into_iter().map(|(id, name, n)| {
                        let count = i18n.tf(Msg::StudentCount, &[("n", n.to_string())]);
                        let label = format!("{name} {count}");
                        view! {
                            <li>
                                <A href=format!("/classes/{id}") attr:class="room" attr:aria-label=label>
                                    <span class="room-number">{name}</span>
                                    <span class="room-meta">{count}</span>
                                </A>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </RequireUser>
    }
    .into_any()
}

#[component]
pub fn ClassPage() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let class_id = class_id_param();
    let class = move || class_id.get().and_then(|id| store.roster.with(|r| r.class(id).cloned()));
    view! {
        <RequireUser>
            {move || match class() {
                None => view! { <p class="muted">{move || i18n.t(Msg::ClassNotFound)}</p> }.into_any(),
                Some(class) => {
                    let id = class.id;
                    let students = move || store.roster.with(|r| {
                        r.students.iter().filter(|s| s.class_id == id).map(|s| (s.id, s.name.clone(), s.student_no.clone())).collect::<Vec<_>>()
                    });
                    let records = move || store.records.with(|all| {
                        all.iter().filter(|r| !r.record.deleted && r.record.body.subject() == Subject::Class(id)).cloned().collect::<Vec<_>>()
                    });
                    view! {
                        <h1>{class.name.clone()}</h1>
                        <NewRecordActions subject=Subject::Class(id) big=true forms=vec![
                            NewRecord::of::<ClassCheck>(),
                            NewRecord::of::<ClassMeeting>(),
                            NewRecord::of::<CommitteeMeeting>(),
                            NewRecord::of::<LectureVisit>(),
                            NewRecord::of::<TeacherContact>(),
                            NewRecord::of::<StudentIssue>().labelled(Msg::LedgerRaise),
                        ]/>
                        <h2>{move || i18n.t(Msg::RecordsAbout)}</h2>
                        <ul class="records">
                            {move || records().into_iter().map(|local| {
                                let (title, _) = store.roster.with_untracked(|r| crate::pages::summary::title_and_link(&local.record.body, r, i18n.lang()));
                                let when = rounds::school_time::format_minute(&local.record.body.occurred_at(), &store.zone());
                                view! { <li class="record"><div class="record-head"><strong>{title}</strong><SyncBadge state=local.state.clone()/></div><div class="muted">{when}</div></li> }
                            }).collect_view()}
                        </ul>
                        <h2>{move || i18n.tf(Msg::StudentCount, &[("n", students().len().to_string())])}</h2>
                        <ul class="residents">
                            {move || students().into_iter().map(|(sid, name, no)| view! {
                                <li><A href=format!("/students/{sid}") attr:class="name">{name}</A><span class="muted">{no}</span></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </RequireUser>
    }
    .into_any()
}
