//! 办公室: the office's online-only pages for the roster, the dorms, the staff accounts, and the
//! duty rules, school calendar and compliance figures.
//! They call the management API after hydration; the server render shows "loading".

pub mod accounts;
pub mod archive;
pub mod assistance;
pub mod audit;
pub mod calendar;
pub mod compliance;
pub mod dorms;
pub mod duty_rosters;
pub mod frame;
pub mod ledger;
pub mod letters;
pub mod plans;
pub mod reports;
pub mod roster;
pub mod rules;
pub mod security;
pub mod visit_plans;

use crate::components::RequireUser;
use crate::i18n::{use_i18n, Msg};
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;

/// Shows its children to the office and administrators, and a clear refusal to anyone else.
#[component]
pub fn RequireOffice(children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let allowed = move || store.user.with(|u| u.as_ref().is_some_and(|u| u.role.sees_everything()));
    let children = StoredValue::new(children);
    view! {
        <RequireUser>
            <Show when=allowed fallback=move || view! { <p class="warning" role="alert">{move || i18n.t(Msg::OfficeOnly)}</p> }>
                {children.with_value(|c| c())}
            </Show>
        </RequireUser>
    }
    .into_any()
}

/// The office's sections, the same on every office page.
#[component]
pub fn OfficeNav() -> impl IntoView {
    let i18n = use_i18n();
    let link = move |href: &'static str, label: Msg| view! { <A href=href exact=true>{move || i18n.t(label)}</A> };
    view! {
        <nav class="office-nav" aria-label=move || i18n.t(Msg::Office)>
            {link("/office", Msg::OfficeOverview)}
            {link("/office/departments", Msg::OfficeDepartments)}
            {link("/office/classes", Msg::OfficeClasses)}
            {link("/office/students", Msg::OfficeStudents)}
            {link("/office/dorms", Msg::OfficeDorms)}
            {link("/office/accounts", Msg::OfficeAccounts)}
            {link("/office/import", Msg::OfficeImport)}
            {link("/office/groups", Msg::OfficeGroups)}
            {link("/office/rules", Msg::OfficeRules)}
            {link("/office/calendar", Msg::OfficeCalendar)}
            {link("/office/compliance", Msg::OfficeCompliance)}
            {link("/office/security", Msg::OfficeSecurity)}
            {link("/office/assistance", Msg::OfficeAssistance)}
            {link("/office/reports", Msg::OfficeReports)}
            {link("/office/visit-plans", Msg::VisitPlans)}
            {link("/office/letters", Msg::Letters)}
            {link("/office/duty-rosters", Msg::DutyRosters)}
            {link("/office/ledger", Msg::LedgerTitle)}
            {link("/office/audit", Msg::AuditTitle)}
        </nav>
    }
    .into_any()
}

/// An office page: its heading, the section links, and its content for the office only.
#[component]
pub fn OfficePage(title: Msg, children: ChildrenFn) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="office">
            <h1>{move || i18n.t(title)}</h1>
            <RequireOffice>
                <OfficeNav/>
                {children()}
            </RequireOffice>
        </div>
    }
    .into_any()
}

/// `/office`: where each part of the roster is kept.
#[component]
pub fn OfficeHub() -> impl IntoView {
    let i18n = use_i18n();
    let card = move |href: &'static str, title: Msg, about: Msg| {
        view! {
            <li class="card hub-card">
                <A href=href>{move || i18n.t(title)}</A>
                <p class="muted">{move || i18n.t(about)}</p>
            </li>
        }
    };
    view! {
        <OfficePage title=Msg::Office>
            <p>{move || i18n.t(Msg::OfficeHubIntro)}</p>
            <ul class="hub">
                {card("/office/departments", Msg::OfficeDepartments, Msg::OfficeAboutDepartments)}
                {card("/office/classes", Msg::OfficeClasses, Msg::OfficeAboutClasses)}
                {card("/office/students", Msg::OfficeStudents, Msg::OfficeAboutStudents)}
                {card("/office/dorms", Msg::OfficeDorms, Msg::OfficeAboutDorms)}
                {card("/office/accounts", Msg::OfficeAccounts, Msg::OfficeAboutAccounts)}
                {card("/office/import", Msg::OfficeImport, Msg::OfficeAboutImport)}
                {card("/office/groups", Msg::OfficeGroups, Msg::OfficeAboutGroups)}
                {card("/office/rules", Msg::OfficeRules, Msg::OfficeAboutRules)}
                {card("/office/calendar", Msg::OfficeCalendar, Msg::OfficeAboutCalendar)}
                {card("/office/compliance", Msg::OfficeCompliance, Msg::OfficeAboutCompliance)}
                {card("/office/assistance", Msg::OfficeAssistance, Msg::OfficeAssistanceAbout)}
                {card("/office/reports", Msg::OfficeReports, Msg::OfficeReportsAbout)}
                {card("/office/visit-plans", Msg::VisitPlans, Msg::VisitPlansAbout)}
                {card("/office/letters", Msg::Letters, Msg::LettersAbout)}
                {card("/office/duty-rosters", Msg::DutyRosters, Msg::DutyRostersAbout)}
                {card("/office/ledger", Msg::LedgerTitle, Msg::LedgerAbout)}
                {card("/office/audit", Msg::AuditTitle, Msg::AuditAbout)}
            </ul>
        </OfficePage>
    }
    .into_any()
}
