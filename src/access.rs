//! Who may see and write what: the one rule, in one place.
//!
//! A user's [`Scope`] is derived by [`Scope::derive`] from their role, their class assignments,
//! their links and a roster. The server derives it from the whole school's roster, the phone
//! from the part of it the server sent ([`scoped_roster`]), which carries the assignments and
//! links; the property test below checks that both reach the same verdict on every subject.
//!
//! Writing: [`Scope::access`] says how the user stands to a subject, and [`Access::may_write`]
//! which kinds that allows. Reading: [`Scope::read_grants`] lists what the user may read as
//! data; [`Scope::may_read`] evaluates the grants in Rust, and the server renders the same grants
//! as the SQL filter of every query that hands out records, so the two cannot drift apart.

use crate::groups::{LeaderLink, LinkTarget};
use crate::ids::*;
use crate::record::{LinkedAccess, RecordBody, Subject};
use crate::roster::{Bed, Class, Role, Room, RosterSnapshot, Student};
use crate::sorting::Order;
use std::collections::BTreeSet;

/// How a user stands to a record's subject, which decides the kinds they may write and read
/// about it. (Not to be confused with a student's academic standing, `StudentStanding`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Assigned to it (a counselor's or head teacher's class, its rooms and students), or it is
    /// the user's own work, or the user is the office: every kind.
    Assigned,
    /// Linked to it (a leader's class, room, club or branch, 002): the kinds open to linked staff.
    Linked,
    /// Neither: no kind at all.
    Outside,
}

impl Access {
    /// Whether someone standing so may write a record of a kind with this [`LinkedAccess`]
    /// (`K::LINKED`, or `RecordBody::linked_access`): a leader's dorm visit of the linked room,
    /// yes; a dorm check or a talk there, no.
    pub fn may_write(self, kind: LinkedAccess) -> bool {
        match self {
            Access::Assigned => true,
            Access::Linked => kind == LinkedAccess::Write,
            Access::Outside => false,
        }
    }

