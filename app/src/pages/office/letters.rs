//! 《致家长的一封信》 and 喜报 (004 三(二)2, 3): the office sends a batch (one letter record per
//! class, or per student for a 喜报), each class's staff receive theirs with the sync, deliver
//! it and record the delivery as a parent contact naming the letter, with the family's answer
//! and what was done about it. The office follows each batch's progress; staff see on Today the
//! families still to reach.

use super::OfficePage;
use crate::i18n::{use_i18n, Msg};
use crate::pages::fields::{initial_draft, read_only, ErrorSummary, FormErrors, FormFrame, TextField};
use crate::state::use_store;
use leptos::prelude::*;
use leptos_router::components::A;
use rounds::sorting::Order;
use rounds::*;
use std::collections::BTreeMap;
use uuid::Uuid;

/// How long after its "deliver by" date a letter still stands on Today.
const LETTER_REMINDER_DAYS: i64 = 30;

/// The letters on this device with their ids, newest first.
fn letters_on_device() -> Vec<(Uuid, ParentLetter)> {
    let mut letters = use_store().current_of::<ParentLetter>();
    letters.order_by_key(|(_, l)| std::cmp::Reverse(l.sent_at));
    letters
}

/// The deliveries of each of `letters`, reading the device's records once: the contacts that
/// deliver some letter are picked out first (an office desk holds the school's records, and a
/// semester's batch is a letter per class).
fn deliveries_of_all(letters: &[(Uuid, ParentLetter)]) -> Vec<Vec<LetterDelivery>> {
    let store = use_store();
    store.records.with(|all| {
        let delivering: Vec<&RecordEnvelope> =
            all.iter().map(|r| &r.record).filter(|r| matches!(&r.body, RecordBody::ParentContact(c) if c.letter_id.is_some())).collect();
        store.roster.with(|roster| letters.iter().map(|(id, l)| l.deliveries(*id, roster, &delivering)).collect())
    })
}

/// The deliveries of one letter.
fn deliveries_of(id: Uuid, letter: &ParentLetter) -> Vec<LetterDelivery> {
    deliveries_of_all(&[(id, letter.clone())]).pop().unwrap_or_default()
}

/// The letter a parent contact form was opened to deliver (`?letter=<id>`), when it is on the phone.
pub fn letter_from_query() -> Option<(Uuid, ParentLetter)> {
    let id: Uuid = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("letter"))?.parse().ok()?;
    use_store()
        .records
        .with_untracked(|all| all.iter().find(|r| r.record.id == id).and_then(|r| <&ParentLetter>::try_from(&r.record.body).ok()).map(|l| (id, l.clone())))
}

/// Totals of deliveries: (reached, families, answered, followed up).
fn totals(deliveries: &[LetterDelivery]) -> (usize, usize, usize, usize) {
    (
        deliveries.iter().filter(|d| d.delivered_on.is_some()).count(),
        deliveries.len(),
        deliveries.iter().filter(|d| d.answered).count(),
        deliveries.iter().filter(|d| d.followed_up).count(),
    )
}

/// `/office/letters`
#[component]
pub fn LettersPage() -> impl IntoView {
    view! { <OfficePage title=Msg::Letters><Batches/></OfficePage> }.into_any()
}

