//! What the office's plans share (the vacation home visits, the duty schedule): the list of plans
//! with how far each has come, and the staff named on one line of a plan, with the way to add
//! or take someone off.

use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::UserId;

/// One plan in the list: its record, title, an optional line under it, and its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCard {
    pub id: uuid::Uuid,
    pub title: String,
    pub subtitle: Option<String>,
    pub done: usize,
    pub total: usize,
}

/// The plans of one kind, newest first, each to its record page, with the way to a new one.
/// `progress` is a message with `{done}` and `{total}`.
#[component]
pub fn PlanCards(about: Msg, new_href: &'static str, new_label: Msg, none: Msg, progress: Msg, cards: Signal<Vec<PlanCard>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="muted">{move || i18n.t(about)}</p>
        <A href=new_href attr:class="button primary">{move || i18n.t(new_label)}</A>
        {move || {
            let cards = cards.get();
            if cards.is_empty() {
                return view! { <p class="muted">{move || i18n.t(none)}</p> }.into_any();
            }
            cards
                .into_iter()
                .map(|card| {
                    let PlanCard { id, title, subtitle, done, total } = card;
                    let label = title.clone();
                    view! {
                        <article class="card" aria-label=label>
                            <h2><A href=format!("/records/{id}")>{title}</A></h2>
                            {subtitle.map(|s| view! { <p class="muted">{s}</p> })}
                            <p>{move || i18n.tf(progress, &[("done", done.to_string()), ("total", total.to_string())])}</p>
                            <progress max=total.to_string() value=done.to_string()></progress>
                        </article>
                    }
                })
                .collect_view()
                .into_any()
        }}
    }
}

/// The staff named on one line of a plan, as chips; unless `locked`, each can be taken off and
/// anyone of `choices` added. `field` is where the validator names this line's staff.
#[component]
pub fn StaffChips(
    staff: Vec<UserId>,
    name: Callback<UserId, String>,
    choices: Signal<Vec<(UserId, String)>>,
    locked: bool,
    add_label: Msg,
    remove_label: Msg,
    on_add: Callback<UserId>,
    on_remove: Callback<UserId>,
    field: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {staff.into_iter().map(|s| view! {
            <span class="chip">{move || name.run(s)}
                <Show when=move || !locked>
                    <button type="button" class="link" aria-label=move || i18n.t(remove_label) on:click=move |_| on_remove.run(s)>"×"</button>
                </Show>
            </span>
        }).collect_view()}
        <Show when=move || !locked>
            <select aria-label=move || i18n.t(add_label)
                on:change=move |ev| {
                    if let Ok(id) = event_target_value(&ev).parse::<i64>() {
                        on_add.run(UserId(id));
                    }
                }>
                <option value="">{move || i18n.t(add_label)}</option>
                {move || choices.get().into_iter().map(|(id, n)| view! { <option value=id.0.to_string()>{n}</option> }).collect_view()}
            </select>
        </Show>
        <small class="field-error">{crate::pages::fields::field_error(field)}</small>
    }
}

/// A choice on one line of a plan (a visit's reason, a shift's time), read-only when `locked`.
#[component]
pub fn RowChoice<C>(
    options: &'static [C],
    current: C,
    label: Msg,
    name: fn(C, crate::i18n::Lang) -> &'static str,
    locked: bool,
    on_pick: Callback<C>,
) -> impl IntoView
where
    C: Copy + std::fmt::Debug + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <select disabled=locked aria-label=move || i18n.t(label)
            on:change=move |ev| {
                let value = event_target_value(&ev);
                if let Some(c) = options.iter().find(|c| format!("{c:?}") == value) {
                    on_pick.run(*c);
                }
            }>
            {options.iter().map(|c| {
                let c = *c;
                view! { <option value=format!("{c:?}") selected=c == current>{move || name(c, i18n.lang())}</option> }
            }).collect_view()}
        </select>
    }
}

/// Takes one line off a plan, unless `locked`.
#[component]
pub fn RemoveLine(locked: bool, on_remove: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || !locked>
            <button type="button" class="link danger" on:click=move |_| on_remove.run(())>{move || i18n.t(Msg::VisitPlanRemove)}</button>
        </Show>
    }
}
