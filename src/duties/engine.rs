//! The duty engine: from the rules, the calendar, the roster and the records to what each
//! person still owes on a given day. Pure functions over values, so the phone (over its local
//! store) and the server (over the database) reach the same answer.

use super::calendar::{month_of, quarter_of, DateSpan, SchoolCalendar, Semester};
use super::rules::{Period, Rule, RuleScope, StandingEvent, ARCHIVE_REVIEW};
use crate::groups::LinkTarget;
use crate::ids::*;
use crate::record::{counterpart_key, RecordBody, RecordEnvelope, RecordKind, Subject};
use crate::roster::{Role, RosterSnapshot, Student};
use crate::sorting::Order;
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What the engine needs of one record: who made it, of what kind, about whom, on which
/// school day. Deleted records are no facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    /// `None` for facts that count for everyone in charge (an archive confirmation, a letter
    /// the office sent).
    pub author: Option<UserId>,
    /// Position in [`RecordBody::KINDS`]; one past the end is [`ARCHIVE_REVIEW`].
    pub kind: u8,
    pub activity: Option<u8>,
    pub subject: Subject,
    /// The calendar date in the school's zone.
    pub on: NaiveDate,
    /// Whom it was with, outside the roster (a course teacher), by [`counterpart_key`].
    pub counterpart: Option<u32>,
}

/// The engine's number for a kind name.
pub fn kind_index(kind: &str) -> Option<u8> {
    if kind == ARCHIVE_REVIEW {
        return Some(RecordBody::KINDS.len() as u8);
    }
    RecordBody::KINDS.iter().position(|k| *k == kind).map(|i| i as u8)
}

impl Fact {
    /// The fact of a record's current revision, read in the school's zone.
    pub fn of_record<Z: TimeZone>(record: &RecordEnvelope, zone: &Z) -> Option<Fact> {
        if record.deleted {
            return None;
        }
        Some(Fact {
            // The office is one unit (学工部): what any of its accounts sends counts for all.
            author: (!record.body.office_only()).then_some(record.author_id),
            kind: kind_index(record.body.kind())?,
            activity: record.body.activity(),
            subject: record.body.subject(),
            on: record.body.occurred_at().with_timezone(zone).date_naive(),
            counterpart: record.body.counterpart().and_then(counterpart_key),
        })
    }

    /// The archive confirmations in a roster, one fact per confirmed student.
    pub fn archive_reviews(students: &[Student]) -> impl Iterator<Item = Fact> + '_ {
        let kind = RecordBody::KINDS.len() as u8;
        students.iter().filter_map(move |s| {
            let on = s.archive.as_ref()?.confirmed_on?;
            Some(Fact { author: None, kind, activity: None, subject: Subject::Student(s.id), on, counterpart: None })
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    on: NaiveDate,
    activity: Option<u8>,
    counterpart: Option<u32>,
}

/// Facts grouped for lookup: by (author, kind, subject) and by (author, kind), each list sorted
/// by date, so a count in a window is two binary searches.
#[derive(Debug, Default)]
pub struct FactIndex {
    by_subject: FxHashMap<(Option<UserId>, u8, Subject), Vec<Entry>>,
    by_author: FxHashMap<(Option<UserId>, u8), Vec<Entry>>,
    /// Students' recorded events (`student_event`), whoever recorded them: each starts a duty.
    events: FxHashMap<Subject, Vec<Entry>>,
}

impl FactIndex {
    pub fn new(facts: impl IntoIterator<Item = Fact>) -> FactIndex {
        FactIndex::build(facts, |_| true)
    }

    /// The index with per-author lists only for the kinds `per_author` admits: the engine reads
    /// them only for per-person rules, and building them for every kind doubled the work.
    fn build(facts: impl IntoIterator<Item = Fact>, per_author: impl Fn(u8) -> bool) -> FactIndex {
        let mut index = FactIndex::default();
        let event_kind = kind_index(crate::kinds::student::StudentEvent::KIND);
        for f in facts {
            let entry = Entry { on: f.on, activity: f.activity, counterpart: f.counterpart };
            if Some(f.kind) == event_kind {
                index.events.entry(f.subject).or_default().push(entry);
            }
            index.by_subject.entry((f.author, f.kind, f.subject)).or_default().push(entry);
            if per_author(f.kind) {
                index.by_author.entry((f.author, f.kind)).or_default().push(entry);
            }
        }
        // Sorting by the whole entry makes the lists, and so every answer, independent of the
        // order the facts came in.
        let by_date = |e: &Entry| (e.on, e.activity, e.counterpart);
        index.by_subject.values_mut().for_each(|v| v.order_by_key(by_date));
        index.by_author.values_mut().for_each(|v| v.order_by_key(by_date));
        index.events.values_mut().for_each(|v| v.order_by_key(by_date));
        index
    }

    fn events_about(&self, subject: Subject) -> &[Entry] {
        self.events.get(&subject).map_or(&[], Vec::as_slice)
    }

    fn about(&self, author: Option<UserId>, kind: u8, subject: Subject) -> &[Entry] {
        self.by_subject.get(&(author, kind, subject)).map_or(&[], Vec::as_slice)
    }

    fn by(&self, author: Option<UserId>, kind: u8) -> &[Entry] {
        self.by_author.get(&(author, kind)).map_or(&[], Vec::as_slice)
    }
}

/// The entries of one duty, filtered to the rule's activity.
#[derive(Clone, Copy)]
struct Entries<'a> {
    all: &'a [Entry],
    activity: Option<u8>,
}

impl Entries<'_> {
    fn count(&self, span: DateSpan) -> u32 {
        let from = self.all.partition_point(|e| e.on < span.start);
        let to = self.all.partition_point(|e| e.on <= span.end);
        let slice = self.all.get(from..to).unwrap_or(&[]);
        match self.activity {
            None => slice.len() as u32,
            Some(a) => slice.iter().filter(|e| e.activity == Some(a)).count() as u32,
        }
    }

