//! Clubs (社团), party branches (党支部), and the links of leaders and linked teachers to a
//! class, a dorm room, a club and a party branch (002 §三). The office keeps them (002 §四(一));
//! a leader sees and records what they are linked to, and nothing confidential about its students.

use crate::ids::*;
use crate::record::Subject;
use crate::roster::{Department, Role, RosterSnapshot, UserProfile};
use crate::validate::ValidationErrors;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The longest name of a club or branch, in characters.
pub const GROUP_NAME_MAX: usize = 100;

/// 社团: a student club a leader or teacher guides (002 §三(四)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Club {
    pub id: ClubId,
    pub name: String,
    /// The department it belongs to; school-wide clubs have none.
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
}

/// 学生党支部: a student party branch a leader or teacher is linked to (002 §三(五)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyBranch {
    pub id: BranchId,
    pub name: String,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
}

/// Clubs or branches: the office manages both the same way, through one code path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    Club,
    Branch,
}

/// What a club and a branch share: an id, a name and perhaps a department.
pub trait Group: Clone + Serialize + DeserializeOwned + Send + Sync + 'static {
    const KIND: GroupKind;
    fn from_parts(id: i64, draft: GroupDraft) -> Self;
    fn raw_id(&self) -> i64;
}

impl Group for Club {
    const KIND: GroupKind = GroupKind::Club;
    fn from_parts(id: i64, draft: GroupDraft) -> Self {
        Club { id: ClubId(id), name: draft.name, department_id: draft.department_id }
    }
    fn raw_id(&self) -> i64 {
        self.id.0
    }
}

impl Group for PartyBranch {
    const KIND: GroupKind = GroupKind::Branch;
    fn from_parts(id: i64, draft: GroupDraft) -> Self {
        PartyBranch { id: BranchId(id), name: draft.name, department_id: draft.department_id }
    }
    fn raw_id(&self) -> i64 {
        self.id.0
    }
}

/// A club or branch as the office types it, to add or rename one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupDraft {
    /// Missing counts as empty, so the answer is a field error naming it.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
}

impl GroupDraft {
    /// The draft with its name trimmed, or what is wrong with it: a name is required and
    /// bounded, and a department, when given, must exist.
    pub fn validate(&self, departments: &[Department]) -> Result<GroupDraft, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        errors.text("name", &self.name, true, GROUP_NAME_MAX);
        if let Some(d) = self.department_id {
            if !departments.iter().any(|x| x.id == d) {
                errors.add("department_id", "unknown_department", "is not a department of the school");
            }
        }
        errors.into_result()?;
        Ok(GroupDraft { name: self.name.trim().to_string(), department_id: self.department_id })
    }
}

/// What a leader can be linked to.
// `Deserialize` by hand, read as a subject's fields (see `crate::tagged`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum LinkTarget {
    Class(ClassId),
    Room(RoomId),
    Club(ClubId),
    Branch(BranchId),
}

impl<'de> Deserialize<'de> for LinkTarget {
    /// `{ "type", "id" }` as a [`Subject`] is written (read without serde's `Content`, see
    /// `crate::tagged`), of the four types a leader is linked to.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const TYPES: &[&str] = &["class", "room", "club", "branch"];
        let subject = Subject::deserialize(deserializer)?;
        LinkTarget::of_subject(subject).ok_or_else(|| {
            let tag = if matches!(subject, Subject::Student(_)) { "student" } else { "own" };
            serde::de::Error::unknown_variant(tag, TYPES)
        })
    }
}

impl LinkTarget {
    /// The subject of the records a leader makes about this target.
    pub fn subject(self) -> Subject {
        match self {
            LinkTarget::Class(c) => Subject::Class(c),
            LinkTarget::Room(r) => Subject::Room(r),
            LinkTarget::Club(c) => Subject::Club(c),
            LinkTarget::Branch(b) => Subject::Branch(b),
        }
    }

