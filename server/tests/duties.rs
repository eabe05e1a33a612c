//! The duty rules engine over real HTTP against a real SQLite database with the demo
//! institution: the office edits rules and calendar in versions, bad rules and stale edits are
//! refused, the pull carries the setup, compliance follows the records pushed, and the
//! drill-down and workbooks match the numbers.

mod common;

use chrono::{Datelike, Duration, NaiveDate};
use common::*;
use reqwest::{Client, StatusCode};
use rounds::duties::{CalendarVersion, ComplianceReport, DutyRow, DutyStatus, RuleSet, SavedVersion, SemesterSummary};
use serde_json::{json, Value};

fn today() -> NaiveDate {
    now().date_naive()
}

/// A semester around today, so the tests do not depend on the demo calendar's dates.
fn semester_around_today() -> Value {
    let start = today() - Duration::days(30);
    json!({
        "name": "测试学期",
        "school_year": "测试学年",
        "start": start,
        "end": start + Duration::days(120),
        "teaching_weeks": 16,
        "holidays": [],
    })
}

async fn use_test_calendar(s: &TestServer, office: &Client) -> CalendarVersion {
    let current: CalendarVersion = serde_json::from_value(s.get(office, "/api/v1/duties/calendar", StatusCode::OK).await).expect("calendar");
    let edit = json!({ "base_version": current.version, "time_zone": "Asia/Shanghai", "semesters": [semester_around_today()] });
    serde_json::from_value(s.put_json(office, "/api/v1/duties/calendar", edit, StatusCode::OK).await).expect("saved calendar")
}

/// The demo school on a calendar around today: the server, the office, the counselor.
async fn school_today() -> (TestServer, Client, Client, rounds::UserProfile) {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let (counselor, me) = s.login("counselor").await;
    use_test_calendar(&s, &office).await;
    (s, office, counselor, me)
}

async fn report(s: &TestServer, office: &Client, query: &str) -> ComplianceReport {
    serde_json::from_value(s.get(office, &format!("/api/v1/compliance{query}"), StatusCode::OK).await).expect("report")
}

async fn drill(s: &TestServer, office: &Client, query: &str) -> Vec<DutyRow> {
    serde_json::from_value(s.get(office, &format!("/api/v1/compliance/duties{query}"), StatusCode::OK).await).expect("rows")
}

fn rule<'r>(report: &'r ComplianceReport, id: &str) -> &'r rounds::duties::ComplianceRow {
    report.by_rule.iter().find(|r| r.key == id).unwrap_or_else(|| panic!("no row for {id}"))
}

fn owner(report: &ComplianceReport, user: rounds::UserId) -> &rounds::duties::ComplianceRow {
    report.by_owner.iter().find(|r| r.key == user.to_string()).expect("a row for the person")
}

async fn rules(s: &TestServer, c: &Client) -> RuleSet {
    serde_json::from_value(s.get(c, "/api/v1/duties/rules", StatusCode::OK).await).expect("rules")
}

#[tokio::test]
async fn bad_rules_are_refused_with_every_field_and_nothing_is_stored() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let current = rules(&s, &office).await;
    assert_eq!(current.version, 1, "the defaults are version 1");
    let mut edited = serde_json::to_value(&current.rules).expect("json");
    edited[0]["period"] = json!({ "type": "days", "days": 0 });
    edited[1]["min_count"] = json!(0);
    // A lecture visit is about a class, not a room.
    edited[2]["scope"] = json!({ "type": "room" });
    edited[3]["kind"] = json!("fishing");
    edited[4]["id"] = edited[0]["id"].clone();
    let body = s.put_json(&office, "/api/v1/duties/rules", json!({ "base_version": 1, "rules": edited }), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["code"], "invalid");
    let got = fields(&body);
    for expected in [
        pair("rules[0].period.days", "zero_period"),
        pair("rules[1].min_count", "out_of_range"),
        pair("rules[2].scope", "scope_mismatch"),
        pair("rules[3].kind", "unknown_kind"),
        pair("rules[4].id", "duplicate"),
    ] {
        assert!(got.contains(&expected), "{expected:?} missing from {got:?}");
    }
    assert_eq!(rules(&s, &office).await, current, "nothing stored");
    let versions: Vec<SavedVersion> = serde_json::from_value(s.get(&office, "/api/v1/duties/rules/versions", StatusCode::OK).await).expect("versions");
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].saved_by, None, "the defaults were stored by the server");

    // A body that is not a rule set at all is a 400, in the one error shape.
    let body = s.put_json(&office, "/api/v1/duties/rules", json!({ "base_version": 1, "rules": [{ "id": "x" }] }), StatusCode::BAD_REQUEST).await;
    assert_eq!(body["error"]["code"], "malformed_request");
}

