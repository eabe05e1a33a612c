//! 今日待办: what the school's rules still ask of the signed-in user, most urgent first, each
//! saying why and where the rule comes from, one tap from the form that clears it. Computed on
//! the phone from the local store, offline too, and again whenever a record is saved or synced.

use crate::components::RequireUser;
use crate::duties::{duties_on, now_ms, owner_of, with_duty_inputs};
use crate::i18n::*;
use crate::kinds::{activity_label, kind_name};
use crate::state::use_store;
use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::duties::rules::ARCHIVE_REVIEW;
use rounds::duties::{Duty, DutySetup, DutyStatus, Period, Rule, RuleScope, StudentFilter};
use rounds::record::Subject;
use rounds::{ClassId, RecordBody, RosterSnapshot};

/// `/`: Today for those who owe duties (counselors, head teachers, leaders). The office and
/// administrators owe none; they keep the rooms page here and their hub at `/office`.
#[component]
pub fn Home() -> impl IntoView {
    let store = use_store();
    let office = move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything()));
    view! {
        <Show when=office fallback=|| view! { <Today/> }>
            <crate::pages::issues::OfficeIssueLine/>
            // The office's own duties (the special archive's review, 004 三(一)).
            <TodayList/>
            <crate::pages::rooms::MyRooms/>
        </Show>
    }
    .into_any()
}

#[component]
pub fn Today() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t(Msg::TodayTitle)}</h1>
        <RequireUser>
            // The ledger's answers and tasks first: they are someone's word waiting for a reply.
            <crate::pages::issues::TodayIssues/>
            <crate::pages::office::visit_plans::MyPlannedVisits/>
            <crate::pages::office::letters::MyLetters/>
            <crate::pages::office::duty_rosters::MyShifts/>
            <TodayList/>
        </RequireUser>
    }
    .into_any()
}

/// One computation of Today: the duties, the day they are for, and how long it took.
#[derive(Clone, PartialEq)]
struct Computed {
    duties: Vec<Duty>,
    today: NaiveDate,
    ms: f64,
}

#[component]
fn TodayList() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    // Reads the records, roster, rules and user, so it runs again after every change to them:
    // a save puts its record in `store.records` before the form navigates back here.
    let computed = Memo::new(move |_| {
        with_duty_inputs(store, |i| {
            let started = now_ms();
            let duties = duties_on(i.setup, i.roster, i.records, &i.owner, &i.zone, i.today);
            let ms = now_ms() - started;
            leptos::logging::log!("today: {} duties from {} records in {ms:.1} ms", duties.len(), i.records.len());
            Computed { duties, today: i.today, ms }
        })
    });
    let views = move |urgent: bool| -> Vec<DutyView> {
        let lang = i18n.lang();
        computed.with(|c| {
            let Some(c) = c else { return Vec::new() };
            store.duty_setup.with(|setup| {
                let Some(setup) = setup else { return Vec::new() };
                store.roster.with(|roster| {
                    let classes = store.user.with(|u| u.as_ref().map(|u| owner_of(u, roster).classes).unwrap_or_default());
                    c.duties
                        .iter()
                        .filter(|d| matches!(d.status, DutyStatus::Overdue | DutyStatus::DueSoon) == urgent)
                        .filter_map(|d| describe(d, setup, roster, &classes, c.today, lang))
                        .collect()
                })
            })
        })
    };
    let urgent = Memo::new(move |_| views(true));
    let others = Memo::new(move |_| views(false));
    let on_track =
        move || computed.with(|c| c.as_ref().map_or(0, |c| c.duties.iter().filter(|d| !matches!(d.status, DutyStatus::Overdue | DutyStatus::DueSoon)).count()));
    let ms = move || computed.with(|c| c.as_ref().map(|c| format!("{:.1}", c.ms))).unwrap_or_default();
    let term = move || {
        computed.with(|c| {
            let today = c.as_ref()?.today;
            store.duty_setup.with(|s| {
                let semester = s.as_ref()?.calendar.semester_on(today);
                Some(match semester {
                    Some(s) => match s.teaching_week(today) {
                        Some(w) => i18n.tf(Msg::TodayWeek, &[("s", s.name.clone()), ("w", w.to_string())]),
                        None => s.name.clone(),
                    },
                    None => i18n.t(Msg::TodayOutsideSemester).to_string(),
                })
            })
        })
    };
    let unsynced = move || {
        let n = store.unsynced_count();
        (n > 0).then(|| i18n.tf(Msg::TodayUnsyncedCounted, &[("n", n.to_string())]))
    };
    // The on-track list can hold a duty per student; it is built only when opened.
    let open = RwSignal::new(false);
    view! {
        <Show when=move || computed.with(|c| c.is_some()) fallback=move || view! {
            <p class="warning">{move || i18n.t(Msg::RulesNotSynced)}</p>
        }>
            <section class="today" data-compute-ms=ms>
                <p class="muted">{term}" "{unsynced}</p>
                <h2 id="today-urgent">{move || i18n.t(Msg::TodayUrgent)}</h2>
                <Show when=move || urgent.with(|u| !u.is_empty()) fallback=move || view! { <p class="muted">{move || i18n.t(Msg::TodayNothingUrgent)}</p> }>
                    <ul class="duties" aria-labelledby="today-urgent">
                        {move || urgent.get().into_iter().map(|v| view! { <DutyItem view=v/> }).collect_view()}
                    </ul>
                </Show>
                <details class="on-track" prop:open=open>
                    <summary on:click=move |ev| {
                        ev.prevent_default();
                        open.update(|o| *o = !*o);
                    }>{move || i18n.tf(Msg::TodayOnTrack, &[("n", on_track().to_string())])}</summary>
                    <Show when=move || open.get()>
                        <ul class="duties">
                            {move || others.get().into_iter().map(|v| view! { <DutyItem view=v/> }).collect_view()}
                        </ul>
                    </Show>
                </details>
                <p class="footnote muted">{move || i18n.tf(Msg::TodayComputeMs, &[("ms", ms())])}</p>
                <A href="/summary" attr:class="button secondary">{move || i18n.t(Msg::SummaryTitle)}</A>
            </section>
        </Show>
    }
    .into_any()
}

