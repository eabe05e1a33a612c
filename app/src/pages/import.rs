//! 导入学生名单: the office uploads a students file, sees every bad row, then imports it.
//! Online only: the file goes to `POST /api/v1/roster/import` after hydration; the server render
//! shows the loading state of `RequireUser`.
//!
//! The steps (pick, check, import or import the good rows, every problem listed by row and
//! column) are [`ImportSteps`], generic over the report ([`SheetReport`]), so the semester
//! results import of the assistance page is the same page part.

use crate::components::RequireUser;
use crate::i18n::{use_i18n, I18n, Lang, Msg};
use crate::state::use_store;
use leptos::prelude::*;
use rounds::roster_import::{Column, EntityCounts, ImportMode, ImportReport, IssueCode};
use rounds::sheet::{SheetColumn, SheetImportReport, SheetIssue};
use serde::de::DeserializeOwned;

/// One problem as the page lists it, whatever the file's layout.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownIssue {
    pub row: u32,
    /// The column's Chinese and English headers.
    pub column: Option<(&'static str, &'static str)>,
    pub code: IssueCode,
    pub value: String,
    pub other_row: Option<u32>,
}

impl<C: SheetColumn> From<&SheetIssue<C>> for ShownIssue {
    fn from(i: &SheetIssue<C>) -> ShownIssue {
        ShownIssue { row: i.row, column: i.column.map(|c| (c.zh(), c.en())), code: i.code, value: i.value.clone(), other_row: i.other_row }
    }
}

/// What an import writes, as the rows of the page's counts table.
pub trait CountRows {
    fn count_rows(&self) -> Vec<(Msg, EntityCounts)>;
}

impl CountRows for rounds::roster_import::ImportCounts {
    fn count_rows(&self) -> Vec<(Msg, EntityCounts)> {
        vec![
            (Msg::ImportDepartments, self.departments),
            (Msg::ImportClasses, self.classes),
            (Msg::ImportStudents, self.students),
            (Msg::ImportBuildings, self.buildings),
            (Msg::ImportRooms, self.rooms),
            (Msg::ImportBeds, self.beds),
        ]
    }
}

/// One row a student: the results import.
impl CountRows for EntityCounts {
    fn count_rows(&self) -> Vec<(Msg, EntityCounts)> {
        vec![(Msg::ImportStudents, *self)]
    }
}

/// An import's answer as the page reads it: the report of any layout, or one that carries it.
pub trait SheetReport: Clone + PartialEq + DeserializeOwned + Send + Sync + 'static {
    type Column: SheetColumn;
    type Counts: CountRows;
    fn sheet(&self) -> &SheetImportReport<Self::Column, Self::Counts>;
}

impl<C, K> SheetReport for SheetImportReport<C, K>
where
    C: SheetColumn + DeserializeOwned + Send + Sync,
    K: CountRows + Clone + PartialEq + DeserializeOwned + Send + Sync + 'static,
{
    type Column = C;
    type Counts = K;
    fn sheet(&self) -> &Self {
        self
    }
}

/// Where a layout's file goes and its templates come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Upload {
    /// The import endpoint, without its query.
    pub endpoint: &'static str,
    pub template_xlsx: (&'static str, &'static str),
    pub template_csv: (&'static str, &'static str),
    pub input_name: &'static str,
    /// What the file is, as its field says.
    pub file_label: Msg,
}

const ROSTER_UPLOAD: Upload = Upload {
    endpoint: "/api/v1/roster/import",
    template_xlsx: ("/api/v1/roster/template.xlsx", "学生名单模板.xlsx"),
    template_csv: ("/api/v1/roster/template.csv", "学生名单模板.csv"),
    input_name: "roster-file",
    file_label: Msg::ImportFile,
};

/// How many bad rows the page lists; a file with thousands of errors needs fixing at the source.
const LISTED_ERRORS: usize = 200;

/// A file picked by the user, read into memory.
#[derive(Debug, Clone, PartialEq)]
pub struct ChosenFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl ChosenFile {
    /// The format the server is told: by the file's extension, CSV unless it says .xlsx.
    pub fn format(&self) -> &'static str {
        if self.name.to_lowercase().ends_with(".xlsx") {
            "xlsx"
        } else {
            "csv"
        }
    }
}

/// Why the last request did not give a report (only the browser makes requests).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Problem {
    Offline,
    NotAllowed,
    SessionExpired,
    Refused,
    Unreadable(String),
    Other(String),
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t(Msg::ImportTitle)}</h1>
        <RequireUser>
            <ImportForm/>
        </RequireUser>
    }
    .into_any()
}

