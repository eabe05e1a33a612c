use crate::components::{NewRecord, NewRecordActions, RequireUser};
use crate::i18n::{absence_label, hygiene_label, use_i18n, Msg};
use crate::pages::params::room_id_param;
use crate::pages::records::SyncBadge;
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::{DormCheck, DormVisit, RecordBody, StudentIssue, Subject};

/// One room: its residents and its past checks, and the way to a new check (for a leader
/// linked to the room, to a visit).
#[component]
pub fn RoomPage() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let room_id = room_id_param();
    let room = move || room_id.get().and_then(|id| store.roster.with(|r| r.room(id).cloned()));

    view! {
        <RequireUser>
            {move || match room() {
                None => view! { <p class="muted">{move || i18n.t(Msg::RoomNotFound)}</p> <A href="/rooms">{move || i18n.t(Msg::Back)}</A> }.into_any(),
                Some(room) => {
                    let id = room.id;
                    let residents = move || store.roster.with(|r| {
                        r.residents(id).into_iter().map(|(bed, s)| (bed.label.clone(), s.name.clone(), s.student_no.clone())).collect::<Vec<_>>()
                    });
                    let checks = move || store.room_records(id);
                    view! {
                        <h1>{room.number.clone()}</h1>
                        <NewRecordActions subject=Subject::Room(id) big=true forms=vec![
                            NewRecord::of::<DormCheck>().labelled(Msg::NewDormCheck),
                            NewRecord::of::<DormVisit>(),
                            NewRecord::of::<StudentIssue>().labelled(Msg::LedgerRaise),
                        ]/>
                        <ul class="residents">
                            {move || residents().into_iter().map(|(bed, name, no)| view! {
                                <li>
                                    <span class="bed">{i18n.tf(Msg::BedLabel, &[("b", bed)])}</span>
                                    <span class="name">{name}</span>
                                    <span class="muted">{no}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                        <h2>{move || i18n.t(Msg::PastChecks)}</h2>
                        <Show when=move || !checks().is_empty() fallback=move || view! { <p class="muted">{move || i18n.t(Msg::NoChecksYet)}</p> }>
                            <ul class="records">
                                {move || checks().into_iter().map(|local| {
                                    let zone = store.zone();
                                    let summary = match &local.record.body {
                                        RecordBody::DormCheck(c) => {
                                            let lang = i18n.lang();
                                            let mut parts = vec![format!("{}: {}", i18n.t(Msg::Hygiene), hygiene_label(c.hygiene, lang))];
                                            let absent: Vec<String> = c.residents.iter().filter(|r| !r.present).map(|r| {
                                                let name = store.roster.with_untracked(|ro| ro.student(r.student_id).map(|s| s.name.clone())).unwrap_or_default();
                                                format!("{name}({})", r.absence_reason.map(|a| absence_label(a, lang)).unwrap_or(""))
                                            }).collect();
                                            if !absent.is_empty() {
                                                parts.push(format!("{} {}", i18n.tf(Msg::AbsentCount, &[("n", absent.len().to_string())]), absent.join("、")));
                                            }
                                            if !c.hazards.is_empty() {
                                                parts.push(i18n.tf(Msg::HazardCount, &[("n", c.hazards.len().to_string())]));
                                            }
                                            (rounds::school_time::format_minute(&c.checked_at, &zone), parts.join(" · "), c.notes.clone())
                                        }
                                        other => {
                                            let (title, _) = store.roster.with_untracked(|r| crate::pages::summary::title_and_link(other, r, i18n.lang()));
                                            (rounds::school_time::format_minute(&other.occurred_at(), &zone), title, String::new())
                                        }
                                    };
                                    view! {
                                        <li class="record">
                                            <div class="record-head"><strong>{summary.0}</strong><SyncBadge state=local.state.clone()/></div>
                                            <div>{summary.1}</div>
                                            <div class="muted">{summary.2}</div>
                                            <crate::pages::photos::PhotoThumbs photos=local.record.photos.clone()/>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </Show>
                    }.into_any()
                }
            }}
        </RequireUser>
    }
}
