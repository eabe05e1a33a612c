//! The pages split out of the phone's first download (issue 13): `cargo leptos build --split` cuts
//! each of these routes into a chunk of its own (code that several of them share goes into shared
//! chunks), fetched the first time the page opens. The main wasm keeps what a phone needs to paint
//! the login page and Today, and the client (store, outbox, sync) behind them.
//!
//! - The field pages (every page a counselor, head teacher or leader opens besides Today) must open
//!   offline. They come in groups, each a `field_…` split (`page_group!`), so the split manifest
//!   lists their chunks under `field_…` names; the server hands that list to the service worker,
//!   which precaches it as soon as someone is signed in (server/src/assets.rs, server/src/sw.js).
//! - The office's pages (one group) and the other online-only pages are cached once opened.
//!
//! A new page: a line in a `page_group!` group if it must open offline, else a `split_page!` line;
//! and its route in `lib.rs` as `view={Lazy::<split::YourPage>::new()}`.

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

/// `page_group!(group, __preload_group, Pages { Route => component, … })`: one split, the lazy
/// function `group` (named `group_<hash>` in the split manifest: `field_…` for the server's list
/// to precache), drawing any of the group's pages; and for each page a route type that awaits it.
macro_rules! page_group {
    ($group:ident, $preload:ident, $pages:ident { $($route:ident => $($page:ident)::+),* $(,)? }) => {
        #[derive(Clone, Copy)]
        pub enum $pages {
            $($route),*
        }

        #[leptos::lazy]
        fn $group(page: $pages) -> AnyView {
            match page {
                $($pages::$route => $($page)::+().into_any()),*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $group($pages::$route).await
                }

                async fn preload() {
                    // As `#[lazy_route]` does: the chunk is fetched before the page's HTML is hydrated.
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}

// ---- field pages: precached after sign-in, so they open offline ----
// In six groups of the pages a person opens together, each one split (`#[lazy]`), as the office's
// pages are one: with a split per page, the wasm splitter cut the code they share into some five
// hundred chunks (one per set of pages using it), a student page alone needing 190 of them.
page_group!(field_rooms, __preload_field_rooms, RoomPages {
    FieldRooms => pages::rooms::MyRooms,
    FieldRoom => pages::room::RoomPage,
    FieldDormCheck => pages::dorm_check_form::DormCheckForm,
    FieldDormVisit => pages::forms::DormVisitPage,
    FieldRoomIssue => pages::issues::RoomIssuePage,
});
page_group!(field_classes, __preload_field_classes, ClassPages {
    FieldClasses => pages::classes::MyClasses,
    FieldClass => pages::classes::ClassPage,
    FieldClassCheck => pages::forms::ClassCheckPage,
    FieldLectureVisit => pages::forms::LectureVisitPage,
    FieldClassMeeting => pages::forms::ClassMeetingPage,
    FieldCommitteeMeeting => pages::forms::CommitteeMeetingPage,
    FieldTeacherContact => pages::forms::TeacherContactPage,
    FieldAssistanceLetter => pages::case_print::AssistanceLetterPage,
    FieldClassIssue => pages::issues::ClassIssuePage,
});
page_group!(field_students, __preload_field_students, StudentPages {
    FieldStudents => pages::students::MyStudents,
    FieldStudent => pages::students::StudentPage,
    FieldTalk => pages::forms::TalkPage,
    FieldHomeVisit => pages::forms::HomeVisitPage,
    FieldParentContact => pages::forms::ParentContactPage,
    FieldStudentIssue => pages::issues::StudentIssuePage,
    FieldStudentEvent => pages::forms::StudentEventPage,
    FieldVolunteerSession => pages::case_forms::VolunteerSessionPage,
    FieldAssistanceNote => pages::case_forms::AssistanceNotePage,
    FieldAssistanceCase => pages::case_forms::AssistanceCasePage,
    FieldCaseCard => pages::case_print::CaseCardPage,
    FieldVolunteerLetter => pages::case_print::VolunteerLetterPage,
});
page_group!(field_records, __preload_field_records, RecordPages {
    FieldRecords => pages::records::MyRecords,
    FieldRecord => pages::record::RecordPage,
    FieldEditRecord => pages::record::EditRecordPage,
    FieldRecordPrint => pages::case_print::RecordPrintPage,
    FieldSummary => pages::work_summary::WorkSummaryPage,
    FieldDutyLog => pages::forms::DutyLogPage,
    FieldContactLog => pages::forms::StudentContactPage,
});
page_group!(field_issues, __preload_field_issues, IssuePages {
    FieldIssues => pages::issues::IssuesPage,
    FieldNewIssue => pages::issues::NewIssuePage,
    FieldIssue => pages::issues::IssuePage,
});
// The leader's (学生干部) pages.
page_group!(field_leader, __preload_field_leader, LeaderPages {
    FieldLinks => pages::leader::MyLinks,
    FieldClassAttendance => pages::leader::ClassAttendancePage,
    FieldClubActivity => pages::leader::ClubActivityPage,
    FieldBranchActivity => pages::leader::BranchActivityPage,
});

// ---- the office (办公室): one group, cached when first opened ----
page_group!(office_pages, __preload_office_pages, OfficePages {
    OfficeHub => pages::office::OfficeHub,
    Departments => pages::office::roster::DepartmentsPage,
    Classes => pages::office::roster::ClassesPage,
    Students => pages::office::roster::StudentsPage,
    Dorms => pages::office::dorms::DormsPage,
    Accounts => pages::office::accounts::AccountsPage,
    Groups => pages::groups::GroupsPage,
    Rules => pages::office::rules::RulesPage,
    Calendar => pages::office::calendar::CalendarPage,
    Compliance => pages::office::compliance::CompliancePage,
    Security => pages::office::security::SecurityPage,
    Assistance => pages::office::assistance::AssistancePage,
    Reports => pages::office::reports::ReportsPage,
    VisitPlans => pages::office::visit_plans::VisitPlansPage,
    NewVisitPlan => pages::office::visit_plans::NewVisitPlanPage,
    Letters => pages::office::letters::LettersPage,
    NewLetterBatch => pages::office::letters::NewLetterBatchPage,
    DutyRosters => pages::office::duty_rosters::DutyRostersPage,
    NewDutyRoster => pages::office::duty_rosters::NewDutyRosterPage,
    Ledger => pages::office::ledger::LedgerPage,
    Audit => pages::office::audit::AuditPage,
});
// The roster import (its file reading and parsing), opened once a semester.
split_page!(Import, pages::import::ImportPage);

// ---- online-only pages anyone may open ----
// The signed-in devices: a list from the server, drawn with the office's table (frame.rs), which
// would otherwise keep that table's code in the main chunk.
split_page!(Sessions, pages::sessions::SessionsPage);
