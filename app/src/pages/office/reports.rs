//! 学期工作总结: the reports counselors and head teachers submitted (000 八(二)), each with the
//! figures of the author's semester beside the text, and the export of them all.

use super::frame::*;
use super::OfficePage;
use crate::i18n::{use_i18n, Msg};
use crate::state::use_store;
use leptos::prelude::*;
use rounds::duties::summary::SubmittedReport;

/// `/office/reports`
#[component]
pub fn ReportsPage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeReports><Reports/></OfficePage> }.into_any()
}

#[component]
fn Reports() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let reports = fetch::<Vec<SubmittedReport>>(|| "/api/v1/duties/reports".into(), Reload::new());
    view! {
        <p class="muted">{move || i18n.t(Msg::OfficeReportsAbout)}</p>
        <a class="button secondary" rel="external" href="/api/v1/duties/reports.xlsx">{move || i18n.t(Msg::OfficeReportsExport)}</a>
        {move || match reports.get() {
            Remote::Loading => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
            Remote::Failed(f) => view! { <p class="error" role="alert">{move || failure_text(&f, i18n.lang())}</p> }.into_any(),
            Remote::Ready(list) if list.is_empty() => view! { <p class="muted">{move || i18n.t(Msg::OfficeReportsNone)}</p> }.into_any(),
            Remote::Ready(list) => list.into_iter().map(|r| {
                let at = rounds::school_time::format_minute(&r.submitted_at, &store.zone());
                let s = r.summary;
                let figures = move || i18n.tf(Msg::OfficeReportFigures, &[
                    ("records", s.total_records.to_string()),
                    ("talked", s.talks.covered.to_string()),
                    ("students", s.talks.students.to_string()),
                    ("met", s.rules_met.to_string()),
                    ("not_met", s.rules_not_met.to_string()),
                ]);
                view! {
                    <article class="card report" aria-label=r.author.clone()>
                        <h2>{r.author.clone()}</h2>
                        <p class="muted">{move || i18n.tf(Msg::OfficeReportSubmitted, &[("at", at.clone()), ("semester", s.semester.clone())])}</p>
                        <p>{figures}</p>
                        <p class="reflections-print">{r.text}</p>
                    </article>
                }
            }).collect_view().into_any(),
        }}
    }
    .into_any()
}
