use crate::components::RequireUser;
use crate::i18n::{use_i18n, Msg};
use crate::state::{use_store, SyncState};
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::{ClassId, RecordBody, StudentId};

/// How a record stands with the server, as a small label.
#[component]
pub fn SyncBadge(state: SyncState) -> impl IntoView {
    let i18n = use_i18n();
    let (msg, class) = match &state {
        SyncState::Pending => (Msg::StatePending, "badge pending"),
        SyncState::Synced => (Msg::StateSynced, "badge synced"),
        SyncState::Invalid(_) => (Msg::StateInvalid, "badge invalid"),
        SyncState::Forbidden(_) => (Msg::StateForbidden, "badge invalid"),
        SyncState::Conflict => (Msg::StateConflict, "badge conflict"),
    };
    let errors = match state {
        SyncState::Invalid(e) | SyncState::Forbidden(e) => e.into_iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "),
        _ => String::new(),
    };
    view! { <span class=class title=errors>{move || i18n.t(msg)}</span> }
}

/// 我的记录: what this user recorded, newest first, with the sync state of each; filtered by
/// kind, class and student.
#[component]
pub fn MyRecords() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let kind = RwSignal::new(String::new());
    let class = RwSignal::new(None::<ClassId>);
    let student = RwSignal::new(String::new());
    let mine = Memo::new(move |_| {
        let me = store.user.with(|u| u.as_ref().map(|u| u.id));
        let (kind, class, query) = (kind.get(), class.get(), student.get());
        store.roster.with(|roster| {
            let wanted: Option<Vec<StudentId>> =
                (!query.trim().is_empty()).then(|| roster.students.iter().filter(|s| s.matches(&query)).map(|s| s.id).collect());
            store.records.with(|list| {
                list.iter()
                    .filter(|r| Some(r.record.author_id) == me && !r.record.deleted)
                    .filter(|r| kind.is_empty() || r.record.body.kind() == kind)
                    .filter(|r| class.is_none_or(|c| r.record.body.concerns_class(c, roster)))
                    .filter(|r| wanted.as_ref().is_none_or(|ids| ids.iter().any(|id| r.record.body.concerns_student(*id))))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        })
    });
    let classes = move || store.roster.with(|r| r.classes.iter().map(|c| (c.id, c.name.clone())).collect::<Vec<_>>());
    view! {
        <h1>{move || i18n.t(Msg::MyRecords)}</h1>
        <RequireUser>
            <div class="action-row">
                <A href="/duty-log" attr:class="button secondary">{move || i18n.t(Msg::NewDutyLog)}</A>
            </div>
            <div class="record-filters">
                <label class="field">
                    <span>{move || i18n.t(Msg::FilterKind)}</span>
                    <select on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t(Msg::AllKinds)}</option>
                        {RecordBody::KINDS.iter().map(|k| view! {
                            <option value=*k>{move || i18n.t(crate::kinds::kind_name(k))}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t(Msg::FilterClass)}</span>
                    <select on:change=move |ev| class.set(event_target_value(&ev).parse().ok().map(ClassId))>
                        <option value="">{move || i18n.t(Msg::AllClasses)}</option>
                        {move || classes().into_iter().map(|(id, name)| view! { <option value=id.0.to_string()>{name}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span>{move || i18n.t(Msg::FilterStudent)}</span>
                    <input type="search" prop:value=student on:input=move |ev| student.set(event_target_value(&ev))/>
                </label>
            </div>
            <p class="muted" role="status">{move || i18n.tf(Msg::RecordsShown, &[("n", mine.with(|m| m.len()).to_string())])}</p>
            <Show when=move || mine.with(|m| !m.is_empty()) fallback=move || view! { <p class="muted">{move || i18n.t(Msg::NoRecords)}</p> }>
                <ul class="records">
                    {move || mine.get().into_iter().map(|local| {
                        let zone = store.zone();
                        let (title, _) = store.roster.with_untracked(|r| {
                            crate::pages::summary::title_and_link(&local.record.body, r, i18n.lang())
                        });
                        let href = format!("/records/{}", local.record.id);
                        let when = rounds::school_time::format_minute(&local.record.body.occurred_at(), &zone);
                        view! {
                            <li class="record">
                                <div class="record-head"><A href=href>{title}</A><SyncBadge state=local.state.clone()/></div>
                                <div class="muted">{when}</div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </RequireUser>
    }
    .into_any()
}
