//! 学期工作总结: the signed-in user's semester in figures, computed on the phone from the local
//! store (records of each kind, talk and parent-contact coverage, how each rule stands, the
//! issues raised and resolved), with room for their own reflections; printable, and exported
//! to Excel by the server.

use crate::components::RequireUser;
use crate::duties::{summary_semester, with_duty_inputs};
use crate::i18n::*;
use crate::kinds::kind_name;
use crate::state::use_store;
use leptos::prelude::*;
use rounds::duties::summary::{semester_summary, Coverage, SemesterSummary};

#[component]
pub fn WorkSummaryPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t(Msg::SummaryTitle)}</h1>
        <RequireUser>
            <SummaryBody/>
        </RequireUser>
    }
    .into_any()
}

#[component]
fn SummaryBody() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    // The same pure function the server's export uses, over this phone's store.
    let summary = Memo::new(move |_| {
        with_duty_inputs(store, |i| {
            let semester = summary_semester(&i.setup.calendar, i.today)?;
            Some(semester_summary(i.records, i.roster, i.setup, &i.owner, semester, i.today, &i.zone))
        })
        .flatten()
    });
    let has_setup = move || store.duty_setup.with(|s| s.is_some());
    view! {
        <Show when=has_setup fallback=move || view! { <p class="warning">{move || i18n.t(Msg::RulesNotSynced)}</p> }>
            <Show when=move || summary.with(|s| s.is_some()) fallback=move || view! { <p class="muted">{move || i18n.t(Msg::TodayOutsideSemester)}</p> }>
                {move || summary.get().map(|s| view! { <SummaryView summary=s/> })}
            </Show>
        </Show>
    }
    .into_any()
}

