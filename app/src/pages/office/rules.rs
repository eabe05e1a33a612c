//! 工作要求: the institution's duty rules, each edited in place, checked by the same
//! `RuleSet::validate` the server runs, and saved as a new version on top of the one they were
//! loaded from (someone else's save in between is refused, not overwritten).

use super::frame::*;
use super::roster::role_label;
use super::OfficePage;
use crate::i18n::{fill, use_i18n, Lang, Msg};
use crate::kinds::kind_name;
use crate::state::use_store;
use leptos::prelude::*;
use rounds::duties::rules::ARCHIVE_REVIEW;
use rounds::duties::{default_rules, Period, Rule, RuleScope, RuleSet, RulesEdit, SavedVersion, StandingEvent, StudentFilter};
use rounds::sorting::Order;
use rounds::{RecordBody, Role};

const RULES_URL: &str = "/api/v1/duties/rules";

// ---- the words of a rule: pure, so they are tested below ----

/// The kinds a rule may count: every record kind, and the archive's yearly confirmation.
pub fn duty_kinds() -> impl Iterator<Item = &'static str> {
    RecordBody::KINDS.iter().copied().chain(std::iter::once(ARCHIVE_REVIEW))
}

pub fn duty_kind_name(kind: &str) -> Msg {
    if kind == ARCHIVE_REVIEW {
        Msg::KindArchiveReview
    } else {
        kind_name(kind)
    }
}

/// The name of one sub-kind (`party_lecture`) of a kind, as its record form shows it.
pub fn activity_label(kind: &str, activity: &str, lang: Lang) -> String {
    let index = rounds::RecordBody::activities_of(kind).iter().position(|a| *a == activity);
    index.and_then(|i| u8::try_from(i).ok().and_then(|i| crate::kinds::activity_label(kind, i, lang))).map_or_else(|| activity.to_string(), str::to_string)
}

const SCOPES: [(&str, Msg); 8] = [
    ("room", Msg::ScopeRoom),
    ("class", Msg::ScopeClass),
    ("student", Msg::ScopeStudent),
    ("person", Msg::ScopePerson),
    ("linked", Msg::ScopeLinked),
    ("student_share", Msg::ScopeShare),
    ("session_share", Msg::ScopeSessionShare),
    ("course_teachers", Msg::ScopeCourseTeachers),
];

/// A new share asks for a third of the students.
const DEFAULT_SHARE_PERCENT: u8 = 34;
/// A new session share asks for one record per three students, as talk coverage does (000 一(一)).
const DEFAULT_SESSION_PER: u16 = 3;

pub fn scope_code(scope: RuleScope) -> &'static str {
    match scope {
        RuleScope::Room => "room",
        RuleScope::Class => "class",
        RuleScope::Student => "student",
        RuleScope::Person => "person",
        RuleScope::Linked => "linked",
        RuleScope::StudentShare { .. } => "student_share",
        RuleScope::SessionShare { .. } => "session_share",
        RuleScope::CourseTeachers => "course_teachers",
    }
}

/// The scope a select's value stands for; a share keeps its percent, an unknown value nothing.
pub fn scope_of_code(code: &str, old: RuleScope) -> RuleScope {
    match code {
        "room" => RuleScope::Room,
        "class" => RuleScope::Class,
        "student" => RuleScope::Student,
        "person" => RuleScope::Person,
        "linked" => RuleScope::Linked,
        "course_teachers" => RuleScope::CourseTeachers,
        "student_share" => match old {
            RuleScope::StudentShare { .. } => old,
            _ => RuleScope::StudentShare { percent: DEFAULT_SHARE_PERCENT },
        },
        "session_share" => match old {
            RuleScope::SessionShare { .. } => old,
            _ => RuleScope::SessionShare { per: DEFAULT_SESSION_PER },
        },
        _ => old,
    }
}

const PERIODS: [(&str, Msg); 12] = [
    ("days", Msg::PeriodDays),
    ("weeks", Msg::PeriodChoiceWeeks),
    ("month", Msg::PeriodChoiceMonth),
    ("quarter", Msg::PeriodChoiceQuarter),
    ("semester", Msg::PeriodChoiceSemester),
    ("school_year", Msg::PeriodChoiceSchoolYear),
    ("after_event", Msg::PeriodAfterEvent),
    ("year_start", Msg::PeriodChoiceYearStart),
    ("before_exams", Msg::PeriodChoiceBeforeExams),
    ("year_end", Msg::PeriodChoiceYearEnd),
    ("semester_start", Msg::PeriodChoiceSemesterStart),
    ("vacation", Msg::PeriodChoiceVacation),
];

