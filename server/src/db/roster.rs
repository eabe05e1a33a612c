//! The roster as stored, and the scope of what each user may see and write about.

use super::DbRow;
use super::Store;
use rounds::groups::{Club, LeaderLink, LinkTarget, PartyBranch};
use rounds::record::{Standing, Subject};
use rounds::*;
use std::collections::BTreeSet;

/// What one user may read and write about.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub user: Option<UserId>,
    /// The office and administrators: everything.
    pub all: bool,
    /// Assigned (counselors, head teachers): every kind of record about these.
    pub classes: BTreeSet<ClassId>,
    pub rooms: BTreeSet<RoomId>,
    pub students: BTreeSet<StudentId>,
    /// Linked (leaders, 002): only the kinds open to linked staff (`RecordKind::LINKED`) about
    /// these, and never anything about a student as such.
    pub links: Vec<LeaderLink>,
    /// Of the leadership tier (班子成员): the phone learns it with the roster.
    pub leadership: bool,
    /// A department's office account (院系学工办): its duties are that department's.
    pub department: Option<DepartmentId>,
    /// The records that name the user (a home visit plan's staff): someone taken off a plan
    /// changes their scope, and the full pull that follows drops the plan from their phone.
    pub named_in: Vec<String>,
}

impl Scope {
    /// Whether the user is assigned to the subject, with full rights over its records. Clubs
    /// and branches have no assigned staff: they are reached only through links.
    pub fn covers(&self, subject: Subject) -> bool {
        self.all
            || match subject {
                Subject::Room(r) => self.rooms.contains(&r),
                Subject::Class(c) => self.classes.contains(&c),
                Subject::Student(s) => self.students.contains(&s),
                Subject::Club(_) | Subject::Branch(_) => false,
                Subject::Own => true,
            }
    }

    /// Whether the user is linked to the subject (a leader's class, room, club or branch).
    pub fn linked_to(&self, subject: Subject) -> bool {
        LinkTarget::of_subject(subject).is_some_and(|t| self.links.iter().any(|l| l.target == t))
    }

    /// How the user stands to the subject: assigned wins over linked.
    pub fn standing(&self, subject: Subject) -> Standing {
        if self.covers(subject) {
            Standing::Assigned
        } else if self.linked_to(subject) {
            Standing::Linked
        } else {
            Standing::Outside
        }
    }

    /// Whether the user may store this record: anything about what they are assigned to; about
    /// what they are linked to, only the kinds linked staff write (the rule the phone applies
    /// too, in `Standing::may_write`).
    pub fn may_write(&self, body: &RecordBody) -> bool {
        self.standing(body.subject()).may_write(body.linked_access())
    }

    /// The ids of one kind of linked target, e.g. the linked rooms.
    pub fn linked<T: Ord>(&self, pick: impl Fn(LinkTarget) -> Option<T>) -> BTreeSet<T> {
        self.links.iter().filter_map(|l| pick(l.target)).collect()
    }

    /// A short fingerprint of everything this scope lets its user see. The pull compares it
    /// with the one the phone last received: when they differ (a class given or taken away, a
    /// student moved, a link changed), the phone gets a full pull and drops what it may no
    /// longer see. One fingerprint rather than per-subject cursors: a change of scope is rare
    /// (an office decision), a full pull of a counselor's semester is about 70 KB, and it is
    /// right by construction where per-subject cursors would need a cursor per class and link.
    pub fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut targets: Vec<LinkTarget> = self.links.iter().map(|l| l.target).collect();
        targets.sort();
        let text = format!(
            "all={} classes={:?} rooms={:?} students={:?} links={:?} leadership={} department={:?} named_in={:?}",
            self.all,
            self.classes.iter().map(|c| c.0).collect::<Vec<_>>(),
            self.rooms.iter().map(|r| r.0).collect::<Vec<_>>(),
            self.students.iter().map(|s| s.0).collect::<Vec<_>>(),
            targets,
            self.leadership,
            self.department.map(|d| d.0),
            self.named_in
        );
        hex::encode(&Sha256::digest(text.as_bytes())[..12])
    }

    pub fn linked_rooms(&self) -> BTreeSet<RoomId> {
        self.linked(|t| match t {
            LinkTarget::Room(r) => Some(r),
            _ => None,
        })
    }
}

