//! The access rule as SQL: who may read a record (`rounds::access`), rendered as a filter over
//! the `records` table for every query that lists records (pulls, photos, the read log). Its
//! property test holds the SQL against the rule itself, on the backend under test.
use super::roster::Scope;
use super::Binds;
use rounds::access::{Grant, Kinds};
use rounds::RecordBody;
use sqlx::QueryBuilder;

/// The one rule of who may read a record (`Scope::read_grants`, in `rounds::access`), rendered
/// as SQL over the `records` table: ` AND (grant OR grant …)`, nothing for the office. The
/// parties a record names are `record_parties` (kept by [`refresh_thread_parties`]).
pub(super) fn push_visible_to<'a, DB: sqlx::Database>(q: &mut QueryBuilder<'a, DB>, scope: &Scope)
where
    i64: Binds<'a, DB>,
    &'static str: Binds<'a, DB>,
{
    let grants = scope.read_grants();
    if grants.contains(&Grant::Everything) {
        return;
    }
    // `0 = 1` keeps the OR-chain well formed whatever grants there are.
    q.push(" AND (0 = 1");
    for grant in grants {
        match grant {
            Grant::Everything => {}
            Grant::Authored(me) => {
                q.push(" OR author_id = ");
                q.push_bind(me.0);
            }
            Grant::Party(me) => {
                q.push(" OR id IN (SELECT record_id FROM record_parties WHERE user_id = ");
                q.push_bind(me.0);
                q.push(")");
            }
            Grant::About { column, ids, kinds } => {
                q.push(format!(" OR ({} IN (", column.name()));
                let mut sep = q.separated(", ");
                for id in ids {
                    sep.push_bind(id);
                }
                q.push(")");
                if kinds == Kinds::LinkedReadable {
                    q.push(" AND kind IN (");
                    let mut sep = q.separated(", ");
                    for kind in RecordBody::linked_readable_kinds() {
                        sep.push_bind(kind);
                    }
                    q.push(")");
                }
                q.push(")");
            }
        }
    }
    q.push(")");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Store;
    use proptest::prelude::*;
    use rounds::access::ReadFacts;
    use rounds::access::SubjectColumn;
    use rounds::groups::{LeaderLink, LinkTarget};
    use rounds::record::Subject;
    use rounds::UserId;
    use rounds::{BranchId, ClassId, ClubId, LinkId, Role, RoomId, StudentId};
    use std::collections::BTreeSet;

    /// A stored record as the read rule sees it: its kind, author, subject and parties.
    #[derive(Debug, Clone)]
    struct Row {
        kind: &'static str,
        author: UserId,
        subject: Subject,
        parties: Vec<UserId>,
    }

    fn any_subject() -> impl Strategy<Value = Subject> {
        prop_oneof![
            (1i64..=4).prop_map(|r| Subject::Room(RoomId(r))),
            (1i64..=4).prop_map(|c| Subject::Class(ClassId(c))),
            (1i64..=4).prop_map(|s| Subject::Student(StudentId(s))),
            (1i64..=2).prop_map(|c| Subject::Club(ClubId(c))),
            (1i64..=2).prop_map(|b| Subject::Branch(BranchId(b))),
            Just(Subject::Own),
        ]
    }

    fn any_user() -> impl Strategy<Value = UserId> {
        (1i64..=3).prop_map(UserId)
    }

    fn any_row() -> impl Strategy<Value = Row> {
        (proptest::sample::select(RecordBody::KINDS.to_vec()), any_user(), any_subject(), proptest::collection::btree_set(any_user(), 0..2))
            .prop_map(|(kind, author, subject, parties)| Row { kind, author, subject, parties: parties.into_iter().collect() })
    }

    fn any_scope() -> impl Strategy<Value = Scope> {
        let ids = || proptest::collection::btree_set(1i64..=4, 0..3);
        let target = prop_oneof![
            (1i64..=4).prop_map(|r| LinkTarget::Room(RoomId(r))),
            (1i64..=4).prop_map(|c| LinkTarget::Class(ClassId(c))),
            (1i64..=2).prop_map(|c| LinkTarget::Club(ClubId(c))),
            (1i64..=2).prop_map(|b| LinkTarget::Branch(BranchId(b))),
        ];
        (any_user(), proptest::bool::weighted(0.1), ids(), ids(), ids(), proptest::collection::vec(target, 0..4)).prop_map(
            |(user, all, classes, rooms, students, targets)| Scope {
                user: Some(user),
                all,
                classes: classes.into_iter().map(ClassId).collect(),
                rooms: rooms.into_iter().map(RoomId).collect(),
                students: students.into_iter().map(StudentId).collect(),
                links: targets.into_iter().enumerate().map(|(i, target)| LeaderLink { id: LinkId(i as i64 + 1), user_id: user, target }).collect(),
                ..Scope::default()
            },
        )
    }

    /// A fresh, migrated store: SQLite, or PostgreSQL when the suite runs on it
    /// (`ROUNDS_TEST_DATABASE=postgres`), so the filter is proven on the backend under test.
    async fn fresh_store(dir: &std::path::Path) -> anyhow::Result<Store> {
        let store = if std::env::var("ROUNDS_TEST_DATABASE").is_ok_and(|v| v == "postgres") {
            Store::connect(&crate::db::pg_cluster::shared()?.fresh_database().await?).await?
        } else {
            Store::open_data_dir(dir).await?
        };
        store.migrate().await?;
        Ok(store)
    }

    /// The ids the SQL filter lets `scope` read out of `rows`, stored in a fresh database.
    async fn sql_verdict(rows: &[Row], scope: &Scope) -> anyhow::Result<BTreeSet<String>> {
        let dir = tempfile::tempdir()?;
        let store = fresh_store(dir.path()).await?;
        for n in 1..=3 {
            store.create_user(&format!("u{n}"), &format!("用户{n}"), Role::Counselor, "x").await?;
        }
        for (i, row) in rows.iter().enumerate() {
            let id = format!("r{i}");
            let [room, class, student, club, branch] = SubjectColumn::values(row.subject);
            pool!(store.pool, |c| sqlx::query(
                "INSERT INTO records (id, kind, revision, author_id, room_id, class_id, student_id, club_id, branch_id, occurred_at, deleted, envelope, seq)
                 VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, '2026-11-29T10:00:00+08:00', FALSE, '{}', $9)",
            )
            .bind(&id)
            .bind(row.kind)
            .bind(row.author.0)
            .bind(room)
            .bind(class)
            .bind(student)
            .bind(club)
            .bind(branch)
            .bind(i as i64 + 1)
            .execute(c)
            .await
            .map(|_| ()))?;
            for party in &row.parties {
                pool!(store.pool, |c| sqlx::query("INSERT INTO record_parties (record_id, user_id) VALUES ($1, $2)")
                    .bind(&id)
                    .bind(party.0)
                    .execute(c)
                    .await
                    .map(|_| ()))?;
            }
        }
        let ids: Vec<String> = pool!(store.pool, |c| {
            let mut q = QueryBuilder::<Db>::new("SELECT id FROM records WHERE 1 = 1");
            push_visible_to(&mut q, scope);
            q.build_query_scalar().fetch_all(c).await
        })?;
        Ok(ids.into_iter().collect())
    }

    #[test]
    fn the_sql_filter_reads_as_the_rule_does() -> anyhow::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig { cases: 48, ..ProptestConfig::default() });
        let strategy = (proptest::collection::vec(any_row(), 0..30), any_scope());
        runner
            .run(&strategy, |(rows, scope)| {
                let sql = runtime.block_on(sql_verdict(&rows, &scope)).map_err(|e| TestCaseError::fail(e.to_string()))?;
                let rule: BTreeSet<String> = rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| scope.may_read(&ReadFacts { kind: r.kind, author: r.author, subject: r.subject, parties: &r.parties }))
                    .map(|(i, _)| format!("r{i}"))
                    .collect();
                prop_assert_eq!(sql, rule, "{:?}", scope);
                Ok(())
            })
            .map_err(|e| anyhow::anyhow!("{e}"))
    }
}
