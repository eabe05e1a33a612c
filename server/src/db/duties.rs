//! The duty setup as stored (the rules and the calendar, each versioned), and what the duty
//! engine reads: who owes duties, and the facts of the records.

use super::{now_text, Store, StoreError, StoreResult};
use super::{DbRow, Tx};
use chrono::NaiveDate;
use futures_util::TryStreamExt;
use rounds::duties::engine::kind_index;
use rounds::duties::{default_rules, CalendarVersion, DutySetup, Fact, Owner, RuleSet, SavedVersion, SchoolCalendar};
use rounds::groups::LinkTarget;
use rounds::record::Subject;
use rounds::*;
use sqlx::QueryBuilder;
use std::collections::{BTreeMap, HashMap};

/// The one institution of a database (see `institution.id`).
const INSTITUTION: i64 = 1;

/// Which versioned half of the setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupPart {
    Rules,
    Calendar,
}

impl SetupPart {
    /// Fixed strings only, so formatting them into SQL is safe.
    fn table(self) -> &'static str {
        match self {
            SetupPart::Rules => "duty_rule_sets",
            SetupPart::Calendar => "school_calendars",
        }
    }

    fn column(self) -> &'static str {
        match self {
            SetupPart::Rules => "rules",
            SetupPart::Calendar => "semesters",
        }
    }

    /// Version 1: DOMAIN's duty table, and a calendar without semesters.
    fn defaults(self) -> StoreResult<String> {
        Ok(match self {
            SetupPart::Rules => serde_json::to_string(&default_rules())?,
            SetupPart::Calendar => serde_json::to_string(&SchoolCalendar::default().semesters)?,
        })
    }
}

/// A save from `base` when someone saved another version since the editor started from it.
fn stale(base: u32, current: u32) -> StoreError {
    let message = format!("version {current} is the current one, not version {base}: someone saved in the meantime; reload and edit again");
    StoreError::conflict_on("stale_version", "base_version", "stale", message)
}

/// The current version of a part and its JSON, if any is stored.
fn current_sql(part: SetupPart) -> String {
    format!("SELECT version, {} FROM {} WHERE institution_id = $1 ORDER BY version DESC LIMIT 1", part.column(), part.table())
}

async fn current(pool: &super::Pool, part: SetupPart) -> sqlx::Result<Option<(u32, String)>> {
    let sql = current_sql(part);
    let row: Option<(i64, String)> = pool!(pool, |c| sqlx::query_as(&sql).bind(INSTITUTION).fetch_optional(c).await)?;
    Ok(row.map(|(v, json)| (v as u32, json)))
}

async fn current_in(tx: &mut Tx, part: SetupPart) -> sqlx::Result<Option<(u32, String)>> {
    let sql = current_sql(part);
    let row: Option<(i64, String)> = tx!(tx, |c| sqlx::query_as(&sql).bind(INSTITUTION).fetch_optional(c).await)?;
    Ok(row.map(|(v, json)| (v as u32, json)))
}