#[component]
fn ImportForm() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let allowed = move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything()));
    view! {
        <Show when=allowed fallback=move || view! { <p class="error" role="alert">{move || i18n.t(Msg::ImportNotAllowed)}</p> }>
            <section class="card form">
                <p>{move || i18n.t(Msg::ImportIntro)}</p>
                <p class="muted">{move || i18n.tf(Msg::ImportRequiredColumns, &[("cols", column_names(i18n.lang(), true))])}</p>
                <p class="muted">{move || i18n.tf(Msg::ImportOptionalColumns, &[("cols", column_names(i18n.lang(), false))])}</p>
            </section>
            <ImportSteps<ImportReport> upload=ROSTER_UPLOAD query=Signal::stored(String::new()) done=Callback::new(|_| ())/>
        </Show>
    }
    .into_any()
}

fn column_names(lang: Lang, required: bool) -> String {
    layout_names::<Column>(lang, required)
}

/// A layout's required (or optional) columns, in the user's language.
pub fn layout_names<C: SheetColumn>(lang: Lang, required: bool) -> String {
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    C::ALL.iter().filter(|c| c.required() == required).map(|c| if lang == Lang::Zh { c.zh() } else { c.en() }).collect::<Vec<_>>().join(sep)
}

/// Pick a file, check it, import it (or its good rows). `query` adds to the endpoint's query
/// (`term=…`); `done` hears of every applied import.
#[component]
pub fn ImportSteps<R: SheetReport>(upload: Upload, query: Signal<String>, done: Callback<R>) -> impl IntoView {
    let i18n = use_i18n();
    let file = RwSignal::new(None::<ChosenFile>);
    let report = RwSignal::new(None::<R>);
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(None::<ImportMode>);

    let on_file = move |ev: leptos::ev::Event| {
        report.set(None);
        problem.set(None);
        file.set(None);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let picked =
                ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|input| input.files()).and_then(|files| files.get(0));
            if let Some(picked) = picked {
                leptos::task::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(picked.array_buffer()).await {
                        Ok(buffer) => {
                            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                            file.set(Some(ChosenFile { name: picked.name(), bytes }));
                        }
                        Err(e) => problem.set(Some(Problem::Unreadable(format!("{e:?}")))),
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };

    let run = move |mode: ImportMode| {
        if busy.get_untracked().is_some() {
            return;
        }
        let Some(chosen) = file.get_untracked() else { return };
        busy.set(Some(mode));
        problem.set(None);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use crate::client::http::Refusal;
            let extra = query.get_untracked();
            let url = format!("{}?mode={}&format={}{}{extra}", upload.endpoint, mode.as_str(), chosen.format(), if extra.is_empty() { "" } else { "&" });
            let answer = crate::client::http::post_bytes::<R, R>(&url, "application/octet-stream", &chosen.bytes).await;
            match answer {
                Ok(r) => {
                    if r.sheet().applied {
                        done.run(r.clone());
                    }
                    report.set(Some(r))
                }
                // The roster changed since the check: the refusal's report is the new verdict.
                Err(Refusal { failure: f, report: Some(r) }) if f.status == 422 => {
                    problem.set(Some(Problem::Refused));
                    report.set(Some(r));
                }
                Err(Refusal { failure: f, .. }) if f.is_offline() => problem.set(Some(Problem::Offline)),
                Err(Refusal { failure: f, .. }) if f.status == 401 => problem.set(Some(Problem::SessionExpired)),
                Err(Refusal { failure: f, .. }) if f.status == 403 => problem.set(Some(Problem::NotAllowed)),
                Err(Refusal { failure: f, .. }) if f.status == 400 && f.code == "unreadable_file" => problem.set(Some(Problem::Unreadable(f.message))),
                Err(Refusal { failure: f, .. }) => problem.set(Some(Problem::Other(f.message))),
            }
            busy.set(None);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (chosen, query, done);
    };

    let checked = move || report.with(|r| r.as_ref().is_some_and(|r| !r.sheet().applied));
    let can_apply = move || report.with(|r| r.as_ref().is_some_and(|r| !r.sheet().applied && r.sheet().allows(ImportMode::Apply)));
    let bad_rows = move || {
        report.with(|r| r.as_ref().map(|r| r.sheet()).filter(|r| !r.applied && r.bad_rows > 0 && r.allows(ImportMode::ApplySkippingBad)).map(|r| r.bad_rows))
    };
    let label = move |mode: ImportMode, idle: Msg, working: Msg| if busy.get() == Some(mode) { i18n.t(working) } else { i18n.t(idle) };

    view! {
        <section class="card form">
            <div class="action-row">
                <a class="button secondary" href=upload.template_xlsx.0 download=upload.template_xlsx.1 rel="external">{move || i18n.t(Msg::ImportTemplateXlsx)}</a>
                <a class="button secondary" href=upload.template_csv.0 download=upload.template_csv.1 rel="external">{move || i18n.t(Msg::ImportTemplateCsv)}</a>
            </div>
            <label class="field">
                <span>{move || i18n.t(upload.file_label)}</span>
                <input type="file" name=upload.input_name accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" on:change=on_file/>
            </label>
            <button type="button" class="primary big" disabled=move || file.with(|f| f.is_none()) || busy.get().is_some()
                on:click=move |_| run(ImportMode::Check)>
                {move || label(ImportMode::Check, Msg::ImportCheck, Msg::ImportChecking)}
            </button>
        </section>
        <ProblemView problem/>
        {move || report.get().map(|r| view! { <ReportView<R> report=r/> })}
        <Show when=checked>
            <div class="action-row">
                <button type="button" class="primary big" disabled=move || !can_apply() || busy.get().is_some()
                    on:click=move |_| run(ImportMode::Apply)>
                    {move || label(ImportMode::Apply, Msg::ImportApply, Msg::ImportApplying)}
                </button>
                <Show when=move || bad_rows().is_some()>
                    <button type="button" class="secondary big" disabled=move || busy.get().is_some()
                        on:click=move |_| run(ImportMode::ApplySkippingBad)>
                        {move || if busy.get() == Some(ImportMode::ApplySkippingBad) {
                            i18n.t(Msg::ImportApplying).to_string()
                        } else {
                            i18n.tf(Msg::ImportApplySkipping, &[("n", bad_rows().unwrap_or(0).to_string())])
                        }}
                    </button>
                </Show>
            </div>
        </Show>
    }
    .into_any()
}

#[component]
fn ProblemView(problem: RwSignal<Option<Problem>>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        problem.get().map(|p| match p {
            Problem::Offline => i18n.t(Msg::ImportOffline).to_string(),
            Problem::NotAllowed => i18n.t(Msg::ImportNotAllowed).to_string(),
            Problem::SessionExpired => i18n.t(Msg::SessionExpired).to_string(),
            Problem::Refused => i18n.t(Msg::ImportRefused).to_string(),
            Problem::Unreadable(e) => i18n.tf(Msg::ImportUnreadable, &[("e", e)]),
            Problem::Other(e) => i18n.tf(Msg::ImportFailed, &[("e", e)]),
        })
    };
    view! {
        <Show when=move || problem.with(|p| p.is_some())>
            <p class="error" role="alert">{text}</p>
        </Show>
    }
}

