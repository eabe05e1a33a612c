//! The id in a page's path (`/students/:id`), typed: one parser for every page that shows one
//! thing.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use rounds::{ClassId, RoomId, StudentId};
use std::str::FromStr;
use uuid::Uuid;

/// The path's `:id` read as `V` and made a `T`; `None` while it is missing or does not parse.
pub fn path_id<V: FromStr + 'static, T>(make: fn(V) -> T) -> Memo<Option<T>>
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse().ok()).map(make)))
}

/// `/records/:id`, `/issues/:id` and the like: a record's id.
pub fn record_id_param() -> Memo<Option<Uuid>> {
    path_id(std::convert::identity::<Uuid>)
}

pub fn student_id_param() -> Memo<Option<StudentId>> {
    path_id(StudentId)
}

pub fn class_id_param() -> Memo<Option<ClassId>> {
    path_id(ClassId)
}

pub fn room_id_param() -> Memo<Option<RoomId>> {
    path_id(RoomId)
}
