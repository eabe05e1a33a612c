//! The printed forms the office files in a cabinet, made on the phone from what it holds, with
//! no server call: 001 附件3 学生帮扶教育记录卡 (the case card), 附件1 学业困难学生帮扶计划责任书
//! (the head teacher's letter for a class), 附件2 学业困难帮扶志愿书 (the volunteer's letter), and
//! 003's 学生谈话记录表 (a talk).
//!
//! What a card shows is assembled by plain functions ([`CaseCard::assemble`] and friends), tested
//! natively; the pages only lay it out as the paper forms do.

use crate::components::RequireUser;
use crate::i18n::*;
use crate::pages::params::class_id_param;
use crate::pages::params::student_id_param;
use crate::state::use_store;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use rounds::assistance::{AcademicLevel, AssistanceCategory};
use rounds::sorting::Order;
use rounds::*;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// What the forms show: plain data, no Leptos.
// ---------------------------------------------------------------------------------------------

/// A student's assistance cases among the records, newest opening first, with their record ids.
/// Deleted records never count.
pub fn cases_in<R: AsRef<RecordEnvelope>>(records: &[R], student: StudentId) -> Vec<(Uuid, AssistanceCase)> {
    let mut cases: Vec<(Uuid, AssistanceCase)> = records
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| !r.deleted)
        .filter_map(|r| match &r.body {
            RecordBody::AssistanceCase(c) if c.student_id == student => Some((r.id, c.clone())),
            _ => None,
        })
        .collect();
    cases.order_by(|a, b| b.1.opened_at.cmp(&a.1.opened_at).then(b.0.cmp(&a.0)));
    cases
}

/// The case a form is of: the one asked for (`?case=<record id>`) when it is the student's, else
/// the open one, else the latest. `cases` is newest first, as [`cases_in`] gives them.
pub fn pick_case(cases: Vec<(Uuid, AssistanceCase)>, wanted: Option<Uuid>) -> Option<(Uuid, AssistanceCase)> {
    if let Some(found) = wanted.and_then(|w| cases.iter().find(|(id, _)| *id == w)) {
        return Some(found.clone());
    }
    match cases.iter().position(|(_, c)| c.is_open()) {
        Some(i) => cases.into_iter().nth(i),
        None => cases.into_iter().next(),
    }
}

/// Whether a moment falls in a case's window: from the day it was opened to the day it was
/// closed, both whole days, or on to now while it is open. By day, as the paper card is kept: a
/// talk the morning the office opened the case that afternoon is part of it.
pub fn in_window(case: &AssistanceCase, at: &DateTime<FixedOffset>) -> bool {
    let day = at.date_naive();
    day >= case.opened_at.date_naive() && case.closure.as_ref().is_none_or(|c| day <= c.closed_on)
}

/// The helper of the volunteer letter: the case's latest pairing (by pairing day; of one day,
/// the last added).
pub fn latest_pairing(case: &AssistanceCase) -> Option<&Pairing> {
    case.pairings.iter().max_by_key(|p| p.paired_on)
}

/// The longest one-line summary of a record on a card, in characters.
pub const LINE_MAX: usize = 80;

/// Text on one line: runs of blanks and line breaks made one space, cut to `max` characters
/// with an ellipsis.
pub fn one_line(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// `2026年11月23日`.
pub fn date_line(day: NaiveDate, lang: Lang) -> String {
    let (m, d) = match lang {
        Lang::Zh => (day.month().to_string(), day.day().to_string()),
        Lang::En => (format!("{:02}", day.month()), format!("{:02}", day.day())),
    };
    fill(Msg::PrintDateLine.text(lang), &[("y", day.year().to_string()), ("m", m), ("d", d)])
}

/// `2026年　　月　　日`: the year printed, month and day left to write by hand, as the seeds' forms.
pub fn blank_date_line(year: i32, lang: Lang) -> String {
    fill(Msg::PrintBlankDateLine.text(lang), &[("y", year.to_string())])
}

/// One record on a card: a parent contact, or a talk, home visit or volunteer session of the
/// process record.
#[derive(Debug, Clone, PartialEq)]
pub struct CardEntry {
    pub id: Uuid,
    pub at: DateTime<FixedOffset>,
    pub body: RecordBody,
}

impl CardEntry {
    pub fn day(&self) -> NaiveDate {
        self.at.date_naive()
    }

    /// What the record says, on one line: `谈心谈话（学业预警）：…`.
    pub fn line(&self, lang: Lang) -> String {
        one_line(&crate::kinds::line(&self.body, lang), LINE_MAX)
    }
}

/// A plan or an evaluation of the case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseNoteEntry {
    pub id: Uuid,
    pub written_at: DateTime<FixedOffset>,
    pub term: String,
    pub text: String,
}

/// Everything 001 附件3 学生帮扶教育记录卡 holds for one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseCard {
    pub student_id: StudentId,
    pub student_name: String,
    pub student_no: String,
    pub phone: String,
    pub class_name: String,
    pub guardian_phone: String,
    pub home_address: String,
    pub category: AssistanceCategory,
    pub level: Option<AcademicLevel>,
    pub opened_on: NaiveDate,
    pub class_rank: String,
    pub head_teacher: String,
    pub counselor: String,
    pub helpers: Vec<Pairing>,
    pub help_group: Vec<String>,
    /// 家长联系记录: the parent contacts in the case's window, oldest first.
    pub parent_contacts: Vec<CardEntry>,
    /// 帮扶方案: the latest plan in the window.
    pub plan: Option<CaseNoteEntry>,
    /// 帮扶过程记录: talks, home visits and volunteer sessions in the window, oldest first.
    pub process: Vec<CardEntry>,
    /// 班主任效果评价: the evaluations in the window, by term.
    pub evaluations: Vec<CaseNoteEntry>,
    pub closure: Option<CaseClosure>,
}

