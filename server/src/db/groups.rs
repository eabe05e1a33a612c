//! Clubs, party branches and leader links as stored. Every write takes a change number, so the
//! next pull re-sends the roster of those it concerns.

use super::{next_seq, Store, StoreError, StoreResult};
use super::{DbRow, Tx};
use rounds::groups::{Group, GroupDraft, GroupKind, LeaderLink, LinkTarget};
use rounds::{LinkId, Role, UserId, UserProfile};

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// The table of a group kind, and its column in `leader_links` and `records`. Fixed strings
/// only, so formatting them into SQL is safe.
fn table(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Club => "clubs",
        GroupKind::Branch => "party_branches",
    }
}

fn column(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Club => "club_id",
        GroupKind::Branch => "branch_id",
    }
}

fn what(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Club => "club",
        GroupKind::Branch => "party branch",
    }
}

fn group_from<G: Group>(row: &impl DbRow) -> sqlx::Result<G> {
    let draft = GroupDraft { name: row.col("name")?, department_id: row.col::<Option<i64>>("department_id")?.map(rounds::DepartmentId) };
    Ok(G::from_parts(row.col("id")?, draft))
}

fn link_from(row: &impl DbRow) -> sqlx::Result<LeaderLink> {
    let class: Option<i64> = row.col("class_id")?;
    let room: Option<i64> = row.col("room_id")?;
    let club: Option<i64> = row.col("club_id")?;
    let branch: Option<i64> = row.col("branch_id")?;
    let target = match (class, room, club, branch) {
        (Some(c), _, _, _) => LinkTarget::Class(rounds::ClassId(c)),
        (_, Some(r), _, _) => LinkTarget::Room(rounds::RoomId(r)),
        (_, _, Some(c), _) => LinkTarget::Club(rounds::ClubId(c)),
        (_, _, _, Some(b)) => LinkTarget::Branch(rounds::BranchId(b)),
        // The table's CHECK makes this impossible; say so rather than invent a target.
        _ => return Err(sqlx::Error::Decode("a leader link without a target".into())),
    };
    Ok(LeaderLink { id: LinkId(row.col("id")?), user_id: UserId(row.col("user_id")?), target })
}

/// The four target columns of a link, exactly one set.
fn target_columns(t: LinkTarget) -> [Option<i64>; 4] {
    match t {
        LinkTarget::Class(c) => [Some(c.0), None, None, None],
        LinkTarget::Room(r) => [None, Some(r.0), None, None],
        LinkTarget::Club(c) => [None, None, Some(c.0), None],
        LinkTarget::Branch(b) => [None, None, None, Some(b.0)],
    }
}