#[tokio::test]
async fn every_save_is_a_version_and_a_stale_base_is_refused() {
    let s = server().await;
    let (office, me) = s.login("office").await;
    let mut set = rules(&s, &office).await;
    set.rules.retain(|r| r.id != "lecture-visit");
    let saved: RuleSet =
        serde_json::from_value(s.put_json(&office, "/api/v1/duties/rules", json!({ "base_version": 1, "rules": set.rules }), StatusCode::OK).await)
            .expect("saved");
    assert_eq!(saved.version, 2);
    assert_eq!(rules(&s, &office).await, saved);

    // Another editor who started from version 1 does not overwrite version 2.
    let body = s.put_json(&office, "/api/v1/duties/rules", json!({ "base_version": 1, "rules": set.rules }), StatusCode::CONFLICT).await;
    assert_eq!(body["error"]["code"], "stale_version");
    assert_eq!(fields(&body), vec![pair("base_version", "stale")]);
    assert_eq!(rules(&s, &office).await.version, 2);

    let versions: Vec<SavedVersion> = serde_json::from_value(s.get(&office, "/api/v1/duties/rules/versions", StatusCode::OK).await).expect("versions");
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![2, 1]);
    assert_eq!((versions[0].saved_by, versions[0].saved_by_name.as_deref()), (Some(me.id), Some("刘敏")));
    let first: RuleSet = serde_json::from_value(s.get(&office, "/api/v1/duties/rules/versions/1", StatusCode::OK).await).expect("v1");
    assert!(first.rule("lecture-visit").is_some());
    s.get(&office, "/api/v1/duties/rules/versions/9", StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn only_the_office_changes_the_setup_and_sees_compliance() {
    let s = server().await;
    let (counselor, _) = s.login("counselor").await;
    let set = rules(&s, &counselor).await;
    let body = s.put_json(&counselor, "/api/v1/duties/rules", json!({ "base_version": set.version, "rules": set.rules }), StatusCode::FORBIDDEN).await;
    assert_eq!(body["error"]["code"], "forbidden");
    let calendar = s.get(&counselor, "/api/v1/duties/calendar", StatusCode::OK).await;
    s.put_json(
        &counselor,
        "/api/v1/duties/calendar",
        json!({ "base_version": calendar["version"], "time_zone": "Asia/Shanghai", "semesters": [] }),
        StatusCode::FORBIDDEN,
    )
    .await;
    for path in ["/api/v1/duties/rules/versions", "/api/v1/compliance", "/api/v1/compliance/duties", "/api/v1/compliance.xlsx"] {
        s.get(&counselor, path, StatusCode::FORBIDDEN).await;
    }
    assert_eq!(rules(&s, &counselor).await, set, "nothing changed");
    let anonymous = client();
    for path in ["/api/v1/duties/rules", "/api/v1/duties/mine", "/api/v1/compliance"] {
        s.get(&anonymous, path, StatusCode::UNAUTHORIZED).await;
    }
    // The endpoints are documented in the main OpenAPI document.
    let doc = s.get(&anonymous, "/api/v1/openapi.json", StatusCode::OK).await;
    for path in [
        "/api/v1/duties/rules",
        "/api/v1/duties/calendar",
        "/api/v1/duties/mine",
        "/api/v1/compliance",
        "/api/v1/compliance/duties",
        "/api/v1/compliance.xlsx",
        "/api/v1/duties/summary",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not documented");
    }
    assert!(doc["components"]["schemas"].get("DutyRow").is_some());
}

#[tokio::test]
async fn the_pull_carries_the_rules_and_the_calendar() {
    let s = server().await;
    let (counselor, _) = s.login("counselor").await;
    let (office, _) = s.login("office").await;
    let first = s.pull(&counselor, 0).await;
    let setup = first.duty_setup.expect("the setup with the first pull");
    assert_eq!(setup.rules, rules(&s, &counselor).await);
    assert_eq!(setup.calendar.semesters.len(), 2, "the demo school year");
    assert_eq!(setup.calendar.time_zone, first.time_zone);

    let mut changed = setup.rules.rules.clone();
    changed.iter_mut().filter(|r| r.id == "dorm-check").for_each(|r| r.enabled = false);
    s.put_json(&office, "/api/v1/duties/rules", json!({ "base_version": setup.rules.version, "rules": changed }), StatusCode::OK).await;
    let next = s.pull(&counselor, first.cursor).await;
    let setup = next.duty_setup.expect("the setup with every pull");
    assert_eq!(setup.rules.version, 2);
    assert!(setup.rules.rule("dorm-check").is_some_and(|r| !r.enabled));
}

#[tokio::test]
async fn the_calendar_is_versioned_checked_and_its_zone_is_the_institutions() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let (counselor, _) = s.login("counselor").await;
    let demo: CalendarVersion = serde_json::from_value(s.get(&counselor, "/api/v1/duties/calendar", StatusCode::OK).await).expect("calendar");
    assert_eq!(demo.version, 2, "the defaults, then the demo's school year");
    assert_eq!(demo.calendar.time_zone, "Asia/Shanghai");

    let mut bad = serde_json::to_value(&demo).expect("json");
    bad["base_version"] = json!(demo.version);
    bad["time_zone"] = json!("Mars/Olympus");
    bad["semesters"][1]["start"] = bad["semesters"][0]["end"].clone();
    let body = s.put_json(&office, "/api/v1/duties/calendar", bad, StatusCode::UNPROCESSABLE_ENTITY).await;
    let got = fields(&body);
    assert!(got.contains(&pair("time_zone", "unknown_zone")), "{got:?}");
    assert!(got.contains(&pair("semesters[1]", "overlap")), "{got:?}");

    let saved = use_test_calendar(&s, &office).await;
    assert_eq!(saved.version, 3);
    let edit = json!({ "base_version": 3, "time_zone": "Asia/Urumqi", "semesters": [semester_around_today()] });
    s.put_json(&office, "/api/v1/duties/calendar", edit.clone(), StatusCode::OK).await;
    let pull = s.pull(&counselor, 0).await;
    assert_eq!(pull.time_zone, "Asia/Urumqi", "one time zone: the institution's");
    assert_eq!(pull.duty_setup.expect("setup").calendar.time_zone, "Asia/Urumqi");
    let body = s.put_json(&office, "/api/v1/duties/calendar", edit, StatusCode::CONFLICT).await;
    assert_eq!(body["error"]["code"], "stale_version");
    let versions: Vec<SavedVersion> = serde_json::from_value(s.get(&office, "/api/v1/duties/calendar/versions", StatusCode::OK).await).expect("versions");
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![4, 3, 2, 1]);
}

