//! 问题台账 on the phone and the desk (002 四(三); 000 二(六)2): the issues I raised or handle,
//! one issue's page with where it stands (folded by `rounds::ledger` from its steps) and the
//! steps I may take now, the forms that raise an issue about a room, a class or nothing, and
//! Today's issue sections. All of it reads the local store, so it works offline; only the
//! office's account list and its default days need the network, and have offline stand-ins.

use crate::components::RequireUser;
use crate::i18n::*;
use crate::kinds::kind_name;
use crate::pages::fields::{initial_draft, now, titled, ChoiceField, FormErrors, FormFrame, TextField, TimeField};
use crate::pages::params::student_id_param;
use crate::pages::records::SyncBadge;
use crate::state::{use_store, LocalRecord, SyncState};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use rounds::ledger::{next_steps, threads, Actor, IssueDueDays, IssueState};
use rounds::sorting::Order;
use rounds::*;
use std::collections::HashMap;
use uuid::Uuid;

/// Units an issue is often handed to (承办单位); the roster's departments are offered too.
const UNITS: &[&str] = &["后勤保障处", "教务处", "保卫处", "学生资助管理中心", "图书馆", "网络信息中心", "心理健康教育中心"];

/// One issue as the phone holds it: the issue, its steps in the order taken, where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Thread {
    pub issue: LocalRecord,
    pub body: StudentIssue,
    pub steps: Vec<LocalRecord>,
    pub state: IssueState,
}

impl Thread {
    pub fn id(&self) -> Uuid {
        self.issue.record.id
    }

    pub fn raiser(&self) -> UserId {
        self.issue.record.author_id
    }

    /// How `user` stands to it, as the server judges a step they push.
    pub fn actor(&self, user: &UserProfile) -> Actor {
        Actor { raiser: self.raiser() == user.id, assignee: self.state.assignee_id == Some(user.id), office: user.role.sees_everything() }
    }

    /// Raised by `user`, or ever handed to them.
    pub fn concerns(&self, user: UserId) -> bool {
        self.raiser() == user || self.state.assignee_id == Some(user) || self.state.assignees.contains(&user)
    }

    /// The day it is due: the assignment's, else the raise day plus the default for its
    /// category (the built-in one: the office's own numbers live on the server).
    pub fn due(&self, zone: &chrono::FixedOffset) -> NaiveDate {
        self.state.due(&self.body, self.body.raised_at.with_timezone(zone).date_naive(), &IssueDueDays::default())
    }

    pub fn overdue(&self, today: NaiveDate, zone: &chrono::FixedOffset) -> bool {
        self.state.is_pending() && today > self.due(zone)
    }
}

/// Every issue in `records` with its steps, newest raised first.
pub fn all_threads(records: &[LocalRecord]) -> Vec<Thread> {
    let by_id: HashMap<Uuid, &LocalRecord> = records.iter().map(|r| (r.record.id, r)).collect();
    let mut list: Vec<Thread> = threads(records)
        .into_iter()
        .filter_map(|(id, (env, steps))| {
            let RecordBody::StudentIssue(body) = &env.body else { return None };
            // A step the server refused never happened; it stays in the timeline, marked.
            let refused = |sid: &Uuid| by_id.get(sid).is_some_and(|r| matches!(r.state, SyncState::Invalid(_) | SyncState::Forbidden(_)));
            let state = IssueState::of(steps.iter().copied().filter(|(sid, _)| !refused(sid)));
            let mut local: Vec<LocalRecord> = steps.iter().filter_map(|(sid, _)| by_id.get(*sid).map(|r| (*r).clone())).collect();
            local.order_by_key(|r| (r.record.body.occurred_at(), r.record.id));
            Some(Thread { issue: (*by_id.get(&id)?).clone(), body: body.clone(), steps: local, state })
        })
        .collect();
    list.order_by(|a, b| b.body.raised_at.cmp(&a.body.raised_at).then(a.id().cmp(&b.id())));
    list
}

/// The issue `id` with its steps, if the phone holds it.
pub fn thread_of(records: &[LocalRecord], id: Uuid) -> Option<Thread> {
    let mine: Vec<LocalRecord> = records.iter().filter(|r| r.record.body.issue_thread(r.record.id) == Some(id)).cloned().collect();
    all_threads(&mine).into_iter().next()
}

/// Whom an issue is about, in words (`张三 · 计科2023-1`, `2-101`); empty for no one.
pub fn subject_text(issue: &StudentIssue, roster: &RosterSnapshot) -> String {
    let class = |c: ClassId| roster.class(c).map(|c| c.name.clone()).unwrap_or_default();
    match issue.subject() {
        Subject::Student(s) => roster.student(s).map(|st| format!("{} · {}", st.name, class(st.class_id))).unwrap_or_default(),
        Subject::Class(c) => class(c),
        Subject::Room(r) => roster.room(r).map(|r| r.number.clone()).unwrap_or_default(),
        _ => String::new(),
    }
}

fn subject_link(issue: &StudentIssue) -> Option<String> {
    match issue.subject() {
        Subject::Student(s) => Some(format!("/students/{s}")),
        Subject::Class(c) => Some(format!("/classes/{c}")),
        Subject::Room(r) => Some(format!("/rooms/{r}")),
        _ => None,
    }
}

