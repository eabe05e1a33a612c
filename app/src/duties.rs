//! The duty engine on the phone: the signed-in user as the engine sees them, and their duties
//! computed from the local store, where records still waiting in the outbox count like any
//! other (a check saved offline clears its duty at once). Pure, so Today, the semester summary
//! and their tests share one computation.

use crate::state::LocalRecord;
use chrono::{FixedOffset, NaiveDate};
use leptos::prelude::*;
use rounds::duties::{Duty, DutyEngine, DutySetup, Fact, Owner, SchoolCalendar, Semester};
use rounds::{RosterSnapshot, UserProfile};

/// The user with what they are in charge of: a counselor's or head teacher's assigned classes
/// (not the classes of roommates from other classes the roster also names), a leader's links.
pub fn owner_of(user: &UserProfile, roster: &RosterSnapshot) -> Owner {
    let assigned = if rounds::admin::assignable_to_class(user.role) { roster.assigned_classes.clone() } else { Vec::new() };
    let classes = Owner::classes_of(user.role, assigned, roster.office_department, roster);
    let links = roster.links.iter().filter(|l| l.user_id == user.id).map(|l| l.target).collect();
    Owner { user: user.id, role: user.role, classes, links, leadership: roster.leadership }
}

/// The facts of every record on the phone, read in the school's zone.
pub fn facts<'a>(records: &'a [LocalRecord], zone: &'a FixedOffset) -> impl Iterator<Item = Fact> + 'a {
    records.iter().filter_map(move |r| Fact::of_record(&r.record, zone))
}

/// What `owner` owes on `day`, most urgent first.
pub fn duties_on(setup: &DutySetup, roster: &RosterSnapshot, records: &[LocalRecord], owner: &Owner, zone: &FixedOffset, day: NaiveDate) -> Vec<Duty> {
    // Only the owner's role's rules: the engine then indexes only the kinds they count (the
    // office's desk holds every record of the school, and owes only its own rules).
    let theirs: Vec<rounds::duties::Rule> = setup.rules.rules.iter().filter(|r| r.role == owner.role).cloned().collect();
    DutyEngine::new(&theirs, &setup.calendar, roster, facts(records, zone)).duties_of(owner, day)
}

/// Everything a duty computation reads from the store, borrowed for its length.
pub struct DutyInputs<'a> {
    pub setup: &'a DutySetup,
    pub roster: &'a RosterSnapshot,
    pub records: &'a [LocalRecord],
    pub owner: Owner,
    pub zone: FixedOffset,
    /// Today in the school's zone.
    pub today: NaiveDate,
}

/// Runs `f` over the store's user, rules, roster and records, tracking each, so a memo around
/// it runs again on any change (a save, a pull); `None` without a user or before the rules came.
pub fn with_duty_inputs<T>(store: crate::state::AppStore, f: impl FnOnce(DutyInputs) -> T) -> Option<T> {
    let user = store.user.get()?;
    let zone = store.zone();
    let today = rounds::school_time::now_in(&zone).date_naive();
    store.duty_setup.with(|setup| {
        let setup = setup.as_ref()?;
        store.roster.with(|roster| store.records.with(|records| Some(f(DutyInputs { setup, roster, records, owner: owner_of(&user, roster), zone, today }))))
    })
}

/// The semester a work summary is about: the one `today` lies in, else the last one begun
/// before it (a summary is often written in the break after the semester).
pub fn summary_semester(calendar: &SchoolCalendar, today: NaiveDate) -> Option<&Semester> {
    calendar.semester_on(today).or_else(|| calendar.semesters.iter().filter(|s| s.start <= today).max_by_key(|s| s.start))
}