#[tokio::test]
async fn compliance_follows_the_records_and_the_drill_down_matches_the_numbers() {
    let (s, office, counselor, me) = school_today().await;

    let before = report(&s, &office, "").await;
    assert_eq!(before.semester.as_deref(), Some("测试学期"));
    assert_eq!(before.date, today());
    assert!(before.total.tally.total() > 100, "{:?}", before.total);
    // The drill-down is the rows behind each number.
    let dorm = drill(&s, &office, "?rule=dorm-check").await;
    assert_eq!(dorm.len() as u32, rule(&before, "dorm-check").tally.total());
    assert!(dorm.iter().all(|r| r.rule_title.contains("查寝") && !r.subject_label.is_empty() && !r.owner_name.is_empty()));
    let overdue_rooms = drill(&s, &office, &format!("?rule=dorm-check&owner={}&status=overdue", me.id)).await;
    assert!(!overdue_rooms.is_empty(), "the demo leaves some rooms unchecked for over two weeks");
    assert!(overdue_rooms.iter().all(|r| r.duty.owner == me.id && r.duty.status == DutyStatus::Overdue && r.owner_name == "王芳"));
    assert_eq!(owner(&before, me.id).label, "王芳");

    // The counselor checks one overdue room: one overdue fewer, for the rule and for them.
    let room = match overdue_rooms[0].duty.subject {
        rounds::Subject::Room(r) => r,
        other => panic!("a dorm check duty about {other:?}"),
    };
    let roster = s.pull(&counselor, 0).await.roster.expect("roster");
    let pushed = s.push(&counselor, vec![to_json(&check_of(&roster, room, &me, "补查"))]).await;
    assert_eq!(pushed.results[0].status, rounds::sync::PushStatus::Accepted);
    let after = report(&s, &office, "").await;
    assert_eq!(rule(&after, "dorm-check").tally.overdue, rule(&before, "dorm-check").tally.overdue - 1);
    assert_eq!(owner(&after, me.id).tally.overdue, owner(&before, me.id).tally.overdue - 1);
    assert_eq!(after.total.tally.total(), before.total.tally.total(), "a record changes how duties stand, not how many there are");
    let still = drill(&s, &office, &format!("?rule=dorm-check&owner={}&status=overdue", me.id)).await;
    assert!(still.iter().all(|r| r.duty.subject != overdue_rooms[0].duty.subject));
    let mine: Vec<DutyRow> = serde_json::from_value(s.get(&counselor, "/api/v1/duties/mine", StatusCode::OK).await).expect("mine");
    let checked = mine.iter().find(|r| r.duty.rule_id == "dorm-check" && r.duty.subject == overdue_rooms[0].duty.subject).expect("the room");
    assert_eq!(checked.duty.last_done, Some(today()));
    assert_ne!(checked.duty.status, DutyStatus::Overdue);

    // By department: the demo has one; another has nobody.
    let dept = after.by_department[0].key.clone();
    assert_eq!(report(&s, &office, &format!("?department={dept}")).await.total, after.total);
    assert_eq!(report(&s, &office, "?department=999").await.total.tally.total(), 0);

    // One point per teaching week ended by today.
    let weekly = report(&s, &office, "?weekly=true").await;
    let start = today() - Duration::days(30);
    let first_monday = start - Duration::days(i64::from(start.weekday().num_days_from_monday()));
    let weeks_ended = ((today() - first_monday).num_days() + 1) / 7;
    assert_eq!(weekly.weekly.len() as i64, weeks_ended);
    assert!(weekly.weekly.iter().all(|p| p.date.weekday() == chrono::Weekday::Sun && p.date <= today()));
    assert!(report(&s, &office, "").await.weekly.is_empty(), "only when asked");

    // A query that does not parse is answered in the error shape.
    let body = s.get(&office, "/api/v1/compliance?date=yesterday", StatusCode::BAD_REQUEST).await;
    assert_eq!(body["error"]["code"], "bad_query");
    let body = s.get(&office, "/api/v1/compliance/duties?status=late", StatusCode::BAD_REQUEST).await;
    assert_eq!(body["error"]["code"], "bad_query");
}

