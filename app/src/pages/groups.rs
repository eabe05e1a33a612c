//! 社团、党支部与联系点 (`/office/groups`): the office adds and removes clubs and party branches,
//! and links leaders to a class, room, club or branch (002 §四(一)). Online only: after
//! hydration it calls `/api/v1/groups` through `client::http`.

use crate::components::RequireUser;
use crate::i18n::*;
use leptos::prelude::*;
use rounds::groups::{GroupKind, GroupsOverview, LinkTarget};
use rounds::{DepartmentId, FieldError, UserId};

/// What the last action of one form came to: the fields at fault, and why it failed.
#[derive(Debug, Clone, Default, PartialEq)]
struct Outcome {
    fields: Vec<FieldError>,
    /// The API's error code and message, when the action failed.
    failure: Option<(String, String)>,
}

impl Outcome {
    fn field(outcome: RwSignal<Outcome>, field: &'static str) -> impl Fn() -> Option<String> + Send + Sync + 'static {
        let i18n = use_i18n();
        move || {
            outcome.with(|o| {
                o.fields.iter().find(|e| e.field == field).map(|e| match e.code.as_str() {
                    "not_linkable" => i18n.t(Msg::GroupsNotLinkable).to_string(),
                    code => error_label(code, i18n.lang()).to_string(),
                })
            })
        }
    }
}

fn failure_text(code: &str, message: &str, i18n: I18n) -> String {
    let reason = match code {
        "duplicate" => i18n.t(Msg::GroupsDuplicate).to_string(),
        "in_use" => i18n.t(Msg::GroupsInUse).to_string(),
        _ => message.to_string(),
    };
    i18n.tf(Msg::GroupsFailed, &[("e", reason)])
}

/// Runs one call to the API; on success clears the form's outcome, runs `after` and reloads the
/// page's data, otherwise keeps the failure for the form to show.
#[cfg(feature = "hydrate")]
fn act<F>(call: F, outcome: RwSignal<Outcome>, reload: Callback<()>, after: impl FnOnce() + 'static)
where
    F: std::future::Future<Output = Result<serde::de::IgnoredAny, crate::client::http::ApiFailure>> + 'static,
{
    leptos::task::spawn_local(async move {
        match call.await {
            Ok(_) => {
                outcome.set(Outcome::default());
                after();
                reload.run(());
            }
            Err(f) => outcome.set(Outcome { fields: f.fields, failure: Some((f.code, f.message)) }),
        }
    });
}

#[component]
pub fn GroupsPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = RwSignal::new(None::<GroupsOverview>);
    let failure = RwSignal::new(None::<(String, String)>);
    let reload = Callback::new(move |_: ()| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::http::get::<GroupsOverview>("/api/v1/groups").await {
                Ok(o) => {
                    overview.set(Some(o));
                    failure.set(None);
                }
                Err(f) => failure.set(Some((f.code, f.message))),
            }
        });
    });
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| reload.run(()));
    let waiting = move || match failure.get() {
        Some((code, message)) => failure_text(&code, &message, i18n),
        None => i18n.t(Msg::GroupsLoading).to_string(),
    };
    view! {
        <h1>{move || i18n.t(Msg::GroupsTitle)}</h1>
        <RequireUser>
            <Show when=move || overview.with(|o| o.is_some()) fallback=move || view! { <p class="muted" role="status">{waiting}</p> }>
                <GroupSection kind=GroupKind::Club overview reload/>
                <GroupSection kind=GroupKind::Branch overview reload/>
                <LinkSection overview reload/>
            </Show>
        </RequireUser>
    }
    .into_any()
}

#[component]
fn FailureNote(outcome: RwSignal<Outcome>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || outcome.with(|o| o.failure.as_ref().map(|(code, message)| failure_text(code, message, i18n)));
    view! { <p class="error" role="alert">{text}</p> }
}

