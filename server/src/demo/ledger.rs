//! Demo: the issue ledger lived in (002 四(三); 000 二(六)2). The leader raises the problems his
//! dorm visits heard, a counselor reports a dorm check's hazard at once, and the office moves
//! every issue along: some closed with the raiser's word, some fed back and awaiting it, one
//! with a person and overdue, one reopened, the newest not yet assigned.

use crate::db::Store;
use chrono::{DateTime, Duration, FixedOffset};
use rounds::kinds::issue::{IssueAction, IssueCategory, IssueStep, StudentIssue};
use rounds::record::ValidationContext;
use rounds::{RecordBody, RecordEnvelope, UserId};

/// Where the office leaves an issue, by its place among the issues, oldest first.
const PLAN: &[&[IssueAction]] = &[
    &[IssueAction::Assign, IssueAction::Resolve, IssueAction::FeedBack, IssueAction::Confirm],
    &[IssueAction::Assign, IssueAction::Resolve, IssueAction::FeedBack],
    &[IssueAction::Assign, IssueAction::Resolve, IssueAction::FeedBack, IssueAction::Reopen, IssueAction::Progress],
    &[IssueAction::Assign, IssueAction::Progress],
    &[IssueAction::Assign, IssueAction::Resolve],
    &[IssueAction::Assign],
];

fn unit_for(issue: &StudentIssue) -> &'static str {
    match issue.category {
        IssueCategory::Dormitory | IssueCategory::Life | IssueCategory::Canteen => "后勤保障处",
        IssueCategory::Safety => "保卫处",
        IssueCategory::Finance => "学生资助管理中心",
        IssueCategory::Study | IssueCategory::Other => "教务处",
    }
}

fn text_for(action: IssueAction, issue: &StudentIssue) -> String {
    match action {
        IssueAction::Assign => format!("请{}核实处理", unit_for(issue)),
        IssueAction::Progress => "承办单位已到现场查看，备件已申购".into(),
        IssueAction::Resolve => "已维修并调整安排，经回访运行正常".into(),
        IssueAction::FeedBack => format!("问题“{}”已由{}处理完毕，请向学生说明", issue.description, unit_for(issue)),
        IssueAction::Confirm => "已向学生转达，学生表示满意".into(),
        IssueAction::Reopen => "学生反映问题仍然存在，请再次处理".into(),
    }
}

/// Raises the leader's and the hazard's issues, then walks every issue through its plan.
pub(super) async fn issue_ledger(store: &Store) -> anyhow::Result<usize> {
    let (Some(office), Some(leader)) = (store.user_by_name("office").await?, store.user_by_name("leader").await?) else { return Ok(0) };
    let (office, leader) = (office.profile, leader.profile);
    let zone = rounds::school_time::zone(rounds::school_time::DEFAULT_TIME_ZONE);
    let now = rounds::school_time::now_in(&zone);
    let full = store.roster().await?;
    let mut stored = 0;

    // The leader's visits heard problems: each becomes an issue of the room, linked to its visit.
    let mut raised = Vec::new();
    for visit in store.current_records_of("dorm_visit").await?.into_iter().filter(|v| v.author_id == leader.id) {
        let RecordBody::DormVisit(v) = &visit.body else { continue };
        if v.problems_raised.trim().is_empty() {
            continue;
        }
        let issue = StudentIssue::raised_from(&visit, &full, IssueCategory::Dormitory, v.problems_raised.clone(), v.visited_at + Duration::hours(1));
        raised.push(RecordEnvelope::new(issue.into(), leader.id, "demo", now));
    }
    stored += store_valid(store, &full, leader.id, raised, now).await?;

    // A counselor's latest check with a hazard: reported to the office at once (000 二(六)2).
    let checks = store.current_records_of("dorm_check").await?;
    let hazard = checks.iter().filter_map(|c| match &c.body {
        RecordBody::DormCheck(d) if !d.hazards.is_empty() => Some((c, d)),
        _ => None,
    });
    if let Some((check, d)) = hazard.max_by_key(|(_, d)| d.checked_at) {
        let description = d.hazards.iter().map(|h| h.description.clone()).collect::<Vec<_>>().join("；");
        let issue = StudentIssue::raised_from(check, &full, IssueCategory::Safety, description, d.checked_at + Duration::minutes(10));
        stored += store_valid(store, &full, check.author_id, vec![RecordEnvelope::new(issue.into(), check.author_id, "demo", now)], now).await?;
    }

    // The office's work on every issue, oldest first; the newest stays unassigned.
    let mut issues: Vec<RecordEnvelope> = store.current_records_of("student_issue").await?;
    issues.sort_by_key(|e| e.body.occurred_at());
    issues.pop();
    let assignee = store.user_by_name("counselor2").await?.map(|r| r.profile.id);
    for (i, env) in issues.iter().enumerate() {
        let RecordBody::StudentIssue(issue) = &env.body else { continue };
        // The leader's issues and the hazard are the ones people look for: fed back, and assigned.
        let plan = match (env.author_id == leader.id, issue.category) {
            (true, _) => PLAN[1],
            (false, IssueCategory::Safety) => PLAN[4],
            _ => PLAN[i % PLAN.len()],
        };
        let raised = issue.raised_at;
        // Steps a day apart, squeezed before now for a recent issue.
        let span = (now - raised).max(Duration::hours(plan.len() as i64 + 1));
        let gap = span / (plan.len() as i32 + 1);
        let overdue = i % PLAN.len() == 3;
        for (k, action) in plan.iter().enumerate() {
            let taken_at: DateTime<FixedOffset> = (raised + gap.min(Duration::days(1)) * (k as i32 + 1)).min(now - Duration::minutes(10));
            let assign = *action == IssueAction::Assign;
            let due = if issue.category == IssueCategory::Safety {
                1
            } else if overdue {
                2
            } else {
                7
            };
            let step = IssueStep {
                issue_id: env.id,
                taken_at,
                action: *action,
                unit: if assign { unit_for(issue).into() } else { String::new() },
                assignee_id: if assign && overdue { assignee } else { None },
                due_on: assign.then(|| taken_at.date_naive() + Duration::days(due)),
                text: text_for(*action, issue),
            };
            // The raiser answers the feedback; everything else is the office's.
            let by = if matches!(action, IssueAction::Confirm | IssueAction::Reopen) { env.author_id } else { office.id };
            stored += store_valid(store, &full, by, vec![RecordEnvelope::new(step.into(), by, "demo", taken_at)], now).await?;
        }
    }
    Ok(stored)
}

async fn store_valid(
    store: &Store,
    full: &rounds::RosterSnapshot,
    by: UserId,
    batch: Vec<RecordEnvelope>,
    now: DateTime<FixedOffset>,
) -> anyhow::Result<usize> {
    let ctx = ValidationContext { roster: full, now };
    for env in &batch {
        let errors = env.validate(&ctx);
        if !errors.is_empty() {
            anyhow::bail!("demo {} does not validate: {errors}", env.body.kind());
        }
    }
    Ok(store.apply_records(by, &batch).await?.len())
}
