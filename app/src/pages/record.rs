//! One record: its content (shown through its kind's own form, read-only), editing and deletion
//! by its author (each a new revision), and the revision history the server keeps.

use crate::components::RequireUser;
use crate::i18n::{use_i18n, Msg};
use crate::pages::case_forms::{AssistanceCaseForm, AssistanceNoteForm, VolunteerSessionForm};
use crate::pages::dorm_check_form::DormCheckForm;
use crate::pages::fields::Editing;
use crate::pages::forms::*;
use crate::pages::issues::{IssueStepView, StudentIssueForm};
use crate::pages::leader::{BranchActivityForm, ClassAttendanceForm, ClubActivityForm};
use crate::pages::office::{duty_rosters::DutyRosterForm, letters::ParentLetterForm, visit_plans::HomeVisitPlanForm};
use crate::pages::params::record_id_param;
use crate::pages::records::SyncBadge;
use crate::state::{use_store, LocalRecord};
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::sync::{changed_fields, RecordRevision, RevisionStatus};
use rounds::{RecordBody, RecordEnvelope};

/// The record with this id on the phone, kept current as syncs arrive.
fn local_record(id: Memo<Option<uuid::Uuid>>) -> Memo<Option<LocalRecord>> {
    let store = use_store();
    Memo::new(move |_| id.get().and_then(|id| store.records.with(|l| l.iter().find(|r| r.record.id == id).cloned())))
}

/// A record shown or edited through its kind's form.
#[component]
fn RecordContent(record: RecordEnvelope, read_only: bool) -> impl IntoView {
    let body = record.body.clone();
    // Before the form is made: it reads what to start from out of this context.
    provide_context(Editing { record, read_only });
    kind_form(&body)
}

/// A record's kind's form, about the record's own subject. The form reads the record to start
/// from (and whether it may change) from the `Editing` context around it. One arm per kind: a
/// kind without its form does not compile.
fn kind_form(body: &RecordBody) -> AnyView {
    match body {
        RecordBody::DormCheck(_) => view! { <DormCheckForm/> }.into_any(),
        RecordBody::DormVisit(r) => view! { <DormVisitForm room=r.room_id/> }.into_any(),
        RecordBody::ClassCheck(r) => view! { <ClassCheckForm class=r.class_id/> }.into_any(),
        RecordBody::LectureVisit(r) => view! { <LectureVisitForm class=r.class_id/> }.into_any(),
        RecordBody::Talk(r) => view! { <TalkForm student=r.student_id/> }.into_any(),
        RecordBody::ParentContact(r) => view! { <ParentContactForm student=r.student_id/> }.into_any(),
        RecordBody::HomeVisit(r) => view! { <HomeVisitForm student=r.student_id/> }.into_any(),
        RecordBody::ClassMeeting(r) => view! { <ClassMeetingForm class=r.class_id/> }.into_any(),
        RecordBody::CommitteeMeeting(r) => view! { <CommitteeMeetingForm class=r.class_id/> }.into_any(),
        RecordBody::DutyLog(_) => view! { <DutyLogForm/> }.into_any(),
        RecordBody::TeacherContact(r) => view! { <TeacherContactForm class=r.class_id/> }.into_any(),
        RecordBody::StudentIssue(r) => view! { <StudentIssueForm fresh=r.clone()/> }.into_any(),
        RecordBody::IssueStep(r) => view! { <IssueStepView step=r.clone()/> }.into_any(),
        RecordBody::StudentEvent(r) => view! { <StudentEventForm student=r.student_id/> }.into_any(),
        RecordBody::HomeVisitPlan(_) => view! { <HomeVisitPlanForm/> }.into_any(),
        RecordBody::ParentLetter(_) => view! { <ParentLetterForm/> }.into_any(),
        RecordBody::DutyRoster(_) => view! { <DutyRosterForm/> }.into_any(),
        RecordBody::StudentContact(_) => view! { <StudentContactForm/> }.into_any(),
        RecordBody::ClassAttendance(r) => view! { <ClassAttendanceForm class=r.class_id/> }.into_any(),
        RecordBody::BranchActivity(r) => view! { <BranchActivityForm branch=r.branch_id/> }.into_any(),
        RecordBody::ClubActivity(r) => view! { <ClubActivityForm club=r.club_id/> }.into_any(),
        RecordBody::AssistanceCase(r) => view! { <AssistanceCaseForm student=r.student_id/> }.into_any(),
        RecordBody::VolunteerSession(r) => view! { <VolunteerSessionForm student=r.student_id/> }.into_any(),
        RecordBody::AssistanceNote(r) => view! { <AssistanceNoteForm student=r.student_id/> }.into_any(),
        RecordBody::WorkReport(_) => view! { <WorkReportForm/> }.into_any(),
    }
}