/// Where one tap on a duty goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Go {
    /// The form that clears it, pre-filled with its room, class or student.
    Form(String),
    /// A per-person duty met in any class: one form per class, by name.
    Classes(Vec<(String, String)>),
    /// A share: the students not yet covered, each to their form.
    Students(Vec<(String, String)>),
    Nowhere,
}

/// A duty as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DutyView {
    pub status: DutyStatus,
    /// `逾期 2 天`, `3 天后到期`
    pub when: String,
    /// `寝室 3-214：上次查寝 16 天前，规则：每 14 天`
    pub why: String,
    /// `依据 000 §2.6.2 · 每间寝室至少每14天查寝一次`
    pub source: String,
    pub go: Go,
}

#[component]
fn DutyItem(view: DutyView) -> impl IntoView {
    let i18n = use_i18n();
    let DutyView { status, when, why, source, go } = view;
    let class = match status {
        DutyStatus::Overdue => "duty overdue",
        DutyStatus::DueSoon => "duty due-soon",
        DutyStatus::Upcoming | DutyStatus::Met => "duty",
    };
    let body = move || {
        view! {
            <span class="duty-when">{when.clone()}</span>
            <span class="duty-why">{why.clone()}</span>
            <span class="duty-source">{source.clone()}</span>
        }
    };
    let inner = match go {
        Go::Form(href) => view! { <A href=href attr:class="duty-link">{body()}</A> }.into_any(),
        Go::Classes(classes) => view! {
            <div class="duty-body">{body()}</div>
            <p class="duty-pick">{move || i18n.t(Msg::TodayPickClass)}</p>
            <div class="action-row">
                {classes.into_iter().map(|(name, href)| view! { <A href=href attr:class="button secondary">{name}</A> }).collect_view()}
            </div>
        }
        .into_any(),
        Go::Students(students) => {
            let n = students.len();
            view! {
                <details class="duty-pending">
                    <summary class="duty-body">{body()}</summary>
                    <p class="muted">{move || i18n.tf(Msg::TodayPendingStudents, &[("n", n.to_string())])}</p>
                    <ul class="pending-students">
                        {students.into_iter().map(|(name, href)| view! { <li><A href=href attr:class="button secondary">{name}</A></li> }).collect_view()}
                    </ul>
                </details>
            }
            .into_any()
        }
        Go::Nowhere => view! { <div class="duty-body">{body()}</div> }.into_any(),
    };
    view! { <li class=class>{inner}</li> }.into_any()
}

