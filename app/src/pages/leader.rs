//! 我的联系点: a leader's linked class, room, club and party branch (002 §三), each with its last
//! record and the way to the next one; and the forms of the kinds leaders keep. Rendered from
//! the local store, so it works offline like every field page.

use crate::components::RequireUser;
use crate::i18n::*;
use crate::kinds::new_form;
use crate::pages::fields::{initial_draft, now, titled, ChoiceField, FormErrors, FormFrame, TextField, TimeField};
use crate::pages::params::{class_id_param, path_id};
use crate::pages::summary::title_and_link;
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::groups::LinkTarget;
use rounds::sorting::Order;
use rounds::*;

#[component]
pub fn MyLinks() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t(Msg::LinksTitle)}</h1>
        <RequireUser>
            // The leadership tier's own contact with students (002 三(一), 四(二)).
            <Show when=move || use_store().roster.with(|r| r.leadership)>
                <A href="/contact-log" attr:class="button secondary">{move || i18n.t(Msg::NewStudentContact)}</A>
            </Show>
            <LinkList/>
        </RequireUser>
    }
    .into_any()
}

/// What one link card shows.
#[derive(Clone)]
struct LinkCard {
    heading: Msg,
    name: String,
    /// The newest record about the target: what it was and when.
    last: Option<(String, String)>,
    actions: Vec<(String, Msg)>,
}

fn card(target: LinkTarget, roster: &RosterSnapshot, records: &[crate::state::LocalRecord], zone: &chrono::FixedOffset, lang: Lang) -> LinkCard {
    let (heading, actions) = match target {
        LinkTarget::Class(_) => (Msg::LinkClass, vec![new_form::<ClassAttendance>(target.subject())]),
        LinkTarget::Room(r) => (Msg::LinkRoom, vec![new_form::<DormVisit>(target.subject()), Some((format!("/rooms/{r}"), Msg::LinkRoomPage))]),
        LinkTarget::Club(_) => (Msg::LinkClub, vec![new_form::<ClubActivity>(target.subject())]),
        LinkTarget::Branch(_) => (Msg::LinkBranch, vec![new_form::<BranchActivity>(target.subject())]),
    };
    let actions = actions.into_iter().flatten().collect();
    let subject = target.subject();
    // The list is newest first, so the first match is the last record.
    let last = records.iter().find(|r| !r.record.deleted && r.record.body.subject() == subject).map(|r| {
        let (title, _) = title_and_link(&r.record.body, roster, lang);
        (title, rounds::school_time::format_minute(&r.record.body.occurred_at(), zone))
    });
    LinkCard { heading, name: roster.target_label(target).unwrap_or_default(), last, actions }
}

#[component]
fn LinkList() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let cards = move || {
        let zone = store.zone();
        let lang = i18n.lang();
        store.roster.with(|roster| {
            let mut targets: Vec<LinkTarget> = roster.links.iter().map(|l| l.target).collect();
            targets.order();
            store.records.with(|records| targets.into_iter().map(|t| card(t, roster, records, &zone, lang)).collect::<Vec<_>>())
        })
    };
    view! {
        <Show when=move || !cards().is_empty() fallback=move || {
            let msg = move || if store.last_sync.with(|t| t.is_none()) { Msg::FirstSync } else { Msg::LinksNone };
            view! { <p class="muted">{move || i18n.t(msg())}</p> }
        }>
            <ul class="records">
                {move || cards().into_iter().map(|c| view! { <LinkItem card=c/> }).collect_view()}
            </ul>
        </Show>
    }
    .into_any()
}

#[component]
fn LinkItem(card: LinkCard) -> impl IntoView {
    let i18n = use_i18n();
    let LinkCard { heading, name, last, actions } = card;
    let last = move || match &last {
        Some((what, when)) => i18n.tf(Msg::LinkLast, &[("what", what.clone()), ("t", when.clone())]),
        None => i18n.t(Msg::LinkNothingYet).to_string(),
    };
    view! {
        <li class="record">
            <div class="record-head"><span class="muted">{move || i18n.t(heading)}</span></div>
            <h2>{name}</h2>
            <p class="muted">{last}</p>
            <div class="action-row">
                {actions.into_iter().enumerate().map(|(i, (href, label))| {
                    let class = if i == 0 { "button primary" } else { "button secondary" };
                    view! { <A href=href attr:class=class>{move || i18n.t(label)}</A> }
                }).collect_view()}
            </div>
        </li>
    }
    .into_any()
}