/// The classes a record's subject belongs to: the class itself, a student's class, or the
/// classes of a room's residents. Clubs, branches and one's own records belong to none.
pub fn classes_of(full: &RosterSnapshot, subject: Subject) -> BTreeSet<ClassId> {
    match subject {
        Subject::Class(c) => BTreeSet::from([c]),
        Subject::Student(s) => full.student(s).map(|s| s.class_id).into_iter().collect(),
        Subject::Room(r) => full.residents(r).into_iter().map(|(_, s)| s.class_id).collect(),
        Subject::Club(_) | Subject::Branch(_) | Subject::Own => BTreeSet::new(),
    }
}

impl Store {
    /// Whether `user` was assigned at `at` to a class the subject belongs to, and no longer
    /// is: a record they saved offline then, before the class was taken from them, is kept
    /// for the office instead of being refused and held on the phone for ever.
    pub async fn was_assigned_at(
        &self,
        user: UserId,
        full: &RosterSnapshot,
        subject: Subject,
        at: chrono::DateTime<chrono::FixedOffset>,
    ) -> anyhow::Result<bool> {
        let classes = classes_of(full, subject);
        if classes.is_empty() {
            return Ok(false);
        }
        let at = at.with_timezone(&chrono::Utc).format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        Ok(pool!(self.pool, |c| {
            let mut q = sqlx::QueryBuilder::<Db>::new("SELECT 1 FROM class_assignment_history WHERE ended_at IS NOT NULL AND user_id = ");
            q.push_bind(user.0);
            q.push(" AND assigned_at <= ");
            q.push_bind(at.clone());
            q.push(" AND ended_at >= ");
            q.push_bind(at);
            q.push(" AND class_id IN (");
            let mut sep = q.separated(", ");
            for c in classes {
                sep.push_bind(c.0);
            }
            sep.push_unseparated(") LIMIT 1");
            Ok::<_, sqlx::Error>(q.build().fetch_optional(c).await?.is_some())
        })?)
    }
}

/// The pinyin initials of a name, `张三` → `zs`; letters and digits pass through in lower case.
pub fn name_initials(name: &str) -> String {
    use pinyin::ToPinyin;
    name.chars()
        .filter_map(|c| match c.to_pinyin() {
            Some(p) => p.first_letter().chars().next(),
            None if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            None => None,
        })
        .collect()
}

/// A student from a row of `students` (with its `archive` column).
pub(super) fn student_from(r: &impl DbRow) -> sqlx::Result<Student> {
    let gender: String = r.col("gender")?;
    let name: String = r.col("name")?;
    Ok(Student {
        id: StudentId(r.col("id")?),
        student_no: r.col("student_no")?,
        initials: name_initials(&name),
        name,
        gender: Gender::parse(&gender).ok_or_else(|| sqlx::Error::Decode(format!("unknown gender {gender}").into()))?,
        class_id: ClassId(r.col("class_id")?),
        phone: r.col("phone")?,
        archive: match r.col::<Option<String>>("archive")? {
            Some(json) => Some(serde_json::from_str(&json).map_err(|e| sqlx::Error::Decode(e.into()))?),
            None => None,
        },
    })
}

