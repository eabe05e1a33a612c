//! 学业困难认定与帮扶: the office's part of seeds 001 and 003. At a semester's start it imports
//! the results of the semester just ended, reads the list they propose (003 五's lines), records
//! the working group's decision, and sees the term's figures (003 七.2); it keeps the volunteer
//! register (003 六) and exports the hours. Online only, like every office page.

use super::frame::*;
use super::OfficePage;
use crate::i18n::*;
use crate::pages::import::{layout_names, ImportSteps, SheetReport, Upload};
use crate::state::use_store;
use leptos::prelude::*;
use rounds::assistance::*;
use rounds::kinds::assistance::{previous_term, valid_term};

impl SheetReport for ResultsImportReport {
    type Column = ResultsColumn;
    type Counts = EntityCounts;
    fn sheet(&self) -> &rounds::sheet::SheetImportReport<ResultsColumn, EntityCounts> {
        &self.report
    }
}

const RESULTS_UPLOAD: Upload = Upload {
    endpoint: "/api/v1/assistance/results/import",
    template_xlsx: ("/api/v1/assistance/results/template.xlsx", "学业困难认定成绩模板.xlsx"),
    template_csv: ("/api/v1/assistance/results/template.csv", "学业困难认定成绩模板.csv"),
    input_name: "results-file",
    file_label: Msg::AssistResultsFile,
};

/// The term whose results a semester's start identifies from: the one before today's.
fn default_term() -> String {
    previous_term(&crate::pages::case_forms::current_term()).unwrap_or_default()
}

/// `/office/assistance`
#[component]
pub fn AssistancePage() -> impl IntoView {
    let i18n = use_i18n();
    let term = RwSignal::new(default_term());
    let reload = Reload::new();
    view! {
        <OfficePage title=Msg::OfficeAssistance>
            <section class="card form">
                <p>{move || i18n.t(Msg::AssistIntro)}</p>
                <label class="field">
                    <span>{move || i18n.t(Msg::AssistTerm)}</span>
                    <input type="text" name="term" placeholder="2025-2026-2" prop:value=term on:input=move |ev| term.set(event_target_value(&ev).trim().to_string())/>
                </label>
                <Show when=move || !valid_term(&term.get())>
                    <p class="error" role="alert">{move || i18n.t(Msg::AssistTermInvalid)}</p>
                </Show>
            </section>
            <h2>{move || i18n.t(Msg::AssistImportTitle)}</h2>
            <p class="muted">{move || i18n.tf(Msg::ImportRequiredColumns, &[("cols", layout_names::<ResultsColumn>(i18n.lang(), true))])}</p>
            <p class="muted">{move || i18n.tf(Msg::ImportOptionalColumns, &[("cols", layout_names::<ResultsColumn>(i18n.lang(), false))])}</p>
            <ImportSteps<ResultsImportReport> upload=RESULTS_UPLOAD query=Signal::derive(move || format!("term={}", term.get()))
                done=Callback::new(move |_| reload.bump())/>
            <Show when=move || valid_term(&term.get())>
                <IdentificationList term=term.into() reload/>
                <Statistics term=term.into() reload/>
            </Show>
            <Volunteers term=term.into()/>
            <HelpGroups/>
        </OfficePage>
    }
    .into_any()
}