fn target_name(target: LinkTarget) -> String {
    use_store().roster.with_untracked(|r| r.target_label(target)).unwrap_or_default()
}

/// The sub-kind named by the `activity` query parameter (Today links a duty's form with the
/// activity its rule asks for), by its wire name.
fn activity_param<T: Copy>(all: &[T], names: &[&str]) -> Option<T> {
    let name = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("activity"))?;
    names.iter().position(|n| *n == name).and_then(|i| all.get(i).copied())
}

/// A count typed on a phone's number pad; anything that is not a whole number counts as 0,
/// which the validator then names.
#[component]
fn CountField<T: Send + Sync + 'static>(draft: RwSignal<T>, label: Msg, field: &'static str, get: fn(&T) -> u32, set: fn(&mut T, u32)) -> impl IntoView {
    let i18n = use_i18n();
    let error = expect_context::<FormErrors>().for_field(field);
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <input type="number" inputmode="numeric" min="1" step="1"
                prop:value=move || draft.with(|d| get(d).to_string())
                on:input=move |ev| {
                    let n = event_target_value(&ev).trim().parse().unwrap_or(0);
                    draft.update(|d| set(d, n));
                }/>
        </label>
        <small class="field-error">{error}</small>
    }
    .into_any()
}

/// 参加班级活动: the leader attended a meeting or activity of the linked class.
#[component]
pub fn ClassAttendancePage() -> impl IntoView {
    let id = class_id_param();
    view! { <RequireUser>{move || id.get().map(|class| view! { <ClassAttendanceForm class/> })}</RequireUser> }.into_any()
}

#[component]
pub fn ClassAttendanceForm(class: ClassId) -> impl IntoView {
    let draft = RwSignal::new(initial_draft(|| ClassAttendance {
        class_id: class,
        attended_at: now(),
        event: ClassEvent::ClassMeeting,
        title: String::new(),
        notes: String::new(),
    }));
    view! {
        <FormFrame title=titled(Msg::KindClassAttendance, target_name(LinkTarget::Class(class)))
            to_body=Callback::new(move |_| Some(RecordBody::ClassAttendance(draft.get_untracked())))
            done=Signal::derive(|| "/links".to_string())>
            <TimeField draft label=Msg::LinkAttendedAt field="attended_at" get=|d| d.attended_at set=|d, v| d.attended_at = v/>
            <ChoiceField draft label=Msg::LinkEvent options=ClassEvent::ALL name=class_event_label get=|d| d.event set=|d, v| d.event = v/>
            <TextField draft label=Msg::Title field="title" get=|d| d.title.clone() set=|d, v| d.title = v/>
            <TextField draft label=Msg::Notes field="notes" multiline=true get=|d| d.notes.clone() set=|d, v| d.notes = v/>
        </FormFrame>
    }
    .into_any()
}

/// 党支部活动: a party lecture, organisational meeting, report or talk with the linked branch.
#[component]
pub fn BranchActivityPage() -> impl IntoView {
    let id = path_id(BranchId);
    view! { <RequireUser>{move || id.get().map(|branch| view! { <BranchActivityForm branch/> })}</RequireUser> }.into_any()
}

#[component]
pub fn BranchActivityForm(branch: BranchId) -> impl IntoView {
    let draft = RwSignal::new(initial_draft(|| BranchActivity {
        branch_id: branch,
        held_at: now(),
        activity: activity_param(BranchActivityKind::ALL, BranchActivity::ACTIVITIES).unwrap_or(BranchActivityKind::PartyLecture),
        participants: 1,
        content: String::new(),
        notes: String::new(),
    }));
    view! {
        <FormFrame title=titled(Msg::KindBranchActivity, target_name(LinkTarget::Branch(branch)))
            to_body=Callback::new(move |_| Some(RecordBody::BranchActivity(draft.get_untracked())))
            done=Signal::derive(|| "/links".to_string())>
            <TimeField draft label=Msg::HeldAt field="held_at" get=|d| d.held_at set=|d, v| d.held_at = v/>
            <ChoiceField draft label=Msg::LinkActivityKind options=BranchActivityKind::ALL name=branch_activity_label get=|d| d.activity set=|d, v| d.activity = v/>
            <CountField draft label=Msg::LinkParticipants field="participants" get=|d| d.participants set=|d, v| d.participants = v/>
            <TextField draft label=Msg::LinkContent field="content" multiline=true get=|d| d.content.clone() set=|d, v| d.content = v/>
            <TextField draft label=Msg::Notes field="notes" multiline=true get=|d| d.notes.clone() set=|d, v| d.notes = v/>
        </FormFrame>
    }
    .into_any()
}