pub fn period_code(period: Period) -> &'static str {
    match period {
        Period::Days { .. } => "days",
        Period::Weeks { .. } => "weeks",
        Period::Month => "month",
        Period::Quarter => "quarter",
        Period::Semester => "semester",
        Period::SchoolYear => "school_year",
        Period::AfterEvent { .. } => "after_event",
        Period::YearStart { .. } => "year_start",
        Period::BeforeExams { .. } => "before_exams",
        Period::YearEnd { .. } => "year_end",
        Period::SemesterStart { .. } => "semester_start",
        Period::Vacation => "vacation",
    }
}

/// An event's wire name, the select's value.
fn event_code(event: StandingEvent) -> String {
    serde_json::to_value(event).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The days of a rolling or after-event period.
pub fn period_days(period: Period) -> Option<u16> {
    period.days()
}

/// The period a select's value stands for, keeping the days or weeks already typed.
pub fn period_of_code(code: &str, old: Period) -> Period {
    match code {
        "days" => Period::Days { days: period_days(old).unwrap_or(14) },
        "weeks" => match old {
            Period::Weeks { .. } => old,
            _ => Period::Weeks { weeks: 1 },
        },
        "month" => Period::Month,
        "quarter" => Period::Quarter,
        "semester" => Period::Semester,
        "school_year" => Period::SchoolYear,
        "year_start" => Period::YearStart { days: period_days(old).unwrap_or(30) },
        "before_exams" => Period::BeforeExams { days: period_days(old).unwrap_or(14) },
        "year_end" => Period::YearEnd { days: period_days(old).unwrap_or(42) },
        "semester_start" => Period::SemesterStart { days: period_days(old).unwrap_or(14) },
        "vacation" => Period::Vacation,
        "after_event" => match old {
            Period::AfterEvent { .. } => old,
            _ => Period::AfterEvent { event: StandingEvent::Warning, days: period_days(old).unwrap_or(7) },
        },
        _ => old,
    }
}

/// `每14天`, `within 7 days of an academic warning`.
pub fn period_words(period: Period, lang: Lang) -> String {
    let n = |m: Msg, n: u32| fill(m.text(lang), &[("n", n.to_string())]);
    match period {
        Period::Days { days: 1 } => Msg::PeriodEveryDay.text(lang).to_string(),
        Period::Days { days } => n(Msg::PeriodEveryNDays, days.into()),
        Period::Weeks { weeks: 1 } => Msg::PeriodEveryWeek.text(lang).to_string(),
        Period::Weeks { weeks } => n(Msg::PeriodEveryNWeeks, weeks.into()),
        Period::Month => Msg::PeriodChoiceMonth.text(lang).to_string(),
        Period::Quarter => Msg::PeriodChoiceQuarter.text(lang).to_string(),
        Period::Semester => Msg::PeriodChoiceSemester.text(lang).to_string(),
        Period::SchoolYear => Msg::PeriodChoiceSchoolYear.text(lang).to_string(),
        Period::YearStart { days } => n(Msg::PeriodYearStartWords, days.into()),
        Period::BeforeExams { days } => n(Msg::PeriodBeforeExamsWords, days.into()),
        Period::YearEnd { days } => n(Msg::PeriodYearEndWords, days.into()),
        Period::SemesterStart { days } => n(Msg::PeriodSemesterStartWords, days.into()),
        Period::Vacation => Msg::PeriodVacationWords.text(lang).to_string(),
        Period::AfterEvent { event, days } => {
            fill(Msg::PeriodWithinAfter.text(lang), &[("n", days.to_string()), ("event", crate::i18n::event_label(event, lang).to_string())])
        }
    }
}

pub fn scope_words(scope: RuleScope, lang: Lang) -> String {
    match scope {
        RuleScope::StudentShare { percent } => fill(Msg::ScopeShareOf.text(lang), &[("p", percent.to_string())]),
        RuleScope::SessionShare { per } => fill(Msg::ScopeSessionsOf.text(lang), &[("per", per.to_string())]),
        other => SCOPES.iter().find(|(c, _)| *c == scope_code(other)).map_or("", |(_, m)| m.text(lang)).to_string(),
    }
}

/// What a rule asks, in one line: `每间寝室每14天至少1次`.
pub fn quota_words(rule: &Rule, lang: Lang) -> String {
    fill(
        Msg::QuotaWords.text(lang),
        &[("scope", scope_words(rule.scope, lang)), ("period", period_words(rule.period, lang)), ("n", rule.min_count.to_string())],
    )
}

const FILTERS: [(&str, Msg); 11] = [
    ("all", Msg::StudentsAll),
    ("warned", Msg::StudentsWarned),
    ("disciplined", Msg::StudentsDisciplined),
    ("warned_or_disciplined", Msg::StudentsWarnedOrDisciplined),
    ("assisted", Msg::StudentsAssisted),
    ("assisted_any", Msg::StudentsAssistedAny),
    ("flagged", Msg::StudentsFlagged),
    ("economy", Msg::StudentsEconomy),
    ("tier", Msg::StudentsTier),
    ("special_archive", Msg::StudentsSpecialArchive),
    ("year_of_study", Msg::StudentsYearOfStudy),
];

pub fn filter_code(filter: StudentFilter) -> &'static str {
    match filter {
        StudentFilter::All => "all",
        StudentFilter::Warned => "warned",
        StudentFilter::Disciplined => "disciplined",
        StudentFilter::WarnedOrDisciplined => "warned_or_disciplined",
        StudentFilter::Assisted { .. } => "assisted",
        StudentFilter::AssistedAny => "assisted_any",
        StudentFilter::Flagged { .. } => "flagged",
        StudentFilter::Economy { .. } => "economy",
        StudentFilter::Tier { .. } => "tier",
        StudentFilter::SpecialArchive => "special_archive",
        StudentFilter::YearOfStudy { .. } => "year_of_study",
    }
}