// Loaded and failed only in the browser, which alone fetches.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, PartialEq)]
enum HistoryState {
    Hidden,
    Loading,
    Failed(Msg),
    Loaded(Vec<RecordRevision>),
}

/// `/records/:id`
#[component]
pub fn RecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let id = record_id_param();
    let local = local_record(id);
    // Owned here, not by the view of the record, which a deletion re-renders away.
    let go_to = RwSignal::new(None::<String>);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(path) = go_to.get() {
            navigate(&path, Default::default());
        }
    });
    crate::pages::students::note_confidential_read(local);
    view! {
        <RequireUser>
            {move || match local.get() {
                None => view! { <p class="muted">{move || i18n.t(Msg::RecordNotFound)}</p> }.into_any(),
                Some(local) => view! { <RecordView local go_to/> }.into_any(),
            }}
        </RequireUser>
    }
    .into_any()
}

#[component]
fn RecordView(local: LocalRecord, go_to: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let record = local.record.clone();
    let id = record.id;
    let zone = store.zone();
    let (title, subject_link) = store.roster.with_untracked(|r| crate::pages::summary::title_and_link(&record.body, r, i18n.lang()));
    let mine = store.user.with_untracked(|u| u.as_ref().map(|u| u.id)) == Some(record.author_id);
    let occurred = rounds::school_time::format_minute(&record.body.occurred_at(), &zone);
    let saved = rounds::school_time::format_minute(&record.saved_at, &zone);
    let revision = record.revision;
    let deleted = record.deleted;
    // A past revision picked from the history; `None` shows the current one.
    let shown = RwSignal::new(None::<RecordEnvelope>);
    let current = StoredValue::new(record.clone());

    let delete = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let sure = web_sys::window().and_then(|w| w.confirm_with_message(i18n.t(Msg::ConfirmDelete)).ok()).unwrap_or(false);
            if !sure {
                return;
            }
            let previous = current.get_value();
            leptos::task::spawn_local(async move {
                match crate::client::save(store, previous.body.clone(), Some(previous), true).await {
                    Ok(_) => {
                        store.flash.set(Some(i18n.t(Msg::RecordDeleted).to_string()));
                        go_to.set(Some("/records".into()));
                    }
                    Err(e) => store.flash.set(Some(e.to_string())),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (current, go_to);
    };

    let heading = match subject_link {
        Some(href) => view! { <h1><A href=href>{title}</A></h1> }.into_any(),
        None => view! { <h1>{title}</h1> }.into_any(),
    };
    view! {
        {heading}
        <p class="record-meta">
            <SyncBadge state=local.state.clone()/>
            {deleted.then(|| view! { <span class="badge invalid">{move || i18n.t(Msg::RecordDeleted)}</span> })}
            " "{move || i18n.tf(Msg::RevisionNo, &[("n", revision.to_string())])}
            " · "{move || i18n.tf(Msg::OccurredAtLabel, &[("t", occurred.clone())])}
            " · "{move || i18n.tf(Msg::SavedAtLabel, &[("t", saved.clone())])}
        </p>
        {match (mine, deleted) {
            (true, false) => view! {
                <div class="action-row">
                    <A href=format!("/records/{id}/edit") attr:class="button primary">{move || i18n.t(Msg::EditRecord)}</A>
                    <button type="button" class="secondary danger" on:click=delete>{move || i18n.t(Msg::DeleteRecord)}</button>
                </div>
            }.into_any(),
            (false, _) => view! { <p class="muted">{move || i18n.t(Msg::NotYourRecord)}</p> }.into_any(),
            (true, true) => ().into_any(),
        }}
        // 003's 学生谈话记录表, printed from what the phone holds.
        {matches!(record.body, RecordBody::Talk(_)).then(|| view! {
            <div class="action-row">
                <A href=format!("/records/{id}/print") attr:class="button secondary">{move || i18n.t(Msg::PrintTalkForm)}</A>
            </div>
        })}
        // The ledger (002 四(三)): an issue raised from this record, or this issue's own page.
        {crate::pages::issues::raise_from_label(&record).map(|label| view! {
            <div class="action-row">
                <A href=format!("/issues/new?from={id}") attr:class="button secondary">{move || i18n.t(label)}</A>
            </div>
        })}
        {matches!(record.body, RecordBody::StudentIssue(_)).then(|| view! {
            <div class="action-row">
                <A href=format!("/issues/{id}") attr:class="button primary">{move || i18n.t(Msg::LedgerOpenIssue)}</A>
            </div>
        })}
        <Show when=move || shown.with(|s| s.is_some())>
            <p class="warning" role="status">
                {move || i18n.tf(Msg::ViewingRevision, &[("n", shown.with(|s| s.as_ref().map(|r| r.revision).unwrap_or(0)).to_string())])}
                " "
                <button type="button" class="link" on:click=move |_| shown.set(None)>{move || i18n.t(Msg::BackToCurrent)}</button>
            </p>
        </Show>
        {move || view! { <RecordContent record=shown.get().unwrap_or_else(|| current.get_value()) read_only=true/> }}
        <RevisionHistoryView id shown/>
    }
    .into_any()
}

/// The server's history of a record, loaded on request (it needs the network).
#[component]
fn RevisionHistoryView(id: uuid::Uuid, shown: RwSignal<Option<RecordEnvelope>>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let state = RwSignal::new(HistoryState::Hidden);
    let load = move |_| {
        state.set(HistoryState::Loading);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let url = format!("/api/v1/records/{id}/revisions");
            state.set(match crate::client::http::get::<rounds::sync::RevisionHistory>(&url).await {
                Ok(h) => HistoryState::Loaded(h.revisions),
                Err(e) if e.is_offline() => HistoryState::Failed(Msg::HistoryNeedsNetwork),
                Err(e) if e.status == 404 => HistoryState::Failed(Msg::HistoryNotOnServer),
                Err(_) => HistoryState::Failed(Msg::HistoryFailed),
            });
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = id;
    };
    let zone = store.zone();
    view! {
        <section class="history" aria-label=move || i18n.t(Msg::History)>
            <h2>{move || i18n.t(Msg::History)}</h2>
            {move || match state.get() {
                HistoryState::Hidden => view! {
                    <button type="button" class="secondary" on:click=load>{move || i18n.t(Msg::ShowHistory)}</button>
                }.into_any(),
                HistoryState::Loading => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                HistoryState::Failed(m) => view! {
                    <p class="muted" role="status">{move || i18n.t(m)}</p>
                    <button type="button" class="secondary" on:click=load>{move || i18n.t(Msg::ShowHistory)}</button>
                }.into_any(),
                HistoryState::Loaded(revisions) => {
                    let items = revisions.iter().map(|rev| {
                        // An edit is compared with the revision it was made from.
                        let base = rev.record.base_revision.and_then(|b| {
                            revisions.iter().find(|r| r.record.revision == b && r.status != RevisionStatus::Conflict)
                        });
                        let changes = match base {
                            None => i18n.t(Msg::FirstRevision).to_string(),
                            Some(base) => {
                                let names = changed_fields(&base.record, &rev.record)
                                    .iter()
                                    .map(|f| field_name(f).map(|m| i18n.t(m).to_string()).unwrap_or_else(|| f.clone()))
                                    .collect::<Vec<_>>()
                                    .join("、");
                                i18n.tf(Msg::ChangedFields, &[("f", names)])
                            }
                        };
                        let status = match rev.status {
                            RevisionStatus::Current => Msg::RevisionCurrent,
                            RevisionStatus::Superseded => Msg::RevisionSuperseded,
                            RevisionStatus::Conflict => Msg::RevisionConflict,
                        };
                        let n = rev.record.revision;
                        let saved = rounds::school_time::format_minute(&rev.record.saved_at, &zone);
                        let record = rev.record.clone();
                        view! {
                            <li class="record">
                                <div class="record-head">
                                    <strong>{move || i18n.tf(Msg::RevisionNo, &[("n", n.to_string())])}</strong>
                                    <span class="badge">{move || i18n.t(status)}</span>
                                </div>
                                <div class="muted">{saved}" · "{changes}</div>
                                <button type="button" class="link" on:click=move |_| shown.set(Some(record.clone()))>
                                    {move || i18n.t(Msg::ViewRevision)}
                                </button>
                            </li>
                        }
                    }).collect_view();
                    view! { <ol class="records">{items}</ol> }.into_any()
                }
            }}
        </section>
    }
    .into_any()
}

/// The label of a record field in the forms, for naming what an edit changed.
fn field_name(key: &str) -> Option<Msg> {
    Some(match key {
        "deleted" => Msg::RecordDeleted,
        "absent" => Msg::AbsentStudents,
        "address" => Msg::Address,
        "aid_given" => Msg::AidGiven,
        "aid_policy" => Msg::AidPolicy,
        "assessment" => Msg::Assessment,
        "category" => Msg::Category,
        "channel" => Msg::Channel,
        "checked_at" => Msg::CheckedAt,
        "co_interviewers" => Msg::CoInterviewers,
        "contacted_at" => Msg::ContactedAt,
        "content" => Msg::Content,
        "course" => Msg::Course,
        "description" => Msg::Description,
        "escalated" => Msg::Escalated,
        "events" => Msg::Events,
        "family_situation" => Msg::FamilySituation,
        "feedback" => Msg::Feedback,
        "follow_up" => Msg::FollowUp,
        "forwarded_to" => Msg::ForwardedTo,
        "guardian" => Msg::Guardian,
        "held_at" => Msg::HeldAt,
        "joint_plan" => Msg::JointPlan,
        "learned" => Msg::Learned,
        "news_exchanged" => Msg::NewsExchanged,
        "notes" => Msg::Notes,
        "opinions" => Msg::Opinions,
        "parents_contacted" => Msg::ParentsContacted,
        "participants" => Msg::Participants,
        "period" => Msg::Period,
        "place" => Msg::Place,
        "plan" => Msg::Plan,
        "problems" => Msg::Problems,
        "problems_raised" => Msg::ProblemsRaised,
        "raised_at" => Msg::RaisedAt,
        "refer_to_counseling" => Msg::ReferToCounseling,
        "resolution" => Msg::Resolution,
        "shift" => Msg::Shift,
        "situation" => Msg::Situation,
        "started_at" => Msg::StartedAt,
        "status" => Msg::Status,
        "student_situation" => Msg::StudentSituation,
        "students_met" => Msg::StudentsMet,
        "summary" => Msg::Summary,
        "reason" => Msg::TalkReasonLabel,
        "talked_at" => Msg::TalkedAt,
        "teacher" => Msg::Teacher,
        "title" => Msg::Title,
        "topic" => Msg::Topic,
        "visited_at" => Msg::VisitedAt,
        "hygiene" => Msg::Hygiene,
        "attended_at" => Msg::LinkAttendedAt,
        "event" => Msg::LinkEvent,
        "activity" => Msg::LinkActivityKind,
        "hazards" => Msg::Hazards,
        "residents" => Msg::ResidentsLabel,
        _ => return None,
    })
}

/// `/records/:id/edit`: the kind's form, starting from the record; saving makes the next
/// revision. Only the author edits, and a deleted record stays deleted.
#[component]
pub fn EditRecordPage() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let id = record_id_param();
    let local = local_record(id);
    // Fixed once found: a sync landing mid-edit must not reset what the user typed.
    let editing = Memo::new(move |previous: Option<&Option<RecordEnvelope>>| match previous {
        Some(Some(found)) => Some(found.clone()),
        _ => local.get().map(|l| l.record),
    });
    view! {
        <RequireUser>
            {move || {
                let me = store.user.with(|u| u.as_ref().map(|u| u.id));
                match editing.get() {
                    None => view! { <p class="muted">{move || i18n.t(Msg::RecordNotFound)}</p> }.into_any(),
                    Some(r) if Some(r.author_id) != me || r.deleted => {
                        view! { <p class="muted">{move || i18n.t(Msg::NotYourRecord)}</p> }.into_any()
                    }
                    Some(record) => view! { <RecordContent record read_only=false/> }.into_any(),
                }
            }}
        </RequireUser>
    }
    .into_any()
}