impl Store {
    /// The whole roster of the institution.
    pub async fn roster(&self) -> anyhow::Result<RosterSnapshot> {
        let pool = &self.pool;
        let departments = pool_rows!(pool, |c| sqlx::query("SELECT id, name FROM departments ORDER BY id").fetch_all(c).await)?
            .iter()
            .map(|r| Ok(Department { id: DepartmentId(r.try_get("id")?), name: r.try_get("name")? }))
            .collect::<sqlx::Result<_>>()?;
        let classes = pool_rows!(pool, |c| sqlx::query("SELECT id, department_id, name, cohort_year FROM classes ORDER BY id").fetch_all(c).await)?
            .iter()
            .map(|r| {
                Ok(Class {
                    id: ClassId(r.try_get("id")?),
                    department_id: DepartmentId(r.try_get("department_id")?),
                    name: r.try_get("name")?,
                    cohort_year: r.try_get("cohort_year")?,
                })
            })
            .collect::<sqlx::Result<_>>()?;
        let students =
            pool_rows!(pool, |c| sqlx::query("SELECT id, student_no, name, gender, class_id, phone, archive FROM students ORDER BY id").fetch_all(c).await)?
                .iter()
                .map(student_from)
                .collect::<sqlx::Result<_>>()?;
        let buildings = pool_rows!(pool, |c| sqlx::query("SELECT id, name FROM buildings ORDER BY id").fetch_all(c).await)?
            .iter()
            .map(|r| Ok(Building { id: BuildingId(r.try_get("id")?), name: r.try_get("name")? }))
            .collect::<sqlx::Result<_>>()?;
        let rooms = pool_rows!(pool, |c| sqlx::query("SELECT id, building_id, number FROM rooms ORDER BY id").fetch_all(c).await)?
            .iter()
            .map(|r| Ok(Room { id: RoomId(r.try_get("id")?), building_id: BuildingId(r.try_get("building_id")?), number: r.try_get("number")? }))
            .collect::<sqlx::Result<_>>()?;
        let beds = pool_rows!(pool, |c| sqlx::query("SELECT id, room_id, label, student_id FROM beds ORDER BY id").fetch_all(c).await)?
            .iter()
            .map(|r| {
                Ok(Bed {
                    id: BedId(r.try_get("id")?),
                    room_id: RoomId(r.try_get("room_id")?),
                    label: r.try_get("label")?,
                    student_id: r.try_get::<Option<i64>, _>("student_id")?.map(StudentId),
                })
            })
            .collect::<sqlx::Result<_>>()?;
        let clubs = self.groups::<Club>().await?;
        let branches = self.groups::<PartyBranch>().await?;
        let staff =
            pool!(pool, |c| sqlx::query_as::<_, (i64, String)>("SELECT id, display_name FROM users WHERE disabled = FALSE ORDER BY id").fetch_all(c).await)?
                .into_iter()
                .map(|(id, display_name)| StaffName { id: UserId(id), display_name })
                .collect();
        // Links are per user: `scope()` reads them, `scoped_roster` hands out the user's own.
        Ok(RosterSnapshot {
            departments,
            classes,
            students,
            buildings,
            rooms,
            beds,
            clubs,
            branches,
            links: Vec::new(),
            assigned_classes: Vec::new(),
            leadership: false,
            office_department: None,
            staff,
        })
    }

    /// The scope of a user: the office sees all; counselors and head teachers their assigned
    /// classes, those classes' students, and the rooms those students sleep in; leaders what
    /// they are linked to.
    pub async fn scope(&self, user: &UserProfile, roster: &RosterSnapshot) -> anyhow::Result<Scope> {
        let links = self.links(Some(user.id)).await?;
        let leadership = self.is_leadership(user.id).await?;
        if user.role.sees_everything() {
            let department = self.office_department(user.id).await?;
            return Ok(Scope { user: Some(user.id), all: true, links, leadership, department, ..Scope::default() });
        }
        let named_in = self.named_in(user.id).await?;
        let classes: BTreeSet<ClassId> = self.assigned_classes(user.id).await?.into_iter().collect();
        let rooms = roster.rooms_of_classes(&classes);
        let students = roster.students.iter().filter(|s| classes.contains(&s.class_id)).map(|s| s.id).collect();
        Ok(Scope { user: Some(user.id), all: false, classes, rooms, students, links, leadership, department: None, named_in })
    }

    /// The records of kinds that name their parties (`NAMING_PARTIES`) that name `user`, sorted.
    async fn named_in(&self, user: UserId) -> anyhow::Result<Vec<String>> {
        Ok(pool!(self.pool, |c| {
            let mut q = sqlx::QueryBuilder::<Db>::new("SELECT p.record_id FROM record_parties p JOIN records r ON r.id = p.record_id WHERE p.user_id = ");
            q.push_bind(user.0);
            q.push(" AND r.kind IN (");
            let mut kinds = q.separated(", ");
            for k in rounds::kinds::visit_plan::NAMING_PARTIES {
                kinds.push_bind(*k);
            }
            q.push(") ORDER BY p.record_id");
            q.build_query_scalar().fetch_all(c).await
        })?)
    }

    /// The department of an office account that is a department's office (院系学工办).
    pub async fn office_department(&self, user: UserId) -> anyhow::Result<Option<DepartmentId>> {
        let id: Option<Option<i64>> =
            pool!(self.pool, |c| sqlx::query_scalar("SELECT department_id FROM users WHERE id = $1 AND role = 'office'").bind(user.0).fetch_optional(c).await)?;
        Ok(id.flatten().map(DepartmentId))
    }

    /// Whether the account is of the leadership tier (班子成员).
    pub async fn is_leadership(&self, user: UserId) -> anyhow::Result<bool> {
        Ok(pool!(self.pool, |c| sqlx::query_scalar::<_, bool>("SELECT leadership FROM users WHERE id = $1").bind(user.0).fetch_optional(c).await)?
            .unwrap_or(false))
    }