/// A duty in words, with where to record what clears it; `None` for a rule no longer in the setup.
pub fn describe(duty: &Duty, setup: &DutySetup, roster: &RosterSnapshot, classes: &[ClassId], today: NaiveDate, lang: Lang) -> Option<DutyView> {
    let rule = setup.rules.rule(&duty.rule_id)?;
    let source = if rule.source.is_empty() {
        rule.title.clone()
    } else {
        format!("{} · {}", fill(Msg::DutySource.text(lang), &[("s", rule.source.clone())]), rule.title)
    };
    Some(DutyView {
        status: duty.status,
        when: when(duty, today, lang),
        why: why(duty, rule, roster, classes, lang),
        source,
        go: go(duty, rule, roster, classes),
    })
}

/// How the duty stands in time.
pub fn when(duty: &Duty, today: NaiveDate, lang: Lang) -> String {
    let t = |m: Msg, args: &[(&str, String)]| fill(m.text(lang), args);
    match duty.status {
        DutyStatus::Overdue => t(Msg::DutyOverdue, &[("n", duty.days_overdue(today).max(1).to_string())]),
        DutyStatus::DueSoon if duty.due <= today => t(Msg::DutyDueToday, &[]),
        DutyStatus::DueSoon => t(Msg::DutyDueIn, &[("n", (duty.due - today).num_days().to_string())]),
        DutyStatus::Upcoming => t(Msg::DutyDueBy, &[("d", short_date(duty.due, lang))]),
        DutyStatus::Met => t(Msg::DutyMet, &[]),
    }
}

/// Why the duty is there: whom it is about, what was done, and what the rule asks.
pub fn why(duty: &Duty, rule: &Rule, roster: &RosterSnapshot, classes: &[ClassId], lang: Lang) -> String {
    let t = |m: Msg, args: &[(&str, String)]| fill(m.text(lang), args);
    let kind = kind_words(rule, lang);
    let (done, required) = (duty.done.to_string(), duty.required.to_string());
    let phrase = match (rule.scope, rule.period) {
        (_, Period::AfterEvent { event, days }) => {
            let event = crate::i18n::event_label(event, lang);
            let date = short_date(duty.window.start, lang);
            t(Msg::TodayAfterEvent, &[("event", event.to_string()), ("date", date), ("days", days.to_string()), ("kind", kind)])
        }
        (RuleScope::SessionShare { per }, period) => {
            let total = share_total(rule, roster, classes).to_string();
            let args =
                [("period", period_words(period, lang)), ("kind", kind), ("done", done), ("required", required), ("total", total), ("per", per.to_string())];
            t(Msg::TodaySessions, &args)
        }
        (RuleScope::StudentShare { .. }, period) => {
            // A met share lists no pending students, so its total comes from the roster.
            let total = match duty.status {
                DutyStatus::Met => share_total(rule, roster, classes),
                _ => duty.done as usize + duty.pending.len(),
            };
            t(Msg::TodayShare, &[("period", period_words(period, lang)), ("kind", kind), ("done", done), ("total", total.to_string()), ("required", required)])
        }
        (_, Period::Days { days }) => {
            let last = match duty.last_done.map(|d| (duty.window.end - d).num_days()) {
                Some(0) => t(Msg::TodayLastToday, &[("kind", kind)]),
                Some(n) => t(Msg::TodayLast, &[("kind", kind), ("n", n.to_string())]),
                None => t(Msg::TodayNever, &[("kind", kind)]),
            };
            let rule_words = match rule.min_count {
                1 => t(Msg::TodayEvery, &[("days", days.to_string())]),
                m => t(Msg::TodayEveryTimes, &[("days", days.to_string()), ("m", m.to_string())]),
            };
            let comma = if lang == Lang::Zh { "，" } else { ", " };
            format!("{last}{comma}{rule_words}")
        }
        (RuleScope::CourseTeachers, period) => t(Msg::TodayCourseTeachers, &[("period", period_words(period, lang)), ("done", done), ("required", required)]),
        (_, period) => t(Msg::TodayCount, &[("period", period_words(period, lang)), ("kind", kind), ("done", done), ("required", required)]),
    };
    let subject = match rule.period {
        // The event already says what the student's standing is.
        Period::AfterEvent { .. } => subject_words(duty.subject, StudentFilter::All, roster, lang),
        _ => subject_words(duty.subject, rule.students, roster, lang),
    };
    match subject {
        Some(s) if lang == Lang::Zh => format!("{s}：{phrase}"),
        Some(s) => format!("{s}: {phrase}"),
        None => capitalised(&phrase),
    }
}

