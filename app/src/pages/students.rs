//! 我的学生: search the students of the user's classes; a student's timeline (成长档案).

use crate::components::{NewRecord, NewRecordActions, RequireUser};
use crate::i18n::{use_i18n, Msg};
use crate::pages::params::student_id_param;
use crate::pages::records::SyncBadge;
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::{HomeVisit, LinkedAccess, ParentContact, Role, StudentId, StudentIssue, Subject, Talk};

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
                <ul class="residents" aria-label=move || i18n.t(Msg::MyStudents)>
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
    // Opening a student's archive is a read of their file (issue 14): noted once per student shown.
    let noted = StoredValue::new(None::<StudentId>);
    Effect::new(move |_| {
        let shown = student_id.get().filter(|id| store.roster.with(|r| r.student(*id).is_some_and(|s| s.archive.is_some())));
        if let Some(id) = shown.filter(|id| noted.get_value() != Some(*id)) {
            noted.set_value(Some(id));
            #[cfg(feature = "hydrate")]
            crate::client::audit::note_read(store, rounds::audit::ReadTarget::Archive, None, Some(id));
        }
    });
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
                        <NewRecordActions subject=Subject::Student(id) forms=vec![
                            NewRecord::of::<Talk>(),
                            NewRecord::of::<ParentContact>(),
                            NewRecord::of::<HomeVisit>(),
                            NewRecord::of::<rounds::StudentEvent>(),
                            NewRecord::of::<StudentIssue>().labelled(Msg::LedgerStudentIssue),
                        ]/>
                        {s.archive.clone().map(|a| view! { <FileReaders student=id/><ArchiveCard student=id archive=a/> })}
                        <CaseSection student=id/>
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

/// Notes the read of a confidential record shown on a page (once per record id shown), so the
/// sync uploads it to the audit log, offline or not.
pub fn note_confidential_read(shown: Memo<Option<crate::state::LocalRecord>>) {
    let noted = StoredValue::new(None::<uuid::Uuid>);
    Effect::new(move |_| {
        let Some((id, student)) = shown.with(|l| {
            l.as_ref()
                .filter(|l| rounds::audit::is_confidential(l.record.body.kind()))
                .map(|l| (l.record.id, if let Subject::Student(s) = l.record.body.subject() { Some(s) } else { None }))
        }) else {
            return;
        };
        if noted.get_value() != Some(id) {
            noted.set_value(Some(id));
            #[cfg(feature = "hydrate")]
            crate::client::audit::note_read(use_store(), rounds::audit::ReadTarget::Record, Some(id), student);
            #[cfg(not(feature = "hydrate"))]
            let _ = student;
        }
    });
}

/// "本学期有 N 位教职工查阅过该生档案": asked of the server when online; nothing offline.
#[component]
fn FileReaders(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let count = RwSignal::new(None::<i64>);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if let Ok(r) = crate::client::http::get::<rounds::audit::FileReaders>(&format!("/api/v1/students/{}/readers", student.0)).await {
            count.set(Some(r.staff));
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = student;
    view! {
        <Show when=move || count.get().is_some()>
            <p class="muted file-readers" role="status">{move || i18n.tf(Msg::AuditFileReaders, &[("n", count.get().unwrap_or(0).to_string())])}</p>
        </Show>
    }
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
    let may_edit = move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything() || rounds::admin::assignable_to_class(u.role)));
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
    let born = a.birth_date.map(|d| match a.age_on(today) {
        Some(age) => format!("{d}（{}）", crate::i18n::fill(Msg::ArchiveAge.text(lang), &[("n", age.to_string())])),
        None => d.to_string(),
    });
    let tier = a.tier.map(|t| crate::i18n::tier_label(t, lang).to_string()).unwrap_or_default();
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
                {row(Msg::ArchiveBirthDate, born.unwrap_or_default())}
                {row(Msg::ArchiveTier, tier)}
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