/// `宿舍 · 2-101`: an issue's category and subject, for lists.
fn headline(t: &Thread, roster: &RosterSnapshot, lang: Lang) -> String {
    let who = subject_text(&t.body, roster);
    let category = category_label(t.body.category, lang);
    if who.is_empty() {
        category.to_string()
    } else {
        format!("{category} · {who}")
    }
}

/// Who took a step or raised an issue, as far as this phone knows: the signed-in user, a name
/// from the roster's staff or the office's account list, else their part in the thread (only the office assigns and
/// feeds back, so those steps are 学工部's).
fn person(id: UserId, action: Option<IssueAction>, t: &Thread, me: &UserProfile, names: &HashMap<UserId, String>, lang: Lang) -> String {
    if id == me.id {
        return me.display_name.clone();
    }
    if let Some(name) = names.get(&id) {
        return name.clone();
    }
    let part = match action {
        Some(IssueAction::Assign | IssueAction::FeedBack) => Msg::LedgerOffice,
        _ if id == t.raiser() => Msg::LedgerTheRaiser,
        _ if t.state.assignees.contains(&id) => Msg::LedgerTheAssignee,
        _ => Msg::LedgerOffice,
    };
    part.text(lang).to_string()
}

fn today() -> NaiveDate {
    rounds::school_time::now_in(&use_store().zone()).date_naive()
}

/// A value of the office's API (its account list, its default days), asked once the signed-in
/// user is known to be the office, and only in the browser; `None` for anyone else, offline, or
/// until it answers: the pages then fall back on parts ("提出人") and the built-in days.
fn office_value<T: serde::de::DeserializeOwned + Send + Sync + 'static>(url: &'static str) -> RwSignal<Option<T>> {
    let store = use_store();
    let value = RwSignal::new(None::<T>);
    let asked = StoredValue::new(false);
    Effect::new(move |_| {
        let office = store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything()));
        if !office || asked.get_value() {
            return;
        }
        asked.set_value(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            if let Ok(v) = crate::client::http::get::<T>(url).await {
                value.set(Some(v));
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (url, value);
    });
    value
}

type Accounts = RwSignal<Option<Vec<rounds::admin::Account>>>;
type DueDays = RwSignal<Option<IssueDueDays>>;

// ---------------------------------------------------------------- /issues

/// `/issues`: 我的问题, the issues I raised or that are assigned to me, by status, newest first.
#[component]
pub fn IssuesPage() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let mine = Memo::new(move |_| {
        let Some(me) = store.user.with(|u| u.as_ref().map(|u| u.id)) else { return Vec::new() };
        store.records.with(|l| all_threads(l)).into_iter().filter(|t| t.concerns(me)).collect::<Vec<_>>()
    });
    // What waits for the raiser comes first; closed issues last.
    let order = [IssueStatus::FedBack, IssueStatus::Open, IssueStatus::Assigned, IssueStatus::Resolved, IssueStatus::Closed];
    let office = move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything()));
    view! {
        <h1>{move || i18n.t(Msg::LedgerMine)}</h1>
        <RequireUser>
            <p class="muted">{move || i18n.t(Msg::LedgerMineIntro)}</p>
            <div class="action-row">
                <A href="/issues/new" attr:class="button primary big">{move || i18n.t(Msg::LedgerRaise)}</A>
                <Show when=office>
                    <A href="/office/ledger" attr:class="button secondary">{move || i18n.t(Msg::LedgerTitle)}</A>
                </Show>
            </div>
            <Show when=move || mine.with(|m| !m.is_empty()) fallback=move || view! { <p class="muted">{move || i18n.t(Msg::LedgerNoneMine)}</p> }>
                {move || order.into_iter().filter_map(|status| {
                    let list: Vec<Thread> = mine.with(|m| m.iter().filter(|t| t.state.status == status).cloned().collect());
                    (!list.is_empty()).then(|| {
                        let n = list.len();
                        let id = format!("issues-{status:?}");
                        let labelled = id.clone();
                        view! {
                            <section class="issue-group" aria-labelledby=labelled>
                                <h2 id=id>{move || format!("{}（{n}）", issue_status_label(status, i18n.lang()))}</h2>
                                <ul class="records">{list.into_iter().map(|t| view! { <IssueItem thread=t/> }).collect_view()}</ul>
                            </section>
                        }
                    })
                }).collect_view()}
            </Show>
        </RequireUser>
    }
    .into_any()
}

