//! The archive's fields (004 §3.1), shared by the office's student form and the editor on a
//! student's page, where the assigned counselor or head teacher keeps it current. Online only.
//! The standing (warning, sanction, assistance level) is the office's: only its student form
//! edits it; the editor on the student's page shows it read-only and sends it back as stored.

use super::frame::{fetch, EditForm, Reload, Remote, Select, Target, Text};
use crate::i18n::{economy_label, flag_label, use_i18n, Msg};
use crate::state::{use_store, Connection};
use leptos::prelude::*;
use rounds::{AttentionFlag, Economy, Origin, StandingHistoryEntry, Student, StudentArchive, StudentId};

/// One value of the archive inside a draft of `I`, shown and typed as text: `show` turns it
/// into the input's text, `read` back (what cannot be read counts as not set).
fn value_of<I, V>(
    get: fn(&I) -> StudentArchive,
    set: fn(&mut I, StudentArchive),
    put: fn(&mut StudentArchive) -> &mut V,
    show: fn(&V) -> String,
    read: fn(&str) -> V,
) -> (impl Fn(&I) -> String + Copy + Send + Sync + 'static, impl Fn(&mut I, String) + Copy + Send + Sync + 'static)
where
    I: 'static,
    V: 'static,
{
    (
        move |i: &I| show(put(&mut get(i))),
        move |i: &mut I, v: String| {
            let mut a = get(i);
            *put(&mut a) = read(&v);
            set(i, a);
        },
    )
}

type Put<V> = fn(&mut StudentArchive) -> &mut V;

fn text_of<I: 'static>(
    get: fn(&I) -> StudentArchive,
    set: fn(&mut I, StudentArchive),
    put: Put<String>,
) -> (impl Fn(&I) -> String + Copy + Send + Sync + 'static, impl Fn(&mut I, String) + Copy + Send + Sync + 'static) {
    value_of(get, set, put, String::clone, str::to_string)
}

/// A date of the archive; an empty input clears it.
fn date_of<I: 'static>(
    get: fn(&I) -> StudentArchive,
    set: fn(&mut I, StudentArchive),
    put: Put<Option<chrono::NaiveDate>>,
) -> (impl Fn(&I) -> String + Copy + Send + Sync + 'static, impl Fn(&mut I, String) + Copy + Send + Sync + 'static) {
    value_of(get, set, put, |d| d.map(|d| d.to_string()).unwrap_or_default(), |v| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
}

/// A level (1–3) of the archive; `""` is none.
fn level_of<I: 'static>(
    get: fn(&I) -> StudentArchive,
    set: fn(&mut I, StudentArchive),
    put: Put<Option<u8>>,
) -> (impl Fn(&I) -> String + Copy + Send + Sync + 'static, impl Fn(&mut I, String) + Copy + Send + Sync + 'static) {
    value_of(get, set, put, |l| l.map(|l| l.to_string()).unwrap_or_default(), |v| v.parse().ok())
}