    /// The highest change number of any roster row or assignment.
    pub async fn roster_seq(&self) -> anyhow::Result<i64> {
        Ok(pool!(self.pool, |c| sqlx::query_scalar(
            "SELECT MAX(s) FROM (
                SELECT MAX(updated_seq) AS s FROM departments UNION ALL
                SELECT MAX(updated_seq) FROM classes UNION ALL
                SELECT MAX(updated_seq) FROM students UNION ALL
                SELECT MAX(updated_seq) FROM buildings UNION ALL
                SELECT MAX(updated_seq) FROM rooms UNION ALL
                SELECT MAX(updated_seq) FROM beds UNION ALL
                SELECT MAX(updated_seq) FROM class_assignments UNION ALL
                SELECT MAX(updated_seq) FROM clubs UNION ALL
                SELECT MAX(updated_seq) FROM party_branches UNION ALL
                SELECT MAX(updated_seq) FROM leader_links UNION ALL
                SELECT MAX(updated_seq) FROM roster_removals) AS changes",
        )
        .fetch_one(c)
        .await)
        .map(|v: Option<i64>| v.unwrap_or(0))?)
    }

    pub async fn institution(&self) -> anyhow::Result<(String, String)> {
        let row: Option<(String, String)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT name, time_zone FROM institution WHERE id = 1").fetch_optional(c).await)?;
        Ok(row.unwrap_or_else(|| ("Rounds".to_string(), rounds::school_time::DEFAULT_TIME_ZONE.to_string())))
    }
}

