//! 履职统计: how the duties stand on a day, overall, by rule, by department and by person, with
//! bar charts, a chart over the teaching weeks, and the duties behind any number (which rooms,
//! classes or students are overdue, and whose they are). Charts are plain SVG and CSS: no
//! chart library in the phone's bundle.

use super::frame::*;
use super::OfficePage;
use crate::i18n::{fill, use_i18n, I18n, Msg};
use crate::state::use_store;
use chrono::NaiveDate;
use leptos::prelude::*;
use rounds::duties::{ComplianceReport, ComplianceRow, DutyFilter, DutyRow, DutyStatus, Tally, WeekPoint};
use rounds::sorting::Order;
use rounds::{Department, DepartmentId, UserId};

/// Most urgent first, as the engine sorts.
pub const STATUSES: [DutyStatus; 4] = [DutyStatus::Overdue, DutyStatus::DueSoon, DutyStatus::Upcoming, DutyStatus::Met];

pub fn status_label(status: DutyStatus) -> Msg {
    match status {
        DutyStatus::Overdue => Msg::StatusOverdue,
        DutyStatus::DueSoon => Msg::StatusDueSoon,
        DutyStatus::Upcoming => Msg::StatusUpcoming,
        DutyStatus::Met => Msg::StatusMet,
    }
}

/// The status as the API's query and the page's CSS name it.
pub fn status_code(status: DutyStatus) -> &'static str {
    match status {
        DutyStatus::Overdue => "overdue",
        DutyStatus::DueSoon => "due_soon",
        DutyStatus::Upcoming => "upcoming",
        DutyStatus::Met => "met",
    }
}

pub fn count_of(tally: &Tally, status: DutyStatus) -> u32 {
    match status {
        DutyStatus::Overdue => tally.overdue,
        DutyStatus::DueSoon => tally.due_soon,
        DutyStatus::Upcoming => tally.upcoming,
        DutyStatus::Met => tally.met,
    }
}

/// `87.5%`, `100%`: one decimal where it says something.
pub fn percent_text(percent: f64) -> String {
    if !percent.is_finite() {
        return "—".to_string();
    }
    let rounded = (percent * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}%")
    } else {
        format!("{rounded:.1}%")
    }
}

fn department_param(department: Option<DepartmentId>) -> String {
    department.map(|d| format!("&department={d}")).unwrap_or_default()
}

pub fn report_url(date: NaiveDate, department: Option<DepartmentId>) -> String {
    format!("/api/v1/compliance?date={date}{}&weekly=true", department_param(department))
}

pub fn export_url(date: NaiveDate, department: Option<DepartmentId>) -> String {
    format!("/api/v1/compliance.xlsx?date={date}{}", department_param(department))
}

/// The duties behind a number: `/api/v1/compliance/duties?rule=dorm-check&status=overdue&date=…`.
pub fn duties_url(filter: &DutyFilter, date: NaiveDate) -> String {
    let mut params = Vec::new();
    if let Some(rule) = &filter.rule {
        params.push(format!("rule={}", query_value(rule)));
    }
    if let Some(owner) = filter.owner {
        params.push(format!("owner={owner}"));
    }
    if let Some(department) = filter.department {
        params.push(format!("department={department}"));
    }
    if let Some(status) = filter.status {
        params.push(format!("status={}", status_code(status)));
    }
    params.push(format!("date={date}"));
    format!("/api/v1/compliance/duties?{}", params.join("&"))
}

/// Which table a row is of; its key means a rule id, a user id or a department id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Total,
    Rule,
    Owner,
    Department,
}

/// The duties a row of a section stands for, within the page's department; `None` where there
/// is nothing to ask for (the row of people in no department).
pub fn row_filter(section: Section, key: &str, department: Option<DepartmentId>) -> Option<DutyFilter> {
    let within = DutyFilter { department, ..DutyFilter::default() };
    match section {
        Section::Total => Some(within),
        Section::Rule => Some(DutyFilter { rule: Some(key.to_string()), ..within }),
        Section::Owner => key.parse().ok().map(|id| DutyFilter { owner: Some(UserId(id)), ..within }),
        Section::Department => key.parse().ok().map(|id| DutyFilter { department: Some(DepartmentId(id)), ..within }),
    }
}