/// Milliseconds from an arbitrary origin, for timing a computation (0 off the browser).
pub fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::state::SyncState;
    use rounds::duties::calendar::demo_calendar;
    use rounds::duties::{default_rules, RuleSet};
    use rounds::*;

    pub fn setup() -> DutySetup {
        DutySetup { rules: RuleSet { version: 1, rules: default_rules() }, calendar: demo_calendar() }
    }

    pub fn zone() -> FixedOffset {
        rounds::school_time::offset(8 * 3600)
    }

    pub fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).expect("a real date")
    }

    /// 21:00 in the school's zone on a day of 2026.
    pub fn evening(m: u32, d: u32) -> chrono::DateTime<FixedOffset> {
        use chrono::TimeZone;
        zone().with_ymd_and_hms(2026, m, d, 21, 0, 0).single().expect("a real time")
    }

    /// One class of four students, two rooms of two; student 4 is in an assistance case of
    /// level 2 and was warned on 2026-11-18.
    pub fn roster() -> RosterSnapshot {
        let student = |i: i64, name: &str| Student {
            id: StudentId(i),
            student_no: format!("202301{i:02}"),
            name: name.into(),
            gender: Gender::Female,
            class_id: ClassId(1),
            phone: None,
            archive: None,
            initials: String::new(),
        };
        let mut students = vec![student(1, "张三"), student(2, "李四"), student(3, "王五"), student(4, "赵六")];
        // 李四 is a special student (特殊): in the special archive, reviewed each school year.
        students[1].archive = Some(StudentArchive { tier: Some(rounds::ContactTier::Special), ..StudentArchive::default() });
        students[3].archive =
            Some(StudentArchive { assistance_level: Some(2), warning_level: Some(1), warning_on: Some(day(11, 18)), ..StudentArchive::default() });
        let bed = |i: i64, room: i64| Bed { id: BedId(i), room_id: RoomId(room), label: i.to_string(), student_id: Some(StudentId(i)) };
        RosterSnapshot {
            departments: vec![Department { id: DepartmentId(1), name: "计算机学院".into() }],
            classes: vec![Class { id: ClassId(1), department_id: DepartmentId(1), name: "2023级1班".into(), cohort_year: 2023 }],
            students,
            buildings: vec![Building { id: BuildingId(1), name: "3号楼".into() }],
            rooms: vec![
                Room { id: RoomId(1), building_id: BuildingId(1), number: "3-214".into() },
                Room { id: RoomId(2), building_id: BuildingId(1), number: "3-215".into() },
            ],
            beds: vec![bed(1, 1), bed(2, 1), bed(3, 2), bed(4, 2)],
            assigned_classes: vec![ClassId(1)],
            ..RosterSnapshot::default()
        }
    }

    pub fn counselor() -> UserProfile {
        UserProfile { id: UserId(7), username: "counselor".into(), display_name: "王芳".into(), role: Role::Counselor }
    }

    pub fn local(body: RecordBody, author: UserId, state: SyncState) -> LocalRecord {
        let at = body.occurred_at();
        LocalRecord { record: RecordEnvelope::new(body, author, "test", at), state }
    }

    pub fn dorm_check(room: i64, m: u32, d: u32) -> RecordBody {
        RecordBody::DormCheck(DormCheck::blank(RoomId(room), &[], evening(m, d)))
    }

    #[test]
    fn a_check_still_in_the_outbox_clears_its_duty() {
        let (setup, roster, me) = (setup(), roster(), counselor());
        let owner = owner_of(&me, &roster);
        assert_eq!(owner.classes, vec![ClassId(1)]);
        let room_status = |records: &[LocalRecord]| {
            duties_on(&setup, &roster, records, &owner, &zone(), day(11, 23))
                .into_iter()
                .find(|d| d.rule_id == "dorm-check" && d.subject == rounds::record::Subject::Room(RoomId(1)))
                .map(|d| d.status)
        };
        let mut records = vec![local(dorm_check(1, 11, 7), me.id, SyncState::Synced)];
        assert_eq!(room_status(&records), Some(rounds::duties::DutyStatus::Overdue));
        records.push(local(dorm_check(1, 11, 23), me.id, SyncState::Pending));
        assert_eq!(room_status(&records), Some(rounds::duties::DutyStatus::Upcoming));
        // Someone else's check is not mine, and a deleted one is no check at all.
        let mut others = vec![local(dorm_check(1, 11, 23), UserId(99), SyncState::Synced)];
        let mut deleted = local(dorm_check(1, 11, 22), me.id, SyncState::Pending);
        deleted.record.deleted = true;
        others.push(deleted);
        assert_eq!(room_status(&others), Some(rounds::duties::DutyStatus::Overdue));
    }

    #[test]
    fn a_leader_owes_by_links_and_the_office_only_its_own_rules() {
        let mut roster = roster();
        roster.links = vec![LeaderLink { id: LinkId(1), user_id: UserId(3), target: LinkTarget::Room(RoomId(2)) }];
        let leader = UserProfile { id: UserId(3), username: "l".into(), display_name: "赵".into(), role: Role::Leader };
        let owner = owner_of(&leader, &roster);
        assert!(owner.classes.is_empty());
        assert_eq!(owner.links, vec![LinkTarget::Room(RoomId(2))]);
        // The office owes the special archive's review over the whole school, nothing else.
        let office = UserProfile { role: Role::Office, ..leader };
        let owner = owner_of(&office, &roster);
        assert_eq!(owner.classes, vec![ClassId(1)]);
        let owed = duties_on(&setup(), &roster, &[], &owner, &zone(), day(11, 23));
        assert_eq!(owed.iter().map(|d| (d.rule_id.as_str(), d.subject)).collect::<Vec<_>>(), vec![("archive-review-office", Subject::Student(StudentId(2)))]);
    }

    #[test]
    fn the_summary_semester_is_the_current_or_the_last_begun() {
        let calendar = demo_calendar();
        assert_eq!(summary_semester(&calendar, day(11, 23)).map(|s| s.start), Some(day(9, 7)));
        // The winter break: the first semester has ended, the second not begun.
        let break_day = NaiveDate::from_ymd_opt(2027, 2, 1).expect("a real date");
        assert_eq!(summary_semester(&calendar, break_day).map(|s| s.start), Some(day(9, 7)));
        assert!(summary_semester(&calendar, day(8, 1)).is_none());
    }
}