impl CaseCard {
    /// The card of `case` from the records on the phone and the roster: only live records about
    /// the case's student, in the case's window ([`in_window`]).
    pub fn assemble<R: AsRef<RecordEnvelope>>(case: &AssistanceCase, records: &[R], roster: &RosterSnapshot) -> CaseCard {
        let student = roster.student(case.student_id);
        let archive = student.and_then(|s| s.archive.as_ref());
        let mut parent_contacts = Vec::new();
        let mut process = Vec::new();
        let mut plans = Vec::new();
        let mut evaluations = Vec::new();
        for r in records.iter().map(AsRef::as_ref).filter(|r| !r.deleted) {
            let about = match &r.body {
                RecordBody::Talk(t) => t.student_id,
                RecordBody::HomeVisit(v) => v.student_id,
                RecordBody::VolunteerSession(s) => s.student_id,
                RecordBody::ParentContact(c) => c.student_id,
                RecordBody::AssistanceNote(n) => n.student_id,
                _ => continue,
            };
            let at = r.body.occurred_at();
            if about != case.student_id || !in_window(case, &at) {
                continue;
            }
            let entry = CardEntry { id: r.id, at, body: r.body.clone() };
            match &r.body {
                RecordBody::ParentContact(_) => parent_contacts.push(entry),
                RecordBody::AssistanceNote(n) => {
                    let note = CaseNoteEntry { id: r.id, written_at: n.written_at, term: n.term.clone(), text: n.text.clone() };
                    match n.part {
                        NotePart::Plan => plans.push(note),
                        NotePart::Evaluation => evaluations.push(note),
                    }
                }
                _ => process.push(entry),
            }
        }
        let by_time = |a: &CardEntry, b: &CardEntry| a.at.cmp(&b.at).then(a.id.cmp(&b.id));
        parent_contacts.order_by(by_time);
        process.order_by(by_time);
        evaluations.order_by(|a, b| a.term.cmp(&b.term).then(a.written_at.cmp(&b.written_at)).then(a.id.cmp(&b.id)));
        let plan = plans.into_iter().max_by(|a, b| a.written_at.cmp(&b.written_at).then(a.id.cmp(&b.id)));
        CaseCard {
            student_id: case.student_id,
            student_name: student.map(|s| s.name.clone()).unwrap_or_default(),
            student_no: student.map(|s| s.student_no.clone()).unwrap_or_default(),
            phone: student.and_then(|s| s.phone.clone()).unwrap_or_default(),
            class_name: student.and_then(|s| roster.class(s.class_id)).map(|c| c.name.clone()).unwrap_or_default(),
            guardian_phone: archive.map(|a| a.guardian_phone.clone()).unwrap_or_default(),
            home_address: archive.map(|a| a.home_address.clone()).unwrap_or_default(),
            category: case.category,
            level: case.level,
            opened_on: case.opened_at.date_naive(),
            class_rank: case.class_rank.clone(),
            head_teacher: case.head_teacher.clone(),
            counselor: case.counselor.clone(),
            helpers: case.pairings.clone(),
            help_group: case.help_group.clone(),
            parent_contacts,
            plan,
            process,
            evaluations,
            closure: case.closure.clone(),
        }
    }

    /// 帮扶类型: `学业困难 · 二级帮扶`.
    pub fn kind_label(&self, lang: Lang) -> String {
        let category = case_category_label(self.category, lang);
        match self.level {
            Some(level) => format!("{category} · {}", level_label(level, lang)),
            None => category.to_string(),
        }
    }

    /// 帮扶责任人: `班主任 陈静，辅导员 王芳`; empty when the case names no one.
    pub fn responsible(&self, lang: Lang) -> String {
        [(Msg::PrintHeadTeacherRole, &self.head_teacher), (Msg::PrintCounselorRole, &self.counselor)]
            .into_iter()
            .filter(|(_, name)| !name.trim().is_empty())
            .map(|(role, name)| format!("{} {}", role.text(lang), name.trim()))
            .collect::<Vec<_>>()
            .join(Msg::PrintListSeparator.text(lang))
    }
}

/// One student of 附件1's 学业困难名单.
#[derive(Debug, Clone, PartialEq)]
pub struct LetterStudent {
    pub id: StudentId,
    pub name: String,
    pub student_no: String,
    pub level: Option<AcademicLevel>,
}

/// 001 附件1 for one class: its students with an open academic case on the phone, by student
/// number, and the head teacher the cases name when they all name the same one.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassLetter {
    pub class_name: String,
    pub students: Vec<LetterStudent>,
    pub head_teacher: String,
}

impl ClassLetter {
    pub fn assemble<R: AsRef<RecordEnvelope>>(class: ClassId, records: &[R], roster: &RosterSnapshot) -> ClassLetter {
        let mut students = Vec::new();
        let mut teachers = std::collections::BTreeSet::new();
        for s in roster.students.iter().filter(|s| s.class_id == class) {
            let open = cases_in(records, s.id).into_iter().find(|(_, c)| c.is_open() && c.category == AssistanceCategory::Academic);
            if let Some((_, case)) = open {
                if !case.head_teacher.trim().is_empty() {
                    teachers.insert(case.head_teacher.trim().to_string());
                }
                students.push(LetterStudent { id: s.id, name: s.name.clone(), student_no: s.student_no.clone(), level: case.level });
            }
        }
        students.order_by_key(|a| rounds::roster::natural_key(&a.student_no));
        let head_teacher = if teachers.len() == 1 { teachers.into_iter().next().unwrap_or_default() } else { String::new() };
        let class_name = roster.class(class).map(|c| c.name.clone()).unwrap_or_default();
        ClassLetter { class_name, students, head_teacher }
    }

