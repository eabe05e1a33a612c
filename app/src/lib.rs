#![recursion_limit = "256"]
//! rounds-app: the Leptos UI of Rounds, and (in the browser) the offline client.

pub mod components;
pub mod duties;
pub mod i18n;
pub mod kinds;
pub mod pages;
pub mod split;
pub mod state;

#[cfg(feature = "hydrate")]
pub mod client;

use i18n::I18n;
#[cfg(feature = "hydrate")]
use i18n::Lang;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, Lazy};
use state::AppStore;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang=i18n::page_lang().code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone()/>
                <HashedStylesheet options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let store = AppStore::new();
    provide_context(store);
    let lang = RwSignal::new(i18n::page_lang());
    provide_context(I18n(lang));

    #[cfg(feature = "hydrate")]
    {
        // After hydration, so the first client render matches the server's. Not at the first
        // effect run: a split-out page's chunk may still be loading then, and the phone's store
        // read meanwhile would change the HTML still to be hydrated (a hydration panic).
        let done = hydration_done();
        Effect::new(move |started: Option<bool>| {
            if started == Some(true) {
                return true;
            }
            if !done.get() {
                return false;
            }
            // Every control drawn on the server works before this (plain forms and links); the
            // mark is for the tests and the phone bench, which time and hold back the wasm.
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = el.set_attribute("data-hydrated", "");
            }
            // A choice made before the language cookie existed lived in local storage only.
            // Carried over once, then removed: a start without a choice writes nothing.
            if i18n::cookie_lang().is_none() {
                let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
                if let Some((storage, saved)) = storage.and_then(|s| s.get_item("rounds.lang").ok().flatten().map(|saved| (s, saved))) {
                    let saved = Lang::from_code(&saved);
                    lang.set(saved);
                    i18n::remember(saved);
                    let _ = storage.remove_item("rounds.lang");
                }
            }
            client::start(store);
            true
        });
        Effect::new(move |_| {
            let code = lang.get().code();
            if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
                let _ = el.set_attribute("lang", code);
            }
        });
    }

    view! {
        <Title text=move || i18n::Msg::AppName.text(lang.get())/>
        <Meta name="theme-color" content="#0f766e"/>
        <Link rel="manifest" href="/manifest.webmanifest"/>
        <Link rel="icon" href="/icons/icon-192.png"/>
        <Link rel="apple-touch-icon" href="/icons/icon-192.png"/>
        <Router>
            <components::TopBar/>
            <main class="page">
                <components::Flash/>
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    // Login and Today are in the main chunk; every other page is split out of the first
                    // download, view={Lazy::<split::…>::new()} (see split.rs: `Field…` pages open offline).
                    <Route path=path!("/") view=pages::today::Home/>
                    <Route path=path!("/login") view=pages::login::Login/>
                    <Route path=path!("/rooms/:id") view={Lazy::<split::FieldRoom>::new()}/>
                    <Route path=path!("/rooms/:id/check") view={Lazy::<split::FieldDormCheck>::new()}/>
                    <Route path=path!("/records") view={Lazy::<split::FieldRecords>::new()}/>
                    <Route path=path!("/classes") view={Lazy::<split::FieldClasses>::new()}/>
                    <Route path=path!("/classes/:id") view={Lazy::<split::FieldClass>::new()}/>
                    <Route path=path!("/classes/:id/class-check") view={Lazy::<split::FieldClassCheck>::new()}/>
                    <Route path=path!("/students") view={Lazy::<split::FieldStudents>::new()}/>
                    <Route path=path!("/students/:id") view={Lazy::<split::FieldStudent>::new()}/>
                    <Route path=path!("/students/:id/talk") view={Lazy::<split::FieldTalk>::new()}/>
                    <Route path=path!("/students/:id/home-visit") view={Lazy::<split::FieldHomeVisit>::new()}/>
                    <Route path=path!("/students/:id/parent-contact") view={Lazy::<split::FieldParentContact>::new()}/>
                    <Route path=path!("/students/:id/issue") view={Lazy::<split::FieldStudentIssue>::new()}/>
                    <Route path=path!("/students/:id/event") view={Lazy::<split::FieldStudentEvent>::new()}/>
                    <Route path=path!("/students/:id/volunteer-session") view={Lazy::<split::FieldVolunteerSession>::new()}/>
                    <Route path=path!("/students/:id/assistance-note") view={Lazy::<split::FieldAssistanceNote>::new()}/>
                    <Route path=path!("/students/:id/case") view={Lazy::<split::FieldAssistanceCase>::new()}/>
                    // ---- printed forms: 001 附件1–3, 003 谈话记录表 ----
                    <Route path=path!("/students/:id/case-card") view={Lazy::<split::FieldCaseCard>::new()}/>
                    <Route path=path!("/students/:id/volunteer-letter") view={Lazy::<split::FieldVolunteerLetter>::new()}/>
                    <Route path=path!("/classes/:id/assistance-letter") view={Lazy::<split::FieldAssistanceLetter>::new()}/>
                    <Route path=path!("/records/:id/print") view={Lazy::<split::FieldRecordPrint>::new()}/>
                    <Route path=path!("/rooms/:id/visit") view={Lazy::<split::FieldDormVisit>::new()}/>
                    <Route path=path!("/classes/:id/lecture-visit") view={Lazy::<split::FieldLectureVisit>::new()}/>
                    <Route path=path!("/classes/:id/meeting") view={Lazy::<split::FieldClassMeeting>::new()}/>
                    <Route path=path!("/classes/:id/committee") view={Lazy::<split::FieldCommitteeMeeting>::new()}/>
                    <Route path=path!("/classes/:id/teacher-contact") view={Lazy::<split::FieldTeacherContact>::new()}/>
                    <Route path=path!("/duty-log") view={Lazy::<split::FieldDutyLog>::new()}/>
                    <Route path=path!("/contact-log") view={Lazy::<split::FieldContactLog>::new()}/>
                    <Route path=path!("/rooms") view={Lazy::<split::FieldRooms>::new()}/>
                    <Route path=path!("/summary") view={Lazy::<split::FieldSummary>::new()}/>
                    // ---- records: edit, history ----
                    <Route path=path!("/records/:id") view={Lazy::<split::FieldRecord>::new()}/>
                    <Route path=path!("/records/:id/edit") view={Lazy::<split::FieldEditRecord>::new()}/>

                    // ---- roster import ----
                    <Route path=path!("/office/import") view={Lazy::<split::Import>::new()}/>

                    // ---- office: roster management, leader links ----
                    <Route path=path!("/office") view={Lazy::<split::OfficeHub>::new()}/>
                    <Route path=path!("/office/departments") view={Lazy::<split::Departments>::new()}/>
                    <Route path=path!("/office/classes") view={Lazy::<split::Classes>::new()}/>
                    <Route path=path!("/office/students") view={Lazy::<split::Students>::new()}/>
                    <Route path=path!("/office/dorms") view={Lazy::<split::Dorms>::new()}/>
                    <Route path=path!("/office/accounts") view={Lazy::<split::Accounts>::new()}/>

                    // ---- leader ----
                    <Route path=path!("/links") view={Lazy::<split::FieldLinks>::new()}/>
                    <Route path=path!("/classes/:id/attendance") view={Lazy::<split::FieldClassAttendance>::new()}/>
                    <Route path=path!("/clubs/:id/activity") view={Lazy::<split::FieldClubActivity>::new()}/>
                    <Route path=path!("/branches/:id/activity") view={Lazy::<split::FieldBranchActivity>::new()}/>
                    <Route path=path!("/office/groups") view={Lazy::<split::Groups>::new()}/>
                    <Route path=path!("/office/rules") view={Lazy::<split::Rules>::new()}/>
                    <Route path=path!("/office/calendar") view={Lazy::<split::Calendar>::new()}/>
                    <Route path=path!("/office/compliance") view={Lazy::<split::Compliance>::new()}/>
                    <Route path=path!("/office/security") view={Lazy::<split::Security>::new()}/>
                    <Route path=path!("/office/assistance") view={Lazy::<split::Assistance>::new()}/>
                    <Route path=path!("/office/reports") view={Lazy::<split::Reports>::new()}/>
                    <Route path=path!("/office/visit-plans") view={Lazy::<split::VisitPlans>::new()}/>
                    <Route path=path!("/office/visit-plans/new") view={Lazy::<split::NewVisitPlan>::new()}/>
                    <Route path=path!("/office/letters") view={Lazy::<split::Letters>::new()}/>
                    <Route path=path!("/office/letters/new") view={Lazy::<split::NewLetterBatch>::new()}/>
                    <Route path=path!("/office/duty-rosters") view={Lazy::<split::DutyRosters>::new()}/>
                    <Route path=path!("/office/duty-rosters/new") view={Lazy::<split::NewDutyRoster>::new()}/>
                    <Route path=path!("/sessions") view={Lazy::<split::Sessions>::new()}/>
                    // ---- issue ledger (问题台账) ----
                    <Route path=path!("/issues") view={Lazy::<split::FieldIssues>::new()}/>
                    <Route path=path!("/issues/new") view={Lazy::<split::FieldNewIssue>::new()}/>
                    <Route path=path!("/issues/:id") view={Lazy::<split::FieldIssue>::new()}/>
                    <Route path=path!("/rooms/:id/issue") view={Lazy::<split::FieldRoomIssue>::new()}/>
                    <Route path=path!("/classes/:id/issue") view={Lazy::<split::FieldClassIssue>::new()}/>
                    <Route path=path!("/office/ledger") view={Lazy::<split::Ledger>::new()}/>
                    <Route path=path!("/office/audit") view={Lazy::<split::Audit>::new()}/>
                </Routes>
            </main>
        </Router>
    }
}

