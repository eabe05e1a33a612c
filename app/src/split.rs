//! The pages split out of the phone's first download (issue 13). A counselor, head teacher or
//! leader never opens the office's pages, the roster import or the groups editor, so their code
//! is not in the main wasm: `cargo leptos build --split` cuts each of these routes into a chunk of
//! its own, fetched the first time the page opens (they are online-only pages anyway). Every field
//! page stays in the main chunk, which the service worker precaches, so it opens offline.
//!
//! A new page that only the office opens (or any online-only page): one `split_page!` line here, and its route in `lib.rs`
//! as `view={Lazy::<split::YourPage>::new()}`.

use crate::pages;
use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

/// `split_page!(Route, component)`: a route type whose view (the component and all the code only
/// it reaches) is loaded lazily. The route needs no data of its own: the pages load theirs after
/// hydration, as before.
macro_rules! split_page {
    ($route:ident, $($page:ident)::+) => {
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $($page)::+().into_any()
            }
        }
    };
}

// ---- the office (办公室) ----
split_page!(OfficeHub, pages::office::OfficeHub);
split_page!(Departments, pages::office::roster::DepartmentsPage);
split_page!(Classes, pages::office::roster::ClassesPage);
split_page!(Students, pages::office::roster::StudentsPage);
split_page!(Dorms, pages::office::dorms::DormsPage);
split_page!(Accounts, pages::office::accounts::AccountsPage);
split_page!(Import, pages::import::ImportPage);
split_page!(Groups, pages::groups::GroupsPage);
split_page!(Rules, pages::office::rules::RulesPage);
split_page!(Calendar, pages::office::calendar::CalendarPage);
split_page!(Compliance, pages::office::compliance::CompliancePage);
split_page!(Security, pages::office::security::SecurityPage);
split_page!(Assistance, pages::office::assistance::AssistancePage);
split_page!(Reports, pages::office::reports::ReportsPage);
split_page!(VisitPlans, pages::office::visit_plans::VisitPlansPage);
split_page!(NewVisitPlan, pages::office::visit_plans::NewVisitPlanPage);
split_page!(Letters, pages::office::letters::LettersPage);
split_page!(NewLetterBatch, pages::office::letters::NewLetterBatchPage);
split_page!(DutyRosters, pages::office::duty_rosters::DutyRostersPage);
split_page!(NewDutyRoster, pages::office::duty_rosters::NewDutyRosterPage);
split_page!(Ledger, pages::office::ledger::LedgerPage);
split_page!(Audit, pages::office::audit::AuditPage);

// ---- online-only pages anyone may open ----
// The signed-in devices: a list from the server, drawn with the office's table (frame.rs), which
// would otherwise keep that table's code in the main chunk.
split_page!(Sessions, pages::sessions::SessionsPage);