/// What a table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKey {
    Label,
    Percent,
    Count(DutyStatus),
    Total,
}

impl SortKey {
    /// Names read best A to Z and the worst percent first; counts largest first.
    fn first_descending(self) -> bool {
        matches!(self, SortKey::Count(_) | SortKey::Total)
    }
}

/// The rows in the chosen order (descending if the flag says so), or as the server sent them.
pub fn sorted(rows: &[ComplianceRow], sort: Option<(SortKey, bool)>) -> Vec<ComplianceRow> {
    let mut out = rows.to_vec();
    if let Some((key, descending)) = sort {
        out.order_by(|a, b| {
            let order = match key {
                SortKey::Label => a.label.cmp(&b.label),
                SortKey::Percent => a.percent.total_cmp(&b.percent),
                SortKey::Count(s) => count_of(&a.tally, s).cmp(&count_of(&b.tally, s)),
                SortKey::Total => a.tally.total().cmp(&b.tally.total()),
            };
            if descending {
                order.reverse()
            } else {
                order
            }
        });
    }
    out
}

/// The widths, in percent of the bar, of each status's part of a stacked bar.
pub fn segments(tally: &Tally) -> [(DutyStatus, f64); 4] {
    let total = f64::from(tally.total());
    STATUSES.map(|s| (s, if total > 0.0 { f64::from(count_of(tally, s)) * 100.0 / total } else { 0.0 }))
}

/// The drawing area of the weekly chart, in SVG units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plot {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

pub const WEEKLY_PLOT: Plot = Plot { width: 640.0, height: 220.0, left: 44.0, right: 12.0, top: 12.0, bottom: 28.0 };

impl Plot {
    /// The y of a percent (0 at the bottom, 100 at the top; outside values are clamped).
    pub fn y(&self, percent: f64) -> f64 {
        let inner = self.height - self.top - self.bottom;
        self.top + (1.0 - percent.clamp(0.0, 100.0) / 100.0) * inner
    }

    /// The x of point `i` of `n`, spread over the width; a lone point stands in the middle.
    pub fn x(&self, i: usize, n: usize) -> f64 {
        let inner = self.width - self.left - self.right;
        if n <= 1 {
            self.left + inner / 2.0
        } else {
            self.left + inner * i as f64 / (n - 1) as f64
        }
    }
}

/// Label every k-th week so that at most `most` labels fit under the chart.
pub fn label_every(points: usize, most: usize) -> usize {
    points.div_ceil(most.max(1)).max(1)
}

// ---- the page ----

/// The duties being looked at, and under which section they show.
#[derive(Debug, Clone, PartialEq)]
struct Drill {
    at: Section,
    filter: DutyFilter,
    title: String,
}

#[component]
pub fn CompliancePage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeCompliance><Compliance/></OfficePage> }.into_any()
}