pub fn filter_of_code(code: &str, old: StudentFilter) -> StudentFilter {
    match code {
        "all" => StudentFilter::All,
        "warned" => StudentFilter::Warned,
        "disciplined" => StudentFilter::Disciplined,
        "warned_or_disciplined" => StudentFilter::WarnedOrDisciplined,
        "assisted_any" => StudentFilter::AssistedAny,
        "flagged" => match old {
            StudentFilter::Flagged { .. } => old,
            _ => StudentFilter::Flagged { flag: rounds::AttentionFlag::EconomicHardship },
        },
        "economy" => match old {
            StudentFilter::Economy { .. } => old,
            _ => StudentFilter::Economy { economy: rounds::Economy::Hardship },
        },
        "special_archive" => StudentFilter::SpecialArchive,
        "year_of_study" => match old {
            StudentFilter::YearOfStudy { .. } => old,
            _ => StudentFilter::YearOfStudy { year: 1 },
        },
        "tier" => match old {
            StudentFilter::Tier { .. } => old,
            _ => StudentFilter::Tier { tier: rounds::ContactTier::Special },
        },
        "assisted" => match old {
            StudentFilter::Assisted { .. } => old,
            _ => StudentFilter::Assisted { level: 1 },
        },
        _ => old,
    }
}

/// A typed count: too large reads as the largest value (the validator then says so), anything
/// that is not a whole number as 0.
pub fn read_count<T: TryFrom<u64> + Copy>(typed: &str, max: T) -> T {
    let n = typed.trim().parse::<u64>().unwrap_or(0);
    T::try_from(n).unwrap_or(max)
}

/// The label of a field of a rule, by its path inside the rule.
pub fn rule_field_label(path: &str) -> Option<Msg> {
    Some(match path {
        "id" => Msg::RuleId,
        "title" => Msg::RuleTitle,
        "source" => Msg::RuleSource,
        "role" => Msg::RuleRole,
        "kind" => Msg::RuleKind,
        "activity" => Msg::RuleActivity,
        "scope" => Msg::RuleScope,
        "scope.percent" => Msg::RuleSharePercent,
        "min_count" => Msg::RuleMinCount,
        "period" => Msg::RulePeriod,
        "period.days" => Msg::RulePeriodDays,
        "period.weeks" => Msg::RulePeriodWeeks,
        "period.event" => Msg::RuleEvent,
        "students" => Msg::RuleStudents,
        "students.level" => Msg::RuleAssistLevel,
        "enabled" => Msg::RuleEnabled,
        _ => return None,
    })
}

/// `rules[3].period.days` for people: `规则 4 · 天数`.
pub fn rule_field_name(field: &str, lang: Lang) -> String {
    let Some((i, rest)) = list_item("rules", field) else { return field.to_string() };
    let rule = fill(Msg::RulesNumbered.text(lang), &[("n", (i + 1).to_string())]);
    match rule_field_label(rest) {
        Some(label) => format!("{rule} · {}", label.text(lang)),
        None if rest.is_empty() => rule,
        None => format!("{rule} · {rest}"),
    }
}

/// An id no rule of the list has yet: `rule-27`.
pub fn fresh_rule_id(rules: &[Rule]) -> String {
    (rules.len() + 1..).map(|n| format!("rule-{n}")).find(|id| rules.iter().all(|r| &r.id != id)).unwrap_or_else(|| "rule-new".to_string())
}

/// A new rule: a counselor's dorm check every 14 days, to be named and changed.
pub fn blank_rule(rules: &[Rule]) -> Rule {
    Rule {
        id: fresh_rule_id(rules),
        title: String::new(),
        source: String::new(),
        role: Role::Counselor,
        kind: "dorm_check".into(),
        activity: None,
        scope: RuleScope::Room,
        min_count: 1,
        period: Period::Days { days: 14 },
        students: StudentFilter::All,
        enabled: true,
        leadership_only: false,
    }
}

// ---- the page ----

#[component]
pub fn RulesPage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeRules><RulesEditor/></OfficePage> }.into_any()
}