    /// The class as the letter's sentence names it, before its own «班»: `计科2023-1`.
    pub fn class_in_sentence(&self) -> &str {
        self.class_name.strip_suffix('班').unwrap_or(&self.class_name)
    }
}

/// 访谈教师 of the talk form: the 班主任 and 辅导员 lines, and anyone else named.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Interviewers {
    pub head_teacher: Vec<String>,
    pub counselor: Vec<String>,
    pub others: Vec<String>,
}

impl Interviewers {
    /// The author by their role, when the phone knows them (their own record), and the talk's
    /// co-interviewers as typed (`班主任 陈静，辅导员：王芳`), each put on their role's line.
    pub fn of(author: Option<(&str, Role)>, co_interviewers: &str) -> Interviewers {
        let mut lines = Interviewers::default();
        if let Some((name, role)) = author.filter(|(n, _)| !n.trim().is_empty()) {
            let name = name.trim().to_string();
            match role {
                Role::HeadTeacher => lines.head_teacher.push(name),
                Role::Counselor => lines.counselor.push(name),
                _ => lines.others.push(name),
            }
        }
        for piece in co_interviewers.split(['、', ',', '，', ';', '；', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
            let strip = |rest: &str| rest.trim_start_matches([' ', '　', ':', '：']).trim().to_string();
            let (line, name) = if let Some(rest) = piece.strip_prefix("班主任") {
                (&mut lines.head_teacher, strip(rest))
            } else if let Some(rest) = piece.strip_prefix("辅导员") {
                (&mut lines.counselor, strip(rest))
            } else {
                (&mut lines.others, piece.to_string())
            };
            if !name.is_empty() && !line.contains(&name) {
                line.push(name);
            }
        }
        lines
    }
}

/// 家庭情况（城镇/农村、经济情况、单亲或其它）from the archive: `农村，经济困难，单亲，…`.
pub fn family_situation(archive: &StudentArchive, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(origin) = archive.origin {
        let msg = if origin == Origin::Rural { Msg::Rural } else { Msg::Urban };
        parts.push(msg.text(lang).to_string());
    }
    if let Some(economy) = archive.economy {
        parts.push(economy_label(economy, lang).to_string());
    }
    for flag in archive.flags.iter().filter(|f| matches!(f, AttentionFlag::SingleParent | AttentionFlag::Orphan | AttentionFlag::Disability)) {
        parts.push(flag_label(*flag, lang).to_string());
    }
    if !archive.family_notes.trim().is_empty() {
        parts.push(archive.family_notes.trim().to_string());
    }
    parts.join(Msg::PrintListSeparator.text(lang))
}

// ---------------------------------------------------------------------------------------------
// The pages.
// ---------------------------------------------------------------------------------------------

/// `?case=<record id>`: which case a form is of, when the student has several.
fn wanted_case() -> Memo<Option<Uuid>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("case").and_then(|v| v.parse().ok())))
}

fn this_year() -> i32 {
    rounds::school_time::now_in(&use_store().zone()).year()
}

/// The print button: the browser's print dialog; never on the paper.
#[component]
fn PrintButton() -> impl IntoView {
    let i18n = use_i18n();
    let print = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <div class="action-row no-print">
            <button type="button" class="primary" on:click=print>{move || i18n.t(Msg::PrintButton)}</button>
        </div>
    }
}

/// A filled-in blank of a paper form: the value on a line.
#[component]
fn Blank(#[prop(into)] value: String) -> impl IntoView {
    view! { <span class="form-blank">{value}</span> }
}

/// A label cell of a form table.
#[component]
fn Label(label: Msg) -> impl IntoView {
    let i18n = use_i18n();
    view! { <th scope="row">{move || i18n.t(label)}</th> }
}

/// `/students/:id/case-card`: 001 附件3 学生帮扶教育记录卡.
#[component]
pub fn CaseCardPage() -> impl IntoView {
    let id = student_id_param();
    let wanted = wanted_case();
    view! { <RequireUser>{move || id.get().map(|student| view! { <CaseCardView student wanted/> })}</RequireUser> }.into_any()
}

#[component]
fn CaseCardView(student: StudentId, wanted: Memo<Option<Uuid>>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let card = Memo::new(move |_| {
        store
            .roster
            .with(|roster| store.records.with(|all| pick_case(cases_in(all, student), wanted.get()).map(|(_, case)| CaseCard::assemble(&case, all, roster))))
    });
    let year = this_year();
    view! {
        <article class="print-form case-card">
            <PrintButton/>
            <h1>{move || i18n.t(Msg::PrintCardTitle)}</h1>
            {move || match (i18n.lang(), card.get()) {
                (_, None) => view! { <p class="muted">{move || i18n.t(Msg::PrintNoCase)}</p> }.into_any(),
                (_, Some(card)) => view! { <CaseCardTable card year/> }.into_any(),
            }}
        </article>
    }
    .into_any()
}