/// The part of the roster a scope may see: its classes and students, its rooms with every
/// resident (a dorm check lists the whole room), and the buildings and departments around them.
/// A leader gets the linked rooms with their residents' names only (for the dorm visit's
/// "students met"), the linked classes without their students, the linked clubs and branches,
/// and their own links.
pub fn scoped_roster(full: &RosterSnapshot, scope: &Scope) -> RosterSnapshot {
    if scope.all {
        return RosterSnapshot { links: scope.links.clone(), leadership: scope.leadership, office_department: scope.department, ..full.clone() };
    }
    let linked_rooms = scope.linked_rooms();
    let seen_rooms: BTreeSet<RoomId> = scope.rooms.union(&linked_rooms).copied().collect();
    let beds: Vec<Bed> = full.beds.iter().filter(|b| seen_rooms.contains(&b.room_id)).cloned().collect();
    let residents: BTreeSet<StudentId> = beds.iter().filter_map(|b| b.student_id).collect();
    let assigned_residents: BTreeSet<StudentId> = beds.iter().filter(|b| scope.rooms.contains(&b.room_id)).filter_map(|b| b.student_id).collect();
    let students: Vec<Student> = full
        .students
        .iter()
        .filter(|s| scope.students.contains(&s.id) || residents.contains(&s.id))
        .map(|s| {
            let mut s = s.clone();
            // A roommate from another class is named on the dorm check, but their archive stays
            // with the staff of their own class.
            if !scope.students.contains(&s.id) {
                s.archive = None;
            }
            // A resident known only through a leader's link is a name on the visit, no more.
            if !scope.students.contains(&s.id) && !assigned_residents.contains(&s.id) {
                s.phone = None;
            }
            s
        })
        .collect();
    let linked_classes = scope.linked(|t| match t {
        LinkTarget::Class(c) => Some(c),
        _ => None,
    });
    let class_ids: BTreeSet<ClassId> = students.iter().map(|s| s.class_id).chain(scope.classes.iter().copied()).chain(linked_classes).collect();
    let classes: Vec<Class> = full.classes.iter().filter(|c| class_ids.contains(&c.id)).cloned().collect();
    let dept_ids: BTreeSet<DepartmentId> = classes.iter().map(|c| c.department_id).collect();
    let rooms: Vec<Room> = full.rooms.iter().filter(|r| seen_rooms.contains(&r.id)).cloned().collect();
    let building_ids: BTreeSet<BuildingId> = rooms.iter().map(|r| r.building_id).collect();
    let clubs = scope.linked(|t| match t {
        LinkTarget::Club(c) => Some(c),
        _ => None,
    });
    let branches = scope.linked(|t| match t {
        LinkTarget::Branch(b) => Some(b),
        _ => None,
    });
    RosterSnapshot {
        departments: full.departments.iter().filter(|d| dept_ids.contains(&d.id)).cloned().collect(),
        classes,
        students,
        buildings: full.buildings.iter().filter(|b| building_ids.contains(&b.id)).cloned().collect(),
        rooms,
        beds,
        clubs: full.clubs.iter().filter(|c| clubs.contains(&c.id)).cloned().collect(),
        branches: full.branches.iter().filter(|b| branches.contains(&b.id)).cloned().collect(),
        links: scope.links.clone(),
        assigned_classes: scope.classes.iter().copied().collect(),
        leadership: scope.leadership,
        office_department: None,
        staff: full.staff.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn student(id: i64, class: i64) -> Student {
        Student {
            id: StudentId(id),
            student_no: format!("S{id}"),
            name: format!("学生{id}"),
            gender: Gender::Male,
            class_id: ClassId(class),
            phone: None,
            initials: String::new(),
            archive: Some(rounds::StudentArchive { guardian_name: format!("家长{id}"), ..Default::default() }),
        }
    }

    /// Room 1 holds student 1 (class 1) and student 2 (class 2).
    fn roster() -> RosterSnapshot {
        RosterSnapshot {
            departments: vec![Department { id: DepartmentId(1), name: "学院".into() }],
            classes: vec![
                Class { id: ClassId(1), department_id: DepartmentId(1), name: "一班".into(), cohort_year: 2024 },
                Class { id: ClassId(2), department_id: DepartmentId(1), name: "二班".into(), cohort_year: 2024 },
            ],
            students: vec![student(1, 1), student(2, 2), student(3, 2)],
            buildings: vec![Building { id: BuildingId(1), name: "1号楼".into() }],
            rooms: vec![Room { id: RoomId(1), building_id: BuildingId(1), number: "1-101".into() }],
            beds: vec![
                Bed { id: BedId(1), room_id: RoomId(1), label: "1".into(), student_id: Some(StudentId(1)) },
                Bed { id: BedId(2), room_id: RoomId(1), label: "2".into(), student_id: Some(StudentId(2)) },
            ],
            clubs: vec![
                Club { id: ClubId(1), name: "机器人社".into(), department_id: None },
                Club { id: ClubId(2), name: "书法社".into(), department_id: None },
            ],
            branches: vec![PartyBranch { id: BranchId(1), name: "第一党支部".into(), department_id: None }],
            links: vec![],
            assigned_classes: vec![],
            leadership: false,
            office_department: None,
            staff: vec![],
        }
    }

    fn scope_of_class_1(full: &RosterSnapshot) -> Scope {
        let classes = BTreeSet::from([ClassId(1)]);
        Scope {
            user: Some(UserId(1)),
            all: false,
            rooms: full.rooms_of_classes(&classes),
            students: BTreeSet::from([StudentId(1)]),
            classes,
            links: vec![],
            leadership: false,
            department: None,
            named_in: vec![],
        }
    }

    /// A leader linked to room 1, class 2 and club 1.
    fn leader_scope() -> Scope {
        let link = |id, target| LeaderLink { id: LinkId(id), user_id: UserId(9), target };
        Scope {
            user: Some(UserId(9)),
            links: vec![link(1, LinkTarget::Room(RoomId(1))), link(2, LinkTarget::Class(ClassId(2))), link(3, LinkTarget::Club(ClubId(1)))],
            ..Scope::default()
        }
    }

    #[test]
    fn a_leader_sees_linked_rooms_residents_by_name_only_and_linked_groups() {
        let full = roster();
        let seen = scoped_roster(&full, &leader_scope());
        let ids: Vec<_> = seen.students.iter().map(|s| s.id.0).collect();
        assert_eq!(ids, vec![1, 2], "the room's residents, not the rest of class 2");
        assert!(seen.students.iter().all(|s| s.archive.is_none() && s.phone.is_none()));
        assert_eq!(seen.classes.iter().map(|c| c.id.0).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(seen.rooms.len(), 1);
        assert_eq!(seen.clubs.iter().map(|c| c.id.0).collect::<Vec<_>>(), vec![1]);
        assert!(seen.branches.is_empty());
        assert_eq!(seen.links.len(), 3);
    }

    #[test]
    fn a_leader_writes_only_linked_kinds_about_linked_subjects() {
        let full = roster();
        let scope = leader_scope();
        let at = rounds::school_time::now_in(&rounds::school_time::offset(8 * 3600));
        let visit = |room| {
            RecordBody::DormVisit(DormVisit { room_id: room, visited_at: at, students_met: vec![], situation: String::new(), problems_raised: String::new() })
        };
        assert!(scope.may_write(&visit(RoomId(1))));
        assert!(!scope.may_write(&visit(RoomId(2))));
        let residents: Vec<StudentId> = full.residents(RoomId(1)).iter().map(|(_, s)| s.id).collect();
        assert!(!scope.may_write(&RecordBody::DormCheck(DormCheck::blank(RoomId(1), &residents, at))), "checks are the counselor's");
        let club = |id| RecordBody::ClubActivity(ClubActivity { club_id: ClubId(id), held_at: at, activity: ClubActivityKind::Meeting, content: "x".into() });
        assert!(scope.may_write(&club(1)));
        assert!(!scope.may_write(&club(2)));
        let attend = RecordBody::ClassAttendance(ClassAttendance {
            class_id: ClassId(2),
            attended_at: at,
            event: ClassEvent::Forum,
            title: "x".into(),
            notes: String::new(),
        });
        assert!(scope.may_write(&attend));
        assert!(!scope.covers(Subject::Student(StudentId(2))), "linked to a room is not assigned to its students");
        // A counselor is assigned, not linked: no clubs.
        assert!(!scope_of_class_1(&full).may_write(&club(1)));
    }

    #[test]
    fn the_phone_judges_standing_as_the_server_does() {
        let full = roster();
        let subjects = [
            Subject::Room(RoomId(1)),
            Subject::Class(ClassId(1)),
            Subject::Class(ClassId(2)),
            Subject::Student(StudentId(1)),
            Subject::Club(ClubId(1)),
            Subject::Club(ClubId(2)),
            Subject::Branch(BranchId(1)),
            Subject::Own,
        ];
        for (role, scope) in [(Role::Leader, leader_scope()), (Role::Office, Scope { all: true, ..Scope::default() })] {
            let phone = scoped_roster(&full, &scope);
            for subject in subjects {
                assert_eq!(phone.standing(role, subject), scope.standing(subject), "{role:?} {subject:?}");
            }
        }
        let counselor = scope_of_class_1(&full);
        let phone = scoped_roster(&full, &counselor);
        for subject in [Subject::Room(RoomId(1)), Subject::Class(ClassId(1)), Subject::Student(StudentId(1)), Subject::Club(ClubId(1))] {
            assert_eq!(phone.standing(Role::Counselor, subject), counselor.standing(subject), "{subject:?}");
        }
    }

    #[test]
    fn initials_of_chinese_and_latin_names() {
        assert_eq!(name_initials("张三"), "zs");
        assert_eq!(name_initials("欧阳娜娜"), "oynn");
        assert_eq!(name_initials("阿依古丽·买买提"), "ayglmmt");
        assert_eq!(name_initials("Li Lei 2"), "lilei2");
    }

    #[test]
    fn a_roommate_of_another_class_is_named_but_their_archive_is_not_sent() {
        let full = roster();
        let seen = scoped_roster(&full, &scope_of_class_1(&full));
        let ids: Vec<_> = seen.students.iter().map(|s| s.id.0).collect();
        assert_eq!(ids, vec![1, 2], "the whole room, not the rest of class 2");
        assert!(seen.student(StudentId(1)).unwrap().archive.is_some());
        assert!(seen.student(StudentId(2)).unwrap().archive.is_none());
        assert_eq!(seen.residents(RoomId(1)).len(), 2);
    }

    #[test]
    fn the_office_gets_everything() {
        let full = roster();
        let office = Scope { all: true, ..Scope::default() };
        assert_eq!(scoped_roster(&full, &office), full);
        assert!(office.may_write(&RecordBody::ClubActivity(ClubActivity {
            club_id: ClubId(2),
            held_at: rounds::school_time::now_in(&rounds::school_time::offset(0)),
            activity: ClubActivityKind::Plan,
            content: "x".into(),
        })));
    }

    #[test]
    fn scope_covers_its_own_subjects_and_own_records() {
        let full = roster();
        let scope = scope_of_class_1(&full);
        assert!(scope.covers(Subject::Room(RoomId(1))));
        assert!(scope.covers(Subject::Student(StudentId(1))));
        assert!(!scope.covers(Subject::Student(StudentId(2))));
        assert!(!scope.covers(Subject::Class(ClassId(2))));
        assert!(scope.covers(Subject::Own));
    }
}