/// Code that split-out pages use but the main chunk would not, kept in it all the same: wasm-bindgen
/// turns a JS closure into a JS function only in the main module. Left in a chunk (the photo
/// field's canvas callback, on the field pages), its descriptors stay behind in the main wasm,
/// which then imports wasm-bindgen's placeholders and does not start.
#[cfg(feature = "hydrate")]
fn keep_in_main() {
    std::hint::black_box(client::photos::jpeg_blob as fn(&web_sys::HtmlCanvasElement) -> js_sys::Promise);
}

/// The wasm entry for server-rendered pages.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    keep_in_main();
    let done = hydration_done();
    // Lazy: a split-out page's chunk is fetched before its server HTML is hydrated.
    wasm_bindgen_futures::spawn_local(async move {
        let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
        leptos::mount::hydrate_from_async(body, App).await.forget();
        done.set(true);
    });
}

/// Whether the page is the app's own yet: set once the server's HTML is hydrated, or at once in
/// the offline shell. Made before the app, outside its owner, so it lives as long as the page.
#[cfg(feature = "hydrate")]
fn hydration_done() -> RwSignal<bool> {
    thread_local! {
        static DONE: RwSignal<bool> = RwSignal::new(false);
    }
    DONE.with(|done| *done)
}

/// The wasm entry for the offline shell: no server HTML to hydrate, so the app renders itself.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn mount() {
    console_error_panic_hook::set_once();
    keep_in_main();
    let done = hydration_done();
    leptos::mount::mount_to_body(App);
    done.set(true);
}