    /// Whether someone standing so may read a record of a kind with this [`LinkedAccess`].
    pub fn may_read(self, kind: LinkedAccess) -> bool {
        match self {
            Access::Assigned => true,
            Access::Linked => kind != LinkedAccess::None,
            Access::Outside => false,
        }
    }
}

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
    /// The scope of a user of `role`: the office sees all; counselors and head teachers their
    /// assigned classes, those classes' students, and the rooms those students sleep in (as the
    /// roster's beds say); everyone reaches what they are linked to. The server passes the whole
    /// school's roster, the phone its own (from [`scoped_roster`]): both hold the beds of the
    /// assigned students, so both derive the same scope.
    pub fn derive(user: UserId, role: Role, assigned: &BTreeSet<ClassId>, links: Vec<LeaderLink>, roster: &RosterSnapshot) -> Scope {
        if role.sees_everything() {
            return Scope { user: Some(user), all: true, links, ..Scope::default() };
        }
        Scope {
            user: Some(user),
            all: false,
            classes: assigned.clone(),
            rooms: roster.rooms_of_classes(assigned),
            students: roster.students.iter().filter(|s| assigned.contains(&s.class_id)).map(|s| s.id).collect(),
            links,
            ..Scope::default()
        }
    }

    /// The scope the phone works with: its roster carries the user's assignments, links, tier
    /// and department, as [`scoped_roster`] sent them.
    pub fn of_phone(user: UserId, role: Role, roster: &RosterSnapshot) -> Scope {
        let assigned: BTreeSet<ClassId> = roster.assigned_classes.iter().copied().collect();
        Scope { leadership: roster.leadership, department: roster.office_department, ..Scope::derive(user, role, &assigned, roster.links.clone(), roster) }
    }

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
    pub fn access(&self, subject: Subject) -> Access {
        if self.covers(subject) {
            Access::Assigned
        } else if self.linked_to(subject) {
            Access::Linked
        } else {
            Access::Outside
        }
    }

    /// Whether the user may store this record: anything about what they are assigned to; about
    /// what they are linked to, only the kinds linked staff write.
    pub fn may_write(&self, body: &RecordBody) -> bool {
        self.access(body.subject()).may_write(body.linked_access())
    }

    /// Whether the user sees the student's archive: assigned staff and the office; a roommate
    /// from another class or a linked leader's room is a name, not a file.
    pub fn sees_archive(&self, student: StudentId) -> bool {
        self.all || self.students.contains(&student)
    }

    /// The ids of one kind of linked target, e.g. the linked rooms.
    pub fn linked<T: Ord>(&self, pick: impl Fn(LinkTarget) -> Option<T>) -> BTreeSet<T> {
        self.links.iter().filter_map(|l| pick(l.target)).collect()
    }

    pub fn linked_rooms(&self) -> BTreeSet<RoomId> {
        self.linked(|t| match t {
            LinkTarget::Room(r) => Some(r),
            _ => None,
        })
    }

    /// What the user may read, as grants any one of which admits a record:
    /// - the office and administrators: everything;
    /// - the author: their own records (a duty log, `Subject::Own`, has no other reader);
    /// - the parties a record names (an issue's raiser and assignees, a plan's staff);
    /// - staff assigned to a room, class or student: every record about it, confidential
    ///   kinds included;
    /// - staff linked to a class, room, club or branch (leaders, 002): only the kinds open to
    ///   linked staff about it. A leader linked to a class or room therefore never receives
    ///   talks, parent contacts, home visits, student issues, class checks or meetings about its
    ///   students, and a student's archive never reaches them (see [`scoped_roster`]).
    pub fn read_grants(&self) -> Vec<Grant> {
        if self.all {
            return vec![Grant::Everything];
        }
        let me = self.user.unwrap_or(UserId(-1));
        let mut grants = vec![Grant::Authored(me), Grant::Party(me)];
        let assigned = [
            (SubjectColumn::Room, self.rooms.iter().map(|r| r.0).collect::<BTreeSet<_>>()),
            (SubjectColumn::Class, self.classes.iter().map(|c| c.0).collect()),
            (SubjectColumn::Student, self.students.iter().map(|s| s.0).collect()),
        ];
        grants.extend(assigned.into_iter().filter(|(_, ids)| !ids.is_empty()).map(|(column, ids)| Grant::About { column, ids, kinds: Kinds::Every }));
        let mut linked: Vec<(SubjectColumn, BTreeSet<i64>)> = Vec::new();
        for link in &self.links {
            let (column, id) = SubjectColumn::of_target(link.target);
            match linked.iter_mut().find(|(c, _)| *c == column) {
                Some((_, ids)) => {
                    ids.insert(id);
                }
                None => linked.push((column, BTreeSet::from([id]))),
            }
        }
        linked.order_by_key(|(c, _)| *c);
        grants.extend(linked.into_iter().map(|(column, ids)| Grant::About { column, ids, kinds: Kinds::LinkedReadable }));
        grants
    }

    /// Whether the user may read a stored record: [`Scope::read_grants`] evaluated in Rust.
    pub fn may_read(&self, record: &ReadFacts<'_>) -> bool {
        self.read_grants().iter().any(|g| g.admits(record))
    }
}

/// The facts about a stored record that decide who reads it.
#[derive(Debug, Clone, Copy)]
pub struct ReadFacts<'a> {
    pub kind: &'a str,
    pub author: UserId,
    pub subject: Subject,
    /// The users the record names as parties (an issue's raiser and assignees, a plan's staff).
    pub parties: &'a [UserId],
}

/// One way a user may read a record (see [`Scope::read_grants`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grant {
    Everything,
    /// Records this user wrote.
    Authored(UserId),
    /// Records naming this user as a party.
    Party(UserId),
    /// Records about one of these subjects, of these kinds.
    About {
        column: SubjectColumn,
        ids: BTreeSet<i64>,
        kinds: Kinds,
    },
}

/// Which kinds an [`Grant::About`] admits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kinds {
    Every,
    /// The kinds linked staff may read (`RecordBody::linked_readable_kinds`).
    LinkedReadable,
}

impl Grant {
    pub fn admits(&self, record: &ReadFacts<'_>) -> bool {
        match self {
            Grant::Everything => true,
            Grant::Authored(me) => record.author == *me,
            Grant::Party(me) => record.parties.contains(me),
            Grant::About { column, ids, kinds } => {
                let about = SubjectColumn::of_subject(record.subject).is_some_and(|(c, id)| c == *column && ids.contains(&id));
                about
                    && match kinds {
                        Kinds::Every => true,
                        Kinds::LinkedReadable => RecordBody::linked_readable_kinds().contains(&record.kind),
                    }
            }
        }
    }
}

/// The subject of a stored record, as the column that holds its id (`records.room_id`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SubjectColumn {
    Room,
    Class,
    Student,
    Club,
    Branch,
}