#[component]
fn CaseCardTable(card: CaseCard, year: i32) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let entries = |list: &[CardEntry]| {
        if list.is_empty() {
            return view! { <p class="form-empty">{i18n.t(Msg::PrintNothingYet)}</p> }.into_any();
        }
        let items = list
            .iter()
            .map(|e| {
                let (day, line) = (e.day().to_string(), e.line(lang));
                view! { <li><span class="form-date">{day}</span>" "{line}</li> }
            })
            .collect_view();
        view! { <ol class="form-lines">{items}</ol> }.into_any()
    };
    // Of several helpers, each has their two rows; with none, the rows stay blank to fill by hand.
    let helpers = if card.helpers.is_empty() { vec![None] } else { card.helpers.iter().cloned().map(Some).collect() };
    let helper_rows = helpers
        .into_iter()
        .map(|p| {
            let p = p.unwrap_or(Pairing {
                volunteer_id: None,
                name: String::new(),
                student_no: String::new(),
                contact: String::new(),
                last_term_result: String::new(),
                paired_on: card.opened_on,
            });
            view! {
                <tr><Label label=Msg::PrintHelperName/><td>{p.name}</td><Label label=Msg::PrintHelperResult/><td>{p.last_term_result}</td></tr>
                <tr><Label label=Msg::PrintContact/><td>{p.contact}</td><Label label=Msg::StudentNo/><td>{p.student_no}</td></tr>
            }
        })
        .collect_view();
    let responsible = card.responsible(lang);
    let group = card.help_group.join(Msg::PrintListSeparator.text(lang));
    let plan = card.plan.as_ref().map(|p| p.text.clone());
    let evaluations = card
        .evaluations
        .iter()
        .map(|e| {
            let head = if e.term.is_empty() { date_line(e.written_at.date_naive(), lang) } else { e.term.clone() };
            view! { <li><span class="form-date">{head}</span>" "<span class="form-text">{e.text.clone()}</span></li> }
        })
        .collect_view();
    let signed_on = card.evaluations.iter().map(|e| e.written_at.date_naive()).max().map_or_else(|| blank_date_line(year, lang), |d| date_line(d, lang));
    let closure = card.closure.as_ref().map(|c| {
        let mut text = fill(Msg::PrintClosure.text(lang), &[("date", date_line(c.closed_on, lang)), ("outcome", outcome_label(c.outcome, lang).to_string())]);
        if !c.note.trim().is_empty() {
            text.push_str(Msg::PrintListSeparator.text(lang));
            text.push_str(c.note.trim());
        }
        view! { <p class="form-closure">{text}</p> }
    });
    let meta = format!("{}{}　{}{}", Msg::PrintClassColon.text(lang), card.class_name, Msg::PrintOpenedOnColon.text(lang), date_line(card.opened_on, lang));
    view! {
        <p class="form-meta">{meta}</p>
        <table class="form-table">
            <colgroup><col class="label"/><col/><col class="label"/><col/></colgroup>
            <tbody>
                <tr><Label label=Msg::PrintStudentName/><td>{card.student_name.clone()}</td><Label label=Msg::ClassRank/><td>{card.class_rank.clone()}</td></tr>
                <tr><Label label=Msg::PrintContact/><td>{card.phone.clone()}</td><Label label=Msg::StudentNo/><td>{card.student_no.clone()}</td></tr>
                <tr><Label label=Msg::PrintGuardianContact/><td>{card.guardian_phone.clone()}</td><Label label=Msg::HomeAddress/><td>{card.home_address.clone()}</td></tr>
                <tr><Label label=Msg::CaseCategory/><td colspan="3">{card.kind_label(lang)}</td></tr>
                {helper_rows}
                <tr class="tall"><Label label=Msg::PrintParentContacts/><td colspan="3">{entries(&card.parent_contacts)}</td></tr>
                <tr class="tall">
                    <Label label=Msg::PrintPlan/>
                    <td colspan="3">
                        {(!responsible.is_empty()).then(|| view! { <p>{fill(Msg::PrintResponsible.text(lang), &[("who", responsible.clone())])}</p> })}
                        {(!group.is_empty()).then(|| view! { <p>{fill(Msg::PrintHelpGroup.text(lang), &[("who", group.clone())])}</p> })}
                        {plan.map(|text| view! { <p class="form-text">{text}</p> })}
                    </td>
                </tr>
                <tr class="tallest"><Label label=Msg::PrintProcess/><td colspan="3">{entries(&card.process)}</td></tr>
                <tr class="tall">
                    <Label label=Msg::PrintEvaluation/>
                    <td colspan="3">
                        <ol class="form-lines">{evaluations}</ol>
                        {closure}
                        <p class="form-sign">{signed_on}</p>
                    </td>
                </tr>
            </tbody>
        </table>
        <p class="form-note">{move || i18n.t(Msg::PrintCardNote)}</p>
    }
    .into_any()
}

/// `/classes/:id/assistance-letter`: 001 附件1 学业困难学生帮扶计划责任书（班主任）.
#[component]
pub fn AssistanceLetterPage() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let class = class_id_param();
    let letter = Memo::new(move |_| {
        class
            .get()
            .and_then(|id| store.roster.with(|roster| roster.class(id).is_some().then(|| store.records.with(|all| ClassLetter::assemble(id, all, roster)))))
    });
    view! {
        <RequireUser>
            {move || match (i18n.lang(), letter.get()) {
                (_, None) => view! { <p class="muted">{move || i18n.t(Msg::ClassNotFound)}</p> }.into_any(),
                (_, Some(letter)) => view! { <AssistanceLetter letter/> }.into_any(),
            }}
        </RequireUser>
    }
    .into_any()
}