#[component]
fn SummaryView(summary: SemesterSummary) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let SemesterSummary { semester, span, as_of, records: kinds, talks, parent_contacts, rules, rules_met, issues, .. } = summary;
    let (issues_raised, issues_resolved) = (issues.raised, issues.settled());
    let name = store.user.with_untracked(|u| u.as_ref().map(|u| u.display_name.clone())).unwrap_or_default();
    let heading = {
        let semester = semester.clone();
        move || i18n.tf(Msg::SummaryOf, &[("name", name.clone()), ("semester", semester.clone()), ("from", span.start.to_string()), ("to", as_of.to_string())])
    };
    let coverage = move |m: Msg, c: Coverage| {
        (c.students > 0).then(|| {
            let pct = c.percent().map_or_else(String::new, |p| format!("{p:.0}"));
            let args = [("done", c.covered.to_string()), ("total", c.students.to_string()), ("pct", pct)];
            view! { <li>{move || i18n.tf(m, &args)}</li> }
        })
    };
    let kept = rules_met;
    let rule_count = rules.len();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <p class="summary-of">{heading}</p>
        <div class="action-row no-print">
            <button type="button" class="secondary" on:click=print>{move || i18n.t(Msg::SummaryPrint)}</button>
            // A file the server makes: the router must let the browser fetch it.
            <a href="/api/v1/duties/summary.xlsx" download="" rel="external" class="button secondary">{move || i18n.t(Msg::SummaryExcel)}</a>
        </div>

        <section class="summary-section">
            <h2>{move || i18n.t(Msg::SummaryRecords)}</h2>
            <Show when={
                let empty = kinds.is_empty();
                move || !empty
            } fallback=move || view! { <p class="muted">{move || i18n.t(Msg::SummaryNoRecords)}</p> }>
                <table class="summary-table">
                    <thead><tr><th scope="col">{move || i18n.t(Msg::SummaryKind)}</th><th scope="col">{move || i18n.t(Msg::SummaryCount)}</th></tr></thead>
                    <tbody>
                        {kinds.iter().map(|k| {
                            let msg = kind_name(&k.kind);
                            let n = k.count;
                            view! { <tr><td>{move || i18n.t(msg)}</td><td>{n}</td></tr> }
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
        </section>

        <section class="summary-section">
            <h2>{move || i18n.t(Msg::SummaryCoverage)}</h2>
            <ul>
                {coverage(Msg::SummaryTalkCoverage, talks)}
                {coverage(Msg::SummaryParentCoverage, parent_contacts)}
            </ul>
        </section>

        <section class="summary-section">
            <h2>{move || i18n.tf(Msg::SummaryDuties, &[("d", as_of.to_string())])}</h2>
            <p>{move || i18n.tf(Msg::SummaryRulesLine, &[("met", kept.to_string()), ("n", rule_count.to_string())])}</p>
            <table class="summary-table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Msg::SummaryRule)}</th>
                        <th scope="col">{move || i18n.t(Msg::SummaryMet)}</th>
                        <th scope="col">{move || i18n.t(Msg::SummaryOnTrack)}</th>
                        <th scope="col">{move || i18n.t(Msg::SummaryOverdue)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rules.into_iter().map(|r| {
                        let overdue = r.tally.overdue > 0;
                        view! {
                        <tr class:overdue=overdue>
                            <td>{r.title}<br/><small class="muted">{r.source}</small></td>
                            <td>{r.tally.met}</td>
                            <td>{r.tally.upcoming + r.tally.due_soon}</td>
                            <td>{r.tally.overdue}</td>
                        </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>

        <section class="summary-section">
            <h2>{move || i18n.t(Msg::SummaryIssues)}</h2>
            <p>{move || i18n.tf(Msg::SummaryIssuesLine, &[("raised", issues_raised.to_string()), ("resolved", issues_resolved.to_string())])}</p>
        </section>

        <Reflections semester/>
    }
    .into_any()
}

/// The user's own words about the semester, kept on this phone as they are typed (meta, by user
/// and semester) so they survive a reload, and submitted to the office as a record (学期工作总结,
/// 000 八(二)) through the sync like any other; printed as text, since a textarea prints clipped.
#[component]
fn Reflections(semester: String) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let key = store.user.with_untracked(|u| u.as_ref().map(|u| format!("{}:{semester}", u.id))).unwrap_or_default();
    let notes = RwSignal::new(std::collections::BTreeMap::<String, String>::new());
    let loaded = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        use crate::client::local_store::{get_meta, SUMMARY_NOTES};
        match get_meta(SUMMARY_NOTES).await {
            Ok(map) => notes.set(map.unwrap_or_default()),
            Err(e) => leptos::logging::warn!("cannot read the summary's notes: {e}"),
        }
        loaded.set(true);
    });
    // The report submitted for this semester, on the phone: the latest by this user.
    let me = store.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    let submitted = {
        let semester = semester.clone();
        Memo::new(move |_| {
            store.records.with(|all| {
                all.iter()
                    .filter(|r| Some(r.record.author_id) == me && !r.record.deleted)
                    .filter_map(|r| match &r.record.body {
                        rounds::RecordBody::WorkReport(w) if w.semester == semester => Some(r.record.clone()),
                        _ => None,
                    })
                    .max_by_key(|r| r.saved_at)
            })
        })
    };
    let text = {
        let key = key.clone();
        // A phone with no draft of its own shows what was submitted.
        move || {
            notes.with(|n| n.get(&key).cloned()).filter(|t| !t.is_empty()).unwrap_or_else(|| {
                submitted.with(|s| match s.as_ref().map(|r| &r.body) {
                    Some(rounds::RecordBody::WorkReport(w)) => w.text.clone(),
                    _ => String::new(),
                })
            })
        }
    };
    let notice = RwSignal::new(None::<String>);
    let submit = {
        let text = text.clone();
        let semester = semester.clone();
        move |_| {
            let body = rounds::RecordBody::WorkReport(rounds::WorkReport {
                semester: semester.clone(),
                submitted_at: rounds::school_time::now_in(&store.zone()),
                text: text(),
            });
            let previous = submitted.get_untracked();
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(async move {
                match crate::client::save(store, body, previous, false).await {
                    Ok(_) => notice.set(None),
                    Err(e) => notice.set(Some(i18n.tf(Msg::SummarySubmitFailed, &[("e", e.to_string())]))),
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = (body, previous);
        }
    };
    let status = move || match submitted.get() {
        Some(r) => i18n.tf(Msg::SummarySubmitted, &[("at", rounds::school_time::format_minute(&r.saved_at, &store.zone()))]),
        None => i18n.t(Msg::SummaryNotSubmitted).to_string(),
    };
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        notes.update(|n| {
            n.insert(key.clone(), value);
        });
        #[cfg(feature = "hydrate")]
        {
            let all = notes.get_untracked();
            leptos::task::spawn_local(async move {
                if let Err(e) = crate::client::local_store::set_meta(&[(crate::client::local_store::SUMMARY_NOTES, &all)]).await {
                    leptos::logging::warn!("cannot keep the summary's notes: {e}");
                }
            });
        }
    };
    let shown = text.clone();
    view! {
        <section class="summary-section">
            <label class="field no-print">
                <span>{move || i18n.t(Msg::SummaryReflections)}</span>
                <textarea rows="8" prop:value=text prop:disabled=move || !loaded.get() on:input=on_input></textarea>
                <small class="muted">{move || i18n.t(Msg::SummaryReflectionsNote)}</small>
            </label>
            <div class="action-row no-print">
                <button type="button" class="primary" prop:disabled=move || !loaded.get() on:click=submit>
                    {move || if submitted.with(|s| s.is_some()) { i18n.t(Msg::SummaryResubmit) } else { i18n.t(Msg::SummarySubmit) }}
                </button>
                <p role="status" class="muted">{status}</p>
                <Show when=move || notice.with(|n| n.is_some())>
                    <p class="error" role="alert">{move || notice.get().unwrap_or_default()}</p>
                </Show>
            </div>
            <div class="print-only">
                <h2>{move || i18n.t(Msg::SummaryReflections)}</h2>
                <p class="reflections-print">{shown}</p>
            </div>
        </section>
    }
    .into_any()
}