#[tokio::test]
async fn the_compliance_workbook_has_its_sheets_and_every_overdue_duty() {
    use calamine::Reader;
    let (s, office, _, _) = school_today().await;
    let resp = office.get(s.url("/api/v1/compliance.xlsx")).send().await.expect("xlsx");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(resp.headers()["content-disposition"].to_str().unwrap_or("").contains(".xlsx"));
    let bytes = resp.bytes().await.expect("bytes").to_vec();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip");
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    assert_eq!(book.sheet_names(), vec!["按规则", "按人员", "按院系", "逾期事项"]);
    let overdue = drill(&s, &office, "?status=overdue").await;
    let list = book.worksheet_range("逾期事项").expect("the overdue sheet");
    assert_eq!(list.height(), overdue.len() + 1, "a header and one row per overdue duty");
    let by_rule = book.worksheet_range("按规则").expect("the rule sheet");
    assert_eq!(by_rule.get((0, 0)).map(|c| c.to_string()).as_deref(), Some("规则编号"));
}

#[tokio::test]
async fn my_duties_and_my_semester_summary() {
    let (s, office, counselor, me) = school_today().await;

    let mine: Vec<DutyRow> = serde_json::from_value(s.get(&counselor, "/api/v1/duties/mine", StatusCode::OK).await).expect("mine");
    assert!(!mine.is_empty());
    assert!(mine.iter().all(|r| r.duty.owner == me.id && r.owner_name == "王芳" && !r.rule_title.is_empty()));
    assert!(mine.windows(2).all(|w| w[0].duty.status <= w[1].duty.status), "most urgent first");
    // The office's own view of one person is the same.
    let theirs = drill(&s, &office, &format!("?owner={}", me.id)).await;
    assert_eq!(theirs.len(), mine.len());
    // On an earlier day, later records count for nothing.
    let earlier = today() - Duration::days(10);
    let then: Vec<DutyRow> = serde_json::from_value(s.get(&counselor, &format!("/api/v1/duties/mine?date={earlier}"), StatusCode::OK).await).expect("earlier");
    assert!(!then.is_empty() && then.iter().all(|r| r.duty.last_done.is_none_or(|d| d <= earlier)));
    // The office owes only its own rules: the special archive's yearly review (004 三(一)) and
    // the semester's letter to each class's families (三(二)2).
    let its_own: Vec<DutyRow> = serde_json::from_value(s.get(&office, "/api/v1/duties/mine", StatusCode::OK).await).expect("office");
    assert!(
        its_own.iter().all(|r| matches!(r.duty.rule_id.as_str(), "archive-review-office" | "semester-letter" | "vacation-visit-plan")),
        "{:?}",
        its_own.iter().map(|r| &r.duty.rule_id).collect::<Vec<_>>()
    );
    // Every course teacher the semester's class checks name is owed a contact (the demo's four
    // teachers; this month-old semester's checks name some of them), not one per class.
    let teachers: Vec<&DutyRow> = mine.iter().filter(|r| r.duty.rule_id == "teacher-contact").collect();
    assert!(!teachers.is_empty());
    assert!(
        teachers.iter().all(|r| (2..=4).contains(&r.duty.required) && r.duty.done <= r.duty.required),
        "{:?}",
        teachers.iter().map(|r| (r.duty.done, r.duty.required)).collect::<Vec<_>>()
    );

    let summary: SemesterSummary = serde_json::from_value(s.get(&counselor, "/api/v1/duties/summary", StatusCode::OK).await).expect("summary");
    assert_eq!((summary.semester.as_str(), summary.as_of, summary.user), ("测试学期", today(), me.id));
    assert!(summary.records.iter().any(|k| k.kind == "dorm_check" && k.count > 0));
    assert!(summary.talks.students >= 55 && summary.talks.covered > 0);
    assert_eq!(summary.rules_met + summary.rules_not_met, summary.rules.len() as u32);
    assert!(summary.issues.raised > 0);
    let body = s.get(&counselor, "/api/v1/duties/summary?semester=nope", StatusCode::BAD_REQUEST).await;
    assert_eq!(body["error"]["code"], "unknown_semester");
    let resp = counselor.get(s.url("/api/v1/duties/summary.xlsx")).send().await.expect("xlsx");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.bytes().await.expect("bytes").starts_with(b"PK"));
}