#[component]
fn RulesEditor() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::new();
    let draft = RwSignal::new(RulesEdit::default());
    let notice = RwSignal::new(None::<String>);
    let conflict = RwSignal::new(false);
    // The version the draft was loaded or saved as; the version list follows it.
    let version = Memo::new(move |_| draft.with(|d| d.base_version));
    let above = move || {
        view! {
            <p class="rules-version">{move || fill(i18n.t(Msg::RulesVersion), &[("v", version.get().to_string())])}</p>
            <RuleVersions version/>
            <Show when=move || conflict.get()>
                <div class="warning" role="alert">
                    <p>{move || i18n.t(Msg::RulesConflict)}</p>
                    <button type="button" class="secondary" on:click=move |_| reload.bump()>{move || i18n.t(Msg::RulesReloadLatest)}</button>
                </div>
            </Show>
        }
    };
    view! {
        <p>{move || i18n.t(Msg::RulesIntro)}</p>
        <DocumentEditor
            url=RULES_URL
            title=Msg::RulesTitle
            draft
            draft_of=RulesEdit::of
            saved_text=|set: &RuleSet, lang| fill(Msg::RulesSavedAs.text(lang), &[("v", set.version.to_string())])
            field_name=rule_field_name
            notice
            reload
            on_loaded=Callback::new(move |_| conflict.set(false))
            on_conflict=Callback::new(move |_| {
                notice.set(None);
                conflict.set(true);
            })
            above=ViewFn::from(above)
        >
            <RulesList draft notice/>
        </DocumentEditor>
    }
    .into_any()
}

/// Who saved which version when; optional: a server without the list just shows none.
#[component]
fn RuleVersions(version: Memo<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let versions = fetch::<Vec<SavedVersion>>(
        move || {
            version.track();
            format!("{RULES_URL}/versions")
        },
        Reload::new(),
    );
    move || {
        let mut list = versions.with(|v| v.ready().cloned()).unwrap_or_default();
        if list.is_empty() {
            return None;
        }
        list.order_by_key(|v| std::cmp::Reverse(v.version));
        let zone = store.zone();
        Some(view! {
            <details class="rule-versions">
                <summary>{move || i18n.t(Msg::RulesVersions)}</summary>
                <ul>
                    {list.into_iter().map(|v| {
                        let line = fill(i18n.t(Msg::RulesVersionLine), &[
                            ("v", v.version.to_string()),
                            ("who", v.saved_by_name.clone().unwrap_or_else(|| "—".to_string())),
                            ("t", rounds::school_time::format_minute(&v.saved_at, &zone)),
                        ]);
                        view! { <li>{line}</li> }
                    }).collect_view()}
                </ul>
            </details>
        })
    }
}

/// The rules of the draft, one card each, with add and restore; inside the form, so a removal
/// can move the errors of the later rules up with them.
#[component]
fn RulesList(draft: RwSignal<RulesEdit>, notice: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let errors = expect_context::<OfficeErrors>();
    let restore = move |_| {
        if confirm(i18n.t(Msg::RulesConfirmRestore)) {
            draft.update(|d| d.rules = default_rules());
            errors.0.set(Vec::new());
            notice.set(Some(i18n.t(Msg::RulesDefaultsRestored).to_string()));
        }
    };
    let add = move |_| {
        draft.update(|d| {
            let rule = blank_rule(&d.rules);
            d.rules.push(rule);
        })
    };
    view! {
        <div class="form-buttons">
            <button type="button" class="secondary" on:click=restore>{move || i18n.t(Msg::RulesRestoreDefaults)}</button>
        </div>
        <For each=move || 0..draft.with(|d| d.rules.len()) key=|i| *i children=move |i| view! { <RuleCard draft index=i/> }/>
        <div class="form-buttons">
            <button type="button" class="secondary" on:click=add>{move || i18n.t(Msg::RulesAdd)}</button>
        </div>
    }
    .into_any()
}

/// A getter and a setter of rule `i` of the draft, from ones of a rule.
fn of_rule(
    i: usize,
    get: fn(&Rule) -> String,
    set: fn(&mut Rule, String),
) -> (impl Fn(&RulesEdit) -> String + Copy + Send + Sync + 'static, impl Fn(&mut RulesEdit, String) + Copy + Send + Sync + 'static) {
    item_field(move |d: &RulesEdit| d.rules.get(i), move |d: &mut RulesEdit| d.rules.get_mut(i), get, set)
}

/// Options from codes and their labels.
fn coded(list: &'static [(&'static str, Msg)], i18n: crate::i18n::I18n) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || list.iter().map(|(c, m)| (c.to_string(), i18n.t(*m).to_string())).collect())
}