/// How many students of the person's classes a share is counted over.
fn share_total(rule: &Rule, roster: &RosterSnapshot, classes: &[ClassId]) -> usize {
    roster.students.iter().filter(|s| classes.contains(&s.class_id) && rule.students.admits(s.archive.as_ref())).count()
}

/// The rule's kind of record as words inside a sentence: `查寝`, `dorm check`, `专题党课`.
fn kind_words(rule: &Rule, lang: Lang) -> String {
    let activity = rule.activity_index().and_then(|i| activity_label(&rule.kind, i, lang));
    let name = match activity {
        Some(a) => a,
        None if rule.kind == ARCHIVE_REVIEW => Msg::KindArchiveReview.text(lang),
        None => kind_name(&rule.kind).text(lang),
    };
    match lang {
        Lang::Zh => name.to_string(),
        // Every English kind and activity name is ASCII (a test below checks): the Unicode
        // `to_lowercase` would be 4 KB more of the first download for nothing.
        Lang::En => name.to_ascii_lowercase(),
    }
}

fn period_words(period: Period, lang: Lang) -> String {
    let t = |m: Msg| m.text(lang).to_string();
    match period {
        Period::Weeks { weeks: 1 } => t(Msg::PeriodWeek),
        Period::Weeks { weeks } => fill(Msg::PeriodWeeks.text(lang), &[("n", weeks.to_string())]),
        Period::Month => t(Msg::PeriodMonth),
        Period::Quarter => t(Msg::PeriodQuarter),
        Period::SchoolYear => t(Msg::PeriodSchoolYear),
        Period::Semester | Period::Days { .. } | Period::AfterEvent { .. } => t(Msg::PeriodSemester),
        Period::YearStart { days } => fill(Msg::PeriodYearStartWords.text(lang), &[("n", days.to_string())]),
        Period::BeforeExams { days } => fill(Msg::PeriodBeforeExamsWords.text(lang), &[("n", days.to_string())]),
        Period::YearEnd { days } => fill(Msg::PeriodYearEndWords.text(lang), &[("n", days.to_string())]),
        Period::SemesterStart { days } => fill(Msg::PeriodSemesterStartWords.text(lang), &[("n", days.to_string())]),
        Period::Vacation => t(Msg::PeriodVacationWords),
    }
}

/// `寝室 3-214`, `2023级1班`, `张三（二级帮扶）`; `None` for the person's own duties.
fn subject_words(subject: Subject, students: StudentFilter, roster: &RosterSnapshot, lang: Lang) -> Option<String> {
    let name = match subject {
        Subject::Own => return None,
        Subject::Room(r) => roster.room(r).map(|room| fill(Msg::TodayRoom.text(lang), &[("n", room.number.clone())])),
        Subject::Student(s) => roster.student(s).map(|student| {
            let tag = student_tag(students, student.archive.as_ref(), lang);
            match (tag, lang) {
                (None, _) => student.name.clone(),
                (Some(tag), Lang::Zh) => format!("{}（{tag}）", student.name),
                (Some(tag), Lang::En) => format!("{} ({tag})", student.name),
            }
        }),
        other => Some(rounds::duties::compliance::subject_label(other, roster)).filter(|l| !l.is_empty()),
    };
    Some(name.unwrap_or_else(|| "—".to_string()))
}