/// 社团活动: planning, a meeting or an activity with the linked club.
#[component]
pub fn ClubActivityPage() -> impl IntoView {
    let id = path_id(ClubId);
    view! { <RequireUser>{move || id.get().map(|club| view! { <ClubActivityForm club/> })}</RequireUser> }.into_any()
}

#[component]
pub fn ClubActivityForm(club: ClubId) -> impl IntoView {
    let draft = RwSignal::new(initial_draft(|| ClubActivity {
        club_id: club,
        held_at: now(),
        activity: activity_param(ClubActivityKind::ALL, ClubActivity::ACTIVITIES).unwrap_or(ClubActivityKind::Activity),
        content: String::new(),
    }));
    view! {
        <FormFrame title=titled(Msg::KindClubActivity, target_name(LinkTarget::Club(club)))
            to_body=Callback::new(move |_| Some(RecordBody::ClubActivity(draft.get_untracked())))
            done=Signal::derive(|| "/links".to_string())>
            <TimeField draft label=Msg::HeldAt field="held_at" get=|d| d.held_at set=|d, v| d.held_at = v/>
            <ChoiceField draft label=Msg::LinkActivityKind options=ClubActivityKind::ALL name=club_activity_label get=|d| d.activity set=|d, v| d.activity = v/>
            <TextField draft label=Msg::LinkContent field="content" multiline=true get=|d| d.content.clone() set=|d, v| d.content = v/>
        </FormFrame>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{LocalRecord, SyncState};

    fn roster() -> RosterSnapshot {
        RosterSnapshot {
            departments: vec![Department { id: DepartmentId(1), name: "学院".into() }],
            classes: vec![Class { id: ClassId(1), department_id: DepartmentId(1), name: "计科2023-1".into(), cohort_year: 2023 }],
            buildings: vec![Building { id: BuildingId(1), name: "1号楼".into() }],
            rooms: vec![Room { id: RoomId(4), building_id: BuildingId(1), number: "1-104".into() }],
            clubs: vec![Club { id: ClubId(2), name: "机器人社".into(), department_id: None }],
            ..RosterSnapshot::default()
        }
    }

    fn local(body: RecordBody) -> LocalRecord {
        let at = body.occurred_at();
        LocalRecord { record: RecordEnvelope::new(body, UserId(1), "t", at), state: SyncState::Synced }
    }

    #[test]
    fn a_card_names_its_target_its_last_record_and_its_forms() {
        let zone = rounds::school_time::offset(8 * 3600);
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-20T15:00:00+08:00").unwrap();
        let records = vec![
            local(RecordBody::ClubActivity(ClubActivity { club_id: ClubId(2), held_at: at, activity: ClubActivityKind::Meeting, content: "x".into() })),
            local(RecordBody::ClubActivity(ClubActivity {
                club_id: ClubId(2),
                held_at: at - chrono::Duration::days(9),
                activity: ClubActivityKind::Plan,
                content: "y".into(),
            })),
        ];
        let c = card(LinkTarget::Club(ClubId(2)), &roster(), &records, &zone, Lang::Zh);
        assert_eq!(c.name, "机器人社");
        assert_eq!(c.last.map(|(what, _)| what), Some("社团活动 · 机器人社".to_string()));
        assert_eq!(c.actions[0].0, "/clubs/2/activity");

        let room = card(LinkTarget::Room(RoomId(4)), &roster(), &records, &zone, Lang::En);
        assert_eq!((room.name.as_str(), room.last), ("1号楼 1-104", None));
        assert_eq!(room.actions.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>(), vec!["/rooms/4/visit", "/rooms/4"]);
        assert_eq!(card(LinkTarget::Class(ClassId(1)), &roster(), &records, &zone, Lang::Zh).actions[0].0, "/classes/1/attendance");
    }
}