    /// The target a record's subject names, when a leader can be linked to it.
    pub fn of_subject(subject: Subject) -> Option<LinkTarget> {
        match subject {
            Subject::Class(c) => Some(LinkTarget::Class(c)),
            Subject::Room(r) => Some(LinkTarget::Room(r)),
            Subject::Club(c) => Some(LinkTarget::Club(c)),
            Subject::Branch(b) => Some(LinkTarget::Branch(b)),
            Subject::Student(_) | Subject::Own => None,
        }
    }
}

/// One leader's link to one class, room, club or branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderLink {
    pub id: LinkId,
    pub user_id: UserId,
    pub target: LinkTarget,
}

impl Role {
    /// Who may be linked: the leader role stands for "leader / linked teacher" (领导干部、联系教师).
    /// Counselors and head teachers already look after their classes through assignments, with
    /// wider rights; a link would only blur what they may see.
    pub fn may_be_linked(self) -> bool {
        matches!(self, Role::Leader)
    }
}

/// A link the office asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewLink {
    pub user_id: UserId,
    pub target: LinkTarget,
}

impl NewLink {
    /// `user` is the account `user_id` names, if there is one; `roster` the whole school's.
    pub fn validate(&self, user: Option<&UserProfile>, roster: &RosterSnapshot) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        match user {
            None => errors.add("user_id", "unknown_user", "is not an account"),
            Some(u) if !u.role.may_be_linked() => {
                errors.add("user_id", "not_linkable", format!("is a {}; only leaders and linked teachers are linked", u.role.as_str()))
            }
            Some(_) => {}
        }
        if roster.target_label(self.target).is_none() {
            let (code, what) = match self.target {
                LinkTarget::Class(_) => ("unknown_class", "class"),
                LinkTarget::Room(_) => ("unknown_room", "room"),
                LinkTarget::Club(_) => ("unknown_club", "club"),
                LinkTarget::Branch(_) => ("unknown_branch", "party branch"),
            };
            errors.add("target", code, format!("is not a {what} of the school"));
        }
        errors
    }
}

impl RosterSnapshot {
    pub fn club(&self, id: ClubId) -> Option<&Club> {
        self.clubs.iter().find(|c| c.id == id)
    }

    pub fn branch(&self, id: BranchId) -> Option<&PartyBranch> {
        self.branches.iter().find(|b| b.id == id)
    }

    /// A target's name as people say it (`1号楼 1-101`), or `None` when it is not in this roster.
    pub fn target_label(&self, target: LinkTarget) -> Option<String> {
        match target {
            LinkTarget::Class(c) => self.class(c).map(|c| c.name.clone()),
            LinkTarget::Room(r) => self.room(r).map(|room| match self.building(room.building_id) {
                Some(b) => format!("{} {}", b.name, room.number),
                None => room.number.clone(),
            }),
            LinkTarget::Club(c) => self.club(c).map(|c| c.name.clone()),
            LinkTarget::Branch(b) => self.branch(b).map(|b| b.name.clone()),
        }
    }
}

/// A link with the names an office page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkView {
    pub link: LeaderLink,
    pub leader: String,
    pub target: String,
}

/// Something a link may point at, labelled for a select.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkOption {
    pub target: LinkTarget,
    pub label: String,
}

/// `GET /api/v1/groups`: everything the office's page of clubs, branches and links needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupsOverview {
    pub departments: Vec<Department>,
    pub clubs: Vec<Club>,
    pub branches: Vec<PartyBranch>,
    pub links: Vec<LinkView>,
    /// The accounts that may be linked.
    pub leaders: Vec<UserProfile>,
    /// Every class, room, club and branch of the school, in that order.
    pub targets: Vec<LinkOption>,
}

