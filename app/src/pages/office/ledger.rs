//! 问题台账 at the office's desk (002 四(三)): every issue with its state, due date and age,
//! filtered and exported as the 台账 workbook; each row opens the issue's page, where the office
//! assigns and feeds back. Also the office's default days per category (002 only says «及时»:
//! the numbers are the office's) and 002 四(五)'s yearly report on leaders' and teachers'
//! contact work. Online only, like every office page.

use super::frame::*;
use super::OfficePage;
use crate::i18n::*;
use crate::kinds::kind_name;
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::ledger::{ContactWorkReport, IssueDueDays, Ledger, LedgerEntry};
use rounds::{IssueCategory, IssueStatus};

/// `/office/ledger`
#[component]
pub fn LedgerPage() -> impl IntoView {
    view! {
        <OfficePage title=Msg::LedgerTitle>
            <LedgerQueue/>
            <DueDaysEditor/>
            <ContactReport/>
        </OfficePage>
    }
    .into_any()
}

/// A choice's wire name (`fed_back`), as the API's query takes it.
fn wire<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// A select of a filter: "全部" and the options, as (wire value, label).
#[component]
fn FilterSelect(label: Msg, value: RwSignal<String>, options: Signal<Vec<(String, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field">
            <span>{move || i18n.t(label)}</span>
            <select on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.with(|v| v.is_empty())>{move || i18n.t(Msg::LedgerFilterAll)}</option>
                {move || options.get().into_iter().map(|(v, l)| {
                    let selected = v.clone();
                    view! { <option value=v selected=move || value.with(|x| *x == selected)>{l}</option> }
                }).collect_view()}
            </select>
        </label>
    }
    .into_any()
}

