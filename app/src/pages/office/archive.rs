//! The archive's fields (004 §3.1), shared by the office's student form and the editor on a
//! student's page, where the assigned counselor or head teacher keeps it current. Online only.

use super::frame::{EditForm, Select, Target, Text};
use crate::i18n::{economy_label, flag_label, use_i18n, Msg};
use crate::state::{use_store, Connection};
use leptos::prelude::*;
use rounds::{AttentionFlag, Economy, Origin, Student, StudentArchive, StudentId};

type Pick = fn(&StudentArchive) -> &String;
type Put = fn(&mut StudentArchive) -> &mut String;

/// One text of the archive inside a draft of `I`.
fn text_of<I>(
    get: fn(&I) -> StudentArchive,
    set: fn(&mut I, StudentArchive),
    pick: Pick,
    put: Put,
) -> (impl Fn(&I) -> String + Copy + Send + Sync + 'static, impl Fn(&mut I, String) + Copy + Send + Sync + 'static)
where
    I: 'static,
{
    (move |i: &I| pick(&get(i)).clone(), move |i: &mut I, v: String| {
        let mut a = get(i);
        *put(&mut a) = v;
        set(i, a);
    })
}

/// The fields of an archive inside a draft; errors are looked up as `{prefix}{field}`.
#[component]
pub fn ArchiveFields<I>(
    draft: RwSignal<I>,
    prefix: &'static str,
    get: fn(&I) -> StudentArchive,
    set: fn(&mut I, StudentArchive),
) -> impl IntoView
where
    I: Send + Sync + 'static,
{
    let i18n = use_i18n();
    let (guardian_get, guardian_set) = text_of(get, set, |a| &a.guardian_name, |a| &mut a.guardian_name);
    let (phone_get, phone_set) = text_of(get, set, |a| &a.guardian_phone, |a| &mut a.guardian_phone);
    let (address_get, address_set) = text_of(get, set, |a| &a.home_address, |a| &mut a.home_address);
    let (family_get, family_set) = text_of(get, set, |a| &a.family_notes, |a| &mut a.family_notes);
    let (medical_get, medical_set) = text_of(get, set, |a| &a.medical_notes, |a| &mut a.medical_notes);
    let origins = Signal::derive(move || {
        let lang = i18n.lang();
        vec![
            (String::new(), Msg::OfficeNotSet.text(lang).to_string()),
            (format!("{:?}", Origin::Urban), Msg::Urban.text(lang).to_string()),
            (format!("{:?}", Origin::Rural), Msg::Rural.text(lang).to_string()),
        ]
    });
    let economies = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), Msg::OfficeNotSet.text(lang).to_string()))
            .chain(Economy::ALL.iter().map(|e| (format!("{e:?}"), economy_label(*e, lang).to_string())))
            .collect::<Vec<_>>()
    });
    let origin_get = move |i: &I| get(i).origin.map(|o| format!("{o:?}")).unwrap_or_default();
    let origin_set = move |i: &mut I, v: String| {
        let mut a = get(i);
        a.origin = Origin::ALL.iter().copied().find(|o| format!("{o:?}") == v);
        set(i, a);
    };
    let economy_get = move |i: &I| get(i).economy.map(|e| format!("{e:?}")).unwrap_or_default();
    let economy_set = move |i: &mut I, v: String| {
        let mut a = get(i);
        a.economy = Economy::ALL.iter().copied().find(|e| format!("{e:?}") == v);
        set(i, a);
    };
    let confirmed_get = move |i: &I| get(i).confirmed_on.map(|d| d.to_string()).unwrap_or_default();
    let confirmed_set = move |i: &mut I, v: String| {
        let mut a = get(i);
        a.confirmed_on = chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok();
        set(i, a);
    };
    let path = move |name: &str| format!("{prefix}{name}");
    view! {
        <fieldset class="archive-fields">
            <legend>{move || i18n.t(Msg::OfficeArchiveSection)}</legend>
            <Text draft label=Msg::GuardianName field=path("guardian_name") get=guardian_get set=guardian_set/>
            <Text draft label=Msg::GuardianPhone field=path("guardian_phone") get=phone_get set=phone_set kind="tel"/>
            <Text draft label=Msg::HomeAddress field=path("home_address") get=address_get set=address_set/>
            <Select draft label=Msg::OfficeOrigin field=path("origin") options=origins get=origin_get set=origin_set/>
            <Select draft label=Msg::OfficeEconomy field=path("economy") options=economies get=economy_get set=economy_set/>
            <Text draft label=Msg::FamilyNotes field=path("family_notes") get=family_get set=family_set multiline=true/>
            <Text draft label=Msg::MedicalNotes field=path("medical_notes") get=medical_get set=medical_set multiline=true/>
            <fieldset class="choice">
                <legend>{move || i18n.t(Msg::AttentionFlags)}</legend>
                <div class="checklist">
                    {AttentionFlag::ALL.iter().copied().map(|flag| view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || draft.with(|d| get(d).flags.contains(&flag))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| {
                                        let mut a = get(d);
                                        a.flags.retain(|f| *f != flag);
                                        if on {
                                            a.flags.push(flag);
                                        }
                                        set(d, a);
                                    });
                                }/>
                            <span>{move || flag_label(flag, i18n.lang())}</span>
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            <Text draft label=Msg::ConfirmedOn field=path("confirmed_on") get=confirmed_get set=confirmed_set kind="date"/>
        </fieldset>
    }
    .into_any()
}

/// Edits one student's archive on the server; the page shows the saved archive at once and
/// the next sync brings it to the phone's store.
#[component]
pub fn ArchiveEditor(student: StudentId, archive: StudentArchive, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let draft = RwSignal::new(archive);
    let on_done = Callback::new(move |answer: serde_json::Value| {
        if let Ok(saved) = serde_json::from_value::<Student>(answer) {
            store.roster.update(|r| {
                if let Some(s) = r.students.iter_mut().find(|s| s.id == saved.id) {
                    *s = saved;
                }
            });
        }
        store.flash.set(Some(i18n.t(Msg::ArchiveSaved).to_string()));
        #[cfg(feature = "hydrate")]
        {
            crate::client::sync::request(store);
            leptos::task::spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(8000).await;
                store.flash.set(None);
            });
        }
        on_close.run(());
    });
    view! {
        <Show
            when=move || store.connection.get() != Connection::Offline
            fallback=move || view! {
                <p class="warning" role="alert">{move || i18n.t(Msg::ArchiveOfflineNote)}</p>
                <button type="button" class="secondary" on:click=move |_| on_close.run(())>{move || i18n.t(Msg::OfficeCancel)}</button>
            }
        >
            <EditForm
                title=Signal::derive(move || i18n.t(Msg::EditArchive).to_string())
                draft
                target=Target::Update(format!("/api/v1/students/{student}/archive"))
                on_done
                on_cancel=on_close
            >
                <ArchiveFields draft prefix="" get=|a: &StudentArchive| a.clone() set=|a: &mut StudentArchive, v| *a = v/>
            </EditForm>
        </Show>
    }
    .into_any()
}