/// Stores the defaults as version 1 when nothing is stored yet.
async fn store_defaults(tx: &mut Tx, part: SetupPart) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO {} (institution_id, version, {}, saved_by, saved_at) VALUES ($1, 1, $2, NULL, $3) ON CONFLICT DO NOTHING",
        part.table(),
        part.column()
    );
    tx!(tx, |c| sqlx::query(&sql).bind(INSTITUTION).bind(part.defaults()?).bind(now_text()).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The whole institution's facts, kept between compliance reports. Reading a large school's year
/// of records (a million rows) takes seconds; catching up on the rows changed since the last
/// report takes milliseconds, as every change of a record gives it a new `seq`.
///
/// Several servers on one PostgreSQL database each keep their own cache, and each catches up by
/// sequence from the database before every report, so a write made through another server is
/// counted at the next report (no LISTEN/NOTIFY: a report reads the database anyway, and the
/// catch-up is one indexed range read). Change numbers are handed out in commit order (see
/// [`super::Store::write`]), so `seq > last applied` never skips a change committed late.
#[derive(Default)]
pub struct FactCache(tokio::sync::Mutex<Option<CachedFacts>>);

pub struct CachedFacts {
    zone: chrono_tz::Tz,
    /// Nothing before this day is held.
    since: NaiveDate,
    /// The last change applied.
    seq: i64,
    facts: HashMap<uuid::Uuid, Fact>,
}

/// `SELECT` of what a fact needs from a row, the sub-kind (`activity`) and the course teacher
/// (`counterpart`) included.
fn select_facts<'q, DB: sqlx::Database>() -> QueryBuilder<'q, DB> {
    QueryBuilder::new(
        "SELECT id, seq, deleted, author_id, kind, room_id, class_id, student_id, club_id, branch_id, occurred_at, activity, counterpart FROM records",
    )
}

/// The text bound a day before `since`: `occurred_at` keeps the phone's offset.
fn day_early(since: NaiveDate) -> String {
    (since - chrono::Duration::days(1)).to_string()
}

fn record_id(row: &impl DbRow) -> StoreResult<uuid::Uuid> {
    Ok(uuid::Uuid::parse_str(row.col("id")?)?)
}

/// What a row of [`select_facts`] counts as, or `None` when it does not count: deleted, of no
/// kind the engine knows, or before `since` in the school's zone.
fn fact_of_row<Z: chrono::TimeZone>(row: &impl DbRow, since: NaiveDate, zone: &Z) -> StoreResult<Option<Fact>> {
    if row.col::<bool>("deleted")? {
        return Ok(None);
    }
    let kind: &str = row.col("kind")?;
    let Some(kind_no) = kind_index(kind) else { return Ok(None) };
    let occurred: &str = row.col("occurred_at")?;
    let on = chrono::DateTime::parse_from_rfc3339(occurred)?.with_timezone(zone).date_naive();
    if on < since {
        return Ok(None);
    }
    let activity = row.col::<Option<i64>>("activity")?.and_then(|a| u8::try_from(a).ok());
    let counterpart = row.col::<Option<&str>>("counterpart")?.and_then(rounds::record::counterpart_key);
    // As `Fact::of_record` reads it: the office's records count for the office as one unit.
    let author = (!rounds::RecordBody::office_only_kind(kind)).then_some(UserId(row.col("author_id")?));
    Ok(Some(Fact { author, kind: kind_no, activity, subject: subject_of(row)?, on, counterpart }))
}

fn subject_of(row: &impl DbRow) -> sqlx::Result<Subject> {
    let id = |column: &str| row.col::<Option<i64>>(column);
    Ok(if let Some(s) = id("student_id")? {
        Subject::Student(StudentId(s))
    } else if let Some(r) = id("room_id")? {
        Subject::Room(RoomId(r))
    } else if let Some(c) = id("class_id")? {
        Subject::Class(ClassId(c))
    } else if let Some(c) = id("club_id")? {
        Subject::Club(ClubId(c))
    } else if let Some(b) = id("branch_id")? {
        Subject::Branch(BranchId(b))
    } else {
        Subject::Own
    })
}

impl Store {
    /// Makes the defaults version 1 of the rules and the calendar, where none is stored, so
    /// every version the API names is a real row.
    pub async fn ensure_duty_setup(&self) -> StoreResult<()> {
        let mut w = self.write().await?;
        for part in [SetupPart::Rules, SetupPart::Calendar] {
            store_defaults(&mut w.tx, part).await?;
        }
        w.commit().await
    }

    /// The current version of a part, storing the defaults first if needed.
    async fn current_setup(&self, part: SetupPart) -> StoreResult<(u32, String)> {
        if let Some(found) = current(&self.pool, part).await? {
            return Ok(found);
        }
        self.ensure_duty_setup().await?;
        current(&self.pool, part).await?.ok_or_else(|| StoreError::bug(format!("no {} stored after storing the defaults", part.table())))
    }

    pub async fn rule_set(&self) -> StoreResult<RuleSet> {
        let (version, json) = self.current_setup(SetupPart::Rules).await?;
        Ok(RuleSet { version, rules: serde_json::from_str(&json)? })
    }

    /// The current calendar: its semesters, in the institution's time zone.
    pub async fn calendar(&self) -> StoreResult<CalendarVersion> {
        let (version, json) = self.current_setup(SetupPart::Calendar).await?;
        let (_, time_zone) = self.institution().await?;
        Ok(CalendarVersion { version, calendar: SchoolCalendar { time_zone, semesters: serde_json::from_str(&json)? } })
    }

    /// The rules and the calendar, as the engine and the phone take them.
    pub async fn duty_setup(&self) -> StoreResult<DutySetup> {
        Ok(DutySetup { rules: self.rule_set().await?, calendar: self.calendar().await?.calendar })
    }

    /// Stores validated rules as the version after `base`; refused when `base` is not current.
    pub async fn save_rules(&self, base: u32, rules: &[rounds::duties::Rule], by: Option<UserId>) -> StoreResult<RuleSet> {
        let version = self.save_version(SetupPart::Rules, base, &serde_json::to_string(rules)?, by, None).await?;
        Ok(RuleSet { version, rules: rules.to_vec() })
    }

    /// Stores a validated calendar as the version after `base`; its time zone becomes the
    /// institution's, in the same transaction.
    pub async fn save_calendar(&self, base: u32, calendar: &SchoolCalendar, by: Option<UserId>) -> StoreResult<CalendarVersion> {
        let json = serde_json::to_string(&calendar.semesters)?;
        let version = self.save_version(SetupPart::Calendar, base, &json, by, Some(&calendar.time_zone)).await?;
        Ok(CalendarVersion { version, calendar: calendar.clone() })
    }

    async fn save_version(&self, part: SetupPart, base: u32, json: &str, by: Option<UserId>, time_zone: Option<&str>) -> StoreResult<u32> {
        let (institution, _) = self.institution().await?;
        let mut w = self.write().await?;
        // The check and the insert share the writer's turn, so two saves from one base cannot
        // both succeed.
        let current = match current_in(&mut w.tx, part).await? {
            Some((v, _)) => v,
            None => {
                store_defaults(&mut w.tx, part).await?;
                1
            }
        };
        if base != current {
            return Err(stale(base, current));
        }
        let version = current + 1;
        let sql = format!("INSERT INTO {} (institution_id, version, {}, saved_by, saved_at) VALUES ($1, $2, $3, $4, $5)", part.table(), part.column());
        tx!(w.tx, |c| sqlx::query(&sql)
            .bind(INSTITUTION)
            .bind(i64::from(version))
            .bind(json)
            .bind(by.map(|u| u.0))
            .bind(now_text())
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        if let Some(zone) = time_zone {
            tx!(w.tx, |c| sqlx::query(
                "INSERT INTO institution (id, name, time_zone) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone"
            )
            .bind(INSTITUTION)
            .bind(&institution)
            .bind(zone)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        }
        w.commit().await?;
        Ok(version)
    }

    /// Every stored version of a part, newest first, with who saved it.
    pub async fn setup_versions(&self, part: SetupPart) -> StoreResult<Vec<SavedVersion>> {
        let sql = format!(
            "SELECT v.version, v.saved_by, u.display_name, v.saved_at FROM {} v LEFT JOIN users u ON u.id = v.saved_by
             WHERE v.institution_id = $1 ORDER BY v.version DESC",
            part.table()
        );
        let rows = pool_rows!(self.pool, |c| sqlx::query(&sql).bind(INSTITUTION).fetch_all(c).await)?;
        rows.iter()
            .map(|r| {
                Ok(SavedVersion {
                    version: r.try_get::<i64, _>("version")? as u32,
                    saved_by: r.try_get::<Option<i64>, _>("saved_by")?.map(UserId),
                    saved_by_name: r.try_get("display_name")?,
                    saved_at: chrono::DateTime::parse_from_rfc3339(&r.try_get::<String, _>("saved_at")?)?,
                })
            })
            .collect()
    }

    /// One stored version of the rules.
    pub async fn rule_set_version(&self, version: u32) -> StoreResult<Option<RuleSet>> {
        let json: Option<String> = pool!(self.pool, |c| sqlx::query_scalar("SELECT rules FROM duty_rule_sets WHERE institution_id = $1 AND version = $2")
            .bind(INSTITUTION)
            .bind(i64::from(version))
            .fetch_optional(c)
            .await)?;
        json.map(|j| Ok(RuleSet { version, rules: serde_json::from_str(&j)? })).transpose()
    }

    /// Everyone who owes duties: enabled counselors and head teachers with their classes, and
    /// leaders with their links; by name.
    pub async fn duty_owners(&self) -> StoreResult<Vec<(UserProfile, Owner)>> {
        let users: Vec<(i64, String, String, String, bool, Option<i64>)> = pool!(self.pool, |c| sqlx::query_as(
            "SELECT id, username, display_name, role, leadership, department_id FROM users
             WHERE disabled = FALSE AND role IN ('counselor', 'head_teacher', 'leader', 'office') ORDER BY display_name, id",
        )
        .fetch_all(c)
        .await)?;
        let mut classes: BTreeMap<i64, Vec<ClassId>> = BTreeMap::new();
        let assigned: Vec<(i64, i64)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT user_id, class_id FROM class_assignments ORDER BY user_id, class_id").fetch_all(c).await)?;
        for (user, class) in assigned {
            classes.entry(user).or_default().push(ClassId(class));
        }
        let mut links: BTreeMap<UserId, Vec<LinkTarget>> = BTreeMap::new();
        for link in self.links(None).await? {
            links.entry(link.user_id).or_default().push(link.target);
        }
        let roster = self.roster().await?;
        Ok(users
            .into_iter()
            .filter_map(|(id, username, display_name, role, leadership, department)| {
                let role = Role::parse(&role)?;
                let user = UserId(id);
                // The office owes its duties about every class, a department's office about
                // its department's (`Owner::classes_of`).
                let assigned = Owner::classes_of(role, classes.remove(&id).unwrap_or_default(), department.map(DepartmentId), &roster);
                let owner = Owner { user, role, classes: assigned, links: links.remove(&user).unwrap_or_default(), leadership };
                Some((UserProfile { id: user, username, display_name, role }, owner))
            })
            .collect())
    }

    /// One user as the owner of duties: their assigned classes and their links.
    pub async fn duty_owner(&self, user: &UserProfile) -> StoreResult<Owner> {
        let assigned = self.assigned_classes(user.id).await?;
        let classes = if user.role == Role::Office {
            Owner::classes_of(user.role, assigned, self.office_department(user.id).await?, &*self.roster().await?)
        } else {
            assigned
        };
        Ok(Owner {
            user: user.id,
            role: user.role,
            classes,
            links: self.links(Some(user.id)).await?.into_iter().map(|l| l.target).collect(),
            leadership: self.is_leadership(user.id).await?,
        })
    }

    /// The facts of the current, undeleted records of `kinds` that happened on or after `since`
    /// in the school's `zone`; only `author`'s when given. Read from the records' columns alone.
    pub async fn duty_facts<Z: chrono::TimeZone>(&self, kinds: &[&str], since: NaiveDate, author: Option<UserId>, zone: &Z) -> StoreResult<Vec<Fact>> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let mut facts = Vec::new();
        pool!(self.pool, |c| {
            let mut q = select_facts::<Db>();
            // Offsets differ between phones, so the text bound is a day early; the exact day is
            // decided in the school's zone, by `fact_of_row`.
            q.push(" WHERE deleted = FALSE AND occurred_at >= ");
            q.push_bind(day_early(since));
            q.push(" AND kind IN (");
            let mut sep = q.separated(", ");
            for k in kinds {
                sep.push_bind(*k);
            }
            q.push(")");
            if let Some(author) = author {
                q.push(" AND author_id = ");
                q.push_bind(author.0);
            }
            let mut rows = q.build().fetch(c);
            while let Some(row) = rows.try_next().await? {
                facts.extend(fact_of_row(&row, since, zone)?);
            }
        });
        Ok(facts)
    }

    /// Everyone's facts of `kinds` on or after `since` in `zone`, as [`Store::duty_facts`] reads
    /// them, but from [`FactCache`] brought up to date first.
    pub async fn institution_facts(&self, kinds: &[&str], since: NaiveDate, zone: chrono_tz::Tz) -> StoreResult<Vec<Fact>> {
        let mut cache = self.facts.0.lock().await;
        match cache.as_mut() {
            Some(held) if held.zone == zone && held.since <= since => self.catch_up(held).await?,
            // An earlier day than any asked before, or a new zone: read again, and keep the
            // longer span so that switching back is a catch-up too.
            held => {
                let since = held.filter(|h| h.zone == zone).map_or(since, |h| h.since.min(since));
                *cache = Some(self.load_facts(since, zone).await?);
            }
        }
        let Some(current) = cache.as_ref() else { return Err(StoreError::bug("the fact cache was just filled")) };
        let mut counted = [false; 256];
        for k in kinds.iter().filter_map(|k| kind_index(k)) {
            counted[usize::from(k)] = true;
        }
        Ok(current.facts.values().filter(|f| f.on >= since && counted[usize::from(f.kind)]).copied().collect())
    }

    /// Every current record on or after `since`, read whole.
    async fn load_facts(&self, since: NaiveDate, zone: chrono_tz::Tz) -> StoreResult<CachedFacts> {
        let started = std::time::Instant::now();
        // Taken before the rows: a change made while they are read is read again at the next
        // catch-up, which is harmless, as facts are kept by record id.
        let seq: i64 = pool!(self.pool, |c| sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM records").fetch_one(c).await)?;
        let mut held = CachedFacts { zone, since, seq, facts: HashMap::new() };
        pool!(self.pool, |c| {
            let mut q = select_facts::<Db>();
            q.push(" WHERE deleted = FALSE AND occurred_at >= ");
            q.push_bind(day_early(since));
            let mut rows = q.build().fetch(c);
            while let Some(row) = rows.try_next().await? {
                if let Some(fact) = fact_of_row(&row, since, &zone)? {
                    held.facts.insert(record_id(&row)?, fact);
                }
            }
        });
        tracing::info!(facts = held.facts.len(), %since, ms = started.elapsed().as_millis() as u64, "read the institution's duty facts");
        Ok(held)
    }

    /// Applies the rows changed since the cache's `seq`: new and edited records replace their
    /// fact; deleted ones, or ones moved before `since`, drop out. Rows come in `seq` order and
    /// `seq` moves with each, so a read cut short leaves the cache consistent, to go on from.
    async fn catch_up(&self, held: &mut CachedFacts) -> StoreResult<()> {
        pool!(self.pool, |c| {
            let mut q = select_facts::<Db>();
            q.push(" WHERE seq > ");
            q.push_bind(held.seq);
            q.push(" ORDER BY seq");
            let mut rows = q.build().fetch(c);
            while let Some(row) = rows.try_next().await? {
                let id = record_id(&row)?;
                match fact_of_row(&row, held.since, &held.zone)? {
                    Some(fact) => held.facts.insert(id, fact),
                    None => held.facts.remove(&id),
                };
                held.seq = held.seq.max(row.col("seq")?);
            }
        });
        Ok(())
    }

    /// One author's current records that happened from about `since` on (a day's margin for
    /// phones in other offsets), deletions included: the semester summary reads them whole.
    pub async fn authored_records(&self, author: UserId, since: NaiveDate) -> StoreResult<Vec<RecordEnvelope>> {
        let rows: Vec<String> =
            pool!(self.pool, |c| sqlx::query_scalar("SELECT envelope FROM records WHERE author_id = $1 AND occurred_at >= $2 ORDER BY occurred_at")
                .bind(author.0)
                .bind((since - chrono::Duration::days(1)).to_string())
                .fetch_all(c)
                .await)?;
        rows.iter().map(|json| Ok(serde_json::from_str(json)?)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut facts: Vec<Fact>) -> Vec<Fact> {
        facts.sort_by_key(|f| (f.author, f.kind, f.activity, f.subject, f.on));
        facts
    }

    async fn dorm_checks_since(store: &Store, since: NaiveDate) -> Vec<RecordEnvelope> {
        let rows: Vec<String> = pool!(store.pool, |c| sqlx::query_scalar(
            "SELECT envelope FROM records WHERE kind = 'dorm_check' AND deleted = FALSE AND occurred_at >= $1 ORDER BY seq LIMIT 2"
        )
        .bind(since.succ_opt().map(|d| d.to_string()))
        .fetch_all(c)
        .await)
        .expect("records");
        rows.iter().map(|json| serde_json::from_str(json).expect("an envelope")).collect()
    }

    /// Whatever changes, the cache answers what reading every row again answers.
    #[tokio::test]
    async fn the_cached_facts_follow_new_edited_and_deleted_records() {
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open_data_dir(dir.path()).await.expect("store");
        store.migrate().await.expect("migrate");
        crate::demo::load(&store).await.expect("demo");
        let zone = chrono_tz::Asia::Shanghai;
        let kinds: Vec<&str> = RecordBody::KINDS.to_vec();
        let since = rounds::school_time::now_in(&zone).date_naive() - chrono::Duration::days(20);
        let fresh = || async { sorted(store.duty_facts(&kinds, since, None, &zone).await.expect("fresh")) };
        let cached = || async { sorted(store.institution_facts(&kinds, since, zone).await.expect("cached")) };

        let at_start = cached().await;
        assert!(at_start.len() > 50, "the demo has records in the last 20 days: {}", at_start.len());
        assert_eq!(at_start, fresh().await);

        // A new record, one moved to before `since`, and one deleted.
        let [moved, deleted] = <[RecordEnvelope; 2]>::try_from(dorm_checks_since(&store, since).await).expect("two dorm checks");
        let now = chrono::Utc::now().fixed_offset();
        let mut new_check = moved.clone();
        new_check.id = uuid::Uuid::now_v7();
        let mut earlier = moved.body.clone();
        if let RecordBody::DormCheck(check) = &mut earlier {
            check.checked_at -= chrono::Duration::days(40);
        }
        let changes = [new_check, moved.edited(earlier, false, "test", now), deleted.edited(deleted.body.clone(), true, "test", now)];
        for change in &changes {
            let results = store.apply_records(change.author_id, std::slice::from_ref(change)).await.expect("apply");
            assert_eq!(results[0].status, rounds::sync::PushStatus::Accepted, "{results:?}");
        }

        let after = cached().await;
        assert_eq!(after.len(), at_start.len() - 1, "one more, two fewer");
        assert_eq!(after, fresh().await);
        // An earlier day than the cache holds reads again, and still agrees.
        let longer = sorted(store.institution_facts(&kinds, since - chrono::Duration::days(60), zone).await.expect("longer"));
        assert_eq!(longer, sorted(store.duty_facts(&kinds, since - chrono::Duration::days(60), None, &zone).await.expect("fresh")));
        assert!(longer.len() > after.len());
        assert_eq!(cached().await, after, "the longer span still answers the shorter");
    }
}