/// One issue in a list: what, about whom, where it stands, and whether it is late.
#[component]
fn IssueItem(thread: Thread) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let zone = store.zone();
    let me = store.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    let title = store.roster.with_untracked(|r| headline(&thread, r, i18n.lang()));
    let when = rounds::school_time::format_minute(&thread.body.raised_at, &zone);
    let part = if me == Some(thread.raiser()) { Msg::LedgerMineRaised } else { Msg::LedgerMineAssigned };
    let late = thread.overdue(today(), &zone);
    let due = thread.state.due_on.filter(|_| thread.state.is_pending());
    let status = thread.state.status;
    view! {
        <li class="record issue-item" class:overdue=late>
            <div class="record-head">
                <A href=format!("/issues/{}", thread.id())>{title}</A>
                <span class="badge">{move || issue_status_label(status, i18n.lang())}</span>
                <SyncBadge state=thread.issue.state.clone()/>
            </div>
            <div class="issue-text">{thread.body.description.clone()}</div>
            <div class="muted">
                {when}" · "{move || i18n.t(part)}
                {due.map(|d| view! { " · "{move || i18n.tf(Msg::LedgerDueOn, &[("d", d.to_string())])} })}
                {late.then(|| view! { " · "<strong class="overdue-mark">{move || i18n.t(Msg::LedgerOverdue)}</strong> })}
            </div>
        </li>
    }
    .into_any()
}

// ---------------------------------------------------------------- /issues/:id

/// `/issues/:id`: one issue, where it stands, its steps, and the steps I may take now. The open
/// step form and its draft live here, above the view of the thread, so a sync that re-renders
/// the thread keeps what is being typed.
#[component]
pub fn IssuePage() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let id = crate::pages::params::record_id_param();
    let thread = Memo::new(move |_| id.get().and_then(|id| store.records.with(|l| thread_of(l, id))));
    let open = RwSignal::new(None::<IssueAction>);
    let draft = RwSignal::new(IssueStep {
        issue_id: Uuid::nil(),
        taken_at: now(),
        action: IssueAction::Progress,
        unit: String::new(),
        assignee_id: None,
        due_on: None,
        text: String::new(),
    });
    let errors = FormErrors(RwSignal::new(Vec::new()));
    let accounts: Accounts = office_value("/api/v1/admin/accounts");
    let due_days: DueDays = office_value("/api/v1/ledger/due-days");
    view! {
        <RequireUser>
            {move || {
                // Names arrive after the page: shown again with them.
                accounts.track();
                match thread.get() {
                    None => view! {
                        <h1>{move || i18n.t(Msg::KindStudentIssue)}</h1>
                        <p class="muted">{move || i18n.t(Msg::LedgerNotFound)}</p>
                        <A href="/issues">{move || i18n.t(Msg::LedgerMine)}</A>
                    }.into_any(),
                    Some(t) => view! { <IssueView thread=t open draft errors accounts due_days/> }.into_any(),
                }
            }}
        </RequireUser>
    }
    .into_any()
}