/// Every batch with its progress, and each class's or student's letter in it.
#[component]
fn Batches() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    view! {
        <p class="muted">{move || i18n.t(Msg::LettersAbout)}</p>
        <A href="/office/letters/new" attr:class="button primary">{move || i18n.t(Msg::LetterNewBatch)}</A>
        {move || {
            let mut batches: BTreeMap<Uuid, Vec<(Uuid, ParentLetter)>> = BTreeMap::new();
            for (id, letter) in letters_on_device() {
                batches.entry(letter.batch_id).or_default().push((id, letter));
            }
            if batches.is_empty() {
                return view! { <p class="muted">{move || i18n.t(Msg::LettersNone)}</p> }.into_any();
            }
            let mut batches: Vec<Vec<(Uuid, ParentLetter)>> = batches.into_values().collect();
            batches.order_by_key(|b| std::cmp::Reverse(b[0].1.sent_at));
            batches
                .into_iter()
                .map(|letters| {
                    let first = letters[0].1.clone();
                    let rows: Vec<(Uuid, String, Vec<LetterDelivery>)> = letters
                        .iter()
                        .zip(deliveries_of_all(&letters))
                        .map(|((id, l), delivered)| {
                            let name = store.roster.with(|r| match l.student_id {
                                Some(s) => r.student(s).map(|s| s.name.clone()),
                                None => r.class(l.class_id).map(|c| c.name.clone()),
                            });
                            (*id, name.unwrap_or_else(|| format!("#{}", l.class_id.0)), delivered)
                        })
                        .collect();
                    let all: Vec<LetterDelivery> = rows.iter().flat_map(|(_, _, d)| d.clone()).collect();
                    let (done, total, answered, followed) = totals(&all);
                    let label = first.title.clone();
                    let kind = first.letter;
                    let heading = first.title.clone();
                    let span = format!("{} → {}", first.sent_at.date_naive(), first.deliver_by);
                    view! {
                        <article class="card" aria-label=label>
                            <h2>{heading}</h2>
                            <p class="muted">{move || crate::i18n::letter_kind_label(kind, i18n.lang())}" · "{span}</p>
                            <p>{move || i18n.tf(Msg::LetterProgress, &[
                                ("done", done.to_string()), ("total", total.to_string()),
                                ("answered", answered.to_string()), ("followed", followed.to_string()),
                            ])}</p>
                            <progress max=total.to_string() value=done.to_string()></progress>
                            <table class="ledger">
                                <tbody>
                                    {rows.into_iter().map(|(id, name, d)| {
                                        let (done, total, answered, _) = totals(&d);
                                        view! {
                                            <tr>
                                                <td><A href=format!("/records/{id}")>{name}</A></td>
                                                <td>{format!("{done} / {total}")}</td>
                                                <td>{format!("{answered}")}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </article>
                    }
                })
                .collect_view()
                .into_any()
        }}
    }
    .into_any()
}

/// `/office/letters/new`: one letter per chosen class, or per chosen student for a 喜报, saved
/// together as one batch (each a record of its own, refused or kept alone).
#[component]
pub fn NewLetterBatchPage() -> impl IntoView {
    view! { <OfficePage title=Msg::LetterNewBatch><NewBatch/></OfficePage> }.into_any()
}

#[component]
fn NewBatch() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let today = rounds::school_time::now_in(&store.zone()).date_naive();
    let kind = RwSignal::new(LetterKind::SemesterLetter);
    let title = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let deliver_by = RwSignal::new((today + chrono::Duration::days(14)).to_string());
    let classes = RwSignal::new(Vec::<ClassId>::new());
    let students = RwSignal::new(Vec::<StudentId>::new());
    let errors = FormErrors(RwSignal::new(Vec::new()));
    let saving = RwSignal::new(false);
    let sent = RwSignal::new(None::<usize>);
    let nothing_chosen = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let class_list = move || store.roster.with(|r| r.classes.iter().map(|c| (c.id, c.name.clone())).collect::<Vec<_>>());
    // 004 三(二)3: students with an honour or award recorded this semester (on this device).
    let add_honoured = move |_| {
        let since = today - chrono::Duration::days(180);
        let found: Vec<StudentId> = store.records.with_untracked(|all| {
            all.iter()
                .filter(|r| !r.record.deleted)
                .filter_map(|r| match &r.record.body {
                    RecordBody::StudentEvent(e)
                        if matches!(e.event, StudentEventKind::Honour | StudentEventKind::Award) && e.occurred_at.date_naive() >= since =>
                    {
                        Some(e.student_id)
                    }
                    _ => None,
                })
                .collect()
        });
        students.update(|list| {
            for s in found {
                if !list.contains(&s) {
                    list.push(s);
                }
            }
        });
    };
    let add_found = move |_| {
        let q = query.get_untracked();
        let found = store.roster.with_untracked(|r| r.students.iter().find(|s| s.student_no == q.trim() || s.name == q.trim()).map(|s| s.id));
        if let Some(s) = found {
            students.update(|list| {
                if !list.contains(&s) {
                    list.push(s);
                }
            });
            query.set(String::new());
        }
    };
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(deliver_by) = deliver_by.get_untracked().trim().parse::<chrono::NaiveDate>() else {
            errors.0.set(vec![FieldError { field: "deliver_by".into(), code: "malformed".into(), message: String::new() }]);
            return;
        };
        let batch_id = Uuid::now_v7();
        let sent_at = rounds::school_time::now_in(&store.zone());
        let base = |class_id: ClassId, student_id: Option<StudentId>| ParentLetter {
            letter: kind.get_untracked(),
            batch_id,
            title: title.get_untracked(),
            sent_at,
            deliver_by,
            class_id,
            student_id,
            content: content.get_untracked(),
        };
        let letters: Vec<ParentLetter> = match kind.get_untracked() {
            LetterKind::SemesterLetter => classes.get_untracked().into_iter().map(|c| base(c, None)).collect(),
            LetterKind::GoodNews => store
                .roster
                .with_untracked(|r| students.get_untracked().into_iter().filter_map(|s| r.student(s).map(|st| base(st.class_id, Some(s)))).collect()),
        };
        nothing_chosen.set(letters.is_empty());
        if letters.is_empty() {
            return;
        }
        // The batch's common fields are checked once, before any letter is kept: a bad title
        // would otherwise be refused once per class.
        let now = rounds::school_time::now_in(&store.zone());
        let first_errors =
            store.roster.with_untracked(|roster| RecordBody::ParentLetter(letters[0].clone()).validate(&rounds::record::ValidationContext { roster, now }));
        if !first_errors.is_empty() {
            errors.0.set(first_errors.0);
            return;
        }
        errors.0.set(Vec::new());
        #[cfg(feature = "hydrate")]
        {
            saving.set(true);
            leptos::task::spawn_local(async move {
                let mut kept = 0;
                for letter in letters {
                    match crate::client::save(store, RecordBody::ParentLetter(letter), None, false).await {
                        Ok(_) => kept += 1,
                        Err(e) => errors.show(e),
                    }
                }
                saving.set(false);
                sent.set(Some(kept));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (letters, saving);
    };
    view! {
        <form class="letter-batch" on:submit=send>
            <ErrorSummary errors/>
            <Show when=move || nothing_chosen.get()>
                <p class="error" role="alert">{move || i18n.t(Msg::LetterNothingChosen)}</p>
            </Show>
            <label class="field">
                <span>{move || i18n.t(Msg::LetterKindField)}</span>
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    kind.set(LetterKind::ALL.iter().copied().find(|k| format!("{k:?}") == v).unwrap_or(LetterKind::SemesterLetter));
                }>
                    {LetterKind::ALL.iter().map(|k| {
                        let k = *k;
                        view! { <option value=format!("{k:?}") selected=move || kind.get() == k>{move || crate::i18n::letter_kind_label(k, i18n.lang())}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span>{move || i18n.t(Msg::LetterTitle)}</span>
                <input type="text" required prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <label class="field">
                <span>{move || i18n.t(Msg::LetterContent)}</span>
                <textarea prop:value=move || content.get() on:input=move |ev| content.set(event_target_value(&ev))></textarea>
            </label>
            <label class="field">
                <span>{move || i18n.t(Msg::LetterDeliverBy)}</span>
                <input type="date" prop:value=move || deliver_by.get() on:input=move |ev| deliver_by.set(event_target_value(&ev))/>
            </label>
            <Show when=move || kind.get() == LetterKind::SemesterLetter>
                <fieldset>
                    <legend>{move || i18n.t(Msg::LetterClasses)}</legend>
                    <button type="button" class="secondary" on:click=move |_| classes.set(class_list().into_iter().map(|(id, _)| id).collect())>
                        {move || i18n.t(Msg::LetterAllClasses)}
                    </button>
                    <div class="choices">
                        {move || class_list().into_iter().map(|(id, name)| view! {
                            <label class="choice">
                                <input type="checkbox" prop:checked=move || classes.with(|c| c.contains(&id))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        classes.update(|c| if on { if !c.contains(&id) { c.push(id) } } else { c.retain(|x| *x != id) });
                                    }/>
                                {name}
                            </label>
                        }).collect_view()}
                    </div>
                </fieldset>
            </Show>
            <Show when=move || kind.get() == LetterKind::GoodNews>
                <fieldset>
                    <legend>{move || i18n.t(Msg::LetterStudents)}</legend>
                    <div class="row">
                        <button type="button" class="secondary" on:click=add_honoured>{move || i18n.t(Msg::LetterAddHonoured)}</button>
                        <label class="field">
                            <span>{move || i18n.t(Msg::VisitPlanFind)}</span>
                            <input type="search" prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
                        </label>
                        <button type="button" class="secondary" on:click=add_found>{move || i18n.t(Msg::VisitPlanAdd)}</button>
                    </div>
                    <ul>
                        {move || students.get().into_iter().map(|s| {
                            let name = store.roster.with_untracked(|r| r.student(s).map(|st| format!("{} · {}", st.name, st.student_no))).unwrap_or_default();
                            view! {
                                <li>{name}" "
                                    <button type="button" class="link danger" on:click=move |_| students.update(|l| l.retain(|x| *x != s))>
                                        {move || i18n.t(Msg::VisitPlanRemove)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </fieldset>
            </Show>
            <button type="submit" class="primary big" disabled=move || saving.get()>
                {move || if saving.get() { i18n.t(Msg::LetterSending) } else { i18n.t(Msg::LetterSend) }}
            </button>
            {move || sent.get().map(|n| view! { <p role="status">{i18n.tf(Msg::LetterSent, &[("n", n.to_string())])}</p> })}
        </form>
    }
    .into_any()
}

/// One letter on its record page: what it says (the office edits it), and each family's
/// delivery, with the way to record one.
#[component]
pub fn ParentLetterForm() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let now = rounds::school_time::now_in(&store.zone());
    let draft = RwSignal::new(initial_draft(|| ParentLetter {
        letter: LetterKind::SemesterLetter,
        batch_id: Uuid::now_v7(),
        title: String::new(),
        sent_at: now,
        deliver_by: now.date_naive(),
        class_id: ClassId(0),
        student_id: None,
        content: String::new(),
    }));
    let saved_id = crate::pages::fields::editing().map(|e| e.id);
    let locked = read_only();
    let title = Signal::derive(move || draft.with(|d| d.title.clone()));
    let deliveries = move || saved_id.map(|id| draft.with(|l| deliveries_of(id, l))).unwrap_or_default();
    view! {
        <FormFrame title to_body=Callback::new(move |_| Some(RecordBody::ParentLetter(draft.get_untracked())))
            done=Signal::derive(|| "/office/letters".to_string())>
            <p class="muted">{move || crate::i18n::letter_kind_label(draft.with(|d| d.letter), i18n.lang())}</p>
            <TextField draft label=Msg::LetterTitle field="title" get=|d| d.title.clone() set=|d, v| d.title = v/>
            <TextField draft label=Msg::LetterDeliverBy field="deliver_by" get=|d| d.deliver_by.to_string()
                set=|d, v| if let Ok(day) = v.trim().parse() { d.deliver_by = day }/>
            <TextField draft label=Msg::LetterContent field="content" multiline=true get=|d| d.content.clone() set=|d, v| d.content = v/>
        </FormFrame>
        <Show when=move || locked && saved_id.is_some()>
            <table class="ledger" aria-label=move || i18n.t(Msg::Letters)>
                <thead><tr>
                    <th>{move || i18n.t(Msg::LetterFamily)}</th>
                    <th>{move || i18n.t(Msg::LetterDelivered)}</th>
                    <th>{move || i18n.t(Msg::LetterAnswered)}</th>
                    <th>{move || i18n.t(Msg::LetterFollowedUp)}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    {move || {
                        let scope = store.scope();
                        deliveries().into_iter().map(|d| {
                        let s = d.student_id;
                        let name = store.roster.with(|r| r.student(s).map(|st| st.name.clone())).unwrap_or_else(|| format!("#{}", s.0));
                        let may = scope.as_ref().is_some_and(|sc| sc.access(Subject::Student(s)).may_write(LinkedAccess::None)) && d.delivered_on.is_none();
                        let href = saved_id.map(|id| format!("/students/{s}/parent-contact?letter={id}&back=/records/{id}")).unwrap_or_default();
                        view! {
                            <tr>
                                <td>{name.clone()}</td>
                                <td>{d.delivered_on.map(|d| d.to_string()).unwrap_or_else(|| i18n.t(Msg::LetterNotYet).to_string())}</td>
                                <td>{if d.answered { "✓" } else { "" }}</td>
                                <td>{if d.followed_up { "✓" } else { "" }}</td>
                                <td>{may.then(|| view! {
                                    <A href=href.clone() attr:class="button secondary" attr:aria-label=format!("{} {name}", i18n.t(Msg::LetterRecordDelivery))>
                                        {move || i18n.t(Msg::LetterRecordDelivery)}
                                    </A>
                                })}</td>
                            </tr>
                        }
                    }).collect_view()
                    }}
                </tbody>
            </table>
        </Show>
    }
    .into_any()
}

/// Today's line for staff with letters still to deliver: one per letter, to its page.
#[component]
pub fn MyLetters() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let owed = move || {
        let user = store.user.with(|u| u.clone())?;
        if user.role.sees_everything() {
            return None;
        }
        let today = rounds::school_time::now_in(&store.zone()).date_naive();
        // A letter long past its date stops asking (its page still lists who was not reached).
        let current: Vec<(Uuid, ParentLetter)> =
            letters_on_device().into_iter().filter(|(_, l)| today <= l.deliver_by + chrono::Duration::days(LETTER_REMINDER_DAYS)).collect();
        let list: Vec<(Uuid, String, usize, chrono::NaiveDate)> = current
            .iter()
            .zip(deliveries_of_all(&current))
            .filter_map(|((id, l), delivered)| {
                let left = delivered.iter().filter(|d| d.delivered_on.is_none()).count();
                (left > 0).then(|| (*id, l.title.clone(), left, l.deliver_by))
            })
            .collect();
        (!list.is_empty()).then_some(list)
    };
    view! {
        {move || owed().map(|list| view! {
            <crate::components::TodayList title=Msg::LetterTodayTitle>
                {list.into_iter().map(|(id, title, left, by)| view! {
                    <li>
                        <A href=format!("/records/{id}")>
                            {move || i18n.tf(Msg::LetterTodayLine, &[("title", title.clone()), ("n", left.to_string()), ("date", by.to_string())])}
                        </A>
                    </li>
                }).collect_view()}
            </crate::components::TodayList>
        })}
    }
}