/// The fields of an archive inside a draft; errors are looked up as `{prefix}{field}`.
#[component]
pub fn ArchiveFields<I>(
    draft: RwSignal<I>,
    prefix: &'static str,
    get: fn(&I) -> StudentArchive,
    set: fn(&mut I, StudentArchive),
    /// Also the student's standing (warning, sanction, assistance), which the office decides.
    #[prop(optional)]
    standing: bool,
) -> impl IntoView
where
    I: Send + Sync + 'static,
{
    let i18n = use_i18n();
    let (guardian_get, guardian_set) = text_of(get, set, |a| &mut a.guardian_name);
    let (phone_get, phone_set) = text_of(get, set, |a| &mut a.guardian_phone);
    let (address_get, address_set) = text_of(get, set, |a| &mut a.home_address);
    let (family_get, family_set) = text_of(get, set, |a| &mut a.family_notes);
    let (medical_get, medical_set) = text_of(get, set, |a| &mut a.medical_notes);
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
    let (confirmed_get, confirmed_set) = date_of(get, set, |a| &mut a.confirmed_on);
    let (birth_get, birth_set) = date_of(get, set, |a| &mut a.birth_date);
    let tiers = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), Msg::ArchiveTierGeneral.text(lang).to_string()))
            .chain(rounds::ContactTier::ALL.iter().map(|t| (format!("{t:?}"), crate::i18n::tier_label(*t, lang).to_string())))
            .collect::<Vec<_>>()
    });
    let tier_get = move |i: &I| get(i).tier.map(|t| format!("{t:?}")).unwrap_or_default();
    let tier_set = move |i: &mut I, v: String| {
        let mut a = get(i);
        a.tier = rounds::ContactTier::ALL.iter().copied().find(|t| format!("{t:?}") == v);
        set(i, a);
    };
    let path = move |name: &str| format!("{prefix}{name}");
    let standing = standing.then(|| view! { <StandingFields draft prefix get set/> });
    view! {
        <fieldset class="archive-fields">
            <legend>{move || i18n.t(Msg::OfficeArchiveSection)}</legend>
            <Text draft label=Msg::GuardianName field=path("guardian_name") get=guardian_get set=guardian_set/>
            <Text draft label=Msg::GuardianPhone field=path("guardian_phone") get=phone_get set=phone_set kind="tel"/>
            <Text draft label=Msg::HomeAddress field=path("home_address") get=address_get set=address_set/>
            <Select draft label=Msg::OfficeOrigin field=path("origin") options=origins get=origin_get set=origin_set/>
            <Select draft label=Msg::OfficeEconomy field=path("economy") options=economies get=economy_get set=economy_set/>
            <Select draft label=Msg::ArchiveTier field=path("tier") options=tiers get=tier_get set=tier_set/>
            <Text draft label=Msg::ArchiveBirthDate field=path("birth_date") get=birth_get set=birth_set kind="date"/>
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
            {standing}
        </fieldset>
    }
    .into_any()
}