#[component]
fn IssueView(
    thread: Thread,
    open: RwSignal<Option<IssueAction>>,
    draft: RwSignal<IssueStep>,
    errors: FormErrors,
    accounts: Accounts,
    due_days: DueDays,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let zone = store.zone();
    let Some(me) = store.user.get_untracked() else { return ().into_any() };
    let lang = i18n.lang();
    // The roster's staff names (offline too), then the office's fresher account list.
    let mut names: HashMap<UserId, String> = store.roster.with_untracked(|r| r.staff.iter().map(|s| (s.id, s.display_name.clone())).collect());
    names.extend(accounts.with_untracked(|a| a.iter().flatten().map(|a| (a.id, a.display_name.clone())).collect::<Vec<_>>()));
    let t = thread.clone();
    let issue = t.body.clone();
    let state = t.state.clone();
    let who = store.roster.with_untracked(|r| subject_text(&issue, r));
    let name = <StudentIssue as crate::kinds::KindUi>::LABEL.text(lang);
    let heading = if who.is_empty() { name.to_string() } else { format!("{name} · {who}") };
    let subject = match (subject_link(&issue), who.is_empty()) {
        (Some(href), false) => Some(view! { <A href=href>{who.clone()}</A> }.into_any()),
        _ => None,
    };
    let raiser = person(t.raiser(), None, &t, &me, &names, lang);
    let raised = rounds::school_time::format_minute(&issue.raised_at, &zone);
    let source = issue.raised_from.clone().map(|f| {
        let kind = kind_name(&f.kind);
        view! { <A href=format!("/records/{}", f.id)>{move || i18n.t(kind)}</A> }
    });
    let late = t.overdue(today(), &zone);
    let actor = t.actor(&me);
    let steps_now = next_steps(&state, actor);
    // The raiser answers the feedback in its own box; the other steps are buttons below.
    let answering = actor.raiser && state.status == IssueStatus::FedBack;
    let others: Vec<IssueAction> = steps_now.iter().copied().filter(|a| !(answering && matches!(a, IssueAction::Confirm | IssueAction::Reopen))).collect();
    let status = state.status;
    let assignee = state.assignee_id.map(|a| person(a, None, &t, &me, &names, lang));
    let start = move |action: IssueAction| {
        let days = due_days.get_untracked().unwrap_or_default();
        let taken_at = now();
        let previous = thread_state_unit(&thread, action);
        draft.set(IssueStep {
            issue_id: thread.id(),
            taken_at,
            action,
            unit: previous.0,
            assignee_id: previous.1,
            due_on: (action == IssueAction::Assign).then(|| taken_at.date_naive() + chrono::Duration::days(i64::from(days.days_for(thread.body.category)))),
            text: String::new(),
        });
        errors.0.set(Vec::new());
        open.set(Some(action));
    };
    let start = StoredValue::new(start);
    let button = move |action: IssueAction, class: &'static str| {
        view! {
            <button type="button" class=class aria-expanded=move || (open.get() == Some(action)).to_string()
                on:click=move |_| start.with_value(|s| s(action))>
                {move || issue_action_label(action, i18n.lang())}
            </button>
        }
    };
    let fact = |label: Msg, value: AnyView| view! { <dt>{move || i18n.t(label)}</dt><dd>{value}</dd> };
    let step_items = t
        .steps
        .iter()
        .filter_map(|local| {
            let RecordBody::IssueStep(s) = &local.record.body else { return None };
            let by = person(local.record.author_id, Some(s.action), &t, &me, &names, lang);
            let at = rounds::school_time::format_minute(&s.taken_at, &zone);
            let action = s.action;
            let assign = (action == IssueAction::Assign).then(|| {
                let mut parts = vec![s.unit.clone()];
                if let Some(a) = s.assignee_id {
                    parts.push(person(a, None, &t, &me, &names, lang));
                }
                let due = s.due_on.map(|d| d.to_string()).unwrap_or_default();
                view! { <p>{parts.join(" · ")}" · "{move || i18n.tf(Msg::LedgerDueOn, &[("d", due.clone())])}</p> }
            });
            let text = (!s.text.trim().is_empty()).then(|| view! { <p class="issue-text">{s.text.clone()}</p> });
            Some(view! {
                <li class="record step">
                    <div class="record-head">
                        <strong>{move || issue_action_label(action, i18n.lang())}</strong>
                        <SyncBadge state=local.state.clone()/>
                    </div>
                    <div class="muted">{by}" · "{at}</div>
                    {assign}
                    {text}
                </li>
            })
        })
        .collect_view();
    let no_steps = t.steps.is_empty();
    let feedback = state.feedback.clone();
    let fed_back_at = state.fed_back_at.map(|a| rounds::school_time::format_minute(&a, &zone)).unwrap_or_default();
    view! {
        <h1>{heading}</h1>
        <p class="record-meta">
            <span class="badge status">{move || issue_status_label(status, i18n.lang())}</span>" "
            {late.then(|| view! { <strong class="overdue-mark">{move || i18n.t(Msg::LedgerOverdue)}</strong>" " })}
            <SyncBadge state=t.issue.state.clone()/>
        </p>
        <p class="issue-description">{issue.description.clone()}</p>
        <dl class="issue-facts">
            {fact(Msg::Category, view! { {move || category_label(issue.category, i18n.lang())} }.into_any())}
            {subject.map(|s| fact(Msg::LedgerSubject, s))}
            {fact(Msg::LedgerRaisedBy, view! { {raiser} }.into_any())}
            {fact(Msg::RaisedAt, view! { {raised} }.into_any())}
            {source.map(|s| fact(Msg::LedgerSource, s.into_any()))}
            {(!state.unit.is_empty()).then(|| fact(Msg::LedgerUnit, view! { {state.unit.clone()} }.into_any()))}
            {assignee.map(|a| fact(Msg::LedgerAssignee, view! { {a} }.into_any()))}
            {state.due_on.map(|d| fact(Msg::LedgerDue, view! { {d.to_string()} }.into_any()))}
            {(!state.resolution.is_empty()).then(|| fact(Msg::Resolution, view! { {state.resolution.clone()} }.into_any()))}
            {(!state.feedback.is_empty()).then(|| fact(Msg::LedgerFeedback, view! { {state.feedback.clone()} }.into_any()))}
        </dl>
        {answering.then(|| view! {
            <section class="card issue-feedback" aria-labelledby="issue-fed-back">
                <h2 id="issue-fed-back">{move || i18n.t(Msg::LedgerFedBackTitle)}</h2>
                <p class="issue-text">{feedback.clone()}</p>
                <p class="muted">{move || i18n.t(Msg::LedgerOffice)}" · "{fed_back_at.clone()}</p>
                <p>{move || i18n.t(Msg::LedgerFedBackHint)}</p>
                <div class="action-row">
                    {button(IssueAction::Confirm, "button primary big")}
                    {button(IssueAction::Reopen, "button secondary big")}
                </div>
            </section>
        })}
        <section class="issue-steps" aria-labelledby="issue-next">
            <h2 id="issue-next">{move || i18n.t(Msg::LedgerYourSteps)}</h2>
            {match (others.is_empty(), answering) {
                (true, false) => view! { <p class="muted">{move || i18n.t(Msg::LedgerNoNextSteps)}</p> }.into_any(),
                _ => view! {
                    <div class="action-row">
                        {others.into_iter().enumerate().map(|(i, a)| button(a, if i == 0 { "button primary big" } else { "button secondary big" })).collect_view()}
                    </div>
                }.into_any(),
            }}
            {move || open.get().filter(|a| steps_now.contains(a)).map(|action| view! { <StepForm action draft errors open accounts due_days category=issue.category/> })}
        </section>
        <section aria-labelledby="issue-timeline">
            <h2 id="issue-timeline">{move || i18n.t(Msg::LedgerTimeline)}</h2>
            {no_steps.then(|| view! { <p class="muted">{move || i18n.t(Msg::LedgerNoSteps)}</p> })}
            <ol class="records issue-timeline">{step_items}</ol>
        </section>
        <p><A href=format!("/records/{}", t.id())>{move || i18n.t(Msg::LedgerIssueRecord)}</A></p>
    }
    .into_any()
}

