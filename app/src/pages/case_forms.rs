//! The forms of an assistance case (帮扶): the case itself (the office's), the staff's plan and
//! evaluation, and a volunteer's session. Drafts of `src/` types over the generic frame, like
//! every other form.

use crate::components::RequireUser;
use crate::i18n::*;
use crate::pages::fields::{initial_draft, now, read_only, student_name, CheckField, ChoiceField, FormFrame, TextField, TimeField};
use crate::pages::params::student_id_param;
use crate::state::use_store;
use leptos::prelude::*;
use rounds::assistance::{AcademicLevel, AssistanceCategory};
use rounds::*;

/// The current semester's term (`2026-2027-1`), from the school calendar on the phone.
pub fn current_term() -> String {
    let today = now().date_naive();
    use_store().duty_setup.with_untracked(|s| s.as_ref().and_then(|setup| setup.calendar.term_on(today)).unwrap_or_default())
}

/// `/students/:id/volunteer-session`
#[component]
pub fn VolunteerSessionPage() -> impl IntoView {
    let id = student_id_param();
    view! { <RequireUser>{move || id.get().map(|student| view! { <VolunteerSessionForm student/> })}</RequireUser> }.into_any()
}

/// A peer volunteer's session with the student (003 六), recorded by the supervising counselor.
#[component]
pub fn VolunteerSessionForm(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    // The helper paired in the student's case, when there is one.
    let paired = open_case(student).and_then(|c| c.pairings.last().cloned());
    let draft = RwSignal::new(initial_draft(|| VolunteerSession {
        student_id: student,
        held_at: now(),
        volunteer_id: paired.as_ref().and_then(|p| p.volunteer_id),
        volunteer_name: paired.map(|p| p.name).unwrap_or_default(),
        minutes: 60,
        content: String::new(),
    }));
    let name = student_name(student);
    view! {
        <FormFrame
            title=Signal::derive(move || format!("{} · {}", i18n.t(Msg::KindVolunteerSession), name))
            to_body=Callback::new(move |_| Some(RecordBody::VolunteerSession(draft.get_untracked())))
            done=Signal::derive(move || format!("/students/{student}"))
        >
            <TimeField draft label=Msg::SessionHeldAt field="held_at" get=|d| d.held_at set=|d, v| d.held_at = v/>
            <TextField draft label=Msg::VolunteerName field="volunteer_name" get=|d| d.volunteer_name.clone() set=|d, v| d.volunteer_name = v/>
            <TextField draft label=Msg::SessionMinutes field="minutes" get=|d| d.minutes.to_string() set=|d, v| d.minutes = v.trim().parse().unwrap_or(0)/>
            <TextField draft label=Msg::SessionContent field="content" multiline=true get=|d| d.content.clone() set=|d, v| d.content = v/>
        </FormFrame>
    }
    .into_any()
}

/// `/students/:id/assistance-note`
#[component]
pub fn AssistanceNotePage() -> impl IntoView {
    let id = student_id_param();
    view! { <RequireUser>{move || id.get().map(|student| view! { <AssistanceNoteForm student/> })}</RequireUser> }.into_any()
}

/// The plan (帮扶方案) or the head teacher's semester evaluation (效果评价) of a case.
#[component]
pub fn AssistanceNoteForm(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(initial_draft(|| AssistanceNote {
        student_id: student,
        written_at: now(),
        part: NotePart::Plan,
        term: String::new(),
        text: String::new(),
    }));
    let term = current_term();
    // An evaluation is of the current semester unless typed otherwise; a plan of none.
    Effect::new(move |_| {
        let part = draft.with(|d| d.part);
        draft.update(|d| match part {
            NotePart::Evaluation if d.term.is_empty() => d.term = term.clone(),
            NotePart::Plan if !d.term.is_empty() => d.term.clear(),
            _ => {}
        });
    });
    let name = student_name(student);
    view! {
        <FormFrame
            title=Signal::derive(move || format!("{} · {}", i18n.t(Msg::KindAssistanceNote), name))
            to_body=Callback::new(move |_| Some(RecordBody::AssistanceNote(draft.get_untracked())))
            done=Signal::derive(move || format!("/students/{student}"))
        >
            <ChoiceField draft label=Msg::NotePartLabel options=NotePart::ALL name=note_part_label get=|d| d.part set=|d, v| d.part = v/>
            <TimeField draft label=Msg::WrittenAt field="written_at" get=|d| d.written_at set=|d, v| d.written_at = v/>
            <Show when=move || draft.with(|d| d.part == NotePart::Evaluation)>
                <TextField draft label=Msg::TermLabel field="term" get=|d| d.term.clone() set=|d, v| d.term = v.trim().to_string()/>
            </Show>
            <TextField draft label=Msg::NoteText field="text" multiline=true get=|d| d.text.clone() set=|d, v| d.text = v/>
        </FormFrame>
    }
    .into_any()
}

