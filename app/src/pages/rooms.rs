use crate::components::RequireUser;
use crate::i18n::{use_i18n, Msg};
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::RecordBody;

/// 我的寝室: the rooms of the user's classes by building, with when each was last checked.
#[component]
pub fn MyRooms() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let groups = move || {
        let zone = store.zone();
        let now = rounds::school_time::now_in(&zone);
        store.roster.with(|roster| {
            roster
                .rooms_by_building()
                .into_iter()
                .map(|(building, rooms)| {
                    let rooms = rooms
                        .into_iter()
                        .map(|room| {
                            let residents = roster.residents(room.id).len();
                            let last = store.records.with(|list| {
                                list.iter()
                                    .filter(|r| !r.record.deleted)
                                    .filter_map(|r| match &r.record.body {
                                        RecordBody::DormCheck(c) if c.room_id == room.id => Some(c.checked_at),
                                        _ => None,
                                    })
                                    .max()
                            });
                            let days = last.map(|t| rounds::school_time::calendar_days_between(&t, &now, &zone));
                            (room.id, room.number.clone(), residents, days)
                        })
                        .collect::<Vec<_>>();
                    (building.name.clone(), rooms)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <h1>{move || i18n.t(Msg::MyRooms)}</h1>
        <RequireUser>
            <Show when=move || !groups().is_empty() fallback=move || {
                // Before the first sync the roster is simply not here yet.
                let msg = move || if store.last_sync.with(|t| t.is_none()) { Msg::FirstSync } else { Msg::NoRooms };
                view! { <p class="muted">{move || i18n.t(msg())}</p> }
            }>
                {move || groups().into_iter().map(|(building, rooms)| view! {
                    <section class="building">
                        <h2>{building}</h2>
                        <ul class="rooms">
                            {rooms.into_iter().map(|(id, number, residents, days)| {
                                let last = match days {
                                    None => i18n.t(Msg::NeverChecked).to_string(),
                                    Some(0) => i18n.tf(Msg::LastChecked, &[("d", i18n.t(Msg::Today).to_string())]),
                                    Some(d) => i18n.tf(Msg::LastChecked, &[("d", i18n.tf(Msg::DaysAgo, &[("n", d.to_string())]))]),
                                };
                                let overdue = days.is_none_or(|d| d >= 14);
                                let residents_text = i18n.tf(Msg::Residents, &[("n", residents.to_string())]);
                                let label = format!("{number} {residents_text} {last}");
                                view! {
                                    <li>
                                        <A href=format!("/rooms/{id}") attr:class="room" attr:aria-label=label>
                                            <span class="room-number">{number}</span>
                                            <span class="room-meta">{residents_text}</span>
                                            <span class="room-last" class:overdue=overdue>{last}</span>
                                        </A>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                }).collect_view()}
            </Show>
        </RequireUser>
    }
}
