//! Buildings, their rooms, and the rooms' beds with who sleeps in them. Putting a student in a
//! bed moves them out of their old one.

use super::frame::*;
use super::OfficePage;
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use rounds::admin::*;
use rounds::{Building, BuildingId, RoomId};
use std::sync::Arc;

#[component]
pub fn DormsPage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeDorms><Dorms/></OfficePage> }.into_any()
}

/// A plain select of the page (not of a draft) choosing which rows to show below.
#[component]
fn Chooser(label: Msg, chosen: RwSignal<i64>, options: Signal<Vec<(i64, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="field chooser">
            <span>{move || i18n.t(label)}</span>
            <select on:change=move |ev| chosen.set(event_target_value(&ev).parse().unwrap_or(0))>
                <option value="" selected=move || chosen.get() == 0>{move || i18n.t(Msg::OfficeChoose)}</option>
                {move || options.get().into_iter().map(|(id, text)| {
                    view! { <option value=id.to_string() selected=move || chosen.get() == id>{text}</option> }
                }).collect_view()}
            </select>
        </label>
    }
    .into_any()
}

#[component]
fn Dorms() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::new();
    let buildings = fetch::<Vec<Building>>(|| "/api/v1/admin/buildings".into(), reload);
    let building = RwSignal::new(0i64);
    let building_options =
        Signal::derive(move || buildings.with(|b| b.ready().map(|l| l.iter().map(|b| (b.id.0, b.name.clone())).collect()).unwrap_or_default()));
    let editing = Editing {
        create_url: "/api/v1/admin/buildings".into(),
        blank: Arc::new(BuildingInput::default),
        edit: |b: &Building| (format!("/api/v1/admin/buildings/{}", b.id), BuildingInput { name: b.name.clone() }),
        name: |b: &Building| b.name.clone(),
        fields: Arc::new(|draft| {
            view! { <Text draft label=Msg::OfficeName field="name" get=|b: &BuildingInput| b.name.clone() set=|b: &mut BuildingInput, v| b.name = v/> }
                .into_any()
        }),
    };
    let columns = vec![col(Msg::OfficeName, |b: &Building| b.name.clone())];
    view! {
        <Crud title=Msg::OfficeBuildings rows=buildings reload columns editing/>
        <Chooser label=Msg::OfficeBuilding chosen=building options=building_options/>
        {move || match building.get() {
            0 => view! { <p class="muted">{move || i18n.t(Msg::OfficeChooseBuilding)}</p> }.into_any(),
            id => view! { <Rooms building=BuildingId(id) buildings=building_options/> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn Rooms(building: BuildingId, buildings: Signal<Vec<(i64, String)>>) -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::new();
    // A bed saved or deleted below changes the counts of its room here.
    let bed_changes = Reload::new();
    let rows = fetch::<Vec<RoomRow>>(
        move || {
            bed_changes.track();
            format!("/api/v1/admin/rooms?building_id={building}")
        },
        reload,
    );
    let room = RwSignal::new(0i64);
    let room_options =
        Signal::derive(move || rows.with(|r| r.ready().map(|l| l.iter().map(|r| (r.room.id.0, r.room.number.clone())).collect()).unwrap_or_default()));
    let building_choices = Signal::derive(move || with_choose(i18n, buildings.get().into_iter().map(|(id, name)| (id.to_string(), name)).collect()));
    let editing = Editing {
        create_url: "/api/v1/admin/rooms".into(),
        blank: Arc::new(move || RoomInput { building_id: building, number: String::new() }),
        edit: |r: &RoomRow| (format!("/api/v1/admin/rooms/{}", r.room.id), RoomInput { building_id: r.room.building_id, number: r.room.number.clone() }),
        name: |r: &RoomRow| r.room.number.clone(),
        fields: Arc::new(move |draft| {
            view! {
                <Select draft label=Msg::OfficeBuilding field="building_id" options=building_choices
                    get=|r: &RoomInput| r.building_id.0.to_string()
                    set=|r: &mut RoomInput, v| r.building_id.0 = v.parse().unwrap_or(0)/>
                <Text draft label=Msg::OfficeRoomNumber field="number" get=|r: &RoomInput| r.number.clone() set=|r: &mut RoomInput, v| r.number = v/>
            }
            .into_any()
        }),
    };
    let columns = vec![
        col(Msg::OfficeRoomNumber, |r: &RoomRow| r.room.number.clone()),
        col(Msg::OfficeBedCount, |r: &RoomRow| r.beds.to_string()),
        col(Msg::OfficeOccupied, |r: &RoomRow| r.occupied.to_string()),
    ];
    view! {
        <Crud title=Msg::OfficeRooms rows reload columns editing/>
        <Chooser label=Msg::OfficeRoom chosen=room options=room_options/>
        {move || match room.get() {
            0 => view! { <p class="muted">{move || i18n.t(Msg::OfficeChooseRoom)}</p> }.into_any(),
            id => view! { <Beds room=RoomId(id) rooms=room_options reload=bed_changes/> }.into_any(),
        }}
    }
    .into_any()
}

#[component]
fn Beds(room: RoomId, rooms: Signal<Vec<(i64, String)>>, reload: Reload) -> impl IntoView {
    let i18n = use_i18n();
    let rows = fetch::<Vec<BedRow>>(move || format!("/api/v1/admin/beds?room_id={room}"), reload);
    let room_choices = Signal::derive(move || with_choose(i18n, rooms.get().into_iter().map(|(id, n)| (id.to_string(), n)).collect()));
    let editing = Editing {
        create_url: "/api/v1/admin/beds".into(),
        blank: Arc::new(move || BedInput { room_id: room, ..BedInput::default() }),
        edit: |b: &BedRow| (format!("/api/v1/admin/beds/{}", b.bed.id), b.input()),
        name: |b: &BedRow| b.bed.label.clone(),
        fields: Arc::new(move |draft| {
            view! {
                <Select draft label=Msg::OfficeRoom field="room_id" options=room_choices
                    get=|b: &BedInput| b.room_id.0.to_string()
                    set=|b: &mut BedInput, v| b.room_id.0 = v.parse().unwrap_or(0)/>
                <Text draft label=Msg::OfficeBedLabel field="label" get=|b: &BedInput| b.label.clone() set=|b: &mut BedInput, v| b.label = v/>
                <Text draft label=Msg::OfficeResident field="student_no"
                    get=|b: &BedInput| b.student_no.clone().unwrap_or_default() set=|b: &mut BedInput, v| b.student_no = Some(v)/>
            }
            .into_any()
        }),
    };
    let columns = vec![
        col(Msg::OfficeBedLabel, |b: &BedRow| b.bed.label.clone()),
        col(Msg::OfficeResidentCol, |b: &BedRow| match (&b.student_no, &b.student_name) {
            (Some(no), Some(name)) => format!("{name}（{no}）"),
            _ => String::new(),
        }),
    ];
    view! { <Crud title=Msg::OfficeBeds rows reload columns editing/> }.into_any()
}
