//! The record kinds, one type each, and what their validators share.
//!
//! Every kind implements [`RecordKind`](crate::record::RecordKind); the sync pipeline, the
//! store and the API carry them all alike.

pub mod assistance;
pub mod class;
pub mod dorm_check;
pub mod dorm_visit;
pub mod duty_log;
pub mod duty_roster;
pub mod issue;
pub mod leader;
pub mod letter;
pub mod student;
pub mod visit_plan;
pub mod work_report;

use crate::ids::*;
use crate::roster::RosterSnapshot;
use crate::validate::ValidationErrors;
use std::collections::BTreeSet;

/// Declares a closed list of choices with its `ALL` array, as forms and validators need it.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
        }
    };
}
pub(crate) use choice;

/// The three facts every kind states the same way: its wire name, its subject (a variant of
/// [`Subject`](crate::record::Subject) and the field holding its id, or `Own`), and the field
/// with the time the recorded thing happened.
macro_rules! record_meta {
    ($kind:literal, $subject:ident($field:ident), $at:ident) => {
        const KIND: &'static str = $kind;
        const SUBJECT_TYPE: crate::record::SubjectType = crate::record::SubjectType::$subject;
        fn subject(&self) -> crate::record::Subject {
            crate::record::Subject::$subject(self.$field)
        }
        fn occurred_at(&self) -> chrono::DateTime<chrono::FixedOffset> {
            self.$at
        }
    };
    ($kind:literal, Own, $at:ident) => {
        const KIND: &'static str = $kind;
        const SUBJECT_TYPE: crate::record::SubjectType = crate::record::SubjectType::Own;
        fn subject(&self) -> crate::record::Subject {
            crate::record::Subject::Own
        }
        fn occurred_at(&self) -> chrono::DateTime<chrono::FixedOffset> {
            self.$at
        }
    };
}
pub(crate) use record_meta;

pub(crate) fn check_student(errors: &mut ValidationErrors, field: &str, roster: &RosterSnapshot, id: StudentId) {
    if roster.student(id).is_none() {
        errors.add(field, "unknown_student", "is not a student in your roster");
    }
}

pub(crate) fn check_class(errors: &mut ValidationErrors, field: &str, roster: &RosterSnapshot, id: ClassId) -> bool {
    let known = roster.class(id).is_some();
    if !known {
        errors.add(field, "unknown_class", "is not a class in your roster");
    }
    known
}

pub(crate) fn check_room(errors: &mut ValidationErrors, field: &str, roster: &RosterSnapshot, id: RoomId) -> bool {
    let known = roster.room(id).is_some();
    if !known {
        errors.add(field, "unknown_room", "is not a room in your roster");
    }
    known
}

/// Checks a list of students: each in `allowed`, none twice. Returns the ids seen.
pub(crate) fn check_student_list(
    errors: &mut ValidationErrors,
    field: &str,
    ids: &[StudentId],
    allowed: &BTreeSet<StudentId>,
    not_member: &str,
) -> BTreeSet<StudentId> {
    let mut seen = BTreeSet::new();
    for (i, id) in ids.iter().enumerate() {
        if !allowed.contains(id) {
            errors.add(format!("{field}[{i}]"), "not_member", not_member.to_string());
        } else if !seen.insert(*id) {
            errors.add(format!("{field}[{i}]"), "duplicate", "is listed twice");
        }
    }
    seen
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::record::{RecordKind, ValidationContext};
    use chrono::{DateTime, FixedOffset};

    pub fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-23T20:00:00+08:00").unwrap()
    }

    /// The (field, code) pairs a record's validator reports against the sample roster.
    pub fn codes<K: RecordKind>(record: &K) -> Vec<(String, String)> {
        let roster = crate::roster::tests::sample();
        record.validate(&ValidationContext { roster: &roster, now: now() }).0.into_iter().map(|e| (e.field, e.code)).collect()
    }

    pub fn only<K: RecordKind>(record: &K, field: &str, code: &str) {
        assert_eq!(codes(record), vec![(field.to_string(), code.to_string())]);
    }
}