    /// How many records in `span` name each counterpart (a course teacher).
    fn per_counterpart(&self, span: DateSpan) -> std::collections::BTreeMap<u32, u32> {
        let from = self.all.partition_point(|e| e.on < span.start);
        let to = self.all.partition_point(|e| e.on <= span.end);
        let mut counts = std::collections::BTreeMap::new();
        for e in self.all.get(from..to).unwrap_or(&[]).iter().filter(|e| self.activity.is_none() || e.activity == self.activity) {
            if let Some(c) = e.counterpart {
                *counts.entry(c).or_insert(0) += 1;
            }
        }
        counts
    }

    /// The dates up to `today`, newest first.
    fn newest_first(&self, today: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        let to = self.all.partition_point(|e| e.on <= today);
        let activity = self.activity;
        self.all.get(..to).unwrap_or(&[]).iter().rev().filter(move |e| activity.is_none() || e.activity == activity).map(|e| e.on)
    }
}

/// A person who owes duties, with what they are in charge of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Owner {
    pub user: UserId,
    pub role: Role,
    /// Classes assigned to a counselor or head teacher; every class for the office.
    pub classes: Vec<ClassId>,
    /// A leader's links.
    pub links: Vec<LinkTarget>,
    /// Of the leadership tier (班子成员): owes the rules marked `leadership_only` too.
    pub leadership: bool,
}

impl Owner {
    /// The classes someone owes per-student and per-class duties about: the school's office
    /// the whole school's (the special archive's review, 004 三(一)), a department's office
    /// (院系学工办) its department's, anyone else those assigned to them.
    pub fn classes_of(role: Role, assigned: Vec<ClassId>, department: Option<DepartmentId>, roster: &RosterSnapshot) -> Vec<ClassId> {
        if role == Role::Office {
            roster.classes.iter().filter(|c| department.is_none_or(|d| c.department_id == d)).map(|c| c.id).collect()
        } else {
            assigned
        }
    }
}

/// Most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DutyStatus {
    /// The due day has passed.
    Overdue,
    /// Due within a few days.
    DueSoon,
    /// On track: due later.
    Upcoming,
    /// The period's quota is already met.
    Met,
}

