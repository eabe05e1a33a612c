//! 学期工作总结: the signed-in user's semester in figures, computed on the phone from the local
//! store (records of each kind, talk and parent-contact coverage, how each rule stands, the
//! issues raised and resolved), with room for their own reflections; printable, and exported
//! to Excel by the server.

use crate::components::RequireUser;
use crate::duties::{duties_on, summary_semester, with_duty_inputs};
use crate::i18n::*;
use crate::pages::summary::kind_name;
use crate::state::{use_store, LocalRecord};
use chrono::{FixedOffset, NaiveDate};
use leptos::prelude::*;
use rounds::duties::{DateSpan, DutySetup, Owner, Tally};
use rounds::record::Subject;
use rounds::{IssueStatus, RecordBody, RosterSnapshot, StudentId};
use std::collections::BTreeSet;

/// How many of the user's students a kind of record reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    pub covered: u32,
    pub students: u32,
}

impl Coverage {
    pub fn percent(&self) -> u32 {
        (self.covered * 100).checked_div(self.students).unwrap_or(0)
    }
}

/// How one rule's duties stand at the end of the summary's span.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleLine {
    pub title: String,
    pub source: String,
    pub tally: Tally,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WorkSummary {
    pub semester: String,
    /// The days counted: from the semester's start to today, or to its end once it is over.
    pub span: DateSpan,
    /// The user's records of each kind in the span, in the kinds' order; kinds with none left out.
    pub kinds: Vec<(&'static str, u32)>,
    pub talks: Coverage,
    pub parent_contacts: Coverage,
    /// The rules that gave the user duties, in the rules' order.
    pub rules: Vec<RuleLine>,
    pub issues_raised: u32,
    /// Resolved, or resolved and fed back to the students.
    pub issues_resolved: u32,
}

impl WorkSummary {
    /// Rules with nothing overdue.
    pub fn rules_kept(&self) -> usize {
        self.rules.iter().filter(|r| r.tally.overdue == 0).count()
    }
}

/// The summary of `owner`'s semester as of `today`; `None` before the calendar's first semester.
pub fn work_summary(setup: &DutySetup, roster: &RosterSnapshot, records: &[LocalRecord], owner: &Owner, zone: &FixedOffset, today: NaiveDate) -> Option<WorkSummary> {
    let semester = summary_semester(&setup.calendar, today)?;
    let span = DateSpan::new(semester.start, today.min(semester.end));
    let mine: Vec<&RecordBody> = records
        .iter()
        .map(|r| &r.record)
        .filter(|r| r.author_id == owner.user && !r.deleted && span.contains(r.body.occurred_at().with_timezone(zone).date_naive()))
        .map(|r| &r.body)
        .collect();
    let kinds = RecordBody::KINDS
        .iter()
        .map(|k| (*k, mine.iter().filter(|b| b.kind() == *k).count() as u32))
        .filter(|(_, n)| *n > 0)
        .collect();
    let students: BTreeSet<StudentId> = roster.students.iter().filter(|s| owner.classes.contains(&s.class_id)).map(|s| s.id).collect();
    let coverage = |kind: &str| {
        let reached: BTreeSet<StudentId> = mine
            .iter()
            .filter(|b| b.kind() == kind)
            .filter_map(|b| match b.subject() {
                Subject::Student(s) if students.contains(&s) => Some(s),
                _ => None,
            })
            .collect();
        Coverage { covered: reached.len() as u32, students: students.len() as u32 }
    };
    let issues: Vec<IssueStatus> = mine
        .iter()
        .filter_map(|b| match b {
            RecordBody::StudentIssue(i) => Some(i.status),
            _ => None,
        })
        .collect();
    let duties = duties_on(setup, roster, records, owner, zone, span.end);
    let rules = setup
        .rules
        .rules
        .iter()
        .filter_map(|rule| {
            let of_rule: Vec<_> = duties.iter().filter(|d| d.rule_id == rule.id).collect();
            (!of_rule.is_empty()).then(|| RuleLine { title: rule.title.clone(), source: rule.source.clone(), tally: Tally::of(of_rule) })
        })
        .collect();
    Some(WorkSummary {
        semester: semester.name.clone(),
        span,
        kinds,
        talks: coverage("talk"),
        parent_contacts: coverage("parent_contact"),
        rules,
        issues_raised: issues.len() as u32,
        issues_resolved: issues.iter().filter(|s| matches!(s, IssueStatus::Resolved | IssueStatus::FedBack)).count() as u32,
    })
}

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
    let summary = Memo::new(move |_| with_duty_inputs(store, |i| work_summary(i.setup, i.roster, i.records, &i.owner, &i.zone, i.today)).flatten());
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
fn SummaryView(summary: WorkSummary) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let WorkSummary { semester, span, kinds, talks, parent_contacts, rules, issues_raised, issues_resolved } = summary.clone();
    let name = store.user.with_untracked(|u| u.as_ref().map(|u| u.display_name.clone())).unwrap_or_default();
    let heading = {
        let semester = semester.clone();
        move || {
            i18n.tf(Msg::SummaryOf, &[("name", name.clone()), ("semester", semester.clone()), ("from", span.start.to_string()), ("to", span.end.to_string())])
        }
    };
    let coverage = move |m: Msg, c: Coverage| {
        (c.students > 0).then(|| {
            let args = [("done", c.covered.to_string()), ("total", c.students.to_string()), ("pct", c.percent().to_string())];
            view! { <li>{move || i18n.tf(m, &args)}</li> }
        })
    };
    let kept = summary.rules_kept();
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
                        {kinds.iter().map(|(kind, n)| {
                            let msg = kind_name(kind);
                            view! { <tr><td>{move || i18n.t(msg)}</td><td>{*n}</td></tr> }
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
            <h2>{move || i18n.tf(Msg::SummaryDuties, &[("d", span.end.to_string())])}</h2>
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

/// The user's own words about the semester, kept on this phone (meta, by user and semester)
/// so they survive a reload; printed as text, since a textarea prints clipped.
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
    let text = {
        let key = key.clone();
        move || notes.with(|n| n.get(&key).cloned().unwrap_or_default())
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
            <div class="print-only">
                <h2>{move || i18n.t(Msg::SummaryReflections)}</h2>
                <p class="reflections-print">{shown}</p>
            </div>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::duties::owner_of;
    use crate::duties::tests::*;
    use crate::state::SyncState;
    use rounds::*;

    fn issue(student: i64, status: IssueStatus) -> RecordBody {
        RecordBody::StudentIssue(StudentIssue {
            class_id: ClassId(1),
            student_id: Some(StudentId(student)),
            raised_at: evening(11, 2),
            category: IssueCategory::Dormitory,
            description: "热水器坏了".into(),
            status,
            forwarded_to: "后勤处".into(),
            resolution: String::new(),
        })
    }

    fn contact(student: i64, m: u32, d: u32) -> RecordBody {
        RecordBody::ParentContact(ParentContact {
            student_id: StudentId(student),
            contacted_at: evening(m, d),
            guardian: "母亲".into(),
            channel: ContactChannel::Phone,
            reason: ParentContactReason::Routine,
            content: "x".into(),
            feedback: String::new(),
            follow_up: String::new(),
        })
    }

    #[test]
    fn the_summary_counts_my_semester_only() {
        let me = counselor().id;
        let mut deleted = local(contact(3, 10, 9), me, SyncState::Synced);
        deleted.record.deleted = true;
        let records = vec![
            local(dorm_check(1, 11, 7), me, SyncState::Synced),
            local(dorm_check(2, 11, 22), me, SyncState::Pending),
            // Before the semester began, and by someone else: not in my summary.
            local(dorm_check(2, 8, 30), me, SyncState::Synced),
            local(dorm_check(2, 11, 20), UserId(99), SyncState::Synced),
            local(contact(1, 10, 9), me, SyncState::Synced),
            local(contact(1, 11, 9), me, SyncState::Synced),
            local(contact(2, 11, 10), me, SyncState::Synced),
            deleted,
            local(issue(1, IssueStatus::Open), me, SyncState::Synced),
            local(issue(2, IssueStatus::Resolved), me, SyncState::Synced),
            local(issue(3, IssueStatus::FedBack), me, SyncState::Synced),
        ];
        let (setup, roster) = (setup(), roster());
        let owner = owner_of(&counselor(), &roster);
        let s = work_summary(&setup, &roster, &records, &owner, &zone(), day(11, 23)).expect("a semester");
        assert_eq!(s.semester, "2026–2027 第一学期");
        assert_eq!(s.span, DateSpan::new(day(9, 7), day(11, 23)));
        assert_eq!(s.kinds, vec![("dorm_check", 2), ("parent_contact", 3), ("student_issue", 3)]);
        assert_eq!(s.parent_contacts, Coverage { covered: 2, students: 4 });
        assert_eq!(s.parent_contacts.percent(), 50);
        assert_eq!(s.talks, Coverage { covered: 0, students: 4 });
        assert_eq!((s.issues_raised, s.issues_resolved), (3, 2));
        // Room 3-214 was checked 16 days ago: overdue; 3-215 yesterday: under way.
        let dorm = s.rules.iter().find(|r| r.source == "000 §2.6.2").expect("the dorm-check rule");
        assert_eq!((dorm.tally.overdue, dorm.tally.upcoming + dorm.tally.due_soon), (1, 1));
        assert!(s.rules_kept() < s.rules.len());
    }

    #[test]
    fn after_the_semester_the_summary_is_of_the_semester_that_ended() {
        let (setup, roster) = (setup(), roster());
        let owner = owner_of(&counselor(), &roster);
        let winter = NaiveDate::from_ymd_opt(2027, 2, 1).expect("a real date");
        let s = work_summary(&setup, &roster, &[], &owner, &zone(), winter).expect("a semester");
        assert_eq!(s.span.end, NaiveDate::from_ymd_opt(2027, 1, 17).expect("a real date"));
        assert!(s.kinds.is_empty());
        assert_eq!(Coverage::default().percent(), 0);
    }
}