/// Why a per-student rule picked this student.
fn student_tag(filter: StudentFilter, archive: Option<&rounds::StudentArchive>, lang: Lang) -> Option<String> {
    let t = |m: Msg| m.text(lang).to_string();
    match filter {
        StudentFilter::All => None,
        StudentFilter::Warned => Some(t(Msg::TagWarned)),
        StudentFilter::Disciplined => Some(t(Msg::TagDisciplined)),
        StudentFilter::WarnedOrDisciplined => {
            let tags: Vec<String> = [
                (archive.is_some_and(|a| a.is_warned()), Msg::TagWarned),
                (archive.is_some_and(|a| a.is_ruled_on()), Msg::TagRuledOn),
                (archive.is_some_and(|a| a.is_disciplined()), Msg::TagDisciplined),
            ]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, tag)| t(tag))
            .collect();
            Some(if tags.is_empty() { t(Msg::TagWarned) } else { tags.join(if lang == Lang::Zh { "、" } else { ", " }) })
        }
        StudentFilter::Assisted { level } => {
            let n = match (lang, level) {
                (Lang::Zh, 1) => "一".to_string(),
                (Lang::Zh, 2) => "二".to_string(),
                (Lang::Zh, 3) => "三".to_string(),
                (_, n) => n.to_string(),
            };
            Some(fill(Msg::TagAssisted.text(lang), &[("n", n)]))
        }
        StudentFilter::Flagged { flag } => Some(flag_label(flag, lang).to_string()),
        StudentFilter::Economy { economy } => Some(economy_label(economy, lang).to_string()),
        StudentFilter::Tier { tier } => Some(crate::i18n::tier_label(tier, lang).to_string()),
        StudentFilter::SpecialArchive => Some(t(Msg::TagSpecialArchive)),
        StudentFilter::YearOfStudy { year: 1 } => Some(t(Msg::TagFreshman)),
        StudentFilter::YearOfStudy { year } => Some(fill(Msg::TagYearOfStudy.text(lang), &[("n", year.to_string())])),
        StudentFilter::AssistedAny => match archive.and_then(|a| a.assistance_level) {
            Some(level) => student_tag(StudentFilter::Assisted { level }, archive, lang),
            None => Some(t(Msg::TagAssistedAny)),
        },
    }
}

/// `11月23日` / `Nov 23` (chrono's `%-m月%-d日` / `%b %-d`, written without its format strings,
/// which would bring their parser and formatter into the first download).
fn short_date(d: NaiveDate, lang: Lang) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    match lang {
        Lang::Zh => format!("{}月{}日", d.month(), d.day()),
        Lang::En => format!("{} {}", MONTHS[d.month0() as usize], d.day()),
    }
}

/// An English sentence starts with a capital; Chinese has none to change.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Where one tap goes; forms come back to Today once saved.
pub fn go(duty: &Duty, rule: &Rule, roster: &RosterSnapshot, classes: &[ClassId]) -> Go {
    let activity = rule.activity.as_deref();
    if let RuleScope::StudentShare { .. } | RuleScope::SessionShare { .. } = rule.scope {
        let students = duty
            .pending
            .iter()
            .filter_map(|s| {
                let name = roster.student(*s)?.name.clone();
                Some((name, form_path(&rule.kind, activity, Subject::Student(*s))?))
            })
            .collect();
        return Go::Students(students);
    }
    if let Some(path) = form_path(&rule.kind, activity, duty.subject) {
        return Go::Form(path);
    }
    if duty.subject != Subject::Own {
        return Go::Nowhere;
    }
    // A per-person duty: records of a class kind are made from one of the person's classes,
    // of a room or student kind from the lists to pick one.
    match RecordBody::subject_type_of(&rule.kind) {
        Some(rounds::record::SubjectType::Class) => {
            let mut forms: Vec<(String, String)> =
                classes.iter().filter_map(|c| Some((roster.class(*c)?.name.clone(), form_path(&rule.kind, activity, Subject::Class(*c))?))).collect();
            match forms.len() {
                0 => Go::Nowhere,
                1 => Go::Form(forms.remove(0).1),
                _ => Go::Classes(forms),
            }
        }
        Some(rounds::record::SubjectType::Room) => Go::Form("/rooms".into()),
        Some(rounds::record::SubjectType::Student) => Go::Form("/students".into()),
        _ => Go::Nowhere,
    }
}