/// One thing one person owes: a rule applied to one room, class, student, link or themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Duty {
    pub rule_id: String,
    pub owner: UserId,
    /// What the record that meets it is about; `Own` for per-person rules and shares.
    pub subject: Subject,
    pub status: DutyStatus,
    /// Records counted in the window (students covered, for a share).
    pub done: u32,
    pub required: u32,
    /// The days counted: the period, or for a rolling rule the last `days` days.
    pub window: DateSpan,
    /// The day the next record is needed by (for a quota, by an even pace through the period).
    pub due: NaiveDate,
    /// The latest qualifying record up to today, in or before the window.
    pub last_done: Option<NaiveDate>,
    /// For a share: the students not yet covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<StudentId>,
}

impl Duty {
    /// Days past the due day (0 unless overdue).
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        (today - self.due).num_days().max(0)
    }
}

/// The roster looked up by class and by student, built once per computation.
struct RosterIndex<'a> {
    by_class: FxHashMap<ClassId, Vec<&'a Student>>,
    room_of: FxHashMap<StudentId, RoomId>,
    /// The year each class entered, for a year-of-study filter.
    cohort: FxHashMap<ClassId, i32>,
}

impl<'a> RosterIndex<'a> {
    fn new(roster: &'a RosterSnapshot) -> Self {
        let mut by_class: FxHashMap<ClassId, Vec<&Student>> = FxHashMap::default();
        for s in &roster.students {
            by_class.entry(s.class_id).or_default().push(s);
        }
        let room_of = roster.beds.iter().filter_map(|b| Some((b.student_id?, b.room_id))).collect();
        let cohort = roster.classes.iter().map(|c| (c.id, c.cohort_year)).collect();
        RosterIndex { by_class, room_of, cohort }
    }
}

/// The rules, calendar, roster and records of one institution, ready to answer for anyone.
pub struct DutyEngine<'a> {
    rules: Vec<(&'a Rule, u8, Option<u8>)>,
    calendar: &'a SchoolCalendar,
    roster: RosterIndex<'a>,
    facts: FactIndex,
}

impl<'a> DutyEngine<'a> {
    /// Disabled rules and rules of unknown kinds are left out; `facts` are the records' facts
    /// (see [`Fact::of_record`]); archive confirmations are read from the roster.
    pub fn new(all_rules: &'a [Rule], calendar: &'a SchoolCalendar, roster: &'a RosterSnapshot, facts: impl IntoIterator<Item = Fact>) -> Self {
        let rules: Vec<_> = all_rules.iter().filter(|r| r.enabled).filter_map(|r| Some((r, kind_index(&r.kind)?, r.activity_index()))).collect();
        let mut wanted: BTreeSet<u8> = super::rules::counted_kinds(all_rules).into_iter().filter_map(kind_index).collect();
        wanted.extend(rules.iter().map(|(_, k, _)| *k));
        let per_person: BTreeSet<u8> = rules.iter().filter(|(r, _, _)| r.scope == RuleScope::Person).map(|(_, k, _)| *k).collect();
        // A fact also counts as the kind its kind counts as (a home visit as a parent contact):
        // looked up by kind number, once per fact of a million.
        let aliases: Vec<Option<(u8, Option<u8>)>> =
            RecordBody::KINDS.iter().map(|k| RecordBody::counts_also_as(k).and_then(|(other, activity)| Some((kind_index(other)?, activity)))).collect();
        let with_alias = move |f: Fact| {
            let alias = aliases.get(usize::from(f.kind)).copied().flatten().map(|(kind, activity)| Fact { kind, activity, ..f });
            std::iter::once(f).chain(alias)
        };
        let facts = facts.into_iter().flat_map(with_alias).chain(Fact::archive_reviews(&roster.students)).filter(|f| wanted.contains(&f.kind));
        DutyEngine { rules, calendar, roster: RosterIndex::new(roster), facts: FactIndex::build(facts, |k| per_person.contains(&k)) }
    }