const LEVELS: [Option<AcademicLevel>; 4] = [None, Some(AcademicLevel::One), Some(AcademicLevel::Two), Some(AcademicLevel::Three)];

fn level_choice(level: Option<AcademicLevel>, lang: Lang) -> &'static str {
    match level {
        Some(l) => level_label(l, lang),
        None => Msg::CaseNoLevel.text(lang),
    }
}

/// The open case of a student on the phone, if any: the latest by opening.
pub fn open_case(student: StudentId) -> Option<AssistanceCase> {
    use_store().records.with_untracked(|all| crate::pages::case_print::cases_in(all, student)).into_iter().find(|(_, c)| c.is_open()).map(|(_, c)| c)
}

/// `/students/:id/case`: the office opens a case by hand (hardship, psychological, discipline,
/// behaviour; or academic outside an identification).
#[component]
pub fn AssistanceCasePage() -> impl IntoView {
    let id = student_id_param();
    view! { <RequireUser>{move || id.get().map(|student| view! { <AssistanceCaseForm student/> })}</RequireUser> }.into_any()
}

/// 帮扶档案: the office writes it; staff see it read-only on the record page.
#[component]
pub fn AssistanceCaseForm(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(initial_draft(|| AssistanceCase {
        student_id: student,
        category: AssistanceCategory::Hardship,
        level: None,
        opened_at: now(),
        term: String::new(),
        basis: String::new(),
        head_teacher: String::new(),
        counselor: String::new(),
        class_rank: String::new(),
        pairings: vec![],
        help_group: vec![],
        closure: None,
    }));
    let name = student_name(student);
    let today = now().date_naive();
    view! {
        <FormFrame
            title=Signal::derive(move || format!("{} · {}", i18n.t(Msg::KindAssistanceCase), name))
            to_body=Callback::new(move |_| Some(RecordBody::AssistanceCase(draft.get_untracked())))
            done=Signal::derive(move || format!("/students/{student}"))
        >
            <ChoiceField draft label=Msg::CaseCategory options=&AssistanceCategory::ALL name=case_category_label get=|d| d.category set=|d, v| d.category = v/>
            <ChoiceField draft label=Msg::CaseLevel options=&LEVELS name=level_choice get=|d| d.level set=|d, v| d.level = v/>
            <TimeField draft label=Msg::OpenedAt field="opened_at" get=|d| d.opened_at set=|d, v| d.opened_at = v/>
            <TextField draft label=Msg::CaseTerm field="term" get=|d| d.term.clone() set=|d, v| d.term = v.trim().to_string()/>
            <TextField draft label=Msg::CaseBasis field="basis" get=|d| d.basis.clone() set=|d, v| d.basis = v/>
            <TextField draft label=Msg::CaseHeadTeacher field="head_teacher" get=|d| d.head_teacher.clone() set=|d, v| d.head_teacher = v/>
            <TextField draft label=Msg::CaseCounselor field="counselor" get=|d| d.counselor.clone() set=|d, v| d.counselor = v/>
            <TextField draft label=Msg::ClassRank field="class_rank" get=|d| d.class_rank.clone() set=|d, v| d.class_rank = v/>
            <TextField draft label=Msg::HelpGroup field="help_group" get=|d| d.help_group.join("、") set=|d, v| d.help_group = split_names(&v)/>
            <PairingsField draft today/>
            <CheckField draft label=Msg::CloseCase get=|d: &AssistanceCase| d.closure.is_some()
                set=move |d: &mut AssistanceCase, on| d.closure = on.then(|| CaseClosure { closed_on: today, outcome: CaseOutcome::Improved, note: String::new() })/>
            <Show when=move || draft.with(|d| d.closure.is_some())>
                <TextField draft label=Msg::ClosedOn field="closure.closed_on"
                    get=|d| d.closure.as_ref().map(|c| c.closed_on.to_string()).unwrap_or_default()
                    set=|d, v| if let (Some(c), Ok(day)) = (d.closure.as_mut(), v.trim().parse()) { c.closed_on = day }/>
                <ChoiceField draft label=Msg::CaseOutcomeLabel options=CaseOutcome::ALL name=outcome_label
                    get=|d| d.closure.as_ref().map_or(CaseOutcome::Improved, |c| c.outcome)
                    set=|d, v| if let Some(c) = d.closure.as_mut() { c.outcome = v }/>
                <TextField draft label=Msg::ClosureNote field="closure.note" multiline=true
                    get=|d| d.closure.as_ref().map(|c| c.note.clone()).unwrap_or_default()
                    set=|d, v| if let Some(c) = d.closure.as_mut() { c.note = v }/>
            </Show>
        </FormFrame>
    }
    .into_any()
}