#[component]
fn RuleCard(draft: RwSignal<RulesEdit>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let errors = expect_context::<OfficeErrors>();
    let i = index;
    let path = move |field: &str| format!("rules[{i}].{field}");
    let has = move |test: fn(&Rule) -> bool| move || draft.with(|d| d.rules.get(i).is_some_and(test));
    let lang = move || i18n.lang();
    let legend = move || {
        let title = draft.with(|d| d.rules.get(i).map(|r| r.title.trim().to_string())).unwrap_or_default();
        let title = if title.is_empty() { i18n.t(Msg::RulesUntitled).to_string() } else { title };
        format!("{}：{title}", fill(i18n.t(Msg::RulesNumbered), &[("n", (i + 1).to_string())]))
    };
    let error_count = move || errors.0.with(|es| es.iter().filter(|e| list_item("rules", &e.field).is_some_and(|(n, _)| n == i)).count());
    let words = move || draft.with(|d| d.rules.get(i).map(|r| quota_words(r, lang()))).unwrap_or_default();

    let (title_get, title_set) = of_rule(i, |r| r.title.clone(), |r, v| r.title = v);
    let (id_get, id_set) = of_rule(i, |r| r.id.clone(), |r, v| r.id = v.trim().to_string());
    let (source_get, source_set) = of_rule(i, |r| r.source.clone(), |r, v| r.source = v);
    let (role_get, role_set) = of_rule(i, |r| r.role.as_str().to_string(), |r, v| r.role = Role::parse(&v).unwrap_or(r.role));
    // Another kind has other sub-kinds: the old one goes.
    let (kind_get, kind_set) = of_rule(
        i,
        |r| r.kind.clone(),
        |r, v| {
            if r.kind != v {
                r.kind = v;
                r.activity = None;
            }
        },
    );
    let (activity_get, activity_set) = of_rule(i, |r| r.activity.clone().unwrap_or_default(), |r, v| r.activity = Some(v).filter(|v| !v.is_empty()));
    let (scope_get, scope_set) = of_rule(i, |r| scope_code(r.scope).to_string(), |r, v| r.scope = scope_of_code(&v, r.scope));
    let (percent_get, percent_set) = of_rule(
        i,
        |r| match r.scope {
            RuleScope::StudentShare { percent } => percent.to_string(),
            _ => String::new(),
        },
        |r, v| {
            if let RuleScope::StudentShare { percent } = &mut r.scope {
                *percent = read_count(&v, u8::MAX);
            }
        },
    );
    let (per_get, per_set) = of_rule(
        i,
        |r| match r.scope {
            RuleScope::SessionShare { per } => per.to_string(),
            _ => String::new(),
        },
        |r, v| {
            if let RuleScope::SessionShare { per } = &mut r.scope {
                *per = read_count(&v, u16::MAX);
            }
        },
    );
    let (count_get, count_set) = of_rule(i, |r| r.min_count.to_string(), |r, v| r.min_count = read_count(&v, u32::MAX));
    let (period_get, period_set) = of_rule(i, |r| period_code(r.period).to_string(), |r, v| r.period = period_of_code(&v, r.period));
    let (days_get, days_set) = of_rule(
        i,
        |r| period_days(r.period).map(|d| d.to_string()).unwrap_or_default(),
        |r, v| {
            let n = read_count(&v, u16::MAX);
            r.period = r.period.with_days(n);
        },
    );
    let (weeks_get, weeks_set) = of_rule(
        i,
        |r| match r.period {
            Period::Weeks { weeks } => weeks.to_string(),
            _ => String::new(),
        },
        |r, v| {
            if let Period::Weeks { weeks } = &mut r.period {
                *weeks = read_count(&v, u8::MAX);
            }
        },
    );
    let (event_get, event_set) = of_rule(
        i,
        |r| match r.period {
            Period::AfterEvent { event, .. } => event_code(event),
            _ => event_code(StandingEvent::Warning),
        },
        |r, v| {
            if let Period::AfterEvent { event, .. } = &mut r.period {
                *event = StandingEvent::ALL.iter().copied().find(|e| event_code(*e) == v).unwrap_or(StandingEvent::Warning);
            }
        },
    );
    let (students_get, students_set) = of_rule(i, |r| filter_code(r.students).to_string(), |r, v| r.students = filter_of_code(&v, r.students));
    let (level_get, level_set) = of_rule(
        i,
        |r| match r.students {
            StudentFilter::Assisted { level } => level.to_string(),
            _ => String::new(),
        },
        |r, v| {
            if let StudentFilter::Assisted { level } = &mut r.students {
                *level = read_count(&v, u8::MAX);
            }
        },
    );
    // A flag or an economic situation, by its wire name.
    fn wire<C: serde::Serialize>(c: &C) -> String {
        serde_json::to_value(c).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
    }
    let (flag_get, flag_set) = of_rule(
        i,
        |r| match &r.students {
            StudentFilter::Flagged { flag } => wire(flag),
            _ => String::new(),
        },
        |r, v| {
            if let (StudentFilter::Flagged { flag }, Some(f)) = (&mut r.students, rounds::AttentionFlag::ALL.iter().find(|f| wire(*f) == v)) {
                *flag = *f;
            }
        },
    );
    let (economy_get, economy_set) = of_rule(
        i,
        |r| match &r.students {
            StudentFilter::Economy { economy } => wire(economy),
            _ => String::new(),
        },
        |r, v| {
            if let (StudentFilter::Economy { economy }, Some(e)) = (&mut r.students, rounds::Economy::ALL.iter().find(|e| wire(*e) == v)) {
                *economy = *e;
            }
        },
    );
    let (year_get, year_set) = of_rule(
        i,
        |r| match r.students {
            StudentFilter::YearOfStudy { year } => year.to_string(),
            _ => String::new(),
        },
        |r, v| {
            if let StudentFilter::YearOfStudy { year } = &mut r.students {
                *year = read_count(&v, u8::MAX);
            }
        },
    );
    let (tier_get, tier_set) = of_rule(
        i,
        |r| match &r.students {
            StudentFilter::Tier { tier } => wire(tier),
            _ => String::new(),
        },
        |r, v| {
            if let (StudentFilter::Tier { tier }, Some(t)) = (&mut r.students, rounds::ContactTier::ALL.iter().find(|t| wire(*t) == v)) {
                *tier = *t;
            }
        },
    );
    let tiers = Signal::derive(move || rounds::ContactTier::ALL.iter().map(|t| (wire(t), crate::i18n::tier_label(*t, lang()).to_string())).collect::<Vec<_>>());
    let flags =
        Signal::derive(move || rounds::AttentionFlag::ALL.iter().map(|f| (wire(f), crate::i18n::flag_label(*f, lang()).to_string())).collect::<Vec<_>>());
    let economies =
        Signal::derive(move || rounds::Economy::ALL.iter().map(|e| (wire(e), crate::i18n::economy_label(*e, lang()).to_string())).collect::<Vec<_>>());

    let roles = Signal::derive(move || {
        [Role::Counselor, Role::HeadTeacher, Role::Leader, Role::Office]
            .iter()
            .map(|r| (r.as_str().to_string(), role_label(*r).text(lang()).to_string()))
            .collect::<Vec<_>>()
    });
    let kinds = Signal::derive(move || duty_kinds().map(|k| (k.to_string(), duty_kind_name(k).text(lang()).to_string())).collect::<Vec<_>>());
    let kind_now = move || draft.with(|d| d.rules.get(i).map(|r| r.kind.clone())).unwrap_or_default();
    let activities = Signal::derive(move || {
        let kind = kind_now();
        std::iter::once((String::new(), i18n.t(Msg::RuleAnyActivity).to_string()))
            .chain(RecordBody::activities_of(&kind).iter().map(|a| (a.to_string(), activity_label(&kind, a, lang()))))
            .collect::<Vec<_>>()
    });
    let events =
        Signal::derive(move || StandingEvent::ALL.iter().map(|e| (event_code(*e), crate::i18n::event_label(*e, lang()).to_string())).collect::<Vec<_>>());
    let levels = Signal::derive(move || super::archive::level_options(lang()).into_iter().skip(1).collect::<Vec<_>>());
    let shows_activity = move || {
        let kind = kind_now();
        !RecordBody::activities_of(&kind).is_empty() || draft.with(|d| d.rules.get(i).is_some_and(|r| r.activity.is_some()))
    };
    let remove = move |_| {
        draft.update(|d| {
            if i < d.rules.len() {
                d.rules.remove(i);
            }
        });
        errors.0.update(|es| forget_removed(es, "rules", i));
    };
    let remove_label = move || fill(i18n.t(Msg::RulesRemoveOf), &[("n", (i + 1).to_string())]);
    view! {
        <fieldset class="rule-card" class:off=has(|r| !r.enabled)>
            <legend>
                {legend}
                <Show when=move || { error_count() > 0 }>
                    " "<span class="badge invalid">{move || fill(i18n.t(Msg::RulesErrorCount), &[("n", error_count().to_string())])}</span>
                </Show>
                <Show when=has(|r| !r.enabled)>" "<span class="badge">{move || i18n.t(Msg::RulesOff)}</span></Show>
            </legend>
            <p class="muted rule-words">{words}</p>
            <GroupError field=format!("rules[{i}]")/>
            <div class="rule-grid">
                <div class="cell wide"><Text draft label=Msg::RuleTitle field=path("title") get=title_get set=title_set/></div>
                <div class="cell"><Text draft label=Msg::RuleId field=path("id") get=id_get set=id_set/></div>
                <div class="cell"><Text draft label=Msg::RuleSource field=path("source") get=source_get set=source_set/></div>
                <div class="cell"><Select draft label=Msg::RuleRole field=path("role") options=roles get=role_get set=role_set/></div>
                <div class="cell"><Select draft label=Msg::RuleKind field=path("kind") options=kinds get=kind_get set=kind_set/></div>
                <Show when=shows_activity>
                    <div class="cell"><Select draft label=Msg::RuleActivity field=path("activity") options=activities get=activity_get set=activity_set/></div>
                </Show>
                <div class="cell"><Select draft label=Msg::RuleScope field=path("scope") options=coded(&SCOPES, i18n) get=scope_get set=scope_set/></div>
                <Show when=has(|r| matches!(r.scope, RuleScope::StudentShare { .. }))>
                    <div class="cell"><Text draft label=Msg::RuleSharePercent field=path("scope.percent") kind="number" get=percent_get set=percent_set/></div>
                </Show>
                <Show when=has(|r| matches!(r.scope, RuleScope::SessionShare { .. }))>
                    <div class="cell"><Text draft label=Msg::RuleSessionPer field=path("scope.per") kind="number" get=per_get set=per_set/></div>
                </Show>
                <div class="cell"><Text draft label=Msg::RuleMinCount field=path("min_count") kind="number" get=count_get set=count_set/></div>
                <div class="cell"><Select draft label=Msg::RulePeriod field=path("period") options=coded(&PERIODS, i18n) get=period_get set=period_set/></div>
                <Show when=has(|r| matches!(r.period, Period::AfterEvent { .. }))>
                    <div class="cell"><Select draft label=Msg::RuleEvent field=path("period.event") options=events get=event_get set=event_set/></div>
                </Show>
                <Show when=has(|r| period_days(r.period).is_some())>
                    <div class="cell"><Text draft label=Msg::RulePeriodDays field=path("period.days") kind="number" get=days_get set=days_set/></div>
                </Show>
                <Show when=has(|r| matches!(r.period, Period::Weeks { .. }))>
                    <div class="cell"><Text draft label=Msg::RulePeriodWeeks field=path("period.weeks") kind="number" get=weeks_get set=weeks_set/></div>
                </Show>
                <div class="cell"><Select draft label=Msg::RuleStudents field=path("students") options=coded(&FILTERS, i18n) get=students_get set=students_set/></div>
                <Show when=has(|r| matches!(r.students, StudentFilter::Assisted { .. }))>
                    <div class="cell"><Select draft label=Msg::RuleAssistLevel field=path("students.level") options=levels get=level_get set=level_set/></div>
                </Show>
                <Show when=has(|r| matches!(r.students, StudentFilter::Flagged { .. }))>
                    <div class="cell"><Select draft label=Msg::RuleFlag field=path("students.flag") options=flags get=flag_get set=flag_set/></div>
                </Show>
                <Show when=has(|r| matches!(r.students, StudentFilter::YearOfStudy { .. }))>
                    <div class="cell"><Text draft label=Msg::RuleYearOfStudy field=path("students.year") kind="number" get=year_get set=year_set/></div>
                </Show>
                <Show when=has(|r| matches!(r.students, StudentFilter::Tier { .. }))>
                    <div class="cell"><Select draft label=Msg::RuleTier field=path("students.tier") options=tiers get=tier_get set=tier_set/></div>
                </Show>
                <Show when=has(|r| matches!(r.students, StudentFilter::Economy { .. }))>
                    <div class="cell"><Select draft label=Msg::RuleEconomy field=path("students.economy") options=economies get=economy_get set=economy_set/></div>
                </Show>
            </div>
            <div class="rule-foot">
                <Check draft label=Msg::RuleEnabled
                    get=move |d: &RulesEdit| d.rules.get(i).is_some_and(|r| r.enabled)
                    set=move |d: &mut RulesEdit, on| if let Some(r) = d.rules.get_mut(i) { r.enabled = on }/>
                <button type="button" class="link danger" aria-label=remove_label on:click=remove>{move || i18n.t(Msg::RulesRemove)}</button>
            </div>
        </fieldset>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(id: &str) -> Rule {
        default_rules().into_iter().find(|r| r.id == id).expect("a default rule")
    }

    #[test]
    fn periods_read_as_words_in_both_languages() {
        assert_eq!(period_words(Period::Days { days: 14 }, Lang::Zh), "每14天");
        assert_eq!(period_words(Period::Days { days: 1 }, Lang::En), "every day");
        assert_eq!(period_words(Period::Weeks { weeks: 1 }, Lang::Zh), "每个教学周");
        assert_eq!(period_words(Period::Weeks { weeks: 2 }, Lang::En), "every 2 teaching weeks");
        assert_eq!(period_words(Period::Semester, Lang::Zh), "每学期");
        assert_eq!(period_words(Period::AfterEvent { event: StandingEvent::Warning, days: 7 }, Lang::Zh), "学业预警决定后7天内");
        assert_eq!(period_words(Period::AfterEvent { event: StandingEvent::Discipline, days: 7 }, Lang::En), "within 7 days of a sanction");
    }

    #[test]
    fn a_rule_reads_as_one_line() {
        assert_eq!(quota_words(&rule("dorm-check"), Lang::Zh), "每间寝室每14天至少1次");
        assert_eq!(quota_words(&rule("class-meeting"), Lang::Zh), "每个班级每学期至少4次");
        assert_eq!(quota_words(&rule("talk-coverage"), Lang::Zh), "每3名学生每学期至少1次");
        assert_eq!(quota_words(&rule("lecture-visit"), Lang::En), "the person: at least 1× each month");
    }

    #[test]
    fn select_codes_round_trip_and_keep_what_was_typed() {
        for (code, _) in PERIODS {
            assert_eq!(period_code(period_of_code(code, Period::Month)), code);
        }
        for (code, _) in SCOPES {
            assert_eq!(scope_code(scope_of_code(code, RuleScope::Room)), code);
        }
        for (code, _) in FILTERS {
            assert_eq!(filter_code(filter_of_code(code, StudentFilter::All)), code);
        }
        // Days survive a switch between rolling and after-event periods; unknown codes change nothing.
        assert_eq!(period_of_code("after_event", Period::Days { days: 10 }), Period::AfterEvent { event: StandingEvent::Warning, days: 10 });
        assert_eq!(period_of_code("days", Period::Semester), Period::Days { days: 14 });
        assert_eq!(period_of_code("fortnightly", Period::Month), Period::Month);
        let share = RuleScope::StudentShare { percent: 50 };
        assert_eq!(scope_of_code("student_share", share), share);
        assert_eq!(scope_of_code("student_share", RuleScope::Room), RuleScope::StudentShare { percent: DEFAULT_SHARE_PERCENT });
        assert_eq!(filter_of_code("assisted", StudentFilter::Assisted { level: 3 }), StudentFilter::Assisted { level: 3 });
        // The codes are the wire's tags, so a log and the page speak alike.
        let wire = serde_json::to_value(Period::SchoolYear).expect("serialises");
        assert_eq!(wire["type"], period_code(Period::SchoolYear));
    }

    #[test]
    fn typed_counts_never_wrap() {
        assert_eq!(read_count::<u16>("10", u16::MAX), 10);
        assert_eq!(read_count::<u16>(" 0 ", u16::MAX), 0);
        assert_eq!(read_count::<u16>("99999", u16::MAX), u16::MAX);
        assert_eq!(read_count::<u8>("-3", u8::MAX), 0);
        assert_eq!(read_count::<u32>("十", u32::MAX), 0);
    }

    #[test]
    fn a_zero_period_is_caught_here_as_the_server_would_and_named_for_people() {
        let mut draft = RulesEdit { base_version: 3, rules: default_rules() };
        draft.rules[0].period = Period::Days { days: 0 };
        let errors = draft.validate();
        assert_eq!(errors.codes(), vec![("rules[0].period.days", "zero_period")]);
        assert_eq!(rule_field_name("rules[0].period.days", Lang::Zh), "规则 1 · 天数");
        assert_eq!(rule_field_name("rules[11]", Lang::En), "Rule 12");
        assert_eq!(rule_field_name("rules[2].mystery", Lang::En), "Rule 3 · mystery");
        assert_eq!(rule_field_name("base_version", Lang::Zh), "base_version");
        let json = serde_json::to_value(&draft).expect("serialises");
        assert_eq!(json["base_version"], 3);
        assert_eq!(json["rules"][0]["period"], serde_json::json!({ "type": "days", "days": 0 }));
    }

    #[test]
    fn new_rules_get_a_free_id_and_are_valid_once_named() {
        let mut rules = default_rules();
        let n = rules.len();
        let mut new = blank_rule(&rules);
        assert_eq!(new.id, format!("rule-{}", n + 1));
        assert_eq!(new.validate().codes(), vec![("title", "required")]);
        new.title = "每间寝室每两周查寝".into();
        assert!(new.validate().is_empty());
        rules.push(new);
        assert_eq!(fresh_rule_id(&rules), format!("rule-{}", n + 2));
    }

    #[test]
    fn every_kind_and_activity_has_a_name() {
        assert_eq!(duty_kind_name(ARCHIVE_REVIEW).text(Lang::Zh), "档案核实");
        assert_eq!(duty_kind_name("dorm_check").text(Lang::Zh), "查寝");
        assert_eq!(duty_kinds().count(), RecordBody::KINDS.len() + 1);
        assert_eq!(activity_label("branch_activity", "party_lecture", Lang::Zh), "专题党课");
        assert_eq!(activity_label("club_activity", "plan", Lang::En), "Activity planned");
        assert_eq!(activity_label("talk", "picnic", Lang::En), "picnic");
        for kind in duty_kinds() {
            for a in RecordBody::activities_of(kind) {
                assert_ne!(activity_label(kind, a, Lang::Zh), *a, "{kind}/{a} has no Chinese name");
            }
        }
    }
}