/// The clubs or the branches: the list with a remove button each, and a form to add one.
#[component]
fn GroupSection(kind: GroupKind, overview: RwSignal<Option<GroupsOverview>>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (title, add_label, path) = match kind {
        GroupKind::Club => (Msg::GroupsClubs, Msg::GroupsAddClub, "clubs"),
        GroupKind::Branch => (Msg::GroupsBranches, Msg::GroupsAddBranch, "branches"),
    };
    let rows = move || {
        overview.with(|o| {
            let Some(o) = o else { return Vec::new() };
            let dept = |d: Option<DepartmentId>| d.and_then(|d| o.departments.iter().find(|x| x.id == d)).map(|x| x.name.clone());
            match kind {
                GroupKind::Club => o.clubs.iter().map(|c| (c.id.0, c.name.clone(), dept(c.department_id))).collect::<Vec<_>>(),
                GroupKind::Branch => o.branches.iter().map(|b| (b.id.0, b.name.clone(), dept(b.department_id))).collect(),
            }
        })
    };
    let departments = move || overview.with(|o| o.as_ref().map(|o| o.departments.clone()).unwrap_or_default());
    let name = RwSignal::new(String::new());
    let department = RwSignal::new(None::<DepartmentId>);
    let outcome = RwSignal::new(Outcome::default());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        #[cfg(feature = "hydrate")]
        {
            let draft = rounds::GroupDraft { name: name.get_untracked(), department_id: department.get_untracked() };
            let url = format!("/api/v1/groups/{path}");
            act(async move { crate::client::http::post(&url, &draft).await }, outcome, reload, move || name.set(String::new()));
        }
    };
    let remove = move |id: i64| {
        #[cfg(feature = "hydrate")]
        act(async move { crate::client::http::delete(&format!("/api/v1/groups/{path}/{id}")).await }, outcome, reload, || ());
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, reload, path);
    };
    view! {
        <section>
            <h2>{move || i18n.t(title)}</h2>
            <FailureNote outcome/>
            <Show when=move || !rows().is_empty() fallback=move || view! { <p class="muted">{move || i18n.t(Msg::GroupsNone)}</p> }>
                <ul class="records">
                    {move || rows().into_iter().map(|(id, group, dept)| {
                        let label = format!("{} {group}", i18n.t(Msg::GroupsRemove));
                        view! {
                            <li class="record">
                                <div class="record-head">
                                    <strong>{group}</strong>
                                    <button type="button" class="link" aria-label=label on:click=move |_| remove(id)>{move || i18n.t(Msg::GroupsRemove)}</button>
                                </div>
                                <div class="muted">{dept.unwrap_or_else(|| i18n.t(Msg::GroupsSchoolWide).to_string())}</div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            <form class="form" on:submit=add novalidate>
                <label class="field">
                    <span>{move || i18n.t(Msg::GroupsName)}</span>
                    <input type="text" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </label>
                <small class="field-error">{Outcome::field(outcome, "name")}</small>
                <label class="field">
                    <span>{move || i18n.t(Msg::GroupsDepartment)}</span>
                    <select on:change=move |ev| department.set(event_target_value(&ev).parse().ok().map(DepartmentId))>
                        <option value="" selected=move || department.with(|d| d.is_none())>{move || i18n.t(Msg::GroupsSchoolWide)}</option>
                        {move || departments().into_iter().map(|d| {
                            let id = d.id;
                            view! { <option value=id.to_string() selected=move || department.get() == Some(id)>{d.name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <small class="field-error">{Outcome::field(outcome, "department_id")}</small>
                <div class="actions"><button type="submit" class="primary">{move || i18n.t(add_label)}</button></div>
            </form>
        </section>
    }
    .into_any()
}

/// The kinds of target, as the link form's first select offers them.
const TARGET_TYPES: [(&str, Msg); 4] =
    [("class", Msg::GroupsTargetClass), ("room", Msg::GroupsTargetRoom), ("club", Msg::GroupsTargetClub), ("branch", Msg::GroupsTargetBranch)];

fn type_of(t: LinkTarget) -> &'static str {
    match t {
        LinkTarget::Class(_) => "class",
        LinkTarget::Room(_) => "room",
        LinkTarget::Club(_) => "club",
        LinkTarget::Branch(_) => "branch",
    }
}

/// A target as an option value, e.g. `room:12`.
fn key_of(t: LinkTarget) -> String {
    let id = match t {
        LinkTarget::Class(c) => c.0,
        LinkTarget::Room(r) => r.0,
        LinkTarget::Club(c) => c.0,
        LinkTarget::Branch(b) => b.0,
    };
    format!("{}:{id}", type_of(t))
}

fn type_label(t: LinkTarget) -> Msg {
    TARGET_TYPES.iter().find(|(name, _)| *name == type_of(t)).map(|(_, m)| *m).unwrap_or(Msg::GroupsTarget)
}

/// The leaders' links: who is linked to what, a remove button each, and a form to add one.
#[component]
fn LinkSection(overview: RwSignal<Option<GroupsOverview>>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let links = move || overview.with(|o| o.as_ref().map(|o| o.links.clone()).unwrap_or_default());
    let leaders = move || overview.with(|o| o.as_ref().map(|o| o.leaders.clone()).unwrap_or_default());
    let leader = RwSignal::new(None::<UserId>);
    let target_type = RwSignal::new("class");
    let target = RwSignal::new(None::<LinkTarget>);
    let options = move || {
        let ty = target_type.get();
        overview.with(|o| o.as_ref().map(|o| o.targets.iter().filter(|t| type_of(t.target) == ty).cloned().collect::<Vec<_>>()).unwrap_or_default())
    };
    let outcome = RwSignal::new(Outcome::default());
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(user_id), Some(target)) = (leader.get_untracked(), target.get_untracked()) else {
            // Both are required by the type itself; say which is missing before asking the server.
            let mut fields = Vec::new();
            if leader.get_untracked().is_none() {
                fields.push(FieldError { field: "user_id".into(), code: "required".into(), message: "choose a leader".into() });
            }
            if target.get_untracked().is_none() {
                fields.push(FieldError { field: "target".into(), code: "required".into(), message: "choose what to link".into() });
            }
            outcome.set(Outcome { fields, failure: None });
            return;
        };
        #[cfg(feature = "hydrate")]
        {
            let new = rounds::NewLink { user_id, target };
            act(async move { crate::client::http::post("/api/v1/groups/links", &new).await }, outcome, reload, || ());
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (user_id, target);
    };
    let remove = move |id: rounds::LinkId| {
        #[cfg(feature = "hydrate")]
        act(async move { crate::client::http::delete(&format!("/api/v1/groups/links/{id}")).await }, outcome, reload, || ());
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, reload);
    };
    view! {
        <section>
            <h2>{move || i18n.t(Msg::GroupsLinks)}</h2>
            <FailureNote outcome/>
            <Show when=move || !links().is_empty() fallback=move || view! { <p class="muted">{move || i18n.t(Msg::GroupsNone)}</p> }>
                <ul class="records">
                    {move || links().into_iter().map(|v| {
                        let id = v.link.id;
                        let kind = type_label(v.link.target);
                        let label = format!("{} {} — {}", i18n.t(Msg::GroupsRemove), v.leader, v.target);
                        view! {
                            <li class="record">
                                <div class="record-head">
                                    <strong>{v.leader}</strong>
                                    <button type="button" class="link" aria-label=label on:click=move |_| remove(id)>{move || i18n.t(Msg::GroupsRemove)}</button>
                                </div>
                                <div>{move || i18n.t(kind)}" · "{v.target.clone()}</div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
            <LinkForm leaders=Signal::derive(leaders) options=Signal::derive(options) leader target_type target outcome add/>
        </section>
    }
    .into_any()
}

#[component]
fn LinkForm<F>(
    leaders: Signal<Vec<rounds::UserProfile>>,
    options: Signal<Vec<rounds::LinkOption>>,
    leader: RwSignal<Option<UserId>>,
    target_type: RwSignal<&'static str>,
    target: RwSignal<Option<LinkTarget>>,
    outcome: RwSignal<Outcome>,
    add: F,
) -> impl IntoView
where
    F: Fn(leptos::ev::SubmitEvent) + 'static,
{
    let i18n = use_i18n();
    let pick_target = move |key: String| target.set(options.with_untracked(|o| o.iter().map(|t| t.target).find(|t| key_of(*t) == key)));
    view! {
        <form class="form" on:submit=add novalidate>
            <label class="field">
                <span>{move || i18n.t(Msg::GroupsLeader)}</span>
                <select on:change=move |ev| leader.set(event_target_value(&ev).parse().ok().map(UserId))>
                    <option value="" selected=move || leader.with(|l| l.is_none())>{move || i18n.t(Msg::GroupsChoose)}</option>
                    {move || leaders.get().into_iter().map(|u| {
                        let id = u.id;
                        view! { <option value=id.to_string() selected=move || leader.get() == Some(id)>{u.display_name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <small class="field-error">{Outcome::field(outcome, "user_id")}</small>
            <label class="field">
                <span>{move || i18n.t(Msg::GroupsTargetType)}</span>
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some((name, _)) = TARGET_TYPES.iter().find(|(name, _)| *name == v) {
                        target_type.set(name);
                        target.set(None);
                    }
                }>
                    {TARGET_TYPES.iter().map(|&(name, msg)| view! {
                        <option value=name selected=move || target_type.get() == name>{move || i18n.t(msg)}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || i18n.t(Msg::GroupsTarget)}</span>
                <select on:change=move |ev| pick_target(event_target_value(&ev))>
                    <option value="" selected=move || target.with(|t| t.is_none())>{move || i18n.t(Msg::GroupsChoose)}</option>
                    {move || options.get().into_iter().map(|o| {
                        let t = o.target;
                        view! { <option value=key_of(t) selected=move || target.get() == Some(t)>{o.label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <small class="field-error">{Outcome::field(outcome, "target")}</small>
            <div class="actions"><button type="submit" class="primary">{move || i18n.t(Msg::GroupsAddLink)}</button></div>
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_have_distinct_option_keys_and_labels() {
        let targets = [
            LinkTarget::Class(rounds::ClassId(1)),
            LinkTarget::Room(rounds::RoomId(1)),
            LinkTarget::Club(rounds::ClubId(1)),
            LinkTarget::Branch(rounds::BranchId(1)),
        ];
        let keys: std::collections::BTreeSet<_> = targets.iter().map(|t| key_of(*t)).collect();
        assert_eq!(keys.len(), 4);
        assert_eq!(key_of(targets[1]), "room:1");
        let labels: std::collections::BTreeSet<_> = targets.iter().map(|t| type_label(*t).text(Lang::Zh)).collect();
        assert_eq!(labels.len(), 4);
    }
}