impl GroupsOverview {
    /// From the whole school's roster (with every club and branch), all links and all accounts.
    pub fn build(roster: &RosterSnapshot, links: Vec<LeaderLink>, users: &[UserProfile]) -> GroupsOverview {
        let label = |t: LinkTarget| roster.target_label(t).unwrap_or_else(|| "?".into());
        let links = links
            .into_iter()
            .map(|link| LinkView {
                leader: users.iter().find(|u| u.id == link.user_id).map(|u| u.display_name.clone()).unwrap_or_default(),
                target: label(link.target),
                link,
            })
            .collect();
        let mut rooms: Vec<LinkOption> = roster
            .rooms_by_building()
            .into_iter()
            .flat_map(|(_, rooms)| rooms.into_iter().map(|r| LinkTarget::Room(r.id)))
            .map(|t| LinkOption { target: t, label: label(t) })
            .collect();
        let mut targets: Vec<LinkOption> = roster.classes.iter().map(|c| LinkOption { target: LinkTarget::Class(c.id), label: c.name.clone() }).collect();
        targets.append(&mut rooms);
        targets.extend(roster.clubs.iter().map(|c| LinkOption { target: LinkTarget::Club(c.id), label: c.name.clone() }));
        targets.extend(roster.branches.iter().map(|b| LinkOption { target: LinkTarget::Branch(b.id), label: b.name.clone() }));
        GroupsOverview {
            departments: roster.departments.clone(),
            clubs: roster.clubs.clone(),
            branches: roster.branches.clone(),
            links,
            leaders: users.iter().filter(|u| u.role.may_be_linked()).cloned().collect(),
            targets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::tests::sample;

    #[test]
    fn link_targets_read_as_subjects_are_written() {
        for target in [LinkTarget::Class(ClassId(1)), LinkTarget::Room(RoomId(2)), LinkTarget::Club(ClubId(3)), LinkTarget::Branch(BranchId(4))] {
            let text = serde_json::to_string(&target).unwrap();
            assert_eq!(text, serde_json::to_string(&target.subject()).unwrap(), "the same wire form as its subject");
            assert_eq!(serde_json::from_str::<LinkTarget>(&text).unwrap(), target);
        }
        assert_eq!(serde_json::from_str::<LinkTarget>(r#"{"id":3,"type":"club"}"#).unwrap(), LinkTarget::Club(ClubId(3)));
        let error = |text: &str| serde_json::from_str::<LinkTarget>(text).unwrap_err().to_string();
        assert!(error(r#"{"type":"student","id":1}"#).starts_with("unknown variant `student`, expected one of `class`, `room`, `club`, `branch`"));
        assert!(error(r#"{"type":"own"}"#).starts_with("unknown variant `own`"));
        assert!(error(r#"{"type":"room"}"#).starts_with("missing field `id`"));
    }

    fn user(id: i64, role: Role) -> UserProfile {
        UserProfile { id: UserId(id), username: format!("u{id}"), display_name: format!("用户{id}"), role }
    }

    #[test]
    fn a_group_needs_a_name_and_a_known_department() {
        let roster = sample();
        let ok = GroupDraft { name: "  机器人社 ".into(), department_id: Some(DepartmentId(1)) };
        assert_eq!(ok.validate(&roster.departments).unwrap().name, "机器人社");
        let blank = GroupDraft { name: " ".into(), department_id: Some(DepartmentId(9)) };
        assert_eq!(blank.validate(&roster.departments).unwrap_err().codes(), vec![("name", "required"), ("department_id", "unknown_department")]);
        let long = GroupDraft { name: "社".repeat(GROUP_NAME_MAX + 1), department_id: None };
        assert_eq!(long.validate(&roster.departments).unwrap_err().codes(), vec![("name", "too_long")]);
    }

    #[test]
    fn only_leaders_are_linked_and_only_to_what_exists() {
        let roster = sample();
        let leader = user(7, Role::Leader);
        let link = |target| NewLink { user_id: UserId(7), target };
        for target in [LinkTarget::Class(ClassId(1)), LinkTarget::Room(RoomId(2)), LinkTarget::Club(ClubId(1)), LinkTarget::Branch(BranchId(1))] {
            assert!(link(target).validate(Some(&leader), &roster).is_empty(), "{target:?}");
        }
        assert_eq!(link(LinkTarget::Room(RoomId(9))).validate(Some(&leader), &roster).codes(), vec![("target", "unknown_room")]);
        assert_eq!(link(LinkTarget::Branch(BranchId(9))).validate(Some(&leader), &roster).codes(), vec![("target", "unknown_branch")]);
        assert_eq!(link(LinkTarget::Club(ClubId(1))).validate(None, &roster).codes(), vec![("user_id", "unknown_user")]);
        for role in [Role::Counselor, Role::HeadTeacher, Role::Office, Role::Admin] {
            assert_eq!(link(LinkTarget::Club(ClubId(1))).validate(Some(&user(7, role)), &roster).codes(), vec![("user_id", "not_linkable")]);
        }
    }

    #[test]
    fn targets_travel_as_type_and_id_and_map_to_subjects() {
        let json = serde_json::to_value(LinkTarget::Branch(BranchId(3))).unwrap();
        assert_eq!(json, serde_json::json!({ "type": "branch", "id": 3 }));
        for t in [LinkTarget::Class(ClassId(1)), LinkTarget::Room(RoomId(1)), LinkTarget::Club(ClubId(1)), LinkTarget::Branch(BranchId(1))] {
            assert_eq!(LinkTarget::of_subject(t.subject()), Some(t));
        }
        assert_eq!(LinkTarget::of_subject(Subject::Student(StudentId(1))), None);
        assert_eq!(LinkTarget::of_subject(Subject::Own), None);
    }

    #[test]
    fn a_leader_writes_visits_not_checks_of_the_linked_room() {
        use crate::record::{LinkedAccess, RecordKind};
        use crate::Access;
        let mut roster = sample();
        roster.links = vec![LeaderLink { id: LinkId(1), user_id: UserId(7), target: LinkTarget::Room(RoomId(1)) }];
        let room = Subject::Room(RoomId(1));
        // The same roster as a leader's phone holds it: links, no classes of their own.
        let leaders = RosterSnapshot { assigned_classes: vec![], ..roster.clone() };
        let access = |role, subject| crate::Scope::of_phone(UserId(7), role, if role == Role::Leader { &leaders } else { &roster }).access(subject);
        assert_eq!(access(Role::Leader, room), Access::Linked);
        assert!(access(Role::Leader, room).may_write(crate::DormVisit::LINKED));
        assert!(!access(Role::Leader, room).may_write(crate::DormCheck::LINKED));
        assert_eq!(access(Role::Leader, Subject::Room(RoomId(2))), Access::Outside, "in the roster but not linked");
        assert_eq!(access(Role::Leader, Subject::Student(StudentId(1))), Access::Outside, "a resident is not linked");
        assert_eq!(access(Role::Leader, Subject::Own), Access::Assigned);
        for role in [Role::Counselor, Role::HeadTeacher] {
            assert_eq!(access(role, room), Access::Assigned);
            assert!(access(role, room).may_write(crate::DormCheck::LINKED));
            assert_eq!(access(role, Subject::Club(ClubId(1))), Access::Outside, "clubs are reached only through links");
            assert_eq!(access(role, Subject::Room(RoomId(9))), Access::Outside);
        }
        assert!(access(Role::Office, Subject::Club(ClubId(9))).may_write(LinkedAccess::None));
    }

    #[test]
    fn the_overview_labels_links_and_offers_every_target() {
        let roster = sample();
        let users = vec![user(1, Role::Counselor), user(7, Role::Leader)];
        let links = vec![LeaderLink { id: LinkId(1), user_id: UserId(7), target: LinkTarget::Room(RoomId(1)) }];
        let o = GroupsOverview::build(&roster, links, &users);
        assert_eq!((o.links[0].leader.as_str(), o.links[0].target.as_str()), ("用户7", "1号楼 1-101"));
        assert_eq!(o.leaders.iter().map(|u| u.id).collect::<Vec<_>>(), vec![UserId(7)]);
        let labels: Vec<_> = o.targets.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, vec!["计科2023-1", "1号楼 1-101", "1号楼 1-102", "计算机协会", "本科生第一党支部"]);
    }
}