/// Names typed in one line, separated by 、 , ; or spaces.
pub fn split_names(line: &str) -> Vec<String> {
    line.split(['、', ',', '，', ';', '；', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

/// The helpers paired with the student, one block each.
#[component]
fn PairingsField(draft: RwSignal<AssistanceCase>, today: chrono::NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let locked = read_only();
    let count = move || draft.with(|d| d.pairings.len());
    let add = move |_| {
        draft.update(|d| {
            d.pairings.push(Pairing {
                volunteer_id: None,
                name: String::new(),
                student_no: String::new(),
                contact: String::new(),
                last_term_result: String::new(),
                paired_on: today,
            })
        })
    };
    type Get = fn(&Pairing) -> String;
    type Set = fn(&mut Pairing, String);
    let fields: [(Msg, Get, Set); 5] = [
        (Msg::PairingName, |p| p.name.clone(), |p, v| p.name = v),
        (Msg::PairingStudentNo, |p| p.student_no.clone(), |p, v| p.student_no = v.trim().to_string()),
        (Msg::PairingContact, |p| p.contact.clone(), |p, v| p.contact = v),
        (Msg::PairingResult, |p| p.last_term_result.clone(), |p, v| p.last_term_result = v),
        (
            Msg::PairingDate,
            |p| p.paired_on.to_string(),
            |p, v| {
                if let Ok(day) = v.trim().parse() {
                    p.paired_on = day
                }
            },
        ),
    ];
    view! {
        <fieldset class="pairings">
            <legend>{move || i18n.t(Msg::Pairings)}</legend>
            {move || (0..count()).map(|i| view! {
                <div class="pairing">
                    {fields.iter().map(|(label, get, set)| {
                        let (label, get, set) = (*label, *get, *set);
                        view! {
                            <label class="field">
                                <span>{move || i18n.t(label)}</span>
                                <input type="text"
                                    prop:value=move || draft.with(|d| d.pairings.get(i).map(get).unwrap_or_default())
                                    on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| if let Some(p) = d.pairings.get_mut(i) { set(p, v) }); }/>
                            </label>
                        }
                    }).collect_view()}
                    <Show when=move || !locked>
                        <button type="button" class="link danger" on:click=move |_| draft.update(|d| { if i < d.pairings.len() { d.pairings.remove(i); } })>
                            {move || i18n.t(Msg::RemovePairing)}
                        </button>
                    </Show>
                </div>
            }).collect_view()}
            <Show when=move || !locked>
                <button type="button" class="secondary" on:click=add>{move || i18n.t(Msg::AddPairing)}</button>
            </Show>
        </fieldset>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_chinese_and_latin_separators() {
        assert_eq!(split_names("王芳、陈静，李明; 赵强  "), vec!["王芳", "陈静", "李明", "赵强"]);
        assert!(split_names(" 、 ").is_empty());
    }
}