/// 004 三(三): a help group of 3–5 staff for each student of the special archive. Those still
/// without one (no open case with a group), each with the way to form it.
#[component]
fn HelpGroups() -> impl IntoView {
    let i18n = use_i18n();
    let store = crate::state::use_store();
    let missing = move || {
        store.with_envelopes(|envelopes| {
            store.roster.with(|roster| {
                rounds::kinds::assistance::without_help_group(roster, envelopes)
                    .into_iter()
                    .filter_map(|s| {
                        let st = roster.student(s)?;
                        Some((s, format!("{} · {}", st.name, roster.class(st.class_id).map(|c| c.name.as_str()).unwrap_or(""))))
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <section class="card" aria-label=move || i18n.t(Msg::HelpGroupsTitle)>
            <h2>{move || i18n.t(Msg::HelpGroupsTitle)}</h2>
            {move || {
                let list = missing();
                if list.is_empty() {
                    return view! { <p class="muted">{move || i18n.t(Msg::HelpGroupsAllFormed)}</p> }.into_any();
                }
                let n = list.len();
                view! {
                    <p>{move || i18n.tf(Msg::HelpGroupsMissing, &[("n", n.to_string())])}</p>
                    <ul class="duty-list">
                        {list.into_iter().map(|(s, name)| view! {
                            <li>
                                <span>{name.clone()}</span>" "
                                <leptos_router::components::A href=format!("/students/{s}/case?back=/office/assistance")
                                    attr:aria-label=format!("{} {name}", i18n.t(Msg::HelpGroupsForm))>
                                    {move || i18n.t(Msg::HelpGroupsForm)}
                                </leptos_router::components::A>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any()
            }}
        </section>
    }
}

fn level_text(level: Option<AcademicLevel>, lang: Lang) -> String {
    level.map_or_else(|| Msg::CaseNoLevel.text(lang).to_string(), |l| level_label(l, lang).to_string())
}

fn sign_text(sign: &DifficultySign, lang: Lang) -> String {
    let t = |m: Msg, n: String| fill(m.text(lang), &[("n", n)]);
    match sign {
        DifficultySign::FailedCredits { credits, .. } => t(Msg::SignCredits, credits.to_string()),
        DifficultySign::FailedCourses { courses } => t(Msg::SignCourses, courses.to_string()),
        DifficultySign::Absence { hours } => t(Msg::SignAbsence, hours.to_string()),
        DifficultySign::LowGpa { gpa } => t(Msg::SignGpa, gpa.to_string()),
    }
}

/// The list the results propose, the working group's choice per student, and the decision.
#[component]
fn IdentificationList(term: Signal<String>, reload: Reload) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let list = fetch::<Identification>(move || format!("/api/v1/assistance/identification?term={}", term.get()), reload);
    // The group's choice: student → (included, level), starting from the proposal.
    let chosen = RwSignal::new(std::collections::BTreeMap::<rounds::StudentId, (bool, Option<AcademicLevel>)>::new());
    Effect::new(move |_| {
        if let Some(l) = list.with(|l| l.ready().cloned()) {
            chosen.set(l.students.iter().map(|s| (s.student_id, (true, s.confirmed.as_ref().map_or(s.proposal.level, |c| c.level)))).collect());
        }
    });
    let today = rounds::school_time::now_in(&store.zone()).date_naive();
    let decided_on = RwSignal::new(today.to_string());
    let basis = RwSignal::new(String::new());
    let notice = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(None::<ConfirmReport>);
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = decided_on.get_untracked().trim().parse::<chrono::NaiveDate>() else {
            notice.set(Some(i18n.t(Msg::AssistDateInvalid).to_string()));
            return;
        };
        let students: Vec<ConfirmedStudent> =
            chosen.get_untracked().into_iter().filter(|(_, (on, _))| *on).map(|(student_id, (_, level))| ConfirmedStudent { student_id, level }).collect();
        let decision = IdentificationDecision { term: term.get_untracked(), decided_on: day, basis: basis.get_untracked(), students };
        let errors = decision.validate(today);
        if !errors.is_empty() {
            let fields: Vec<String> = errors.0.iter().map(|e| format!("{} — {}", e.field, error_label(&e.code, i18n.lang()))).collect();
            notice.set(Some(fields.join("；")));
            return;
        }
        notice.set(None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::http::post::<_, ConfirmReport>("/api/v1/assistance/identification/confirm", &decision).await {
                Ok(r) => {
                    outcome.set(Some(r));
                    reload.bump();
                }
                Err(f) => notice.set(Some(failure_text(&Failure::from(&f), i18n.lang()))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (decision, reload, outcome);
    };
    let level_options = move || {
        let lang = i18n.lang();
        [None, Some(AcademicLevel::One), Some(AcademicLevel::Two), Some(AcademicLevel::Three)]
            .into_iter()
            .map(|l| (l.map_or(String::new(), |l| l.number().to_string()), level_text(l, lang)))
            .collect::<Vec<_>>()
    };
    view! {
        <h2>{move || i18n.t(Msg::AssistListTitle)}</h2>
        {move || match list.get() {
            Remote::Loading => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
            Remote::Failed(f) => view! { <p class="error" role="alert">{move || failure_text(&f, i18n.lang())}</p> }.into_any(),
            Remote::Ready(l) if l.students.is_empty() => view! { <p class="muted">{move || i18n.tf(Msg::AssistListEmpty, &[("n", l.students_with_results.to_string())])}</p> }.into_any(),
            Remote::Ready(l) => {
                let decision = l.decision.clone();
                let (listed, with_results) = (l.students.len().to_string(), l.students_with_results.to_string());
                view! {
                    {decision.map(|d| view! {
                        <p role="status" class="notice">{move || i18n.tf(Msg::AssistDecided, &[("date", d.decided_on.to_string()), ("basis", d.basis.clone()), ("by", d.confirmed_by.clone().unwrap_or_default())])}</p>
                    })}
                    <div class="table-wrap">
                        <table class="office-table">
                            <caption>{move || i18n.tf(Msg::AssistListCaption, &[("n", listed.clone()), ("all", with_results.clone())])}</caption>
                            <thead><tr>
                                <th scope="col">{move || i18n.t(Msg::AssistInclude)}</th>
                                <th scope="col">{move || i18n.t(Msg::OfficeStudentName)}</th>
                                <th scope="col">{move || i18n.t(Msg::AssistClass)}</th>
                                <th scope="col">{move || i18n.t(Msg::AssistCredits)}</th>
                                <th scope="col">{move || i18n.t(Msg::AssistSigns)}</th>
                                <th scope="col">{move || i18n.t(Msg::AssistProposed)}</th>
                                <th scope="col">{move || i18n.t(Msg::AssistDecidedLevel)}</th>
                            </tr></thead>
                            <tbody>
                                {l.students.into_iter().map(|s| {
                                    let id = s.student_id;
                                    let name = s.name.clone();
                                    let signs = s.proposal.signs.clone();
                                    let proposed = s.proposal.level;
                                    view! {
                                        <tr>
                                            <td><input type="checkbox" aria-label=format!("{} {}", i18n.t(Msg::AssistInclude), name)
                                                prop:checked=move || chosen.with(|c| c.get(&id).is_some_and(|(on, _)| *on))
                                                on:change=move |ev| { let on = event_target_checked(&ev); chosen.update(|c| if let Some(e) = c.get_mut(&id) { e.0 = on }); }/></td>
                                            <td><a href=format!("/students/{id}")>{s.name.clone()}</a>" "<small class="muted">{s.student_no.clone()}</small></td>
                                            <td>{s.class_name.clone()}</td>
                                            <td>{s.results.failed_credits}</td>
                                            <td>{move || signs.iter().map(|g| sign_text(g, i18n.lang())).collect::<Vec<_>>().join("；")}</td>
                                            <td>{move || level_text(proposed, i18n.lang())}</td>
                                            <td>
                                                <select aria-label=format!("{} {}", i18n.t(Msg::AssistDecidedLevel), s.name) on:change=move |ev| {
                                                    let v = event_target_value(&ev);
                                                    let level = v.parse::<u8>().ok().and_then(AcademicLevel::from_number);
                                                    chosen.update(|c| if let Some(e) = c.get_mut(&id) { e.1 = level });
                                                }>
                                                    {move || level_options().into_iter().map(|(value, label)| {
                                                        let selected = chosen.with(|c| c.get(&id).map(|(_, l)| l.map_or(String::new(), |l| l.number().to_string()))) == Some(value.clone());
                                                        view! { <option value=value selected=selected>{label}</option> }
                                                    }).collect_view()}
                                                </select>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <form class="form card" on:submit=confirm novalidate>
                        <h3>{move || i18n.t(Msg::AssistDecisionTitle)}</h3>
                        <label class="field">
                            <span>{move || i18n.t(Msg::AssistDecisionDate)}</span>
                            <input type="date" name="decided_on" prop:value=decided_on on:input=move |ev| decided_on.set(event_target_value(&ev))/>
                        </label>
                        <label class="field">
                            <span>{move || i18n.t(Msg::AssistDecisionBasis)}</span>
                            <input type="text" name="basis" prop:value=basis on:input=move |ev| basis.set(event_target_value(&ev))/>
                        </label>
                        <button type="submit" class="primary big">{move || i18n.t(Msg::AssistConfirm)}</button>
                    </form>
                }
                .into_any()
            }
        }}
        <Show when=move || notice.with(|n| n.is_some())>
            <p class="error" role="alert">{move || notice.get().unwrap_or_default()}</p>
        </Show>
        {move || outcome.get().map(|r| view! {
            <section class="card" role="status">
                <p><strong>{move || i18n.tf(Msg::AssistConfirmed, &[("n", r.confirmed.to_string()), ("opened", r.cases_opened.to_string()), ("updated", r.cases_updated.to_string()), ("same", r.unchanged.to_string())])}</strong></p>
                <ul>{r.refused.iter().map(|e| view! { <li>{format!("{} — {}", e.field, e.message)}</li> }).collect_view()}</ul>
            </section>
        })}
    }
    .into_any()
}

/// A bar as wide as its share of the largest count: the page's charts need no library.
fn bar(n: u32, max: u32) -> impl IntoView {
    let width = (n * 100).checked_div(max).unwrap_or(0);
    view! { <span class="bar" style=format!("width:{width}%") aria-hidden="true"></span>" "{n} }
}

/// 003 七.2: the term's figures, with the Excel export.
#[component]
fn Statistics(term: Signal<String>, reload: Reload) -> impl IntoView {
    let i18n = use_i18n();
    let stats = fetch::<AssistanceStatistics>(move || format!("/api/v1/assistance/statistics?term={}", term.get()), reload);
    let level_name = move |l: Option<u8>| match l {
        None => i18n.t(Msg::AssistOffList).to_string(),
        Some(0) => i18n.t(Msg::CaseNoLevel).to_string(),
        Some(n) => AcademicLevel::from_number(n).map_or_else(String::new, |l| level_label(l, i18n.lang()).to_string()),
    };
    view! {
        <h2>{move || i18n.t(Msg::AssistStatsTitle)}</h2>
        <a class="button secondary" rel="external" href=move || format!("/api/v1/assistance/statistics.xlsx?term={}", term.get())>{move || i18n.t(Msg::AssistStatsExport)}</a>
        {move || match stats.get() {
            Remote::Loading => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
            Remote::Failed(f) => view! { <p class="error" role="alert">{move || failure_text(&f, i18n.lang())}</p> }.into_any(),
            Remote::Ready(s) => {
                let max = s.by_department.iter().map(|(_, c)| c.one.max(c.two).max(c.three).max(c.no_level)).max().unwrap_or(0);
                let total = s.total;
                view! {
                    <div class="table-wrap">
                        <table class="office-table stats">
                            <caption>{move || i18n.t(Msg::AssistByDepartment)}</caption>
                            <thead><tr>
                                <th scope="col">{move || i18n.t(Msg::OfficeDepartment)}</th>
                                <th scope="col">{move || level_text(Some(AcademicLevel::One), i18n.lang())}</th>
                                <th scope="col">{move || level_text(Some(AcademicLevel::Two), i18n.lang())}</th>
                                <th scope="col">{move || level_text(Some(AcademicLevel::Three), i18n.lang())}</th>
                                <th scope="col">{move || i18n.t(Msg::CaseNoLevel)}</th>
                            </tr></thead>
                            <tbody>
                                {s.by_department.iter().map(|(d, c)| view! {
                                    <tr><th scope="row">{d.clone()}</th><td>{bar(c.one, max)}</td><td>{bar(c.two, max)}</td><td>{bar(c.three, max)}</td><td>{bar(c.no_level, max)}</td></tr>
                                }).collect_view()}
                                <tr><th scope="row">{move || i18n.t(Msg::AssistTotal)}</th><td>{total.one}</td><td>{total.two}</td><td>{total.three}</td><td>{total.no_level}</td></tr>
                            </tbody>
                        </table>
                    </div>
                    <div class="table-wrap">
                        <table class="office-table">
                            <caption>{move || i18n.tf(Msg::AssistMovement, &[("before", s.previous_term.clone().unwrap_or_default())])}</caption>
                            <thead><tr><th scope="col">{move || i18n.t(Msg::AssistFrom)}</th><th scope="col">{move || i18n.t(Msg::AssistTo)}</th><th scope="col">{move || i18n.t(Msg::AssistStudents)}</th></tr></thead>
                            <tbody>
                                {s.movement.iter().map(|m| { let m = *m; view! { <tr><td>{move || level_name(m.from)}</td><td>{move || level_name(m.to)}</td><td>{m.students}</td></tr> } }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <ul class="figures">
                        <li>{move || i18n.tf(Msg::AssistActionsOnTime, &[("n", s.actions_on_time.to_string()), ("of", s.actions_owed.to_string())])}</li>
                        <li>{move || i18n.tf(Msg::AssistVolunteerFigures, &[("h", format!("{:.1}", f64::from(s.volunteer_minutes) / 60.0)), ("n", s.volunteers_active.to_string())])}</li>
                        <li>{move || i18n.tf(Msg::AssistCaseFigures, &[("open", s.cases_open.to_string()), ("closed", s.cases_closed.to_string())])}</li>
                    </ul>
                }
                .into_any()
            }
        }}
    }
    .into_any()
}

/// 003 六: the register, a new entry, and the hours of the term for certification.
#[component]
fn Volunteers(term: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::new();
    let rows = fetch::<Vec<Volunteer>>(|| "/api/v1/assistance/volunteers".into(), reload);
    let name = RwSignal::new(String::new());
    let student_no = RwSignal::new(String::new());
    let trained = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let store = use_store();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let today = rounds::school_time::now_in(&store.zone()).date_naive();
        let v = Volunteer {
            id: None,
            name: name.get_untracked().trim().to_string(),
            student_no: student_no.get_untracked().trim().to_string(),
            class_name: String::new(),
            contact: String::new(),
            selected_on: Some(today),
            trained_on: trained.get_untracked().then_some(today),
            active: true,
        };
        if !v.validate(today).is_empty() {
            notice.set(Some(i18n.t(Msg::FixErrors).to_string()));
            return;
        }
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            match crate::client::http::post::<_, Volunteer>("/api/v1/assistance/volunteers", &v).await {
                Ok(_) => {
                    name.set(String::new());
                    student_no.set(String::new());
                    notice.set(Some(i18n.t(Msg::Saved).to_string()));
                    reload.bump();
                }
                Err(f) => notice.set(Some(failure_text(&Failure::from(&f), i18n.lang()))),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = v;
    };
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let columns = vec![
        col(Msg::OfficeStudentName, |v: &Volunteer| v.name.clone()),
        col(Msg::StudentNo, |v: &Volunteer| v.student_no.clone()),
        col(Msg::VolunteerSelected, move |v: &Volunteer| day(v.selected_on)),
        col(Msg::VolunteerTrained, move |v: &Volunteer| day(v.trained_on)),
        col(Msg::VolunteerActive, move |v: &Volunteer| i18n.t(if v.active { Msg::AnswerYes } else { Msg::AnswerNo }).to_string()),
    ];
    view! {
        <h2>{move || i18n.t(Msg::VolunteerRegister)}</h2>
        <a class="button secondary" rel="external" href=move || format!("/api/v1/assistance/volunteer-hours.xlsx?term={}", term.get())>{move || i18n.t(Msg::VolunteerHoursExport)}</a>
        <DataTable caption=Msg::VolunteerRegister rows columns/>
        <form class="form card" on:submit=add novalidate>
            <h3>{move || i18n.t(Msg::VolunteerAdd)}</h3>
            <label class="field"><span>{move || i18n.t(Msg::OfficeStudentName)}</span><input type="text" name="volunteer-name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/></label>
            <label class="field"><span>{move || i18n.t(Msg::StudentNo)}</span><input type="text" name="volunteer-no" prop:value=student_no on:input=move |ev| student_no.set(event_target_value(&ev))/></label>
            <label class="check"><input type="checkbox" prop:checked=trained on:change=move |ev| trained.set(event_target_checked(&ev))/><span>{move || i18n.t(Msg::VolunteerTrainedToday)}</span></label>
            <button type="submit" class="primary">{move || i18n.t(Msg::VolunteerAdd)}</button>
            <Show when=move || notice.with(|n| n.is_some())><p role="status">{move || notice.get().unwrap_or_default()}</p></Show>
        </form>
    }
    .into_any()
}