/// The form of a kind about a subject, with the sub-kind to pre-select and the way back.
fn form_path(kind: &str, activity: Option<&str>, subject: Subject) -> Option<String> {
    let path = match (kind, subject) {
        // The archive is confirmed from the student's page, where its card is.
        (ARCHIVE_REVIEW, Subject::Student(s)) => return Some(format!("/students/{s}")),
        (kind, subject) => crate::kinds::form_path(kind, subject)?,
    };
    Some(match activity {
        Some(a) => format!("{path}?activity={a}&back=/"),
        None => format!("{path}?back=/"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::tests::*;
    use crate::state::SyncState;
    use rounds::*;

    #[test]
    fn english_kind_and_activity_names_are_ascii() {
        for kind in RecordBody::KINDS.iter().copied().chain([ARCHIVE_REVIEW]) {
            let name = if kind == ARCHIVE_REVIEW { Msg::KindArchiveReview } else { kind_name(kind) };
            assert!(name.text(Lang::En).is_ascii(), "{kind}: {}", name.text(Lang::En));
            for i in 0..RecordBody::activities_of(kind).len() {
                let label = activity_label(kind, u8::try_from(i).unwrap(), Lang::En).unwrap_or_default();
                assert!(label.is_ascii(), "{kind} activity {i}: {label}");
            }
        }
    }

    #[test]
    fn short_dates_read_as_chrono_wrote_them() {
        for (m, d) in [(1, 1), (2, 28), (5, 9), (9, 30), (11, 23), (12, 31)] {
            let date = NaiveDate::from_ymd_opt(2026, m, d).unwrap();
            assert_eq!(short_date(date, Lang::Zh), date.format("%-m月%-d日").to_string());
            assert_eq!(short_date(date, Lang::En), date.format("%b %-d").to_string());
        }
    }

    /// The duties of the test counselor on 2026-11-23, by rule and subject.
    fn duties_with(records: &[crate::state::LocalRecord]) -> Vec<Duty> {
        let (setup, roster) = (setup(), roster());
        duties_on(&setup, &roster, records, &crate::duties::owner_of(&counselor(), &roster), &zone(), day(11, 23))
    }

    fn text(duties: &[Duty], rule: &str, subject: Subject, lang: Lang) -> (String, String) {
        let duty = duties.iter().find(|d| d.rule_id == rule && d.subject == subject).unwrap_or_else(|| panic!("no {rule} duty about {subject:?}"));
        let view = describe(duty, &setup(), &roster(), &[ClassId(1)], day(11, 23), lang).expect("a rule of the setup");
        (view.why, view.when)
    }

    fn records() -> Vec<crate::state::LocalRecord> {
        let me = counselor().id;
        let meeting = |d| {
            RecordBody::ClassMeeting(ClassMeeting {
                class_id: ClassId(1),
                held_at: evening(10, d),
                topic: MeetingTopic::Theme,
                title: "x".into(),
                attended: 4,
                absent: vec![],
                notes: String::new(),
            })
        };
        let talk = |s, m, d| {
            RecordBody::Talk(Talk {
                student_id: StudentId(s),
                talked_at: evening(m, d),
                place: "办公室".into(),
                reason: TalkReason::Routine,
                problems: String::new(),
                assessment: String::new(),
                parents_contacted: false,
                refer_to_counseling: false,
                co_interviewers: String::new(),
                study_plan: String::new(),
            })
        };
        vec![
            local(dorm_check(1, 11, 7), me, SyncState::Synced),
            local(meeting(9), me, SyncState::Synced),
            local(meeting(20), me, SyncState::Pending),
            local(talk(4, 11, 6), me, SyncState::Synced),
        ]
    }

    #[test]
    fn a_rolling_rule_says_when_it_was_last_done_and_how_often_it_is_due() {
        let duties = duties_with(&records());
        assert_eq!(
            text(&duties, "dorm-check", Subject::Room(RoomId(1)), Lang::Zh),
            ("寝室 3-214：上次查寝 16 天前，规则：每 14 天".to_string(), "逾期 2 天".to_string())
        );
        assert_eq!(
            text(&duties, "dorm-check", Subject::Room(RoomId(1)), Lang::En),
            ("Room 3-214: last dorm check 16 days ago, rule: every 14 days".to_string(), "2 days overdue".to_string())
        );
        // Never checked this semester: due 14 days after its start, long ago.
        let (why, _) = text(&duties, "dorm-check", Subject::Room(RoomId(2)), Lang::Zh);
        assert_eq!(why, "寝室 3-215：尚无查寝记录，规则：每 14 天");
        assert_eq!(text(&duties, "dorm-check", Subject::Room(RoomId(2)), Lang::En).0, "Room 3-215: no dorm check on record, rule: every 14 days");
    }

    #[test]
    fn an_assisted_student_is_named_with_the_level() {
        let duties = duties_with(&records());
        // A counselor talks with a level-2 student monthly: the talk of 11-06 meets November.
        let (why, _) = text(&duties, "assist-talk-counselor-2", Subject::Student(StudentId(4)), Lang::Zh);
        assert_eq!(why, "赵六（二级帮扶）：本月谈心谈话 1/1");
        let head = UserProfile { role: Role::HeadTeacher, ..counselor() };
        let (setup, roster) = (setup(), roster());
        let theirs = duties_on(&setup, &roster, &records(), &crate::duties::owner_of(&head, &roster), &zone(), day(11, 23));
        let duty = theirs.iter().find(|d| d.rule_id == "assist-talk-head-2").expect("a head teacher's duty");
        assert_eq!(why_of(duty, Lang::Zh), "赵六（二级帮扶）：上次谈心谈话 17 天前，规则：每 14 天");
        assert_eq!(why_of(duty, Lang::En), "赵六 (assistance level 2): last talk 17 days ago, rule: every 14 days");
    }

    fn why_of(duty: &Duty, lang: Lang) -> String {
        let setup = setup();
        why(duty, setup.rules.rule(&duty.rule_id).expect("a rule"), &roster(), &[ClassId(1)], lang)
    }

    #[test]
    fn a_quota_counts_the_records_of_its_window_outbox_included() {
        let duties = duties_with(&records());
        assert_eq!(text(&duties, "class-meeting", Subject::Class(ClassId(1)), Lang::Zh).0, "2023级1班：本学期班会 2/4");
        assert_eq!(text(&duties, "class-meeting", Subject::Class(ClassId(1)), Lang::En).0, "2023级1班: class meeting 2/4 this semester");
        assert_eq!(text(&duties, "class-check", Subject::Class(ClassId(1)), Lang::Zh).0, "2023级1班：本周查课 0/1");
        assert_eq!(text(&duties, "lecture-visit", Subject::Own, Lang::Zh).0, "本月听课 0/1");
        assert_eq!(text(&duties, "lecture-visit", Subject::Own, Lang::En).0, "Lecture visit 0/1 this month");
        assert_eq!(text(&duties, "parent-yearly", Subject::Student(StudentId(1)), Lang::Zh).0, "张三：本学年家长联系 0/1");
        assert_eq!(
            text(&duties, "archive-review", Subject::Student(StudentId(2)), Lang::En).0,
            "李四 (special archive): archive confirmation 0/1 this school year"
        );
        assert_eq!(text(&duties, "committee-meeting", Subject::Class(ClassId(1)), Lang::Zh).0, "2023级1班：本学期班委会 0/2");
    }

    #[test]
    fn a_share_counts_sessions_and_lists_the_students_not_yet_seen() {
        let duties = duties_with(&records());
        let duty = duties.iter().find(|d| d.rule_id == "talk-coverage").expect("a share");
        assert_eq!(why_of(duty, Lang::Zh), "本学期谈心谈话 1/2 人次（所带 4 名学生，每 3 人 1 人次）");
        assert_eq!(why_of(duty, Lang::En), "Talk this semester: 1/2 sessions (4 students, one per 3)");
        let setup = setup();
        let rule = setup.rules.rule("talk-coverage").expect("a rule");
        let Go::Students(pending) = go(duty, rule, &roster(), &[ClassId(1)]) else { panic!("a share lists its students") };
        assert_eq!(pending[0], ("张三".to_string(), "/students/1/talk?back=/".to_string()));
        assert_eq!(pending.len(), 3);
    }

    #[test]
    fn a_deadline_after_a_decision_names_the_decision() {
        let duties = duties_with(&records());
        assert_eq!(
            text(&duties, "parent-warning", Subject::Student(StudentId(4)), Lang::Zh),
            ("赵六：学业预警决定（11月18日），须 7 天内家长联系".to_string(), "11月25日 前".to_string())
        );
        assert_eq!(
            text(&duties, "parent-warning", Subject::Student(StudentId(4)), Lang::En).0,
            "赵六: an academic warning on Nov 18: parent contact within 7 days"
        );
    }

    #[test]
    fn a_leaders_linked_duties_name_the_link_and_the_activity() {
        let mut roster = roster();
        roster.branches = vec![PartyBranch { id: BranchId(5), name: "本科生第一党支部".into(), department_id: None }];
        let leader = UserProfile { id: UserId(3), username: "l".into(), display_name: "赵".into(), role: Role::Leader };
        roster.links = vec![
            LeaderLink { id: LinkId(1), user_id: leader.id, target: LinkTarget::Branch(BranchId(5)) },
            LeaderLink { id: LinkId(2), user_id: leader.id, target: LinkTarget::Room(RoomId(2)) },
        ];
        let setup = setup();
        let duties = duties_on(&setup, &roster, &[], &crate::duties::owner_of(&leader, &roster), &zone(), day(11, 23));
        let lecture = duties.iter().find(|d| d.rule_id == "leader-branch-lecture").expect("a branch duty");
        let rule = setup.rules.rule("leader-branch-lecture").expect("a rule");
        assert_eq!(why(lecture, rule, &roster, &[], Lang::Zh), "本科生第一党支部：本学期专题党课 0/1");
        assert_eq!(go(lecture, rule, &roster, &[]), Go::Form("/branches/5/activity?activity=party_lecture&back=/".into()));
        let visit = duties.iter().find(|d| d.rule_id == "leader-dorm").expect("a room duty");
        let rule = setup.rules.rule("leader-dorm").expect("a rule");
        assert_eq!(why(visit, rule, &roster, &[], Lang::En), "Room 3-215: dorm visit 0/1 this month");
        assert_eq!(go(visit, rule, &roster, &[]), Go::Form("/rooms/2/visit?back=/".into()));
    }

    #[test]
    fn every_duty_goes_to_its_form_and_a_per_person_one_to_a_class() {
        let duties = duties_with(&records());
        let setup = setup();
        let roster = roster();
        let go_of = |rule: &str, subject: Subject, classes: &[ClassId]| {
            let duty = duties.iter().find(|d| d.rule_id == rule && d.subject == subject).expect("a duty");
            go(duty, setup.rules.rule(rule).expect("a rule"), &roster, classes)
        };
        assert_eq!(go_of("dorm-check", Subject::Room(RoomId(1)), &[]), Go::Form("/rooms/1/check?back=/".into()));
        assert_eq!(go_of("class-check", Subject::Class(ClassId(1)), &[]), Go::Form("/classes/1/class-check?back=/".into()));
        assert_eq!(go_of("committee-meeting", Subject::Class(ClassId(1)), &[]), Go::Form("/classes/1/committee?back=/".into()));
        assert_eq!(go_of("archive-review", Subject::Student(StudentId(2)), &[]), Go::Form("/students/2".into()));
        assert_eq!(go_of("lecture-visit", Subject::Own, &[ClassId(1)]), Go::Form("/classes/1/lecture-visit?back=/".into()));
        // A kind whose form is on the student's page (the table of kinds knows it) is one tap away too.
        assert_eq!(form_path("volunteer_session", None, Subject::Student(StudentId(4))).as_deref(), Some("/students/4/volunteer-session?back=/"));
        let mut two = roster.clone();
        two.classes.push(Class { id: ClassId(2), department_id: DepartmentId(1), name: "2023级2班".into(), cohort_year: 2023 });
        let duty = duties.iter().find(|d| d.rule_id == "lecture-visit").expect("a duty");
        assert_eq!(
            go(duty, setup.rules.rule("lecture-visit").expect("a rule"), &two, &[ClassId(1), ClassId(2)]),
            Go::Classes(vec![("2023级1班".into(), "/classes/1/lecture-visit?back=/".into()), ("2023级2班".into(), "/classes/2/lecture-visit?back=/".into()),])
        );
    }

    #[test]
    fn the_list_puts_the_most_urgent_first_and_says_where_each_rule_comes_from() {
        let duties = duties_with(&records());
        let first = duties.first().expect("duties");
        assert_eq!(first.status, DutyStatus::Overdue);
        let view = describe(first, &setup(), &roster(), &[ClassId(1)], day(11, 23), Lang::Zh).expect("a view");
        assert!(view.source.starts_with("依据 "), "{}", view.source);
        let dorm = duties.iter().find(|d| d.rule_id == "dorm-check").expect("a duty");
        let view = describe(dorm, &setup(), &roster(), &[ClassId(1)], day(11, 23), Lang::En).expect("a view");
        assert_eq!(view.source, "Source: 000 §2.6.2 · 每间寝室至少每14天查寝一次");
    }
}