#[component]
fn LedgerQueue() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let status = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let overdue = RwSignal::new(false);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let query = move || {
        let mut q = Vec::new();
        for (key, v) in [("status", status.get()), ("department_id", department.get()), ("category", category.get())] {
            if !v.is_empty() {
                q.push(format!("{key}={}", query_value(&v)));
            }
        }
        if overdue.get() {
            q.push("overdue=true".to_string());
        }
        // A half-typed date is left out rather than refused by the server.
        for (key, v) in [("from", from.get()), ("to", to.get())] {
            if v.parse::<chrono::NaiveDate>().is_ok() {
                q.push(format!("{key}={v}"));
            }
        }
        q.join("&")
    };
    let ledger = fetch::<Ledger>(move || format!("/api/v1/ledger?{}", query()), Reload::new());
    let statuses = Signal::derive(move || IssueStatus::ALL.iter().map(|s| (wire(*s), issue_status_label(*s, i18n.lang()).to_string())).collect());
    let categories = Signal::derive(move || IssueCategory::ALL.iter().map(|c| (wire(*c), category_label(*c, i18n.lang()).to_string())).collect());
    let departments = Signal::derive(move || store.roster.with(|r| r.departments.iter().map(|d| (d.id.0.to_string(), d.name.clone())).collect()));
    let date = |label: Msg, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span>{move || i18n.t(label)}</span>
                <input type="date" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            </label>
        }
    };
    view! {
        <section class="ledger-filters card form" aria-label=move || i18n.t(Msg::LedgerFilters)>
            <div class="filter-row">
                <FilterSelect label=Msg::Status value=status options=statuses/>
                <FilterSelect label=Msg::LedgerDepartment value=department options=departments/>
                <FilterSelect label=Msg::Category value=category options=categories/>
                {date(Msg::LedgerFrom, from)}
                {date(Msg::LedgerTo, to)}
                <label class="check">
                    <input type="checkbox" prop:checked=overdue on:change=move |ev| overdue.set(event_target_checked(&ev))/>
                    <span>{move || i18n.t(Msg::LedgerOverdueOnly)}</span>
                </label>
            </div>
            <a class="button secondary" rel="external" href=move || format!("/api/v1/ledger.xlsx?{}", query())>{move || i18n.t(Msg::LedgerExport)}</a>
        </section>
        {move || match ledger.get() {
            Remote::Loading => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
            Remote::Failed(f) => view! { <p class="error" role="alert">{move || failure_text(&f, i18n.lang())}</p> }.into_any(),
            Remote::Ready(l) if l.entries.is_empty() => view! { <p class="muted">{move || i18n.t(Msg::OfficeNoEntries)}</p> }.into_any(),
            Remote::Ready(l) => view! { <LedgerTable entries=l.entries/> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn LedgerTable(entries: Vec<LedgerEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let n = entries.len();
    let heads = [
        Msg::LedgerRaisedOn,
        Msg::LedgerRaisedBy,
        Msg::LedgerDepartment,
        Msg::LedgerSubject,
        Msg::Category,
        Msg::LedgerColIssue,
        Msg::Status,
        Msg::LedgerUnit,
        Msg::LedgerDue,
        Msg::LedgerAgeDays,
    ];
    view! {
        <div class="table-wrap">
            <table class="office-table ledger-table">
                <caption>{move || i18n.tf(Msg::LedgerCount, &[("n", n.to_string())])}</caption>
                <thead>
                    <tr>{heads.into_iter().map(|h| view! { <th scope="col">{move || i18n.t(h)}</th> }).collect_view()}</tr>
                </thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let status = e.state.status;
                        let category = e.issue.category;
                        let handler = [e.state.unit.clone(), e.assignee_name.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ");
                        let due = e.due_on.to_string();
                        let default = e.due_is_default;
                        let late = e.overdue;
                        view! {
                            <tr class:overdue=late>
                                <td>{e.raised_on.to_string()}</td>
                                <td>{e.raised_by_name.clone()}</td>
                                <td>{e.department_name.clone()}</td>
                                <td>{e.subject_name.clone()}</td>
                                <td>{move || category_label(category, i18n.lang())}</td>
                                <td class="ledger-issue"><A href=format!("/issues/{}", e.id)>{e.issue.description.clone()}</A></td>
                                <td>{move || issue_status_label(status, i18n.lang())}</td>
                                <td>{handler}</td>
                                <td>
                                    {due}
                                    {default.then(|| view! { <span class="muted">{move || i18n.t(Msg::LedgerDueDefault)}</span> })}
                                    {late.then(|| view! { " "<strong class="overdue-mark">{move || i18n.t(Msg::LedgerOverdue)}</strong> })}
                                </td>
                                <td>{e.age_days.to_string()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// The office's days per category, with why they are the office's to choose.
#[component]
fn DueDaysEditor() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::new();
    let loaded = fetch::<IssueDueDays>(|| "/api/v1/ledger/due-days".into(), reload);
    let draft = RwSignal::new(None::<IssueDueDays>);
    let notice = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Remote::Ready(d) = loaded.get() {
            draft.set(Some(d));
        }
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(days) = draft.get_untracked() else { return };
        let errors = days.validate();
        if !errors.is_empty() {
            notice.set(Some(i18n.t(Msg::LedgerDaysInvalid).to_string()));
            return;
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::http::put::<_, IssueDueDays>("/api/v1/ledger/due-days", &days).await {
                Ok(_) => {
                    notice.set(Some(i18n.t(Msg::Saved).to_string()));
                    reload.bump();
                }
                Err(f) => notice.set(Some(failure_text(&Failure::from(&f), i18n.lang()))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (days, reload);
    };
    view! {
        <section class="card form due-days" aria-labelledby="due-days-title">
            <h2 id="due-days-title">{move || i18n.t(Msg::LedgerDueDaysTitle)}</h2>
            <p class="muted">{move || i18n.t(Msg::LedgerDueDaysAbout)}</p>
            {move || match loaded.get() {
                Remote::Failed(f) => view! { <p class="error" role="alert">{move || failure_text(&f, i18n.lang())}</p> }.into_any(),
                Remote::Loading => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Remote::Ready(_) => view! {
                    <form on:submit=save novalidate>
                        <div class="filter-row">
                            {IssueCategory::ALL.iter().copied().map(|c| view! {
                                <label class="field days">
                                    <span>{move || i18n.tf(Msg::LedgerDaysFor, &[("c", category_label(c, i18n.lang()).to_string())])}</span>
                                    <input type="number" min="1" max="365" inputmode="numeric"
                                        prop:value=move || draft.with(|d| d.as_ref().map(|d| d.days_for(c).to_string()).unwrap_or_default())
                                        on:input=move |ev| {
                                            // Zero stands for "not a number": the check before saving names it.
                                            let n = event_target_value(&ev).trim().parse::<u32>().unwrap_or(0);
                                            draft.update(|d| if let Some(d) = d {
                                                match d.days.iter_mut().find(|x| x.category == c) {
                                                    Some(x) => x.days = n,
                                                    None => d.days.push(rounds::ledger::CategoryDays { category: c, days: n }),
                                                }
                                            });
                                        }/>
                                </label>
                            }).collect_view()}
                        </div>
                        <button type="submit" class="primary">{move || i18n.t(Msg::LedgerSaveDays)}</button>
                    </form>
                }.into_any(),
            }}
            <Show when=move || notice.with(|n| n.is_some())>
                <p role="status">{move || notice.get().unwrap_or_default()}</p>
            </Show>
        </section>
    }
    .into_any()
}

/// 002 四(五): a school year of leaders' and teachers' contact work, per person.
#[component]
fn ContactReport() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let date = RwSignal::new(rounds::school_time::now_in(&store.zone()).date_naive().to_string());
    let query = move || match date.get().parse::<chrono::NaiveDate>() {
        Ok(d) => format!("?date={d}"),
        Err(_) => String::new(),
    };
    let report = fetch::<ContactWorkReport>(move || format!("/api/v1/ledger/contact-report{}", query()), Reload::new());
    view! {
        <section class="contact-report" aria-labelledby="contact-title">
            <h2 id="contact-title">{move || i18n.t(Msg::LedgerContactTitle)}</h2>
            <p class="muted">{move || i18n.t(Msg::LedgerContactAbout)}</p>
            <div class="filter-row">
                <label class="field">
                    <span>{move || i18n.t(Msg::LedgerContactDate)}</span>
                    <input type="date" prop:value=date on:input=move |ev| date.set(event_target_value(&ev))/>
                </label>
                <a class="button secondary" rel="external" href=move || format!("/api/v1/ledger/contact-report.xlsx{}", query())>{move || i18n.t(Msg::LedgerContactExport)}</a>
            </div>
            {move || match report.get() {
                Remote::Loading => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
                Remote::Failed(f) => view! { <p class="error" role="alert">{move || failure_text(&f, i18n.lang())}</p> }.into_any(),
                Remote::Ready(r) => {
                    let span = i18n.tf(Msg::LedgerContactSpan, &[("y", r.school_year.clone()), ("s", r.start.to_string()), ("e", r.end.to_string())]);
                    let kinds: Vec<Msg> = r.kinds.iter().map(|k| kind_name(k)).collect();
                    let rows = r.rows.clone();
                    view! {
                        <div class="table-wrap">
                            <table class="office-table">
                                <caption>{span}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{move || i18n.t(Msg::LedgerContactName)}</th>
                                        <th scope="col">{move || i18n.t(Msg::LedgerContactLinks)}</th>
                                        {kinds.into_iter().map(|k| view! { <th scope="col">{move || i18n.t(k)}</th> }).collect_view()}
                                        <th scope="col">{move || i18n.t(Msg::LedgerContactRaised)}</th>
                                        <th scope="col">{move || i18n.t(Msg::LedgerContactClosed)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows.into_iter().map(|row| view! {
                                        <tr>
                                            <th scope="row">{row.name.clone()}</th>
                                            <td>{row.links.to_string()}</td>
                                            {row.records.iter().map(|n| view! { <td>{n.to_string()}</td> }).collect_view()}
                                            <td>{row.issues_raised.to_string()}</td>
                                            <td>{row.issues_closed.to_string()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
    .into_any()
}