/// 学业预警 with its date, 处分, 学籍处理, 帮扶: what starts the duties of warned, sanctioned and assisted
/// students (003 §4–5, 000 §2.5).
#[component]
fn StandingFields<I>(draft: RwSignal<I>, prefix: &'static str, get: fn(&I) -> StudentArchive, set: fn(&mut I, StudentArchive)) -> impl IntoView
where
    I: Send + Sync + 'static,
{
    let i18n = use_i18n();
    let levels = Signal::derive(move || level_options(i18n.lang()));
    let (warning_get, warning_set) = level_of(get, set, |a| &mut a.warning_level);
    let (warned_get, warned_set) = date_of(get, set, |a| &mut a.warning_on);
    let (discipline_get, discipline_set) = date_of(get, set, |a| &mut a.discipline_on);
    let (ruling_get, ruling_set) = date_of(get, set, |a| &mut a.ruling_on);
    let (assistance_get, assistance_set) = level_of(get, set, |a| &mut a.assistance_level);
    let (assisted_get, assisted_set) = date_of(get, set, |a| &mut a.assistance_on);
    let path = move |name: &str| format!("{prefix}{name}");
    view! {
        <fieldset class="archive-fields">
            <legend>{move || i18n.t(Msg::StandingSection)}</legend>
            <Select draft label=Msg::StandingWarningLevel field=path("warning_level") options=levels get=warning_get set=warning_set/>
            <Text draft label=Msg::StandingWarningOn field=path("warning_on") get=warned_get set=warned_set kind="date"/>
            <Text draft label=Msg::StandingDisciplineOn field=path("discipline_on") get=discipline_get set=discipline_set kind="date"/>
            <Text draft label=Msg::StandingRulingOn field=path("ruling_on") get=ruling_get set=ruling_set kind="date"/>
            <Select draft label=Msg::StandingAssistanceLevel field=path("assistance_level") options=levels get=assistance_get set=assistance_set/>
            <Text draft label=Msg::StandingAssistanceOn field=path("assistance_on") get=assisted_get set=assisted_set kind="date"/>
        </fieldset>
    }
    .into_any()
}

/// The label of a standing field as the API names it.
fn standing_label(field: &str) -> Msg {
    match field {
        "warning_level" => Msg::StandingWarningLevel,
        "warning_on" => Msg::StandingWarningOn,
        "discipline_on" => Msg::StandingDisciplineOn,
        "ruling_on" => Msg::StandingRulingOn,
        "assistance_on" => Msg::StandingAssistanceOn,
        _ => Msg::StandingAssistanceLevel,
    }
}

/// The standing as stored, not editable: a counselor or head teacher sees what the office
/// decided, and their edit sends it back unchanged (the server refuses any change of it).
#[component]
fn StandingReadOnly(archive: StudentArchive) -> impl IntoView {
    let i18n = use_i18n();
    let standing = archive.standing();
    let rows = [
        ("warning_level", standing.warning_level.map(|l| l.to_string())),
        ("warning_on", standing.warning_on.map(|d| d.to_string())),
        ("discipline_on", standing.discipline_on.map(|d| d.to_string())),
        ("ruling_on", standing.ruling_on.map(|d| d.to_string())),
        ("assistance_level", standing.assistance_level.map(|l| l.to_string())),
        ("assistance_on", standing.assistance_on.map(|d| d.to_string())),
    ];
    view! {
        <fieldset class="archive-fields standing" disabled=true>
            <legend>{move || i18n.t(Msg::StandingSection)}</legend>
            <p class="hint">{move || i18n.t(Msg::StandingSetByOffice)}</p>
            <dl>
                {rows.into_iter().map(|(field, value)| view! {
                    <div class="archive-row">
                        <dt>{move || i18n.t(standing_label(field))}</dt>
                        <dd>{value.clone().unwrap_or_else(|| i18n.t(Msg::OfficeNotSet).to_string())}</dd>
                    </div>
                }).collect_view()}
            </dl>
        </fieldset>
    }
    .into_any()
}

/// Every change of a student's standing: when, who, the field from old to new, and the office's
/// decision date and basis. For the office and the staff assigned to the student; online only.
#[component]
pub fn StandingHistory(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let history = fetch::<Vec<StandingHistoryEntry>>(move || format!("/api/v1/students/{student}/standing-history"), Reload::new());
    let not_set = move || i18n.t(Msg::OfficeNotSet).to_string();
    view! {
        <section class="standing-history" aria-label=move || i18n.t(Msg::StandingHistory)>
            <h3>{move || i18n.t(Msg::StandingHistory)}</h3>
            {move || match history.get() {
                Remote::Loading => view! { <p class="hint">{i18n.t(Msg::StandingHistoryLoading)}</p> }.into_any(),
                Remote::Failed(_) => view! { <p class="warning">{i18n.t(Msg::StandingHistoryFailed)}</p> }.into_any(),
                Remote::Ready(lines) if lines.is_empty() => view! { <p class="hint">{i18n.t(Msg::StandingHistoryEmpty)}</p> }.into_any(),
                Remote::Ready(lines) => view! {
                    <ol class="history">
                        {lines.into_iter().rev().map(|h| {
                            let when = h.changed_at.get(..16).unwrap_or(&h.changed_at).replace('T', " ");
                            let decision = [
                                h.decision_on.map(|d| format!("{} {d}", i18n.t(Msg::StandingDecidedOn))),
                                h.basis.map(|b| format!("{} {b}", i18n.t(Msg::StandingBasis))),
                            ]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" · ");
                            view! {
                                <li>
                                    <span class="when">{when}</span>" "
                                    <span class="who">{h.changed_by.unwrap_or_default()}</span>" "
                                    <span class="what">
                                        {i18n.t(standing_label(&h.field))}": "
                                        {h.old_value.unwrap_or_else(not_set)}" → "{h.new_value.unwrap_or_else(not_set)}
                                    </span>
                                    {(!decision.is_empty()).then(|| view! { <span class="basis">" ("{decision}")"</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }
                .into_any(),
            }}
        </section>
    }
    .into_any()
}

/// Not set, then levels 1 to 3: a warning's or an assistance case's.
pub fn level_options(lang: crate::i18n::Lang) -> Vec<(String, String)> {
    std::iter::once((String::new(), Msg::OfficeNotSet.text(lang).to_string()))
        .chain((1..=3u8).map(|l| (l.to_string(), crate::i18n::fill(Msg::LevelN.text(lang), &[("n", l.to_string())]))))
        .collect()
}

/// Edits one student's archive on the server; the page shows the saved archive at once and
/// the next sync brings it to the phone's store.
#[component]
pub fn ArchiveEditor(student: StudentId, archive: StudentArchive, on_close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let stored = StoredValue::new(archive.clone());
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
                <StandingReadOnly archive=stored.get_value()/>
            </EditForm>
            <StandingHistory student/>
        </Show>
    }
    .into_any()
}
