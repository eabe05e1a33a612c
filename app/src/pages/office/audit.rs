//! 审计日志 at the office's desk (issue 14): who read confidential data or changed the roster,
//! standing, rules, accounts and links, when and from where; filtered by student (number or
//! name), staff member, kind and days, 200 a page, and exported as a workbook. Online only,
//! like every office page; the log is read here, never edited (the API has no way to).

use super::frame::*;
use super::OfficePage;
use crate::i18n::*;
use crate::state::use_store;
use leptos::prelude::*;
use rounds::admin::Account;
use rounds::audit::{AuditAction, AuditEntry, AuditPage as Page, AuditVia, AUDIT_PAGE};

/// `/office/audit`
#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <OfficePage title=Msg::AuditTitle>
            <p class="muted">{move || i18n.t(Msg::AuditIntro)}</p>
            <AuditLog/>
        </OfficePage>
    }
    .into_any()
}

#[component]
fn AuditLog() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let student = RwSignal::new(String::new());
    let staff = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let offset = RwSignal::new(0i64);
    let accounts = fetch::<Vec<Account>>(|| "/api/v1/admin/accounts".into(), Reload::new());
    // A student typed by number or name is found in the office's roster; one that is not found
    // filters to nothing rather than to everyone.
    let student_id = move || {
        let typed = student.get();
        let typed = typed.trim();
        if typed.is_empty() {
            return None;
        }
        Some(store.roster.with(|r| r.students.iter().find(|s| s.student_no == typed || s.name == typed).map(|s| s.id.0).unwrap_or(0)))
    };
    let query = move || {
        let mut q = Vec::new();
        if let Some(id) = student_id() {
            q.push(format!("student_id={id}"));
        }
        for (key, v) in [("user_id", staff.get()), ("action", action.get())] {
            if !v.is_empty() {
                q.push(format!("{key}={}", query_value(&v)));
            }
        }
        // A half-typed date is left out rather than refused by the server.
        for (key, v) in [("from", from.get()), ("to", to.get())] {
            if v.parse::<chrono::NaiveDate>().is_ok() {
                q.push(format!("{key}={v}"));
            }
        }
        q.join("&")
    };
    // A new filter starts at the newest entries.
    Effect::new(move |_| {
        let _ = query();
        offset.set(0);
    });
    let page = fetch::<Page>(move || format!("/api/v1/audit?{}&offset={}", query(), offset.get()), Reload::new());
    let rows = Signal::derive(move || page.with(|p| p.map(|p| p.entries.clone())));
    let total = move || page.with(|p| p.ready().map(|p| p.total));
    let when = move |e: &AuditEntry| rounds::school_time::format_minute(&e.at.fixed_offset(), &store.zone());
    let columns = vec![
        col(Msg::AuditWhen, when),
        col(Msg::AuditStaff, |e: &AuditEntry| e.actor_name.clone()),
        col(Msg::AuditAction, move |e: &AuditEntry| action_label(e.action, i18n.lang()).to_string()),
        col(Msg::AuditStudent, |e: &AuditEntry| e.student.clone()),
        col(Msg::AuditWhat, |e: &AuditEntry| match e.item_count {
            Some(n) if e.action != AuditAction::AuditExport => format!("{} ({n})", e.target),
            _ => e.target.clone(),
        }),
        col(Msg::SessionsAddress, |e: &AuditEntry| e.address.clone()),
        col(Msg::AuditVia, move |e: &AuditEntry| {
            i18n.t(match e.via {
                AuditVia::Phone => Msg::AuditViaPhone,
                AuditVia::Server => Msg::AuditViaServer,
            })
            .to_string()
        }),
    ];
    let date = move |label: Msg, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{move || i18n.t(label)}</span>
                <input type="date" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
        }
    };
    let select = move |label: Msg, value: RwSignal<String>, options: Signal<Vec<(String, String)>>| {
        view! {
            <label class="field">
                <span>{move || i18n.t(label)}</span>
                <select on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="" selected=move || value.with(|v| v.is_empty())>{move || i18n.t(Msg::AuditAll)}</option>
                    {move || options.get().into_iter().map(|(v, l)| {
                        let chosen = v.clone();
                        view! { <option value=v selected=move || value.with(|x| *x == chosen)>{l}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    };
    let staff_options = Signal::derive(move || {
        accounts.with(|a| {
            a.ready().map(|list| list.iter().map(|a| (a.id.0.to_string(), format!("{} ({})", a.display_name, a.username))).collect()).unwrap_or_default()
        })
    });
    let action_options = Signal::derive(move || AuditAction::ALL.iter().map(|a| (a.as_str().to_string(), action_label(*a, i18n.lang()).to_string())).collect());
    view! {
        <section class="card form ledger-filters audit-filters" aria-label=move || i18n.t(Msg::AuditTitle)>
            <div class="filter-row">
                <label class="field">
                    <span>{move || i18n.t(Msg::AuditStudent)}</span>
                    <input type="search" name="student" placeholder=move || i18n.t(Msg::StudentNo) prop:value=student
                        on:change=move |ev| student.set(event_target_value(&ev))/>
                </label>
                {select(Msg::AuditStaff, staff, staff_options)}
                {select(Msg::AuditAction, action, action_options)}
                {date(Msg::LedgerFrom, from)}
                {date(Msg::LedgerTo, to)}
            </div>
            <a class="button secondary" rel="external" href=move || format!("/api/v1/audit.xlsx?{}", query())>{move || i18n.t(Msg::AuditExport)}</a>
        </section>
        <p class="muted" role="status">{move || total().map(|n| i18n.tf(Msg::AuditTotal, &[("n", n.to_string())])).unwrap_or_default()}</p>
        <DataTable caption=Msg::AuditTitle rows columns/>
        <Show when=move || total().is_some_and(|n| n > offset.get() + AUDIT_PAGE)>
            <button type="button" class="secondary" on:click=move |_| offset.update(|o| *o += AUDIT_PAGE)>{move || i18n.t(Msg::AuditMore)}</button>
        </Show>
    }
    .into_any()
}

/// An action in the page's language.
pub fn action_label(a: AuditAction, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => a.zh(),
        Lang::En => a.en(),
    }
}