    /// Everything one person owes on `today`, most urgent first.
    pub fn duties_of(&self, owner: &Owner, today: NaiveDate) -> Vec<Duty> {
        let mut out = Vec::new();
        let students: Vec<&Student> = owner.classes.iter().flat_map(|c| self.roster.by_class.get(c).into_iter().flatten().copied()).collect();
        let rooms: BTreeSet<RoomId> = students.iter().filter_map(|s| self.roster.room_of.get(&s.id).copied()).collect();
        // Read once for every rule: the school year today is in.
        let school_year = self.calendar.school_year_on(today).map(|(_, span)| span);
        let year_began = school_year.map(|span| span.start.year());
        for &(rule, kind, activity) in &self.rules {
            if rule.role != owner.role || (rule.leadership_only && !owner.leadership) {
                continue;
            }
            let author = if rule.kind == ARCHIVE_REVIEW || RecordBody::office_only_kind(&rule.kind) { None } else { Some(owner.user) };
            let about = |subject: Subject| Entries { all: self.facts.about(author, kind, subject), activity };
            let duty = |subject: Subject, entries: Entries, clock: &Clock| clock.duty(rule, owner.user, subject, entries, today);
            let selected = || {
                students.iter().filter(move |s| {
                    rule.students.admits(s.archive.as_ref()) && rule.students.admits_cohort(self.roster.cohort.get(&s.class_id).copied(), year_began)
                })
            };
            // A per-class rule may select classes by their year of study (the graduating ones).
            let classes = || {
                owner.classes.iter().filter(move |c| rule.students.admits_cohort(self.roster.cohort.get(*c).copied(), year_began)).map(|c| Subject::Class(*c))
            };
            // A deadline at the school year's start or end, or before the semester's exams.
            if let (Some(days), true) = (rule.period.days(), rule.period.is_calendar_deadline()) {
                // From `days` before a last teaching day, due on it.
                let before = |last: NaiveDate| (last - Duration::days(i64::from(days) - 1), days - 1);
                let (on, within) = match rule.period {
                    Period::YearStart { .. } => (school_year.map(|span| span.start), days),
                    Period::SemesterStart { .. } => (self.calendar.semester_on(today).map(|s| s.start), days),
                    Period::YearEnd { .. } => match school_year.and_then(|span| self.calendar.last_semester_in(span)) {
                        Some(last) => {
                            let (on, within) = before(last.teaching_span().end);
                            (Some(on), within)
                        }
                        None => (None, days),
                    },
                    _ => match self.calendar.semester_on(today) {
                        Some(s) => {
                            let (on, within) = before(s.teaching_span().end);
                            (Some(on), within)
                        }
                        None => (None, days),
                    },
                };
                let Some(on) = on.filter(|on| *on <= today) else { continue };
                let subjects: Vec<Subject> = match rule.scope {
                    RuleScope::Student => selected().map(|s| Subject::Student(s.id)).collect(),
                    RuleScope::Class => classes().collect(),
                    RuleScope::Room => rooms.iter().map(|r| Subject::Room(*r)).collect(),
                    _ => vec![Subject::Own],
                };
                for subject in subjects {
                    let entries = if subject == Subject::Own { Entries { all: self.facts.by(author, kind), activity } } else { about(subject) };
                    out.push(after_event(rule, owner.user, subject, entries, on, within, today));
                }
                continue;
            }
            if let Period::AfterEvent { event, days } = rule.period {
                let since = school_year.map_or(today - Duration::days(365), |span| span.start);
                for s in selected() {
                    let subject = Subject::Student(s.id);
                    // A recorded event: one duty per event this school year.
                    if let Some(recorded) = event.student_event() {
                        let wanted = crate::kinds::student::StudentEventKind::ALL.iter().position(|k| *k == recorded).map(|i| i as u8);
                        for e in self.facts.events_about(subject).iter().filter(|e| e.activity == wanted && e.on >= since && e.on <= today) {
                            out.push(after_event(rule, owner.user, subject, about(subject), e.on, days, today));
                        }
                        continue;
                    }
                    let Some(archive) = &s.archive else { continue };
                    let decided = match event {
                        StandingEvent::Warning => archive.warning_on,
                        StandingEvent::Discipline => archive.discipline_on,
                        StandingEvent::Ruling => archive.ruling_on,
                        StandingEvent::Assistance => archive.assistance_on,
                        _ => None,
                    };
                    if let Some(on) = decided.filter(|d| *d >= since && *d <= today) {
                        out.push(after_event(rule, owner.user, Subject::Student(s.id), about(Subject::Student(s.id)), on, days, today));
                    }
                }
                continue;
            }
            let Some(clock) = Clock::for_rule(rule, self.calendar, today) else {
                continue;
            };
            match rule.scope {
                RuleScope::Room => out.extend(rooms.iter().map(|r| duty(Subject::Room(*r), about(Subject::Room(*r)), &clock))),
                RuleScope::Class => out.extend(classes().map(|c| duty(c, about(c), &clock))),
                RuleScope::Student => out.extend(selected().map(|s| duty(Subject::Student(s.id), about(Subject::Student(s.id)), &clock))),
                RuleScope::Person => out.push(duty(Subject::Own, Entries { all: self.facts.by(author, kind), activity }, &clock)),
                RuleScope::Linked => {
                    let fits = RecordBody::subject_type_of(&rule.kind);
                    for target in &owner.links {
                        let subject = target.subject();
                        if Some(subject.subject_type()) == fits {
                            out.push(duty(subject, about(subject), &clock));
                        }
                    }
                }
                // 000 三(四) «每学期至少与每一位任课教师联系一次»: the course teachers are those the
                // period's class checks name; each needs `min_count` contacts naming them.
                RuleScope::CourseTeachers => {
                    let Clock::Fixed(window) = clock else {
                        continue;
                    };
                    let counted = DateSpan::new(window.start, window.end.min(today));
                    let checks = kind_index(crate::kinds::class::ClassCheck::KIND);
                    for class in &owner.classes {
                        let subject = Subject::Class(*class);
                        let teachers =
                            checks.map(|k| Entries { all: self.facts.about(author, k, subject), activity: None }.per_counterpart(counted)).unwrap_or_default();
                        let contacts = about(subject);
                        let (done, required) = if teachers.is_empty() {
                            // No class check names a teacher yet: any contacts count.
                            (contacts.count(counted).min(rule.min_count), rule.min_count)
                        } else {
                            let contacted = contacts.per_counterpart(counted);
                            let done = teachers.keys().filter(|t| contacted.get(t).copied().unwrap_or(0) >= rule.min_count).count();
                            (done as u32, teachers.len() as u32)
                        };
                        let (status, due) = quota_status(rule, window, done, required, today);
                        out.push(Duty {
                            rule_id: rule.id.clone(),
                            owner: owner.user,
                            subject,
                            status,
                            done,
                            required,
                            window,
                            due,
                            last_done: contacts.newest_first(today).next(),
                            pending: Vec::new(),
                        });
                    }
                }
                RuleScope::StudentShare { .. } | RuleScope::SessionShare { .. } => {
                    let Clock::Fixed(window) = clock else {
                        continue;
                    };
                    let chosen: Vec<&&Student> = selected().collect();
                    if chosen.is_empty() {
                        continue;
                    }
                    let counted = DateSpan::new(window.start, window.end.min(today));
                    let counts: Vec<(StudentId, u32)> = chosen.iter().map(|s| (s.id, about(Subject::Student(s.id)).count(counted))).collect();
                    let n = chosen.len() as u32;
                    let (done, required, pending): (u32, u32, Vec<StudentId>) = match rule.scope {
                        // Students with `min_count` records each, a share of them.
                        RuleScope::StudentShare { percent } => {
                            let pending: Vec<StudentId> = counts.iter().filter(|(_, c)| *c < rule.min_count).map(|(id, _)| *id).collect();
                            (n - pending.len() as u32, (n * u32::from(percent)).div_ceil(100), pending)
                        }
                        // Records, repeats included, one per `per` students; the students not
                        // yet seen are offered first.
                        _ => {
                            let per = match rule.scope {
                                RuleScope::SessionShare { per } => u32::from(per.max(1)),
                                _ => 1,
                            };
                            let pending: Vec<StudentId> = counts.iter().filter(|(_, c)| *c == 0).map(|(id, _)| *id).collect();
                            (counts.iter().map(|(_, c)| c).sum(), (n * rule.min_count).div_ceil(per), pending)
                        }
                    };
                    let (status, due) = quota_status(rule, window, done, required, today);
                    out.push(Duty {
                        rule_id: rule.id.clone(),
                        owner: owner.user,
                        subject: Subject::Own,
                        status,
                        done,
                        required,
                        window,
                        due,
                        last_done: None,
                        pending: if status == DutyStatus::Met { Vec::new() } else { pending },
                    });
                }
            }
        }
        sort_by_urgency(&mut out);
        out
    }