/// Notes a removal, so the next pull re-sends the roster without the removed row.
async fn note_removal(tx: &mut Tx, seq: i64) -> sqlx::Result<()> {
    tx!(tx, |c| sqlx::query("UPDATE roster_removals SET updated_seq = $1 WHERE id = 1").bind(seq).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

impl Store {
    /// Every club or every branch, by name.
    pub async fn groups<G: Group>(&self) -> StoreResult<Vec<G>> {
        let sql = format!("SELECT id, name, department_id FROM {} ORDER BY name, id", table(G::KIND));
        let rows = pool_rows!(self.pool, |c| sqlx::query(&sql).fetch_all(c).await)?;
        Ok(rows.iter().map(group_from::<G>).collect::<sqlx::Result<_>>()?)
    }

    /// Adds a club or branch from a validated draft.
    pub async fn create_group<G: Group>(&self, draft: GroupDraft) -> StoreResult<G> {
        let mut w = self.write().await?;
        let seq = next_seq(&mut w.tx).await?;
        let sql = format!("INSERT INTO {} (name, department_id, updated_seq) VALUES ($1, $2, $3) RETURNING id", table(G::KIND));
        let id: i64 = match tx!(w.tx, |c| sqlx::query_scalar(&sql).bind(&draft.name).bind(draft.department_id.map(|d| d.0)).bind(seq).fetch_one(c).await) {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::conflict("duplicate", format!("a {} named '{}' exists already", what(G::KIND), draft.name)))
            }
            Err(e) => return Err(e.into()),
        };
        w.commit().await?;
        Ok(G::from_parts(id, draft))
    }

    /// Renames a club or branch or moves it to another department; `None` when there is no such.
    pub async fn update_group<G: Group>(&self, id: i64, draft: GroupDraft) -> StoreResult<Option<G>> {
        let mut w = self.write().await?;
        let seq = next_seq(&mut w.tx).await?;
        let sql = format!("UPDATE {} SET name = $1, department_id = $2, updated_seq = $3 WHERE id = $4", table(G::KIND));
        let done = match tx!(w.tx, |c| sqlx::query(&sql)
            .bind(&draft.name)
            .bind(draft.department_id.map(|d| d.0))
            .bind(seq)
            .bind(id)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))
        {
            Ok(done) => done,
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::conflict("duplicate", format!("a {} named '{}' exists already", what(G::KIND), draft.name)))
            }
            Err(e) => return Err(e.into()),
        };
        if done == 0 {
            return Ok(None);
        }
        w.commit().await?;
        Ok(Some(G::from_parts(id, draft)))
    }

    /// Removes a club or branch that nobody is linked to and nothing was recorded about (the
    /// records' history is never orphaned); `None` when there is no such.
    pub async fn delete_group<G: Group>(&self, id: i64) -> StoreResult<Option<G>> {
        let mut w = self.write().await?;
        let sql = format!("SELECT id, name, department_id FROM {} WHERE id = $1", table(G::KIND));
        let Some(row) = tx_rows!(w.tx, |c| sqlx::query(&sql).bind(id).fetch_optional(c).await)? else { return Ok(None) };
        let group = group_from::<G>(&row)?;
        let col = column(G::KIND);
        let links: i64 = tx!(w.tx, |c| sqlx::query_scalar(&format!("SELECT COUNT(*) FROM leader_links WHERE {col} = $1")).bind(id).fetch_one(c).await)?;
        if links > 0 {
            return Err(StoreError::conflict("in_use", format!("{links} leader(s) are linked to this {}; remove the links first", what(G::KIND))));
        }
        let records: i64 = tx!(w.tx, |c| sqlx::query_scalar(&format!("SELECT COUNT(*) FROM records WHERE {col} = $1")).bind(id).fetch_one(c).await)?;
        if records > 0 {
            return Err(StoreError::conflict("in_use", format!("{records} record(s) are about this {}; it stays for their history", what(G::KIND))));
        }
        tx!(w.tx, |c| sqlx::query(&format!("DELETE FROM {} WHERE id = $1", table(G::KIND))).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        let seq = next_seq(&mut w.tx).await?;
        note_removal(&mut w.tx, seq).await?;
        w.commit().await?;
        Ok(Some(group))
    }

    /// Every link, by leader, or only one leader's.
    pub async fn links(&self, user: Option<UserId>) -> StoreResult<Vec<LeaderLink>> {
        let rows = pool_rows!(self.pool, |c| sqlx::query(
            "SELECT id, user_id, class_id, room_id, club_id, branch_id FROM leader_links
             WHERE $1 IS NULL OR user_id = $1 ORDER BY user_id, id",
        )
        .bind(user.map(|u| u.0))
        .fetch_all(c)
        .await)?;
        Ok(rows.iter().map(link_from).collect::<sqlx::Result<_>>()?)
    }

    /// Links a leader to a target; the caller has validated both.
    pub async fn add_link(&self, user: UserId, target: LinkTarget) -> StoreResult<LeaderLink> {
        let mut w = self.write().await?;
        let seq = next_seq(&mut w.tx).await?;
        let [class, room, club, branch] = target_columns(target);
        let id: i64 = match tx!(w.tx, |c| sqlx::query_scalar(
            "INSERT INTO leader_links (user_id, class_id, room_id, club_id, branch_id, updated_seq) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user.0)
        .bind(class)
        .bind(room)
        .bind(club)
        .bind(branch)
        .bind(seq)
        .fetch_one(c)
        .await)
        {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => return Err(StoreError::conflict("duplicate", "this leader is linked to it already".into())),
            Err(e) => return Err(e.into()),
        };
        w.commit().await?;
        Ok(LeaderLink { id: LinkId(id), user_id: user, target })
    }

    /// Removes a link; `None` when there is no such.
    pub async fn remove_link(&self, id: LinkId) -> StoreResult<Option<LeaderLink>> {
        let mut w = self.write().await?;
        let row = tx_rows!(w.tx, |c| sqlx::query("SELECT id, user_id, class_id, room_id, club_id, branch_id FROM leader_links WHERE id = $1")
            .bind(id.0)
            .fetch_optional(c)
            .await)?;
        let Some(row) = row else { return Ok(None) };
        let link = link_from(&row)?;
        tx!(w.tx, |c| sqlx::query("DELETE FROM leader_links WHERE id = $1").bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        let seq = next_seq(&mut w.tx).await?;
        note_removal(&mut w.tx, seq).await?;
        w.commit().await?;
        Ok(Some(link))
    }

    /// The accounts that may be linked (see `Role::may_be_linked`), by name.
    pub async fn linkable_users(&self) -> StoreResult<Vec<UserProfile>> {
        let rows: Vec<(i64, String, String, String)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT id, username, display_name, role FROM users ORDER BY display_name, id").fetch_all(c).await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, username, display_name, role)| {
                Role::parse(&role).filter(|r| r.may_be_linked()).map(|role| UserProfile { id: UserId(id), username, display_name, role })
            })
            .collect())
    }

    /// One account by id.
    pub async fn user_profile(&self, id: UserId) -> StoreResult<Option<UserProfile>> {
        let row: Option<(String, String, String)> =
            pool!(self.pool, |c| sqlx::query_as("SELECT username, display_name, role FROM users WHERE id = $1").bind(id.0).fetch_optional(c).await)?;
        Ok(row.and_then(|(username, display_name, role)| Role::parse(&role).map(|role| UserProfile { id, username, display_name, role })))
    }
}