/// On the demo's own calendar, the demo counselor's "Today" is a realistic mix: a few rooms
/// overdue, one class behind on its class meetings, a parent notice pending, most on track.
#[tokio::test]
async fn the_demo_counselors_today_is_a_realistic_mix() {
    let s = server().await;
    let (counselor, _) = s.login("counselor").await;
    let calendar = rounds::duties::calendar::demo_calendar();
    if calendar.semester_on(today()).is_none() {
        eprintln!("today lies outside the demo calendar; nothing to check");
        return;
    }
    let mine: Vec<DutyRow> = serde_json::from_value(s.get(&counselor, "/api/v1/duties/mine", StatusCode::OK).await).expect("mine");
    let of = |rule: &str, status: DutyStatus| mine.iter().filter(|r| r.duty.rule_id == rule && r.duty.status == status).count();
    let overdue_rooms = of("dorm-check", DutyStatus::Overdue);
    let rooms = mine.iter().filter(|r| r.duty.rule_id == "dorm-check").count();
    assert!(overdue_rooms >= 2 && overdue_rooms * 3 < rooms, "{overdue_rooms} of {rooms} rooms overdue");
    assert!(mine
        .iter()
        .filter(|r| r.duty.rule_id == "dorm-check" && r.duty.status == DutyStatus::Overdue)
        .all(|r| { r.duty.last_done.is_some_and(|d| (15..=20).contains(&(today() - d).num_days())) }));
    assert_eq!(of("class-meeting", DutyStatus::Overdue), 1, "one class behind on its meetings");
    assert_eq!(of("parent-discipline", DutyStatus::Overdue), 1, "a sanction not yet told");
    // Named in full when it fails: it failed once, at 00:52 Shanghai time, with two warnings overdue.
    let warnings: Vec<_> = mine.iter().filter(|r| r.duty.rule_id == "parent-warning").map(|r| (r.duty.status, r.duty.last_done, r.duty.due)).collect();
    assert_eq!(of("parent-warning", DutyStatus::Met), 7, "the warnings of weeks ago, and the four of the identification, were told: {warnings:?}");
    // The identification's level actions in the counselor's classes were taken on time.
    for rule in ["assist-plan-counselor", "assist-1-phone", "assist-2-notice", "assist-2-volunteer", "assist-3-meeting"] {
        let states: Vec<_> = mine.iter().filter(|r| r.duty.rule_id == rule).map(|r| (r.duty.status, r.duty.done, r.duty.window.start, r.duty.due)).collect();
        assert!(of(rule, DutyStatus::Met) >= 1 && of(rule, DutyStatus::Overdue) == 0, "{rule}: {states:?}");
    }
    assert_eq!(mine.iter().filter(|r| r.duty.rule_id == "parent-warning" && r.duty.status != DutyStatus::Met).count(), 1, "a warning to tell");
    let overdue = mine.iter().filter(|r| r.duty.status == DutyStatus::Overdue).count();
    assert!(overdue * 10 < mine.len(), "most things on track: {overdue} of {} overdue", mine.len());
    let kinds: Vec<_> = mine.iter().filter(|r| r.duty.status == DutyStatus::Overdue).map(|r| r.duty.rule_id.as_str()).collect();
    eprintln!("overdue: {kinds:?} of {} duties; {overdue_rooms} of {rooms} rooms", mine.len());
}

