//! The pages. Field pages (rooms, forms, records) render from the local store, online or not.

pub mod case_forms;
pub mod case_print;
pub mod classes;
pub mod dorm_check_form;
pub mod fields;
pub mod forms;
pub mod login;
pub mod params;
pub mod record;
pub mod records;
pub mod room;
pub mod rooms;
pub mod sessions;
pub mod students;
pub mod summary;
// ---- modules added by parallel work (keep one line each) ----
pub mod groups;
pub mod import;
pub mod issues;
pub mod leader;
pub mod office;
pub mod photos;
pub mod today;
pub mod work_summary;

use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>"404"</h1>
        <A href="/">{move || i18n.t(Msg::TodayTitle)}</A>
    }
}