#[component]
fn AssistanceLetter(letter: ClassLetter) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang();
    let year = this_year();
    let class = letter.class_in_sentence().to_string();
    let rows = letter
        .students
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let level = s.level.map(|l| level_label(l, lang)).unwrap_or_default();
            view! { <tr><td>{i + 1}</td><td>{s.name.clone()}</td><td>{s.student_no.clone()}</td><td>{level}</td></tr> }
        })
        .collect_view();
    let empty = letter.students.is_empty();
    view! {
        <article class="print-form letter">
            <PrintButton/>
            <h1>{move || i18n.t(Msg::PrintLetter1Title)}</h1>
            <p class="letter-to">{move || i18n.t(Msg::PrintLetterTo)}</p>
            <p class="letter-body">{move || i18n.t(Msg::PrintLetter1Before)}<Blank value=class/>{move || i18n.t(Msg::PrintLetter1After)}</p>
            <h2>{move || i18n.t(Msg::PrintLetter1List)}</h2>
            {if empty {
                view! { <p class="form-empty">{move || i18n.t(Msg::PrintLetter1None)}</p> }.into_any()
            } else {
                view! {
                    <table class="form-table list">
                        <thead><tr>
                            <th scope="col">{move || i18n.t(Msg::PrintNumber)}</th>
                            <th scope="col">{move || i18n.t(Msg::PrintStudentName)}</th>
                            <th scope="col">{move || i18n.t(Msg::StudentNo)}</th>
                            <th scope="col">{move || i18n.t(Msg::CaseLevel)}</th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            }}
            <p class="letter-sign">{move || i18n.t(Msg::PrintHeadTeacherColon)}<Blank value=letter.head_teacher.clone()/></p>
            <p class="letter-sign">{blank_date_line(year, lang)}</p>
        </article>
    }
    .into_any()
}

/// `/students/:id/volunteer-letter`: 001 附件2 学业困难帮扶志愿书, the helper the case's latest pairing.
#[component]
pub fn VolunteerLetterPage() -> impl IntoView {
    let id = student_id_param();
    let wanted = wanted_case();
    view! { <RequireUser>{move || id.get().map(|student| view! { <VolunteerLetter student wanted/> })}</RequireUser> }.into_any()
}

#[component]
fn VolunteerLetter(student: StudentId, wanted: Memo<Option<Uuid>>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let names = Memo::new(move |_| {
        let helped = store.roster.with(|r| r.student(student).map(|s| s.name.clone())).unwrap_or_default();
        let helper = store
            .records
            .with(|all| pick_case(cases_in(all, student), wanted.get()))
            .and_then(|(_, case)| latest_pairing(&case).map(|p| p.name.clone()))
            .unwrap_or_default();
        (helper, helped)
    });
    let year = this_year();
    view! {
        <article class="print-form letter">
            <PrintButton/>
            <h1>{move || i18n.t(Msg::PrintLetter2Title)}</h1>
            <p class="letter-to">{move || i18n.t(Msg::PrintLetterTo)}</p>
            {move || {
                let (helper, helped) = names.get();
                view! {
                    <p class="letter-body">{move || i18n.t(Msg::PrintLetter2Before)}<Blank value=helped.clone()/>{move || i18n.t(Msg::PrintLetter2After)}</p>
                    <p class="letter-sign">{move || i18n.t(Msg::PrintHelperColon)}<Blank value=helper/></p>
                    <p class="letter-sign">{move || i18n.t(Msg::PrintHelpedColon)}<Blank value=helped/></p>
                }
            }}
            <p class="letter-sign">{move || blank_date_line(year, i18n.lang())}</p>
        </article>
    }
    .into_any()
}

/// `/records/:id/print`: a talk's 学生谈话记录表 (003 附件); other kinds have no paper form.
#[component]
pub fn RecordPrintPage() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let id = crate::pages::params::record_id_param();
    let record = Memo::new(move |_| id.get().and_then(|id| store.records.with(|all| all.iter().find(|r| r.record.id == id).map(|r| r.record.clone()))));
    view! {
        <RequireUser>
            {move || match (i18n.lang(), record.get()) {
                (_, None) => view! { <p class="muted">{move || i18n.t(Msg::RecordNotFound)}</p> }.into_any(),
                (_, Some(r)) => match r.body.clone() {
                    RecordBody::Talk(talk) => view! { <TalkSheet talk author=r.author_id/> }.into_any(),
                    _ => view! {
                        <p class="muted">{move || i18n.t(Msg::PrintNoForm)}</p>
                        <A href=format!("/records/{}", r.id) attr:class="button secondary">{move || i18n.t(Msg::Back)}</A>
                    }
                    .into_any(),
                },
            }}
        </RequireUser>
    }
    .into_any()
}