/// The translation of one problem, with its value and other row filled in.
pub fn issue_text(i18n: I18n, issue: &ShownIssue) -> String {
    let msg = match issue.code {
        IssueCode::EmptyFile => Msg::IssueEmptyFile,
        IssueCode::NoRows => Msg::IssueNoRows,
        IssueCode::TooManyRows => Msg::IssueTooManyRows,
        IssueCode::MissingColumn => Msg::IssueMissingColumn,
        IssueCode::DuplicateColumn => Msg::IssueDuplicateColumn,
        IssueCode::UnknownColumn => Msg::IssueUnknownColumn,
        IssueCode::UnnamedColumn => Msg::IssueUnnamedColumn,
        IssueCode::Required => Msg::IssueRequired,
        IssueCode::TooLong => Msg::IssueTooLong,
        IssueCode::BadStudentNo => Msg::IssueBadStudentNo,
        IssueCode::BadGender => Msg::IssueBadGender,
        IssueCode::BadYear => Msg::IssueBadYear,
        IssueCode::BadPhone => Msg::IssueBadPhone,
        IssueCode::BadOrigin => Msg::IssueBadOrigin,
        IssueCode::BadEconomy => Msg::IssueBadEconomy,
        IssueCode::BadFlag => Msg::IssueBadFlag,
        IssueCode::IncompleteBed => Msg::IssueIncompleteBed,
        IssueCode::DuplicateStudent => Msg::IssueDuplicateStudent,
        IssueCode::DuplicateBed => Msg::IssueDuplicateBed,
        IssueCode::ClassTwoDepartments => Msg::IssueClassTwoDepartments,
        IssueCode::ClassTwoCohorts => Msg::IssueClassTwoCohorts,
        IssueCode::BedTaken => Msg::IssueBedTaken,
        IssueCode::BadNumber => Msg::IssueBadNumber,
        IssueCode::OutOfRange => Msg::IssueOutOfRange,
        IssueCode::NotHalfCredits => Msg::IssueNotHalfCredits,
        IssueCode::Inconsistent => Msg::IssueInconsistent,
        IssueCode::UnknownStudent => Msg::IssueUnknownStudent,
        IssueCode::NameMismatch => Msg::IssueNameMismatch,
    };
    let other = issue.other_row.map(|r| r.to_string()).unwrap_or_default();
    i18n.tf(msg, &[("value", issue.value.clone()), ("other", other)])
}