/// A date far outside the calendar (chrono reaches year ±262,143) used to drop the connection:
/// every date parameter of the duty endpoints is held to the years 1970 to 9999.
#[tokio::test]
async fn far_off_dates_are_refused_with_the_error_shape_and_the_server_lives() {
    let s = server().await;
    let (counselor, _) = s.login("counselor").await;
    let (office, _) = s.login("office").await;
    // chrono's own ends (-262143-01-01, +262142-12-31) and just past them, which do not parse
    // at all; then just outside the years the calendar takes.
    for date in ["-262143-01-01", "262142-12-31", "%2B262142-12-31", "-262144-01-01", "-0001-06-01", "1969-12-31", "10000-01-01"] {
        for (c, path) in
            [(&counselor, "/api/v1/duties/mine"), (&office, "/api/v1/compliance"), (&office, "/api/v1/compliance/duties"), (&office, "/api/v1/compliance.xlsx")]
        {
            let body = s.get(c, &format!("{path}?date={date}"), StatusCode::BAD_REQUEST).await;
            assert_eq!(body["error"]["code"], "bad_query", "{path}?date={date}: {body}");
            assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("1970") || m.contains("date")), "{body}");
        }
    }
    // The edges of the range are answered, and the server is still up.
    s.get(&counselor, "/api/v1/duties/mine?date=1970-01-01", StatusCode::OK).await;
    s.get(&counselor, "/api/v1/duties/mine?date=9999-12-31", StatusCode::OK).await;
    s.get(&office, "/api/v1/compliance?date=9999-12-31", StatusCode::OK).await;
}