/// A reassignment starts from the unit and person it is with.
fn thread_state_unit(thread: &Thread, action: IssueAction) -> (String, Option<UserId>) {
    match action {
        IssueAction::Assign => (thread.state.unit.clone(), thread.state.assignee_id),
        _ => (String::new(), None),
    }
}

/// The small form of one step: what it needs, validated by the shared validator, saved through
/// the one pipeline as an `issue_step` record.
#[component]
fn StepForm(
    action: IssueAction,
    draft: RwSignal<IssueStep>,
    errors: FormErrors,
    open: RwSignal<Option<IssueAction>>,
    accounts: Accounts,
    due_days: DueDays,
    category: IssueCategory,
) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    provide_context(errors);
    let saving = RwSignal::new(false);
    let text_label = match action {
        IssueAction::Progress => Msg::LedgerTextProgress,
        IssueAction::Resolve => Msg::LedgerTextResolve,
        IssueAction::FeedBack => Msg::LedgerTextFeedBack,
        IssueAction::Reopen => Msg::LedgerTextReopen,
        IssueAction::Assign | IssueAction::Confirm => Msg::LedgerTextRemark,
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let mut step = draft.get_untracked();
        // Taken when saved; only an assignment carries a unit, a person and a date.
        step.taken_at = now();
        if step.action != IssueAction::Assign {
            step.unit.clear();
            step.assignee_id = None;
            step.due_on = None;
        }
        #[cfg(feature = "hydrate")]
        {
            saving.set(true);
            leptos::task::spawn_local(async move {
                let result = crate::client::save(store, RecordBody::IssueStep(step), None, false).await;
                saving.set(false);
                match result {
                    Ok(_) => {
                        errors.0.set(Vec::new());
                        open.set(None);
                        store.flash.set(Some(i18n.t(Msg::Saved).to_string()));
                        leptos::task::spawn_local(async move {
                            gloo_timers::future::TimeoutFuture::new(8000).await;
                            store.flash.set(None);
                        });
                    }
                    Err(e) => errors.show(e),
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (step, store, open);
    };
    let assign = action == IssueAction::Assign;
    let units: Vec<String> =
        UNITS.iter().map(|u| u.to_string()).chain(store.roster.with_untracked(|r| r.departments.iter().map(|d| d.name.clone()).collect::<Vec<_>>())).collect();
    let unit_error = errors.for_field("unit");
    let due_error = errors.for_field("due_on");
    let assignee_error = errors.for_field("assignee_id");
    let due_hint = move || {
        let (days, from_office) = due_days.get().map_or_else(|| (IssueDueDays::default(), false), |d| (d, true));
        let args = [("c", category_label(category, i18n.lang()).to_string()), ("n", days.days_for(category).to_string())];
        i18n.tf(if from_office { Msg::LedgerDueHint } else { Msg::LedgerDueHintBuiltIn }, &args)
    };
    view! {
        <form class="form step-form card" on:submit=submit novalidate aria-labelledby="step-form-title">
            <h3 id="step-form-title">{move || issue_action_label(action, i18n.lang())}</h3>
            <crate::pages::fields::ErrorSummary errors/>
            {assign.then(|| view! {
                <label class="field">
                    <span>{move || i18n.t(Msg::LedgerUnit)}</span>
                    <input type="text" list="issue-units" prop:value=move || draft.with(|d| d.unit.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.unit = v); }/>
                    <datalist id="issue-units">{units.into_iter().map(|u| view! { <option value=u.clone()></option> }).collect_view()}</datalist>
                </label>
                <small class="field-error">{unit_error}</small>
                <label class="field">
                    <span>{move || i18n.t(Msg::LedgerAssigneePick)}</span>
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| d.assignee_id = v.parse::<i64>().ok().map(UserId));
                    }>
                        <option value="" selected=move || draft.with(|d| d.assignee_id.is_none())>{move || i18n.t(Msg::LedgerAssigneeNone)}</option>
                        {move || accounts.get().unwrap_or_default().into_iter().filter(|a| a.active).map(|a| {
                            let id = a.id;
                            let label = format!("{}（{}）", a.display_name, crate::pages::office::roster::role_label(a.role).text(i18n.lang()));
                            view! { <option value=id.0.to_string() selected=move || draft.with(|d| d.assignee_id == Some(id))>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <Show when=move || accounts.with(|a| a.is_none())>
                    <small class="hint">{move || i18n.t(Msg::LedgerAssigneeOffline)}</small>
                </Show>
                <small class="field-error">{assignee_error}</small>
                <label class="field">
                    <span>{move || i18n.t(Msg::LedgerDue)}</span>
                    <input type="date" prop:value=move || draft.with(|d| d.due_on.map(|d| d.to_string()).unwrap_or_default())
                        on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.due_on = v.parse::<NaiveDate>().ok()); }/>
                </label>
                <small class="hint">{due_hint}</small>
                <small class="field-error">{due_error}</small>
            })}
            <TextField draft label=text_label field="text" multiline=true get=|d: &IssueStep| d.text.clone() set=|d: &mut IssueStep, v| d.text = v/>
            <div class="actions action-row">
                <button type="submit" class="primary big" disabled=move || saving.get()>
                    {move || if saving.get() { i18n.t(Msg::Saving) } else { i18n.t(Msg::Save) }}
                </button>
                <button type="button" class="secondary" on:click=move |_| open.set(None)>{move || i18n.t(Msg::Cancel)}</button>
            </div>
        </form>
    }
    .into_any()
}

/// A step as the record page shows it: what was done, the note, and the way to its issue.
#[component]
pub fn IssueStepView(step: IssueStep) -> impl IntoView {
    let i18n = use_i18n();
    let assign = (step.action == IssueAction::Assign).then(|| {
        let due = step.due_on.map(|d| d.to_string()).unwrap_or_default();
        let unit = step.unit.clone();
        view! { <p>{unit}" · "{move || i18n.tf(Msg::LedgerDueOn, &[("d", due.clone())])}</p> }
    });
    view! {
        <section class="card">
            <h2>{move || issue_action_label(step.action, i18n.lang())}</h2>
            {assign}
            <p class="issue-text">{step.text.clone()}</p>
            <A href=format!("/issues/{}", step.issue_id) attr:class="button secondary">{move || i18n.t(Msg::LedgerOpenIssue)}</A>
        </section>
    }
}

// ---------------------------------------------------------------- raising

/// A new issue about `subject` (a student with their class, a class, a room, or no one), now.
pub fn fresh_issue(subject: Subject, roster: &RosterSnapshot, now: chrono::DateTime<chrono::FixedOffset>) -> StudentIssue {
    let (class_id, student_id, room_id) = match subject {
        Subject::Student(s) => (roster.student(s).map(|st| st.class_id), Some(s), None),
        Subject::Class(c) => (Some(c), None, None),
        Subject::Room(r) => (None, None, Some(r)),
        _ => (None, None, None),
    };
    // The likeliest category to start from: a room's problems are mostly the dorm's.
    let category = match subject {
        Subject::Room(_) => IssueCategory::Dormitory,
        Subject::Student(_) | Subject::Class(_) => IssueCategory::Study,
        _ => IssueCategory::Other,
    };
    StudentIssue { class_id, student_id, room_id, raised_at: now, category, description: String::new(), raised_from: None }
}

/// An issue raised from a record: its subject, a category and a first description from it (a
/// visit's problems, a check's hazards, which go to the office at once: 000 二(六)2).
pub fn issue_from(source: &RecordEnvelope, roster: &RosterSnapshot, now: chrono::DateTime<chrono::FixedOffset>) -> StudentIssue {
    let (category, description) = match &source.body {
        RecordBody::DormVisit(v) => (IssueCategory::Dormitory, v.problems_raised.clone()),
        RecordBody::DormCheck(c) if !c.hazards.is_empty() => {
            let lines: Vec<String> = c.hazards.iter().map(|h| format!("{}：{}", hazard_label(h.kind, Lang::Zh), h.description)).collect();
            (IssueCategory::Safety, lines.join("；"))
        }
        RecordBody::DormCheck(_) => (IssueCategory::Dormitory, String::new()),
        RecordBody::ClassCheck(_) | RecordBody::LectureVisit(_) | RecordBody::ClassAttendance(_) => (IssueCategory::Study, String::new()),
        // A shift's report: what happened, and what was escalated (a safety matter then).
        RecordBody::DutyLog(d) => {
            let category = if d.escalated.trim().is_empty() { IssueCategory::Other } else { IssueCategory::Safety };
            let said: Vec<&str> = [d.events.trim(), d.escalated.trim()].into_iter().filter(|t| !t.is_empty()).collect();
            (category, said.join("；"))
        }
        _ => (IssueCategory::Other, String::new()),
    };
    StudentIssue::raised_from(source, roster, category, description, now)
}

/// Whether a record may have an issue raised from it by the signed-in user, and the button's
/// words: a dorm check's hazard is reported (上报), anything else submitted to the ledger.
pub fn raise_from_label(record: &RecordEnvelope) -> Option<Msg> {
    if record.deleted || !rounds::kinds::issue::RAISED_FROM_KINDS.contains(&record.body.kind()) {
        return None;
    }
    if !untrack(|| use_store().may_write(record.body.subject(), StudentIssue::LINKED)) {
        return None;
    }
    Some(match &record.body {
        RecordBody::DormCheck(c) if !c.hazards.is_empty() => Msg::LedgerReportHazard,
        _ => Msg::LedgerRaiseFrom,
    })
}

/// `/rooms/:id/issue`
#[component]
pub fn RoomIssuePage() -> impl IntoView {
    let id = crate::pages::params::room_id_param();
    view! { <RequireUser>{move || id.get().map(|room| raise(Subject::Room(room)))}</RequireUser> }.into_any()
}

/// `/classes/:id/issue`
#[component]
pub fn ClassIssuePage() -> impl IntoView {
    let id = crate::pages::params::class_id_param();
    view! { <RequireUser>{move || id.get().map(|class| raise(Subject::Class(class)))}</RequireUser> }.into_any()
}

fn raise(subject: Subject) -> AnyView {
    let store = use_store();
    let fresh = store.roster.with_untracked(|r| fresh_issue(subject, r, now()));
    view! { <StudentIssueForm fresh/> }.into_any()
}

/// `/issues/new`, and `/issues/new?from=<record id>` for an issue raised from a record.
#[component]
pub fn NewIssuePage() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let query = use_query_map();
    let from = Memo::new(move |_| query.with(|q| q.get("from")));
    view! {
        <RequireUser>
            {move || match from.get() {
                None => raise(Subject::Own),
                Some(id) => {
                    let source = id.parse::<Uuid>().ok().and_then(|id| store.records.with_untracked(|l| l.iter().find(|r| r.record.id == id).map(|r| r.record.clone())));
                    match source {
                        Some(source) => {
                            let fresh = store.roster.with_untracked(|r| issue_from(&source, r, now()));
                            view! { <StudentIssueForm fresh/> }.into_any()
                        }
                        None => view! { <p class="muted">{move || i18n.t(Msg::LedgerSourceNotFound)}</p> }.into_any(),
                    }
                }
            }}
        </RequireUser>
    }
    .into_any()
}

// ---------------------------------------------------------------- Today

/// Today's issue sections: the raiser's answered issues to confirm, the assignee's issues to
/// resolve. From the local store, offline too; nothing shows when there is nothing to do.
#[component]
pub fn TodayIssues() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let mine = Memo::new(move |_| {
        let Some(me) = store.user.with(|u| u.as_ref().map(|u| u.id)) else { return (Vec::new(), Vec::new()) };
        let all = store.records.with(|l| all_threads(l));
        let answered: Vec<Thread> = all.iter().filter(|t| t.raiser() == me && t.state.status == IssueStatus::FedBack).cloned().collect();
        let to_do: Vec<Thread> = all.into_iter().filter(|t| t.state.assignee_id == Some(me) && t.state.is_pending()).collect();
        (answered, to_do)
    });
    view! {
        <Show when=move || mine.with(|m| !m.0.is_empty())>
            <section class="card issue-today" aria-labelledby="today-fed-back">
                <h2 id="today-fed-back">{move || i18n.t(Msg::LedgerTodayFedBack)}</h2>
                <ul class="records">
                    {move || mine.with(|m| m.0.clone()).into_iter().map(|t| {
                        let title = store.roster.with_untracked(|r| headline(&t, r, i18n.lang()));
                        view! {
                            <li class="record">
                                <A href=format!("/issues/{}", t.id())>{title}</A>
                                <div class="issue-text">{t.body.description.clone()}</div>
                                <p class="issue-feedback-text">{t.state.feedback.clone()}</p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
        <Show when=move || mine.with(|m| !m.1.is_empty())>
            <section class="card issue-today" aria-labelledby="today-to-handle">
                <h2 id="today-to-handle">{move || i18n.t(Msg::LedgerTodayToHandle)}</h2>
                <ul class="records">
                    {move || mine.with(|m| m.1.clone()).into_iter().map(|t| {
                        let title = store.roster.with_untracked(|r| headline(&t, r, i18n.lang()));
                        let zone = store.zone();
                        let due = t.due(&zone);
                        let late = t.overdue(today(), &zone);
                        view! {
                            <li class="record issue-item" class:overdue=late>
                                <A href=format!("/issues/{}", t.id())>{title}</A>
                                <div class="issue-text">{t.body.description.clone()}</div>
                                <div class="muted">
                                    {move || i18n.tf(Msg::LedgerDueOn, &[("d", due.to_string())])}
                                    {late.then(|| view! { " · "<strong class="overdue-mark">{move || i18n.t(Msg::LedgerOverdue)}</strong> })}
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        </Show>
    }
    .into_any()
}

/// The office's line on its home page: how many issues wait to be assigned and how many are
/// late (by the built-in days for those not yet assigned), one tap from the ledger.
#[component]
pub fn OfficeIssueLine() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let counts = Memo::new(move |_| {
        let zone = store.zone();
        let today = rounds::school_time::now_in(&zone).date_naive();
        let all = store.records.with(|l| all_threads(l));
        (all.iter().filter(|t| t.state.status == IssueStatus::Open).count(), all.iter().filter(|t| t.overdue(today, &zone)).count())
    });
    view! {
        <Show when=move || store.ready.get() && store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything()))>
            <p class="issue-line">
                <A href="/office/ledger">
                    {move || counts.with(|(open, late)| i18n.tf(Msg::LedgerOfficeLine, &[("open", open.to_string()), ("overdue", late.to_string())]))}
                </A>
            </p>
        </Show>
    }
    .into_any()
}

/// 学生诉求: a problem a student raised, into the ledger.
#[component]
pub fn StudentIssuePage() -> impl IntoView {
    let id = student_id_param();
    view! {
        <RequireUser>
            {move || id.get().map(|student| {
                let fresh = use_store().roster.with_untracked(|r| fresh_issue(Subject::Student(student), r, now()));
                view! { <StudentIssueForm fresh/> }
            })}
        </RequireUser>
    }
    .into_any()
}

/// An issue for the ledger (问题台账), about a student, a class, a room or no one, maybe raised
/// from a record. A new one starts from `fresh`; an edit from the record (the `Editing` context).
/// Once saved, a new issue lands on its own page, where its steps are taken.
#[component]
pub fn StudentIssueForm(fresh: StudentIssue) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let draft = RwSignal::new(initial_draft(|| fresh));
    let (who, source) = draft.with_untracked(|d| (store.roster.with_untracked(|r| subject_text(d, r)), d.raised_from.clone()));
    let title = match who.is_empty() {
        true => Signal::derive(move || i18n.t(Msg::KindStudentIssue).to_string()),
        false => titled(Msg::KindStudentIssue, who),
    };
    let me = store.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    // The saved issue is the one with exactly this draft as its body (save stores it as given).
    let done = Signal::derive(move || {
        let body = RecordBody::StudentIssue(draft.get_untracked());
        store
            .records
            .with_untracked(|l| l.iter().find(|r| Some(r.record.author_id) == me && r.record.body == body).map(|r| format!("/issues/{}", r.record.id)))
            .unwrap_or_else(|| "/issues".to_string())
    });
    view! {
        <FormFrame title
            to_body=Callback::new(move |_| Some(RecordBody::StudentIssue(draft.get_untracked())))
            done>
            {source.map(|f| {
                let kind = crate::kinds::kind_name(&f.kind);
                view! {
                    <p class="muted">{move || i18n.t(Msg::LedgerSource)}"："
                        <leptos_router::components::A href=format!("/records/{}", f.id)>{move || i18n.t(kind)}</leptos_router::components::A>
                    </p>
                }
            })}
            <TimeField draft label=Msg::RaisedAt field="raised_at" get=|d| d.raised_at set=|d, v| d.raised_at = v/>
            <ChoiceField draft label=Msg::Category options=IssueCategory::ALL name=category_label get=|d| d.category set=|d, v| d.category = v/>
            <TextField draft label=Msg::Description field="description" multiline=true get=|d| d.description.clone() set=|d, v| d.description = v/>
        </FormFrame>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32) -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T10:00:00+08:00")).expect("a fixed date")
    }

    fn local(body: RecordBody, author: i64, day: u32, state: SyncState) -> LocalRecord {
        LocalRecord { record: RecordEnvelope::new(body, UserId(author), "t", at(day)), state }
    }

    fn step(issue: Uuid, action: IssueAction, day: u32) -> RecordBody {
        let assign = action == IssueAction::Assign;
        RecordBody::IssueStep(IssueStep {
            issue_id: issue,
            taken_at: at(day),
            action,
            unit: if assign { "后勤保障处".into() } else { String::new() },
            assignee_id: assign.then_some(UserId(9)),
            due_on: assign.then(|| at(day).date_naive() + chrono::Duration::days(2)),
            text: "说明".into(),
        })
    }

    fn visit() -> LocalRecord {
        let v = DormVisit { room_id: RoomId(4), visited_at: at(1), students_met: vec![], situation: "好".into(), problems_raised: "热水不够".into() };
        local(RecordBody::DormVisit(v), 3, 1, SyncState::Synced)
    }

    #[test]
    fn an_issue_raised_from_a_visit_keeps_its_room_its_source_and_its_problems() {
        let source = visit();
        let issue = issue_from(&source.record, &RosterSnapshot::default(), at(2));
        assert_eq!((issue.room_id, issue.category, issue.description.as_str()), (Some(RoomId(4)), IssueCategory::Dormitory, "热水不够"));
        assert_eq!(issue.raised_from.map(|f| (f.id, f.kind)), Some((source.record.id, "dorm_visit".to_string())));
    }

    #[test]
    fn threads_fold_their_steps_leave_refused_ones_out_and_know_whom_they_concern() {
        let issue = issue_from(&visit().record, &RosterSnapshot::default(), at(2));
        let raised = local(RecordBody::StudentIssue(issue), 3, 2, SyncState::Synced);
        let id = raised.record.id;
        let records = vec![
            visit(),
            local(step(id, IssueAction::Resolve, 4), 1, 4, SyncState::Synced),
            local(step(id, IssueAction::Assign, 3), 1, 3, SyncState::Synced),
            // Refused by the server: shown, never folded.
            local(step(id, IssueAction::FeedBack, 5), 9, 5, SyncState::Forbidden(vec![])),
            raised,
        ];
        let all = all_threads(&records);
        assert_eq!(all.len(), 1);
        let t = &all[0];
        assert_eq!(t.state.status, IssueStatus::Resolved);
        assert_eq!(t.steps.len(), 3);
        assert!(matches!(&t.steps[0].record.body, RecordBody::IssueStep(s) if s.action == IssueAction::Assign), "in the order taken");
        assert!(t.concerns(UserId(3)) && t.concerns(UserId(9)) && !t.concerns(UserId(1)));
        assert_eq!(thread_of(&records, id).map(|t| t.state.status), Some(IssueStatus::Resolved));
        let zone = chrono::FixedOffset::east_opt(8 * 3600).expect("a zone");
        assert_eq!(t.due(&zone), at(5).date_naive(), "the assignment's date");
        assert!(!t.overdue(at(30).date_naive(), &zone), "resolved: no longer late");
    }
}
