//! The roster as stored, and each user's scope read from it (the rule itself is `rounds::access`).

use super::DbRow;
use super::{Store, StoreResult};
pub use rounds::access::{scoped_roster, Scope};
use rounds::groups::{Club, LinkTarget, PartyBranch};
use rounds::record::Subject;
use rounds::*;
use std::collections::BTreeSet;
use std::sync::Arc;

/// The whole school's roster as last read, with the roster change number ([`Store::roster_seq`])
/// it was read at. Every push and pull works out its user's scope from the whole roster; reading
/// it afresh each time (thousands of students with their archives) was most of their time
/// under load. Keyed by the change number, not cleared by writes, so a write through another
/// server sharing the database is seen too.
#[derive(Default)]
pub struct RosterCache(tokio::sync::Mutex<Option<(i64, Arc<RosterSnapshot>)>>);

/// A short fingerprint of everything this scope lets its user see. The pull compares it
/// with the one the phone last received: when they differ (a class given or taken away, a
/// student moved, a link changed), the phone gets a full pull and drops what it may no
/// longer see. One fingerprint rather than per-subject cursors: a change of scope is rare
/// (an office decision), a full pull of a counselor's semester is about 70 KB, and it is
/// right by construction where per-subject cursors would need a cursor per class and link.
pub fn fingerprint(scope: &Scope) -> String {
    use sha2::{Digest, Sha256};
    let mut targets: Vec<LinkTarget> = scope.links.iter().map(|l| l.target).collect();
    targets.sort();
    let text = format!(
        "all={} classes={:?} rooms={:?} students={:?} links={:?} leadership={} department={:?} named_in={:?}",
        scope.all,
        scope.classes.iter().map(|c| c.0).collect::<Vec<_>>(),
        scope.rooms.iter().map(|r| r.0).collect::<Vec<_>>(),
        scope.students.iter().map(|s| s.0).collect::<Vec<_>>(),
        targets,
        scope.leadership,
        scope.department.map(|d| d.0),
        scope.named_in
    );
    hex::encode(&Sha256::digest(text.as_bytes())[..12])
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
    pub async fn was_assigned_at(&self, user: UserId, full: &RosterSnapshot, subject: Subject, at: chrono::DateTime<chrono::FixedOffset>) -> StoreResult<bool> {
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
    pub async fn roster(&self) -> StoreResult<Arc<RosterSnapshot>> {
        let seq = self.roster_seq().await?;
        let staff = self.active_staff().await?;
        // Held while reading, so a crowd of phones arriving together reads the roster once; the
        // two small reads above are each request's own and need not wait for one another.
        let mut cached = self.roster.0.lock().await;
        match &mut *cached {
            Some((at, roster)) if *at == seq => {
                if roster.staff != staff {
                    Arc::make_mut(roster).staff = staff;
                }
                Ok(roster.clone())
            }
            _ => {
                let roster = Arc::new(RosterSnapshot { staff, ..self.read_roster().await? });
                *cached = Some((seq, roster.clone()));
                Ok(roster)
            }
        }
    }

    /// The active staff's names: read on every use, as renaming or disabling an account moves
    /// no roster change number.
    async fn active_staff(&self) -> StoreResult<Vec<StaffName>> {
        Ok(pool!(self.pool, |c| sqlx::query_as::<_, (i64, String)>("SELECT id, display_name FROM users WHERE disabled = FALSE ORDER BY id")
            .fetch_all(c)
            .await)?
        .into_iter()
        .map(|(id, display_name)| StaffName { id: UserId(id), display_name })
        .collect())
    }

    /// The roster as stored, staff names left out.
    async fn read_roster(&self) -> StoreResult<RosterSnapshot> {
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
            staff: Vec::new(),
        })
    }

    /// The scope of a user: the office sees all; counselors and head teachers their assigned
    /// classes, those classes' students, and the rooms those students sleep in; leaders what
    /// they are linked to.
    pub async fn scope(&self, user: &UserProfile, roster: &RosterSnapshot) -> StoreResult<Scope> {
        let links = self.links(Some(user.id)).await?;
        let leadership = self.is_leadership(user.id).await?;
        if user.role.sees_everything() {
            let department = self.office_department(user.id).await?;
            return Ok(Scope { leadership, department, ..Scope::derive(user.id, user.role, &BTreeSet::new(), links, roster) });
        }
        let named_in = self.named_in(user.id).await?;
        let classes: BTreeSet<ClassId> = self.assigned_classes(user.id).await?.into_iter().collect();
        Ok(Scope { leadership, named_in, ..Scope::derive(user.id, user.role, &classes, links, roster) })
    }

    /// The records of kinds that name their parties (`NAMING_PARTIES`) that name `user`, sorted.
    async fn named_in(&self, user: UserId) -> StoreResult<Vec<String>> {
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
    pub async fn office_department(&self, user: UserId) -> StoreResult<Option<DepartmentId>> {
        let id: Option<Option<i64>> =
            pool!(self.pool, |c| sqlx::query_scalar("SELECT department_id FROM users WHERE id = $1 AND role = 'office'").bind(user.0).fetch_optional(c).await)?;
        Ok(id.flatten().map(DepartmentId))
    }

    /// Whether the account is of the leadership tier (班子成员).
    pub async fn is_leadership(&self, user: UserId) -> StoreResult<bool> {
        Ok(pool!(self.pool, |c| sqlx::query_scalar::<_, bool>("SELECT leadership FROM users WHERE id = $1").bind(user.0).fetch_optional(c).await)?
            .unwrap_or(false))
    }

    /// The highest change number of any roster row or assignment.
    pub async fn roster_seq(&self) -> StoreResult<i64> {
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

    pub async fn institution(&self) -> StoreResult<(String, String)> {
        let row: Option<(String, String)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT name, time_zone FROM institution WHERE id = 1").fetch_optional(c).await)?;
        Ok(row.unwrap_or_else(|| ("Rounds".to_string(), rounds::school_time::DEFAULT_TIME_ZONE.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_cached_roster_follows_every_change_of_the_roster_and_of_staff_names() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let store = Store::open_data_dir(dir.path()).await?;
        store.migrate().await?;
        let department = store.save_department(None, &rounds::admin::DepartmentInput { name: "信息学院".into() }).await?;
        let first = store.roster().await?;
        assert!(Arc::ptr_eq(&first, &store.roster().await?), "read once while nothing changes");

        let input = rounds::admin::ClassInput { department_id: department.id, name: "软件2401".into(), cohort_year: 2024 };
        let class = store.save_class(None, &input).await?;
        let after_class = store.roster().await?;
        assert!(after_class.class(class.id).is_some(), "a new class is in the next roster");

        let user = store.create_user("wang", "王老师", Role::Counselor, "x").await?;
        let named = store.roster().await?;
        assert!(named.staff.iter().any(|s| s.id == user && s.display_name == "王老师"), "a new account's name, though no roster row moved");
        let update =
            rounds::admin::AccountUpdate { display_name: "王明".into(), role: Role::Counselor, active: false, leadership: false, department_id: None };
        store.update_account(user, &update).await?;
        assert!(store.roster().await?.staff.iter().all(|s| s.id != user), "a disabled account leaves the staff names");
        Ok(())
    }

    #[test]
    fn initials_of_chinese_and_latin_names() {
        assert_eq!(name_initials("张三"), "zs");
        assert_eq!(name_initials("欧阳娜娜"), "oynn");
        assert_eq!(name_initials("阿依古丽·买买提"), "ayglmmt");
        assert_eq!(name_initials("Li Lei 2"), "lilei2");
    }
}