fn column_label(lang: Lang, column: Option<(&'static str, &'static str)>) -> &'static str {
    match column {
        Some((zh, _)) if lang == Lang::Zh => zh,
        Some((_, en)) => en,
        None => "",
    }
}

#[component]
fn ReportView<R: SheetReport>(report: R) -> impl IntoView {
    let i18n = use_i18n();
    let report = report.sheet();
    let summary = {
        let (rows, bad) = (report.rows, report.bad_rows);
        move || i18n.tf(Msg::ImportRows, &[("n", rows.to_string()), ("bad", bad.to_string())])
    };
    let all_errors: Vec<ShownIssue> = report.errors.iter().map(ShownIssue::from).collect();
    let verdict = if report.applied {
        Msg::ImportDone
    } else if report.has_file_errors() {
        Msg::ImportFileErrors
    } else if all_errors.is_empty() {
        Msg::ImportNoErrors
    } else {
        Msg::ImportErrorsTitle
    };
    let applied = report.applied;
    let counts = report.counts.count_rows();
    let unlisted = all_errors.len().saturating_sub(LISTED_ERRORS);
    let errors: Vec<ShownIssue> = all_errors.into_iter().take(LISTED_ERRORS).collect();
    let warnings: Vec<ShownIssue> = report.warnings.iter().map(ShownIssue::from).collect();
    view! {
        <section class="card" aria-live="polite">
            <p role="status"><strong>{move || i18n.t(verdict)}</strong>" "{summary}</p>
            <CountsTable counts applied/>
            {(!errors.is_empty()).then(|| view! { <IssueTable title=Msg::ImportErrorsTitle issues=errors/> })}
            {(unlisted > 0).then(|| view! {
                <p class="muted">{move || i18n.tf(Msg::ImportMoreErrors, &[("n", unlisted.to_string())])}</p>
            })}
            {(!warnings.is_empty()).then(|| view! { <IssueTable title=Msg::ImportWarningsTitle issues=warnings/> })}
        </section>
    }
    .into_any()
}

#[component]
fn CountsTable(counts: Vec<(Msg, EntityCounts)>, applied: bool) -> impl IntoView {
    let i18n = use_i18n();
    let rows = counts;
    view! {
        <table class="import-table">
            <caption>{move || i18n.t(if applied { Msg::ImportDid } else { Msg::ImportWouldDo })}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || i18n.t(Msg::ImportItem)}</th>
                    <th scope="col">{move || i18n.t(Msg::ImportCreated)}</th>
                    <th scope="col">{move || i18n.t(Msg::ImportUpdated)}</th>
                    <th scope="col">{move || i18n.t(Msg::ImportUnchanged)}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|(what, n)| view! {
                    <tr>
                        <th scope="row">{move || i18n.t(what)}</th>
                        <td>{n.created}</td>
                        <td>{n.updated}</td>
                        <td>{n.unchanged}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn IssueTable(title: Msg, issues: Vec<ShownIssue>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="import-table">
            <caption>{move || i18n.t(title)}</caption>
            <thead>
                <tr>
                    <th scope="col">{move || i18n.t(Msg::ImportRow)}</th>
                    <th scope="col">{move || i18n.t(Msg::ImportColumn)}</th>
                    <th scope="col">{move || i18n.t(Msg::ImportReason)}</th>
                </tr>
            </thead>
            <tbody>
                {issues.into_iter().map(|issue| {
                    let row = issue.row;
                    let column = issue.column;
                    view! {
                        <tr>
                            <td>{row}</td>
                            <td>{move || column_label(i18n.lang(), column)}</td>
                            <td>{move || issue_text(i18n, &issue)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_follows_the_file_name() {
        let f = |name: &str| ChosenFile { name: name.into(), bytes: Vec::new() }.format();
        assert_eq!(f("名单.XLSX"), "xlsx");
        assert_eq!(f("名单.csv"), "csv");
    }

    #[test]
    fn column_lists_name_every_column_once() {
        for lang in [Lang::Zh, Lang::En] {
            let all = format!("{}, {}", column_names(lang, true), column_names(lang, false));
            for &c in Column::ALL {
                let name = if lang == Lang::Zh { c.zh() } else { c.en() };
                assert!(all.contains(name), "{name} in {all}");
            }
        }
        assert_eq!(column_names(Lang::Zh, true), "学号、姓名、性别、院系、班级、年级");
    }
}
