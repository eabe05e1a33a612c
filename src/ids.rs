//! Identifier newtypes, so a room id can never be passed where a student id is meant.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A department (学院/系).
    DepartmentId,
    /// A class (班级).
    ClassId,
    /// A student; the school's student number (学号) is a separate field.
    StudentId,
    /// A dorm building (楼栋).
    BuildingId,
    /// A dorm room (寝室).
    RoomId,
    /// A bed in a room.
    BedId,
    /// A staff account.
    UserId,
    /// A student club (社团).
    ClubId,
    /// A student party branch (党支部).
    BranchId,
    /// One leader's link to a class, room, club or branch.
    LinkId,
);