    /// Everything everyone owes on `today` (the office's view), most urgent first per person.
    pub fn duties_of_all(&self, owners: &[Owner], today: NaiveDate) -> Vec<Duty> {
        owners.iter().flat_map(|o| self.duties_of(o, today)).collect()
    }
}

pub fn sort_by_urgency(duties: &mut [Duty]) {
    duties.order_by(|a, b| (a.status, a.due, &a.rule_id, a.subject).cmp(&(b.status, b.due, &b.rule_id, b.subject)));
}

/// The fewest teaching days a month needs for a monthly duty: the 7 days of February before a
/// semester starts on the 22nd, or the days of January before the exams, owe no lecture visit.
pub const MONTH_MIN_DAYS: i64 = 14;

/// How a rule's period reads on one day.
enum Clock<'a> {
    /// Count within a fixed window (a week block, month, semester, school year).
    Fixed(DateSpan),
    /// The next record is due `days` after the last ones, inside this semester.
    Rolling { days: i64, semester: &'a Semester },
}

impl<'a> Clock<'a> {
    /// `None` when the rule asks nothing on `today` (a vacation, an exam week for a weekly rule,
    /// a window that is all holiday).
    fn for_rule(rule: &Rule, calendar: &'a SchoolCalendar, today: NaiveDate) -> Option<Clock<'a>> {
        match rule.period {
            Period::SchoolYear => return calendar.school_year_on(today).map(|(_, span)| Clock::Fixed(span)),
            Period::Quarter => return Some(Clock::Fixed(quarter_of(today))),
            Period::Vacation => return calendar.vacation_on(today).map(Clock::Fixed),
            _ => {}
        }
        let semester = calendar.semester_on(today)?;
        let fixed = |span: DateSpan| {
            let span = span.intersect(&semester.span())?;
            (semester.holiday_days_in(span) < span.days()).then_some(Clock::Fixed(span))
        };
        match rule.period {
            Period::Days { days } => Some(Clock::Rolling { days: i64::from(days), semester }),
            Period::Weeks { weeks } => {
                let week = semester.teaching_week(today)?;
                let block = (week - 1) / u32::from(weeks);
                let start = semester.first_monday() + Duration::weeks(i64::from(block * u32::from(weeks)));
                let last_teaching = semester.first_monday() + Duration::weeks(i64::from(semester.teaching_weeks)) - Duration::days(1);
                let end = (start + Duration::weeks(i64::from(weeks)) - Duration::days(1)).min(last_teaching);
                fixed(DateSpan::new(start, end))
            }
            // Cut to the teaching weeks: nothing is owed in the exam weeks after them, and a stub
            // of a month (fewer than MONTH_MIN_DAYS teaching days) owes nothing of its own.
            Period::Month => {
                let span = month_of(today).intersect(&semester.teaching_span())?;
                (span.contains(today) && span.days() - semester.holiday_days_in(span) >= MONTH_MIN_DAYS).then_some(())?;
                fixed(span)
            }
            Period::Semester => fixed(semester.span()),
            Period::SchoolYear
            | Period::Quarter
            | Period::AfterEvent { .. }
            | Period::YearStart { .. }
            | Period::BeforeExams { .. }
            | Period::YearEnd { .. }
            | Period::SemesterStart { .. }
            | Period::Vacation => None,
        }
    }

    fn duty(&self, rule: &Rule, owner: UserId, subject: Subject, entries: Entries, today: NaiveDate) -> Duty {
        let last_done = entries.newest_first(today).next();
        let (status, done, window, due) = match *self {
            Clock::Fixed(window) => {
                let done = entries.count(DateSpan::new(window.start, window.end.min(today)));
                let (status, due) = quota_status(rule, window, done, rule.min_count, today);
                (status, done, window, due)
            }
            Clock::Rolling { days, semester } => {
                // Due `days` after the `min_count`-th newest record, or after the semester start
                // when there are too few; each holiday day on the way moves it a day later.
                let nth = entries.newest_first(today).nth((rule.min_count as usize).saturating_sub(1));
                let anchor = nth.map_or(semester.start, |d| d.max(semester.start));
                let due = past_holidays(semester, anchor, days);
                let window = DateSpan::new(today - Duration::days(days - 1), today);
                let done = entries.count(window);
                (status_by(due, today, rule.period.nominal_days()), done, window, due)
            }
        };
        Duty { rule_id: rule.id.clone(), owner, subject, status, done, required: rule.min_count, window, due, last_done, pending: Vec::new() }
    }
}

/// `anchor + days`, moved a day later for each holiday day it would otherwise span.
fn past_holidays(semester: &Semester, anchor: NaiveDate, days: i64) -> NaiveDate {
    let mut due = anchor + Duration::days(days);
    let mut counted = 0;
    // Each round adds the holiday days newly spanned; holidays are finite, so this ends.
    loop {
        let holidays = semester.holiday_days_in(DateSpan::new(anchor + Duration::days(1), due));
        if holidays == counted {
            return due;
        }
        due += Duration::days(holidays - counted);
        counted = holidays;
    }
}

/// A quota in a fixed window: met, or due by an even pace through the window (the k-th of n
/// records by k/n of the way), so "2 of 4 class meetings" in week 15 shows as late.
fn quota_status(rule: &Rule, window: DateSpan, done: u32, required: u32, today: NaiveDate) -> (DutyStatus, NaiveDate) {
    if done >= required {
        return (DutyStatus::Met, window.end);
    }
    let len = window.days();
    let offset = (len * i64::from(done + 1)).div_euclid(i64::from(required.max(1))) - 1;
    let due = (window.start + Duration::days(offset.max(0))).min(window.end);
    (status_by(due, today, rule.period.nominal_days()), due)
}

/// Overdue after the due day; due soon within a quarter of the period (2 to 7 days).
fn status_by(due: NaiveDate, today: NaiveDate, period_days: i64) -> DutyStatus {
    let soon = (period_days / 4).clamp(2, 7);
    if today > due {
        DutyStatus::Overdue
    } else if (due - today).num_days() < soon {
        DutyStatus::DueSoon
    } else {
        DutyStatus::Upcoming
    }
}

/// Within `days` of a decision; a late record still clears it.
fn after_event(rule: &Rule, owner: UserId, subject: Subject, entries: Entries, on: NaiveDate, days: u16, today: NaiveDate) -> Duty {
    let due = on + Duration::days(i64::from(days));
    let done = entries.count(DateSpan::new(on, today));
    let status = if done >= rule.min_count { DutyStatus::Met } else { status_by(due, today, i64::from(days)) };
    Duty {
        rule_id: rule.id.clone(),
        owner,
        subject,
        status,
        done,
        required: rule.min_count,
        window: DateSpan::new(on, due),
        due,
        last_done: entries.newest_first(today).next(),
        pending: Vec::new(),
    }
}

/// How many duties stand how: what a compliance figure is made of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tally {
    pub overdue: u32,
    pub due_soon: u32,
    pub upcoming: u32,
    pub met: u32,
}

impl Tally {
    pub fn of<'d>(duties: impl IntoIterator<Item = &'d Duty>) -> Tally {
        let mut t = Tally::default();
        for d in duties {
            t.add(d.status);
        }
        t
    }

    pub fn add(&mut self, status: DutyStatus) {
        match status {
            DutyStatus::Overdue => self.overdue += 1,
            DutyStatus::DueSoon => self.due_soon += 1,
            DutyStatus::Upcoming => self.upcoming += 1,
            DutyStatus::Met => self.met += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.overdue + self.due_soon + self.upcoming + self.met
    }

    /// The share of duties not overdue, in percent (100 when there are none).
    pub fn compliance_percent(&self) -> f64 {
        match self.total() {
            0 => 100.0,
            n => f64::from(n - self.overdue) * 100.0 / f64::from(n),
        }
    }
}