impl SubjectColumn {
    pub const ALL: [SubjectColumn; 5] = [SubjectColumn::Room, SubjectColumn::Class, SubjectColumn::Student, SubjectColumn::Club, SubjectColumn::Branch];

    /// The column's name in the `records` table.
    pub fn name(self) -> &'static str {
        match self {
            SubjectColumn::Room => "room_id",
            SubjectColumn::Class => "class_id",
            SubjectColumn::Student => "student_id",
            SubjectColumn::Club => "club_id",
            SubjectColumn::Branch => "branch_id",
        }
    }

    /// The column and id of a subject; one's own work has none (its author alone reads it).
    pub fn of_subject(subject: Subject) -> Option<(SubjectColumn, i64)> {
        match subject {
            Subject::Room(r) => Some((SubjectColumn::Room, r.0)),
            Subject::Class(c) => Some((SubjectColumn::Class, c.0)),
            Subject::Student(s) => Some((SubjectColumn::Student, s.0)),
            Subject::Club(c) => Some((SubjectColumn::Club, c.0)),
            Subject::Branch(b) => Some((SubjectColumn::Branch, b.0)),
            Subject::Own => None,
        }
    }

    pub fn of_target(target: LinkTarget) -> (SubjectColumn, i64) {
        match target {
            LinkTarget::Room(r) => (SubjectColumn::Room, r.0),
            LinkTarget::Class(c) => (SubjectColumn::Class, c.0),
            LinkTarget::Club(c) => (SubjectColumn::Club, c.0),
            LinkTarget::Branch(b) => (SubjectColumn::Branch, b.0),
        }
    }

    /// The five subject columns of a record, in [`SubjectColumn::ALL`]'s order, one set at most.
    pub fn values(subject: Subject) -> [Option<i64>; 5] {
        let of = SubjectColumn::of_subject(subject);
        SubjectColumn::ALL.map(|c| of.filter(|(column, _)| *column == c).map(|(_, id)| id))
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
            if !scope.sees_archive(s.id) {
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
    use crate::groups::{Club, PartyBranch};
    use crate::roster::{Building, Department, Gender};
    use crate::{ClassAttendance, ClassEvent, ClubActivity, ClubActivityKind, DormCheck, DormVisit, RecordKind, StudentArchive};
    use proptest::prelude::*;

    fn student(id: i64, class: i64) -> Student {
        Student {
            id: StudentId(id),
            student_no: format!("S{id}"),
            name: format!("学生{id}"),
            gender: Gender::Male,
            class_id: ClassId(class),
            phone: Some(format!("1380000{id:04}")),
            initials: String::new(),
            archive: Some(StudentArchive { guardian_name: format!("家长{id}"), ..Default::default() }),
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
            ..RosterSnapshot::default()
        }
    }

    fn link(id: i64, user: i64, target: LinkTarget) -> LeaderLink {
        LeaderLink { id: LinkId(id), user_id: UserId(user), target }
    }

    fn counselor_of_class_1(full: &RosterSnapshot) -> Scope {
        Scope::derive(UserId(1), Role::Counselor, &BTreeSet::from([ClassId(1)]), vec![], full)
    }

    /// A leader linked to room 1, class 2 and club 1.
    fn leader(full: &RosterSnapshot) -> Scope {
        let links = vec![link(1, 9, LinkTarget::Room(RoomId(1))), link(2, 9, LinkTarget::Class(ClassId(2))), link(3, 9, LinkTarget::Club(ClubId(1)))];
        Scope::derive(UserId(9), Role::Leader, &BTreeSet::new(), links, full)
    }

    fn at() -> chrono::DateTime<chrono::FixedOffset> {
        crate::school_time::now_in(&crate::school_time::offset(8 * 3600))
    }

    #[test]
    fn a_counselor_is_assigned_to_her_classes_students_and_their_rooms() {
        let full = roster();
        let scope = counselor_of_class_1(&full);
        assert!(scope.covers(Subject::Room(RoomId(1))));
        assert!(scope.covers(Subject::Student(StudentId(1))));
        assert!(!scope.covers(Subject::Student(StudentId(2))));
        assert!(!scope.covers(Subject::Class(ClassId(2))));
        assert!(scope.covers(Subject::Own));
        assert_eq!(scope.access(Subject::Club(ClubId(1))), Access::Outside, "clubs are reached only through links");
    }

    #[test]
    fn a_leader_sees_linked_rooms_residents_by_name_only_and_linked_groups() {
        let full = roster();
        let seen = scoped_roster(&full, &leader(&full));
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
        let scope = leader(&full);
        let visit = |room| {
            RecordBody::DormVisit(DormVisit { room_id: room, visited_at: at(), students_met: vec![], situation: String::new(), problems_raised: String::new() })
        };
        assert!(scope.may_write(&visit(RoomId(1))));
        assert!(!scope.may_write(&visit(RoomId(2))));
        let residents: Vec<StudentId> = full.residents(RoomId(1)).iter().map(|(_, s)| s.id).collect();
        assert!(!scope.may_write(&RecordBody::DormCheck(DormCheck::blank(RoomId(1), &residents, at()))), "checks are the counselor's");
        let club = |id| RecordBody::ClubActivity(ClubActivity { club_id: ClubId(id), held_at: at(), activity: ClubActivityKind::Meeting, content: "x".into() });
        assert!(scope.may_write(&club(1)));
        assert!(!scope.may_write(&club(2)));
        let attend = RecordBody::ClassAttendance(ClassAttendance {
            class_id: ClassId(2),
            attended_at: at(),
            event: ClassEvent::Forum,
            title: "x".into(),
            notes: String::new(),
        });
        assert!(scope.may_write(&attend));
        assert!(!scope.covers(Subject::Student(StudentId(2))), "linked to a room is not assigned to its students");
        assert!(!counselor_of_class_1(&full).may_write(&club(1)), "a counselor is assigned, not linked: no clubs");
        assert_eq!(scope.access(Subject::Own), Access::Assigned, "everyone's own work is theirs");
    }

    #[test]
    fn a_leader_reads_linked_kinds_only_and_never_another_ones_own_work() {
        let full = roster();
        let scope = leader(&full);
        let facts = |kind, subject| ReadFacts { kind, author: UserId(1), subject, parties: &[] };
        assert!(scope.may_read(&facts(DormCheck::KIND, Subject::Room(RoomId(1)))), "a dorm check is read by linked staff");
        assert!(!scope.may_read(&facts(crate::Talk::KIND, Subject::Student(StudentId(1)))));
        assert!(!scope.may_read(&facts(crate::DutyLog::KIND, Subject::Own)), "a duty log is its author's");
        assert!(scope.may_read(&ReadFacts { kind: crate::DutyLog::KIND, author: UserId(9), subject: Subject::Own, parties: &[] }));
        assert!(scope.may_read(&ReadFacts {
            kind: crate::StudentIssue::KIND,
            author: UserId(1),
            subject: Subject::Student(StudentId(3)),
            parties: &[UserId(9)]
        }));
    }

    #[test]
    fn a_roommate_of_another_class_is_named_but_their_archive_is_not_sent() {
        let full = roster();
        let seen = scoped_roster(&full, &counselor_of_class_1(&full));
        let ids: Vec<_> = seen.students.iter().map(|s| s.id.0).collect();
        assert_eq!(ids, vec![1, 2], "the whole room, not the rest of class 2");
        assert!(seen.student(StudentId(1)).is_some_and(|s| s.archive.is_some()));
        assert!(seen.student(StudentId(2)).is_some_and(|s| s.archive.is_none() && s.phone.is_some()));
        assert_eq!(seen.residents(RoomId(1)).len(), 2);
    }

    #[test]
    fn the_office_gets_everything() {
        let full = roster();
        let office = Scope::derive(UserId(5), Role::Office, &BTreeSet::new(), vec![], &full);
        assert_eq!(scoped_roster(&full, &office), full);
        assert_eq!(office.read_grants(), vec![Grant::Everything]);
        let club = RecordBody::ClubActivity(ClubActivity { club_id: ClubId(2), held_at: at(), activity: ClubActivityKind::Plan, content: "x".into() });
        assert!(office.may_write(&club));
    }

    #[test]
    fn subject_columns_hold_one_id_at_most() {
        assert_eq!(SubjectColumn::values(Subject::Class(ClassId(4))), [None, Some(4), None, None, None]);
        assert_eq!(SubjectColumn::values(Subject::Own), [None; 5]);
    }

    // ---- the property: the phone's verdict is the server's ----

    /// A school of up to 4 classes, 12 students, 4 rooms; each student in a room or none.
    fn any_roster() -> impl Strategy<Value = RosterSnapshot> {
        proptest::collection::vec((1i64..=4, proptest::option::of(1i64..=4)), 0..12).prop_map(|students| {
            let mut roster = roster();
            roster.classes = (1..=4).map(|c| Class { id: ClassId(c), department_id: DepartmentId(1), name: format!("{c}班"), cohort_year: 2024 }).collect();
            roster.rooms = (1..=4).map(|r| Room { id: RoomId(r), building_id: BuildingId(1), number: format!("1-10{r}") }).collect();
            roster.students = students.iter().enumerate().map(|(i, (class, _))| student(i as i64 + 1, *class)).collect();
            roster.beds = students
                .iter()
                .enumerate()
                .filter_map(|(i, (_, room))| {
                    room.map(|r| Bed { id: BedId(i as i64 + 1), room_id: RoomId(r), label: format!("{i}"), student_id: Some(StudentId(i as i64 + 1)) })
                })
                .collect();
            roster
        })
    }

    fn any_target() -> impl Strategy<Value = LinkTarget> {
        prop_oneof![
            (1i64..=4).prop_map(|r| LinkTarget::Room(RoomId(r))),
            (1i64..=4).prop_map(|c| LinkTarget::Class(ClassId(c))),
            (1i64..=2).prop_map(|c| LinkTarget::Club(ClubId(c))),
            Just(LinkTarget::Branch(BranchId(1))),
        ]
    }

    prop_compose! {
        /// A user: a role, the classes assigned to them, the targets linked to them.
        fn any_user()(
            role in proptest::sample::select(Role::ALL.to_vec()),
            assigned in proptest::collection::btree_set((1i64..=4).prop_map(ClassId), 0..3),
            targets in proptest::collection::vec(any_target(), 0..4),
        ) -> (Role, BTreeSet<ClassId>, Vec<LeaderLink>) {
            let links = targets.into_iter().enumerate().map(|(i, t)| link(i as i64 + 1, 7, t)).collect();
            (role, assigned, links)
        }
    }

    /// Every subject of the roster, one's own work, and some outside it.
    fn subjects(roster: &RosterSnapshot) -> Vec<Subject> {
        let mut all = vec![Subject::Own, Subject::Room(RoomId(9)), Subject::Class(ClassId(9)), Subject::Student(StudentId(99))];
        all.extend(roster.rooms.iter().map(|r| Subject::Room(r.id)));
        all.extend(roster.classes.iter().map(|c| Subject::Class(c.id)));
        all.extend(roster.students.iter().map(|s| Subject::Student(s.id)));
        all.extend(roster.clubs.iter().map(|c| Subject::Club(c.id)));
        all.extend(roster.branches.iter().map(|b| Subject::Branch(b.id)));
        all
    }

    proptest! {
        #[test]
        fn the_phone_judges_as_the_server_does(full in any_roster(), (role, assigned, links) in any_user()) {
            let server = Scope::derive(UserId(7), role, &assigned, links, &full);
            let phone_roster = scoped_roster(&full, &server);
            let phone = Scope::of_phone(UserId(7), role, &phone_roster);
            for subject in subjects(&full) {
                prop_assert_eq!(phone.access(subject), server.access(subject), "{:?} {:?}", role, subject);
                for kind in RecordBody::KINDS {
                    for author in [UserId(7), UserId(8)] {
                        let facts = ReadFacts { kind, author, subject, parties: &[] };
                        prop_assert_eq!(phone.may_read(&facts), server.may_read(&facts), "{:?} reads {} about {:?}", role, kind, subject);
                    }
                }
            }
            // The archives the phone holds are exactly those the server's scope sees.
            for s in &full.students {
                let held = phone_roster.student(s.id).is_some_and(|s| s.archive.is_some());
                prop_assert_eq!(held, server.sees_archive(s.id), "archive of {:?}", s.id);
            }
        }

        #[test]
        fn reading_follows_access(full in any_roster(), (role, assigned, links) in any_user()) {
            // Apart from authors and parties, a record is read exactly when the reader's access
            // to its subject allows its kind: the grants and `Access::may_read` are one rule.
            let scope = Scope::derive(UserId(7), role, &assigned, links, &full);
            for subject in subjects(&full).into_iter().filter(|s| *s != Subject::Own) {
                for kind in RecordBody::KINDS {
                    let facts = ReadFacts { kind, author: UserId(8), subject, parties: &[] };
                    let linked = if RecordBody::linked_readable_kinds().contains(kind) { LinkedAccess::Read } else { LinkedAccess::None };
                    prop_assert_eq!(scope.may_read(&facts), scope.access(subject).may_read(linked), "{:?} {} {:?}", role, kind, subject);
                }
            }
        }
    }
}