#[component]
fn TalkSheet(talk: Talk, author: UserId) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let lang = i18n.lang();
    let zone = store.zone();
    // The author's name is on the phone only when the author is the signed-in user.
    let me = store.user.with_untracked(|u| u.as_ref().filter(|u| u.id == author).map(|u| (u.display_name.clone(), u.role)));
    let who = Interviewers::of(me.as_ref().map(|(n, r)| (n.as_str(), *r)), &talk.co_interviewers);
    let (student, class, department) = store.roster.with_untracked(|r| {
        let s = r.student(talk.student_id).cloned();
        let class = s.as_ref().and_then(|s| r.class(s.class_id)).cloned();
        let department = class.as_ref().and_then(|c| r.departments.iter().find(|d| d.id == c.department_id)).map(|d| d.name.clone());
        (s, class.map(|c| c.name), department)
    });
    let gender = student.as_ref().map(|s| (if s.gender == Gender::Male { Msg::OfficeMale } else { Msg::OfficeFemale }).text(lang)).unwrap_or_default();
    let family = student.as_ref().and_then(|s| s.archive.as_ref()).map(|a| family_situation(a, lang)).unwrap_or_default();
    let phone = student.as_ref().and_then(|s| s.phone.clone()).unwrap_or_default();
    let name = student.map(|s| s.name).unwrap_or_default();
    let talked = rounds::school_time::to_school(talk.talked_at, &zone);
    let when = format!("{} {}", date_line(talked.date_naive(), lang), talked.format("%H:%M"));
    let parents = (if talk.parents_contacted { Msg::ParentsContacted } else { Msg::PrintParentsNotContacted }).text(lang);
    let join = |names: &[String]| names.join(Msg::PrintListSeparator.text(lang));
    let others = join(&who.others);
    view! {
        <article class="print-form talk-sheet">
            <PrintButton/>
            {department.map(|d| view! { <p class="form-org">{d}</p> })}
            <h1>{move || i18n.t(Msg::PrintTalkTitle)}</h1>
            <table class="form-table talk">
                <tbody>
                    <tr>
                        <Label label=Msg::PrintStudentName/><td>{name}</td>
                        <Label label=Msg::OfficeGender/><td>{gender}</td>
                        <Label label=Msg::PrintNativePlace/><td class="by-hand"></td>
                        <Label label=Msg::PrintClass/><td>{class.unwrap_or_default()}</td>
                    </tr>
                    <tr>
                        <Label label=Msg::PrintFamily/><td colspan="3">{family}</td>
                        <Label label=Msg::PrintStudentContact/><td colspan="3">{phone}</td>
                    </tr>
                    <tr class="tallest">
                        <Label label=Msg::Problems/>
                        <td colspan="7">
                            <p class="form-text">{talk.problems.clone()}</p>
                            <p>{parents}</p>
                        </td>
                    </tr>
                    <tr class="tall">
                        <Label label=Msg::Assessment/>
                        <td colspan="7">
                            <p class="form-text">{talk.assessment.clone()}</p>
                            {(!talk.study_plan.trim().is_empty()).then(|| view! {
                                <p class="form-text">{format!("{}：{}", Msg::StudyPlan.text(lang), talk.study_plan.trim())}</p>
                            })}
                            {talk.refer_to_counseling.then(|| view! { <p>{Msg::ReferToCounseling.text(lang)}</p> })}
                        </td>
                    </tr>
                    <tr>
                        <Label label=Msg::PrintInterviewers/>
                        <td colspan="3">
                            <p>{move || i18n.t(Msg::PrintHeadTeacherColon)}<Blank value=join(&who.head_teacher)/></p>
                            <p>{move || i18n.t(Msg::PrintCounselorColon)}<Blank value=join(&who.counselor)/></p>
                            {(!others.is_empty()).then(|| view! { <p>{Msg::PrintOthersColon.text(lang)}<Blank value=others.clone()/></p> })}
                        </td>
                        <Label label=Msg::PrintTalkTime/>
                        <td colspan="3">{when}</td>
                    </tr>
                </tbody>
            </table>
            <p class="form-note">{move || i18n.t(Msg::PrintTalkNote)}</p>
        </article>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn at(day: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("{day}T10:00:00+08:00")).unwrap()
    }

    fn roster() -> RosterSnapshot {
        let student = |id: i64, name: &str, class: i64| Student {
            id: StudentId(id),
            student_no: format!("2023010{id}"),
            name: name.into(),
            gender: Gender::Female,
            class_id: ClassId(class),
            phone: Some(format!("1380000000{id}")),
            archive: Some(StudentArchive {
                guardian_phone: "13900000000".into(),
                home_address: "山西省朔州市某村".into(),
                origin: Some(Origin::Rural),
                economy: Some(Economy::Difficult),
                flags: vec![AttentionFlag::SingleParent, AttentionFlag::AcademicWarning],
                family_notes: "母亲务农".into(),
                ..Default::default()
            }),
            initials: String::new(),
        };
        RosterSnapshot {
            departments: vec![Department { id: DepartmentId(1), name: "生命科学系".into() }],
            classes: vec![
                Class { id: ClassId(1), department_id: DepartmentId(1), name: "生科2023-1班".into(), cohort_year: 2023 },
                Class { id: ClassId(2), department_id: DepartmentId(1), name: "生科2023-2".into(), cohort_year: 2023 },
            ],
            students: vec![student(1, "张三", 1), student(2, "李四", 1), student(3, "王五", 1), student(4, "赵六", 2)],
            ..Default::default()
        }
    }

    fn case(student: i64, opened: &str) -> AssistanceCase {
        AssistanceCase {
            student_id: StudentId(student),
            category: AssistanceCategory::Academic,
            level: Some(AcademicLevel::Two),
            opened_at: at(opened),
            term: "2025-2026-2".into(),
            basis: String::new(),
            head_teacher: "陈静".into(),
            counselor: "王芳".into(),
            class_rank: "38/40".into(),
            pairings: vec![],
            help_group: vec![],
            closure: None,
        }
    }

    fn env(body: impl Into<RecordBody>) -> RecordEnvelope {
        let body = body.into();
        let when = body.occurred_at();
        RecordEnvelope::new(body, UserId(7), "phone", when)
    }

    fn talk(student: i64, day: &str, problems: &str) -> RecordEnvelope {
        env(Talk {
            student_id: StudentId(student),
            talked_at: at(day),
            place: String::new(),
            reason: TalkReason::Assistance,
            problems: problems.into(),
            assessment: "需持续关注".into(),
            parents_contacted: false,
            refer_to_counseling: false,
            co_interviewers: String::new(),
            study_plan: String::new(),
        })
    }

    fn contact(student: i64, day: &str) -> RecordEnvelope {
        env(ParentContact {
            student_id: StudentId(student),
            contacted_at: at(day),
            guardian: "母亲".into(),
            channel: ContactChannel::Phone,
            reason: ParentContactReason::Warning,
            content: "告知帮扶情况".into(),
            feedback: "会督促".into(),
            follow_up: String::new(),
            letter_id: None,
        })
    }

    fn visit(student: i64, day: &str) -> RecordEnvelope {
        env(HomeVisit {
            student_id: StudentId(student),
            visited_at: at(day),
            address: "某村".into(),
            participants: "王芳".into(),
            aid_policy: String::new(),
            news_exchanged: String::new(),
            student_situation: "在家学习".into(),
            joint_plan: "每周通话".into(),
            family_situation: String::new(),
            aid_given: String::new(),
        })
    }

    fn session(student: i64, day: &str) -> RecordEnvelope {
        env(VolunteerSession {
            student_id: StudentId(student),
            held_at: at(day),
            volunteer_id: None,
            volunteer_name: "李明".into(),
            minutes: 90,
            content: "讲解高数".into(),
        })
    }

    fn note(student: i64, part: NotePart, term: &str, written: DateTime<FixedOffset>, text: &str) -> RecordEnvelope {
        env(AssistanceNote { student_id: StudentId(student), written_at: written, part, term: term.into(), text: text.into() })
    }

    fn deleted(r: RecordEnvelope) -> RecordEnvelope {
        let body = r.body.clone();
        r.edited(body, true, "phone", r.saved_at)
    }

    #[test]
    fn the_card_holds_the_window_from_opening_to_closing() {
        let mut c = case(1, "2026-03-10");
        c.closure = Some(CaseClosure { closed_on: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(), outcome: CaseOutcome::Resolved, note: String::new() });
        let records = vec![
            talk(1, "2026-03-09", "before the opening"),
            talk(1, "2026-03-10", "on the opening day"),
            talk(1, "2026-06-30", "on the closing day"),
            talk(1, "2026-07-01", "after the closing"),
            contact(1, "2026-03-01"),
            contact(1, "2026-04-01"),
        ];
        let card = CaseCard::assemble(&c, &records, &roster());
        let texts: Vec<String> = card.process.iter().map(|e| e.line(Lang::Zh)).collect();
        assert_eq!(texts, vec!["谈心谈话（帮扶）：on the opening day", "谈心谈话（帮扶）：on the closing day"]);
        assert_eq!(card.parent_contacts.iter().map(|e| e.id).collect::<Vec<_>>(), vec![records[5].id]);
        // An open case runs on to now.
        let open = CaseCard::assemble(&case(1, "2026-03-10"), &records, &roster());
        assert_eq!(open.process.len(), 3);
    }

    #[test]
    fn the_process_record_is_talks_visits_and_sessions_by_date() {
        let records = vec![session(1, "2026-05-02"), talk(1, "2026-04-20", "逃课"), visit(1, "2026-03-15"), contact(1, "2026-03-20")];
        let card = CaseCard::assemble(&case(1, "2026-03-01"), &records, &roster());
        let ids: Vec<Uuid> = card.process.iter().map(|e| e.id).collect();
        assert_eq!(ids, vec![records[2].id, records[1].id, records[0].id]);
        assert_eq!(card.process[0].line(Lang::Zh), "家访：在家学习；每周通话");
        assert_eq!(card.process[2].line(Lang::Zh), "志愿者帮扶（李明，90分钟）：讲解高数");
        assert_eq!(card.parent_contacts[0].line(Lang::Zh), "电话联系母亲：告知帮扶情况（家长反馈：会督促）");
        assert_eq!(card.process[0].day(), NaiveDate::from_ymd_opt(2026, 3, 15).unwrap());
    }

    #[test]
    fn other_students_and_deleted_records_never_count() {
        let records = vec![
            talk(2, "2026-04-01", "someone else"),
            deleted(talk(1, "2026-04-02", "deleted")),
            deleted(contact(1, "2026-04-03")),
            contact(2, "2026-04-03"),
            session(3, "2026-04-04"),
            note(2, NotePart::Plan, "", at("2026-04-05"), "someone else's plan"),
            deleted(note(1, NotePart::Evaluation, "2025-2026-2", at("2026-04-06"), "deleted evaluation")),
            talk(1, "2026-04-07", "mine"),
        ];
        let card = CaseCard::assemble(&case(1, "2026-03-01"), &records, &roster());
        assert_eq!(card.process.iter().map(|e| e.id).collect::<Vec<_>>(), vec![records[7].id]);
        assert!(card.parent_contacts.is_empty());
        assert_eq!(card.plan, None);
        assert!(card.evaluations.is_empty());
    }

    #[test]
    fn the_latest_plan_wins_and_evaluations_go_by_term() {
        let t = at("2026-03-20");
        let records = vec![
            note(1, NotePart::Plan, "", t + Duration::days(30), "newer plan"),
            note(1, NotePart::Plan, "", t, "first plan"),
            note(1, NotePart::Plan, "", at("2026-02-01"), "a plan from before the case"),
            note(1, NotePart::Evaluation, "2026-2027-1", t + Duration::days(200), "second term"),
            note(1, NotePart::Evaluation, "2025-2026-2", t + Duration::days(90), "first term"),
        ];
        let card = CaseCard::assemble(&case(1, "2026-03-01"), &records, &roster());
        assert_eq!(card.plan.as_ref().map(|p| p.text.as_str()), Some("newer plan"));
        assert_eq!(card.evaluations.iter().map(|e| e.term.as_str()).collect::<Vec<_>>(), vec!["2025-2026-2", "2026-2027-1"]);
        // Edited later but written earlier: the writing date decides, not the saving.
        let mut records = records;
        records[1] = records[1].edited(records[1].body.clone(), false, "phone", t + Duration::days(60));
        let card = CaseCard::assemble(&case(1, "2026-03-01"), &records, &roster());
        assert_eq!(card.plan.map(|p| p.text), Some("newer plan".into()));
    }

    #[test]
    fn the_card_names_the_student_and_the_case() {
        let mut c = case(1, "2026-03-01");
        c.pairings = vec![Pairing {
            volunteer_id: None,
            name: "李明".into(),
            student_no: "2023010199".into(),
            contact: "13700000000".into(),
            last_term_result: "班级第2名".into(),
            paired_on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        }];
        let card = CaseCard::assemble(&c, &Vec::<RecordEnvelope>::new(), &roster());
        assert_eq!((card.student_name.as_str(), card.student_no.as_str(), card.phone.as_str()), ("张三", "20230101", "13800000001"));
        assert_eq!((card.class_name.as_str(), card.guardian_phone.as_str()), ("生科2023-1班", "13900000000"));
        assert_eq!(card.home_address, "山西省朔州市某村");
        assert_eq!(card.kind_label(Lang::Zh), "学业困难 · 二级帮扶");
        assert_eq!(card.responsible(Lang::Zh), "班主任 陈静，辅导员 王芳");
        assert_eq!(card.helpers[0].name, "李明");
        assert_eq!(card.class_rank, "38/40");
    }

    #[test]
    fn the_open_case_is_picked_unless_one_is_asked_for() {
        let mut old = case(1, "2025-09-01");
        old.closure = Some(CaseClosure { closed_on: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(), outcome: CaseOutcome::Improved, note: String::new() });
        let mut newer_closed = case(1, "2026-05-01");
        newer_closed.closure =
            Some(CaseClosure { closed_on: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), outcome: CaseOutcome::Resolved, note: String::new() });
        let open = case(1, "2026-03-01");
        let records = vec![env(old.clone()), env(open.clone()), env(newer_closed.clone()), env(case(2, "2026-03-01")), deleted(env(case(1, "2026-07-01")))];
        let cases = cases_in(&records, StudentId(1));
        assert_eq!(cases.len(), 3, "another student's and a deleted case are not the student's");
        assert_eq!(pick_case(cases.clone(), None).map(|c| c.1), Some(open));
        assert_eq!(pick_case(cases.clone(), Some(records[0].id)).map(|c| c.1), Some(old.clone()));
        assert_eq!(pick_case(cases.clone(), Some(records[3].id)).map(|c| c.0), Some(records[1].id), "another student's case is not picked");
        let closed_only: Vec<_> = cases.into_iter().filter(|(_, c)| !c.is_open()).collect();
        assert_eq!(pick_case(closed_only, None).map(|c| c.1), Some(newer_closed));
        assert_eq!(pick_case(vec![], None), None);
    }

    #[test]
    fn the_class_letter_lists_open_academic_cases_of_the_class() {
        let mut closed = case(2, "2026-03-01");
        closed.closure = Some(CaseClosure { closed_on: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(), outcome: CaseOutcome::Resolved, note: String::new() });
        let hardship = AssistanceCase { category: AssistanceCategory::Hardship, level: None, ..case(3, "2026-03-01") };
        let records = vec![env(case(1, "2026-03-01")), env(closed), env(hardship), env(case(4, "2026-03-01")), deleted(env(case(3, "2026-03-02")))];
        let letter = ClassLetter::assemble(ClassId(1), &records, &roster());
        assert_eq!(letter.students.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), vec!["张三"]);
        assert_eq!(letter.students[0].level, Some(AcademicLevel::Two));
        assert_eq!(letter.head_teacher, "陈静");
        assert_eq!(letter.class_in_sentence(), "生科2023-1");
        let other = ClassLetter { class_name: "生科2023-2".into(), students: vec![], head_teacher: String::new() };
        assert_eq!(other.class_in_sentence(), "生科2023-2");
    }

    #[test]
    fn the_volunteer_letter_names_the_latest_pairing() {
        let pairing = |name: &str, day: u32| Pairing {
            volunteer_id: None,
            name: name.into(),
            student_no: String::new(),
            contact: String::new(),
            last_term_result: String::new(),
            paired_on: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
        };
        let mut c = case(1, "2026-03-01");
        assert_eq!(latest_pairing(&c), None);
        c.pairings = vec![pairing("甲", 5), pairing("乙", 2), pairing("丙", 5)];
        assert_eq!(latest_pairing(&c).map(|p| p.name.as_str()), Some("丙"));
    }

    #[test]
    fn interviewers_go_on_their_roles_lines() {
        let who = Interviewers::of(Some(("王芳", Role::Counselor)), "班主任 陈静，辅导员：王芳、李老师");
        assert_eq!(who.head_teacher, vec!["陈静"]);
        assert_eq!(who.counselor, vec!["王芳"], "the author named again is not listed twice");
        assert_eq!(who.others, vec!["李老师"]);
        let who = Interviewers::of(None, "");
        assert_eq!(who, Interviewers::default());
        assert_eq!(Interviewers::of(Some(("陈静", Role::HeadTeacher)), "").head_teacher, vec!["陈静"]);
    }

    #[test]
    fn family_lines_and_one_line_summaries() {
        let archive = roster().students[0].archive.clone().unwrap();
        assert_eq!(family_situation(&archive, Lang::Zh), "农村，经济困难，单亲，母亲务农");
        assert_eq!(one_line("第一行\n  第二行\t完", 80), "第一行 第二行 完");
        assert_eq!(one_line(&"字".repeat(100), 10), format!("{}…", "字".repeat(9)));
        assert_eq!(date_line(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap(), Lang::Zh), "2026年3月5日");
        assert_eq!(blank_date_line(2026, Lang::Zh), "2026年　　月　　日");
    }
}