#[component]
fn Compliance() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let date = RwSignal::new(rounds::school_time::now_in(&store.zone()).date_naive());
    let department = RwSignal::new(None::<DepartmentId>);
    let departments = fetch::<Vec<Department>>(|| "/api/v1/admin/departments".into(), Reload::new());
    let report = fetch::<ComplianceReport>(move || report_url(date.get(), department.get()), Reload::new());
    let drill = RwSignal::new(None::<Drill>);
    view! {
        <div class="filters compliance-filters">
            <label class="field">
                <span>{move || i18n.t(Msg::ComplianceDate)}</span>
                <input type="date" prop:value=move || date.get().to_string() on:change=move |ev| {
                    if let Ok(d) = NaiveDate::parse_from_str(&event_target_value(&ev), "%Y-%m-%d") {
                        drill.set(None);
                        date.set(d);
                    }
                }/>
            </label>
            <label class="field">
                <span>{move || i18n.t(Msg::ComplianceDepartment)}</span>
                <select on:change=move |ev| {
                    drill.set(None);
                    department.set(event_target_value(&ev).parse().ok().map(DepartmentId));
                }>
                    <option value="" selected=move || department.get().is_none()>{move || i18n.t(Msg::ComplianceAllDepartments)}</option>
                    {move || departments.with(|d| d.ready().cloned().unwrap_or_default()).into_iter().map(|d| {
                        let id = d.id;
                        view! { <option value=id.to_string() selected=move || department.get() == Some(id)>{d.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <a class="button secondary export" rel="external"
                href=move || export_url(date.get(), department.get())
                download=move || format!("履职统计-{}.xlsx", date.get())>{move || i18n.t(Msg::ComplianceExport)}</a>
        </div>
        {move || match report.get() {
            Remote::Loading => view! { <p class="muted">{move || i18n.t(Msg::Loading)}</p> }.into_any(),
            Remote::Failed(f) => view! { <p class="error" role="alert">{move || failure_text(&f, i18n.lang())}</p> }.into_any(),
            Remote::Ready(r) => view! { <Report report=r department=department.get_untracked() drill/> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn Report(report: ComplianceReport, department: Option<DepartmentId>, drill: RwSignal<Option<Drill>>) -> impl IntoView {
    let i18n = use_i18n();
    let date = report.date;
    let total = report.total.clone();
    let as_of = move || {
        let semester = report.semester.clone().unwrap_or_else(|| i18n.t(Msg::ComplianceNoSemester).to_string());
        fill(i18n.t(Msg::ComplianceAsOf), &[("d", date.to_string()), ("s", semester), ("v", report.rules_version.to_string())])
    };
    // The report's own label of the total row is not translated; the page says "all" itself.
    let everything = ComplianceRow { label: i18n.t(Msg::ComplianceEverything).to_string(), ..total.clone() };
    let counts = STATUSES
        .iter()
        .map(|&s| {
            view! {
                <li class=format!("count {}", status_code(s))>
                    <span class="count-label">{move || i18n.t(status_label(s))}</span>
                    {count_cell(i18n, drill, Section::Total, &everything, s, department)}
                </li>
            }
        })
        .collect_view();
    let nothing_owed = total.tally.total() == 0;
    let weekly = report.weekly.clone();
    view! {
        <section class="headline card" aria-label=move || i18n.t(Msg::ComplianceOverall)>
            <p class="headline-figure">
                <span class="headline-percent">{percent_text(total.percent)}</span>
                <span>{move || i18n.t(Msg::ComplianceOverall)}</span>
            </p>
            <p class="muted">{as_of}</p>
            <ul class="headline-counts">{counts}</ul>
        </section>
        <DrillSlot at=Section::Total drill date/>
        {nothing_owed.then(|| view! { <p class="muted">{move || i18n.t(Msg::ComplianceNoDuties)}</p> })}
        {(!weekly.is_empty()).then(|| view! { <WeeklyChart points=weekly/> })}
        <section class="office-section" aria-label=move || i18n.t(Msg::ComplianceByRule)>
            <h2>{move || i18n.t(Msg::ComplianceByRule)}</h2>
            <StackedBars rows=report.by_rule.clone()/>
            <RowsTable caption=Msg::ComplianceByRule label=Msg::ComplianceRule section=Section::Rule rows=report.by_rule department drill/>
            <DrillSlot at=Section::Rule drill date/>
        </section>
        <section class="office-section" aria-label=move || i18n.t(Msg::ComplianceByDepartment)>
            <h2>{move || i18n.t(Msg::ComplianceByDepartment)}</h2>
            <StackedBars rows=report.by_department.clone()/>
            <RowsTable caption=Msg::ComplianceByDepartment label=Msg::ComplianceDepartment section=Section::Department
                rows=report.by_department department drill/>
            <DrillSlot at=Section::Department drill date/>
        </section>
        <section class="office-section" aria-label=move || i18n.t(Msg::ComplianceByOwner)>
            <h2>{move || i18n.t(Msg::ComplianceByOwner)}</h2>
            <RowsTable caption=Msg::ComplianceByOwner label=Msg::CompliancePerson section=Section::Owner rows=report.by_owner department drill/>
            <DrillSlot at=Section::Owner drill date/>
        </section>
    }
    .into_any()
}

/// A button that shows the duties of `filter` under section `at`.
fn drill_button(drill: RwSignal<Option<Drill>>, at: Section, filter: DutyFilter, title: String, aria: String, text: String) -> AnyView {
    view! {
        <button type="button" class="link num" aria-label=aria on:click=move |_| {
            drill.set(Some(Drill { at, filter: filter.clone(), title: title.clone() }));
        }>{text}</button>
    }
    .into_any()
}

/// How many duties of a row stand so; a button to them unless there are none or the row has
/// nothing to ask by.
fn count_cell(i18n: I18n, drill: RwSignal<Option<Drill>>, at: Section, row: &ComplianceRow, status: DutyStatus, department: Option<DepartmentId>) -> AnyView {
    let n = count_of(&row.tally, status);
    match row_filter(at, &row.key, department).filter(|_| n > 0) {
        None => view! { <span class="num">{n}</span> }.into_any(),
        Some(filter) => {
            let lang = i18n.lang();
            let status_name = status_label(status).text(lang);
            let aria = fill(Msg::ComplianceDrillCount.text(lang), &[("x", row.label.clone()), ("s", status_name.to_string()), ("n", n.to_string())]);
            let filter = DutyFilter { status: Some(status), ..filter };
            drill_button(drill, at, filter, format!("{} · {status_name}", row.label), aria, n.to_string())
        }
    }
}

/// A row's name; a button to all its duties where it has any.
fn name_cell(i18n: I18n, drill: RwSignal<Option<Drill>>, at: Section, row: &ComplianceRow, department: Option<DepartmentId>) -> AnyView {
    match row_filter(at, &row.key, department).filter(|_| row.tally.total() > 0) {
        None => view! { {row.label.clone()} }.into_any(),
        Some(filter) => {
            let aria = fill(Msg::ComplianceDrillOf.text(i18n.lang()), &[("x", row.label.clone())]);
            drill_button(drill, at, filter, row.label.clone(), aria, row.label.clone())
        }
    }
}

/// A table of rows with its counts as buttons and its columns sortable.
#[component]
fn RowsTable(
    caption: Msg,
    /// The heading of the first column.
    label: Msg,
    section: Section,
    rows: Vec<ComplianceRow>,
    department: Option<DepartmentId>,
    drill: RwSignal<Option<Drill>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sort = RwSignal::new(None::<(SortKey, bool)>);
    let rows = StoredValue::new(rows);
    let header = move |key: SortKey, title: Msg| {
        let aria_sort = move || match sort.get() {
            Some((k, true)) if k == key => "descending",
            Some((k, false)) if k == key => "ascending",
            _ => "none",
        };
        let arrow = move || match sort.get() {
            Some((k, true)) if k == key => " ▼",
            Some((k, false)) if k == key => " ▲",
            _ => "",
        };
        view! {
            <th scope="col" aria-sort=aria_sort>
                <button type="button" class="link sort" title=move || fill(i18n.t(Msg::ComplianceSortBy), &[("x", i18n.t(title).to_string())])
                    on:click=move |_| sort.update(|s| {
                        *s = Some(match *s {
                            Some((k, descending)) if k == key => (key, !descending),
                            _ => (key, key.first_descending()),
                        })
                    })>
                    {move || i18n.t(title)}{arrow}
                </button>
            </th>
        }
    };
    let body = move || {
        rows.with_value(|r| sorted(r, sort.get()))
            .into_iter()
            .map(|row| {
                let counts = STATUSES
                    .iter()
                    .map(|&s| view! { <td class=format!("num {}", status_code(s))>{count_cell(i18n, drill, section, &row, s, department)}</td> })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row">{name_cell(i18n, drill, section, &row, department)}</th>
                        <td class="num">{percent_text(row.percent)}</td>
                        {counts}
                        <td class="num">{row.tally.total()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-wrap">
            <table class="office-table compliance-table">
                <caption>{move || i18n.t(caption)}</caption>
                <thead>
                    <tr>
                        {header(SortKey::Label, label)}
                        {header(SortKey::Percent, Msg::CompliancePercent)}
                        {STATUSES.iter().map(|&s| header(SortKey::Count(s), status_label(s))).collect_view()}
                        {header(SortKey::Total, Msg::ComplianceTotal)}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// A horizontal stacked bar per row: overdue, due soon, on track and met.
#[component]
fn StackedBars(rows: Vec<ComplianceRow>) -> impl IntoView {
    let i18n = use_i18n();
    let legend =
        STATUSES.iter().map(|&s| view! { <li><span class=format!("swatch {}", status_code(s))></span>{move || i18n.t(status_label(s))}</li> }).collect_view();
    let bars = rows
        .into_iter()
        .map(|row| {
            let lang = i18n.lang();
            let parts = STATUSES.iter().map(|&s| format!("{} {}", status_label(s).text(lang), count_of(&row.tally, s))).collect::<Vec<_>>();
            let described = format!("{}：{}（{}）", row.label, percent_text(row.percent), parts.join("，"));
            let segments = segments(&row.tally)
                .into_iter()
                .filter(|(_, w)| *w > 0.0)
                .map(|(s, w)| view! { <span class=format!("seg {}", status_code(s)) style=format!("width: {w:.2}%")></span> })
                .collect_view();
            view! {
                <li>
                    <span class="bar-label">{row.label.clone()}</span>
                    <span class="bar" role="img" aria-label=described>{segments}</span>
                    <span class="bar-value">{percent_text(row.percent)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <figure class="bars">
            <ul class="legend" aria-hidden="true">{legend}</ul>
            <ul class="bar-list">{bars}</ul>
        </figure>
    }
    .into_any()
}

/// Compliance at the end of each teaching week so far, as a line over 0–100%.
#[component]
fn WeeklyChart(points: Vec<WeekPoint>) -> impl IntoView {
    let i18n = use_i18n();
    let plot = WEEKLY_PLOT;
    let n = points.len();
    let every = label_every(n, 12);
    let xy: Vec<(f64, f64)> = points.iter().enumerate().map(|(i, p)| (plot.x(i, n), plot.y(p.percent))).collect();
    let line = xy.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    let grid = [0.0, 50.0, 100.0]
        .map(|p| {
            let y = plot.y(p);
            view! {
                <line class="grid" x1=plot.left y1=y x2=plot.width - plot.right y2=y></line>
                <text class="axis" x=plot.left - 6.0 y=y + 4.0 text-anchor="end">{percent_text(p)}</text>
            }
        })
        .collect_view();
    let dots = points
        .iter()
        .zip(&xy)
        .enumerate()
        .map(|(i, (p, &(x, y)))| {
            let week = fill(i18n.t(Msg::ComplianceWeekN), &[("n", p.week.to_string())]);
            let tip = format!("{week}（{}）：{}", p.date, percent_text(p.percent));
            let label = (i % every == 0 || i + 1 == n).then(|| {
                view! { <text class="axis" x=x y=plot.height - 8.0 text-anchor="middle">{p.week}</text> }
            });
            let class = if p.tally.overdue > 0 { "dot late" } else { "dot" };
            view! {
                <circle class=class cx=x cy=y r="4"><title>{tip}</title></circle>
                {label}
            }
        })
        .collect_view();
    let summary =
        points.last().map(|p| format!("{}：{}", fill(i18n.t(Msg::ComplianceWeekN), &[("n", p.week.to_string())]), percent_text(p.percent))).unwrap_or_default();
    view! {
        <figure class="weekly card">
            <figcaption>{move || i18n.t(Msg::ComplianceWeekly)}</figcaption>
            <svg viewBox=format!("0 0 {} {}", plot.width, plot.height) role="img"
                aria-label=format!("{} — {summary}", i18n.t(Msg::ComplianceWeekly))>
                {grid}
                <polyline class="line" points=line></polyline>
                {dots}
            </svg>
        </figure>
    }
    .into_any()
}

/// Where the duties behind a number show: under the section that was clicked.
#[component]
fn DrillSlot(at: Section, drill: RwSignal<Option<Drill>>, date: NaiveDate) -> impl IntoView {
    move || drill.get().filter(|d| d.at == at).map(|d| view! { <DrillDown drill=d date on_close=Callback::new(move |_| drill.set(None))/> })
}

#[component]
fn DrillDown(drill: Drill, date: NaiveDate, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let filter = drill.filter;
    let rows = fetch::<Vec<DutyRow>>(move || duties_url(&filter, date), Reload::new());
    let heading = fill(i18n.t(Msg::ComplianceDetails), &[("x", drill.title)]);
    let columns = vec![
        col(
            Msg::ComplianceSubject,
            move |r: &DutyRow| {
                if r.subject_label.is_empty() {
                    i18n.t(Msg::ComplianceOwn).to_string()
                } else {
                    r.subject_label.clone()
                }
            },
        ),
        col(Msg::ComplianceOwner, |r: &DutyRow| r.owner_name.clone()),
        col(Msg::ComplianceRule, |r: &DutyRow| r.rule_title.clone()),
        col(Msg::ComplianceStatus, move |r: &DutyRow| i18n.t(status_label(r.duty.status)).to_string()),
        col(Msg::ComplianceDue, |r: &DutyRow| r.duty.due.to_string()),
        col(Msg::ComplianceDaysOverdue, move |r: &DutyRow| match r.duty.days_overdue(date) {
            0 => String::new(),
            n => n.to_string(),
        }),
        col(Msg::ComplianceDone, |r: &DutyRow| format!("{}/{}", r.duty.done, r.duty.required)),
        col(Msg::ComplianceLastDone, |r: &DutyRow| r.duty.last_done.map_or_else(|| "—".to_string(), |d| d.to_string())),
    ];
    let aria = heading.clone();
    view! {
        <section class="drill card" aria-label=aria>
            <div class="section-head">
                <h3>{heading}</h3>
                <button type="button" class="secondary" on:click=move |_| on_close.run(())>{move || i18n.t(Msg::ComplianceCloseDetails)}</button>
            </div>
            <DataTable caption=Msg::ComplianceDetailsCaption rows columns/>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(overdue: u32, due_soon: u32, upcoming: u32, met: u32) -> Tally {
        Tally { overdue, due_soon, upcoming, met }
    }

    fn row(key: &str, label: &str, t: Tally) -> ComplianceRow {
        ComplianceRow { key: key.into(), label: label.into(), percent: t.compliance_percent(), tally: t }
    }

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date")
    }

    #[test]
    fn percents_read_short() {
        assert_eq!(percent_text(100.0), "100%");
        assert_eq!(percent_text(87.5), "87.5%");
        assert_eq!(percent_text(66.666), "66.7%");
        assert_eq!(percent_text(0.04), "0%");
        assert_eq!(percent_text(f64::NAN), "—");
    }

    #[test]
    fn urls_carry_the_filters() {
        assert_eq!(report_url(date(), None), "/api/v1/compliance?date=2026-11-23&weekly=true");
        assert_eq!(report_url(date(), Some(DepartmentId(2))), "/api/v1/compliance?date=2026-11-23&department=2&weekly=true");
        assert_eq!(export_url(date(), Some(DepartmentId(2))), "/api/v1/compliance.xlsx?date=2026-11-23&department=2");
        let overdue = DutyFilter { rule: Some("dorm-check".into()), status: Some(DutyStatus::Overdue), ..DutyFilter::default() };
        assert_eq!(duties_url(&overdue, date()), "/api/v1/compliance/duties?rule=dorm-check&status=overdue&date=2026-11-23");
        let everything = DutyFilter { owner: Some(UserId(7)), department: Some(DepartmentId(1)), status: Some(DutyStatus::DueSoon), ..DutyFilter::default() };
        assert_eq!(duties_url(&everything, date()), "/api/v1/compliance/duties?owner=7&department=1&status=due_soon&date=2026-11-23");
    }

    #[test]
    fn a_row_stands_for_its_duties_within_the_department_chosen() {
        let in_2 = Some(DepartmentId(2));
        assert_eq!(
            row_filter(Section::Rule, "dorm-check", in_2),
            Some(DutyFilter { rule: Some("dorm-check".into()), department: in_2, ..DutyFilter::default() })
        );
        assert_eq!(row_filter(Section::Owner, "7", None), Some(DutyFilter { owner: Some(UserId(7)), ..DutyFilter::default() }));
        assert_eq!(row_filter(Section::Department, "3", in_2), Some(DutyFilter { department: Some(DepartmentId(3)), ..DutyFilter::default() }));
        // People in no department have no id to ask by.
        assert_eq!(row_filter(Section::Department, "", None), None);
        assert_eq!(row_filter(Section::Owner, "someone", None), None);
        assert_eq!(row_filter(Section::Total, "all", in_2), Some(DutyFilter { department: in_2, ..DutyFilter::default() }));
    }

    #[test]
    fn tables_sort_by_any_column_either_way() {
        let rows = vec![row("a", "查课", tally(1, 0, 3, 0)), row("b", "班会", tally(0, 0, 0, 4)), row("c", "查寝", tally(5, 1, 0, 4))];
        let keys = |sort| sorted(&rows, sort).into_iter().map(|r| r.key).collect::<Vec<_>>().join("");
        assert_eq!(keys(None), "abc");
        assert_eq!(keys(Some((SortKey::Percent, false))), "cab");
        assert_eq!(keys(Some((SortKey::Percent, true))), "bac");
        assert_eq!(keys(Some((SortKey::Count(DutyStatus::Overdue), true))), "cab");
        assert_eq!(keys(Some((SortKey::Total, true))), "cab");
        // By code point (查寝 < 查课 < 班会): the phone has no pinyin table to sort names by.
        assert_eq!(keys(Some((SortKey::Label, false))), "cab");
        assert!(SortKey::Total.first_descending() && !SortKey::Percent.first_descending());
    }

    #[test]
    fn stacked_bars_fill_the_width_in_proportion() {
        let widths = segments(&tally(1, 1, 0, 2));
        assert_eq!(widths.map(|(_, w)| w), [25.0, 25.0, 0.0, 50.0]);
        assert_eq!(widths.map(|(s, _)| s), STATUSES);
        assert_eq!(segments(&Tally::default()).map(|(_, w)| w), [0.0; 4]);
        let odd = segments(&tally(1, 1, 1, 0));
        assert!((odd.iter().map(|(_, w)| w).sum::<f64>() - 100.0).abs() < 1e-9);
    }

    #[test]
    fn the_weekly_chart_maps_weeks_across_and_percents_up() {
        let p = WEEKLY_PLOT;
        assert_eq!(p.y(100.0), p.top);
        assert_eq!(p.y(0.0), p.height - p.bottom);
        assert_eq!(p.y(150.0), p.top, "clamped");
        assert_eq!(p.y(50.0), p.top + (p.height - p.top - p.bottom) / 2.0);
        assert_eq!(p.x(0, 10), p.left);
        assert_eq!(p.x(9, 10), p.width - p.right);
        assert_eq!(p.x(0, 1), p.left + (p.width - p.left - p.right) / 2.0);
        assert_eq!(label_every(18, 12), 2);
        assert_eq!(label_every(6, 12), 1);
        assert_eq!(label_every(0, 12), 1);
    }

    #[test]
    fn every_status_has_a_label_and_a_code() {
        for s in STATUSES {
            assert_ne!(status_label(s).text(crate::i18n::Lang::Zh), status_label(s).text(crate::i18n::Lang::En));
            assert_eq!(serde_json::to_value(s).expect("serialises"), status_code(s));
        }
        assert_eq!(count_of(&tally(1, 2, 3, 4), DutyStatus::Upcoming), 3);
    }
}