/// 000 八(二): the counselor's semester work report is submitted through the sync; the office
/// receives it with the counselor's figures and exports every report; nobody else reads it.
#[tokio::test]
async fn a_semester_report_reaches_the_office_and_no_one_else() {
    let (s, office, counselor, me) = school_today().await;
    let report = |text: &str| {
        rounds::RecordEnvelope::new(
            rounds::RecordBody::WorkReport(rounds::WorkReport { semester: "测试学期".into(), submitted_at: now(), text: text.into() }),
            me.id,
            "phone",
            now(),
        )
    };
    let first = report("本学期共查寝 120 次，重点关注了寝室用电安全。");
    let pushed = s.push(&counselor, vec![to_json(&first)]).await;
    assert_eq!(pushed.results[0].status, rounds::sync::PushStatus::Accepted);
    // Resubmitted with changes: the office reads the latest revision.
    let second = first.edited(
        rounds::RecordBody::WorkReport(rounds::WorkReport {
            semester: "测试学期".into(), submitted_at: now(), text: "修改后：本学期共查寝 121 次。".into()
        }),
        false,
        "phone",
        now(),
    );
    s.push(&counselor, vec![to_json(&second)]).await;

    let reports: Vec<rounds::duties::summary::SubmittedReport> =
        serde_json::from_value(s.get(&office, "/api/v1/duties/reports", StatusCode::OK).await).expect("reports");
    assert_eq!(reports.len(), 1);
    assert_eq!((reports[0].author.as_str(), reports[0].text.as_str()), ("王芳", "修改后：本学期共查寝 121 次。"));
    assert_eq!(reports[0].summary.semester, "测试学期");
    assert!(reports[0].summary.total_records > 0, "the figures come with the text");
    let xlsx = office.get(s.url("/api/v1/duties/reports.xlsx")).send().await.expect("xlsx");
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.expect("bytes").starts_with(b"PK"));

    // Only the office lists them; another counselor's pull never carries it.
    s.get(&counselor, "/api/v1/duties/reports", StatusCode::FORBIDDEN).await;
    let (other, _) = s.login("counselor2").await;
    assert!(!s.pull(&other, 0).await.records.iter().any(|r| r.record.body.kind() == "work_report" && r.record.author_id == me.id));
}