/// 帮扶档案: the student's case on the phone (the open one, else the latest) with what the card
/// shows of it, the ways to add to it and to print its forms; for the office with no case open,
/// the way to open one.
#[component]
fn CaseSection(student: StudentId) -> impl IntoView {
    use crate::i18n::{case_category_label, level_label, outcome_label};
    use crate::pages::case_print::{cases_in, date_line, pick_case, CardEntry, CaseCard};
    let i18n = use_i18n();
    let store = use_store();
    let shown = Memo::new(move |_| {
        store.roster.with(|roster| store.records.with(|all| pick_case(cases_in(all, student), None).map(|(id, c)| (id, CaseCard::assemble(&c, all, roster)))))
    });
    let office = move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role == Role::Office));
    let may_write = move || store.may_write(Subject::Student(student), LinkedAccess::None);
    let open_link = move || {
        view! {
            <A href=format!("/students/{student}/case") attr:class="button primary">{move || i18n.t(Msg::CaseOpenNew)}</A>
        }
    };
    move || {
        let lang = i18n.lang();
        let Some((case_id, card)) = shown.get() else {
            return office().then(|| view! { <div class="action-row">{open_link()}</div> }).into_any();
        };
        let open = card.closure.is_none();
        let row =
            |label: Msg, value: String| (!value.trim().is_empty()).then(|| view! { <div class="archive-row"><dt>{i18n.t(label)}</dt><dd>{value}</dd></div> });
        let state = match &card.closure {
            None => i18n.t(Msg::CaseStateOpen).to_string(),
            Some(c) => i18n.tf(Msg::CaseStateClosed, &[("outcome", outcome_label(c.outcome, lang).to_string()), ("date", date_line(c.closed_on, lang))]),
        };
        let helpers = card.helpers.iter().map(|p| p.name.clone()).collect::<Vec<_>>().join("、");
        let entries = |list: &[CardEntry]| {
            if list.is_empty() {
                return view! { <p class="muted">{i18n.t(Msg::PrintNothingYet)}</p> }.into_any();
            }
            let items = list
                .iter()
                .map(|e| {
                    let text = format!("{} {}", e.day(), e.line(lang));
                    view! { <li class="record"><A href=format!("/records/{}", e.id)>{text}</A></li> }
                })
                .collect_view();
            view! { <ul class="records">{items}</ul> }.into_any()
        };
        let evaluations = card
            .evaluations
            .iter()
            .map(|e| view! { <li class="record"><A href=format!("/records/{}", e.id)>{format!("{} {}", e.term, e.text)}</A></li> })
            .collect_view();
        view! {
            <section class="card archive case" aria-label=move || i18n.t(Msg::KindAssistanceCase)>
                <h2>{i18n.t(Msg::KindAssistanceCase)}</h2>
                <dl>
                    {row(Msg::CaseCategory, case_category_label(card.category, lang).to_string())}
                    {row(Msg::CaseLevel, card.level.map(|l| level_label(l, lang).to_string()).unwrap_or_default())}
                    {row(Msg::CaseStateLabel, state)}
                    {row(Msg::CaseResponsibleLabel, card.responsible(lang))}
                    {row(Msg::Pairings, helpers)}
                    {row(Msg::CaseHelpGroupLabel, card.help_group.join("、"))}
                    {row(Msg::OpenedAt, date_line(card.opened_on, lang))}
                </dl>
                <div class="action-row">
                    <A href=format!("/records/{case_id}") attr:class="button secondary">{i18n.t(Msg::CaseViewRecord)}</A>
                </div>
                <h3>{i18n.t(Msg::PrintPlan)}</h3>
                {match card.plan.clone() {
                    Some(plan) => view! { <p class="form-text"><A href=format!("/records/{}", plan.id)>{plan.text}</A></p> }.into_any(),
                    None => view! { <p class="muted">{i18n.t(Msg::PrintNothingYet)}</p> }.into_any(),
                }}
                <h3>{i18n.t(Msg::PrintProcess)}</h3>
                {entries(&card.process)}
                <h3>{i18n.t(Msg::PrintParentContacts)}</h3>
                {entries(&card.parent_contacts)}
                {(!card.evaluations.is_empty()).then(|| view! {
                    <h3>{i18n.t(Msg::PrintEvaluation)}</h3>
                    <ul class="records">{evaluations}</ul>
                })}
                <div class="action-row">
                    {(open && may_write()).then(|| view! {
                        <A href=format!("/students/{student}/volunteer-session") attr:class="button secondary">{i18n.t(Msg::CaseRecordVolunteer)}</A>
                        <A href=format!("/students/{student}/assistance-note") attr:class="button secondary">{i18n.t(Msg::CaseWriteNote)}</A>
                    })}
                    <A href=format!("/students/{student}/case-card") attr:class="button secondary">{i18n.t(Msg::CasePrintCard)}</A>
                    <A href=format!("/students/{student}/volunteer-letter") attr:class="button secondary">{i18n.t(Msg::CasePrintVolunteerLetter)}</A>
                    {(!open && office()).then(open_link)}
                </div>
            </section>
        }
        .into_any()
    }
}
