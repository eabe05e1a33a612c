//! Record forms over the generic frame: each is a draft of a `src/` type and its fields.

use crate::components::RequireUser;
use crate::i18n::{talk_reason_label, use_i18n, Msg};
use crate::pages::classes::class_id_param;
use crate::pages::fields::{CheckField, ChoiceField, FormFrame, TextField, TimeField};
use crate::pages::students::student_id_param;
use crate::state::use_store;
use leptos::prelude::*;
use rounds::{ClassCheck, ClassId, HomeVisit, RecordBody, StudentId, Talk, TalkReason};

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    rounds::school_time::now_in(&use_store().zone())
}

fn student_name(id: StudentId) -> String {
    use_store().roster.with_untracked(|r| r.student(id).map(|s| s.name.clone())).unwrap_or_default()
}

/// 谈心谈话, after the talk record form of 003.
#[component]
pub fn TalkPage() -> impl IntoView {
    let id = student_id_param();
    view! { <RequireUser>{move || id.get().map(|student| view! { <TalkForm student/> })}</RequireUser> }.into_any()
}

#[component]
fn TalkForm(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(Talk {
        student_id: student,
        talked_at: now(),
        place: String::new(),
        reason: TalkReason::Routine,
        problems: String::new(),
        assessment: String::new(),
        parents_contacted: false,
        refer_to_counseling: false,
        co_interviewers: String::new(),
    });
    let name = student_name(student);
    view! {
        <FormFrame
            title=Signal::derive(move || format!("{} · {}", i18n.t(Msg::KindTalk), name))
            to_body=Callback::new(move |_| Some(RecordBody::Talk(draft.get_untracked())))
            done=Signal::derive(move || format!("/students/{student}"))
        >
            <TimeField draft label=Msg::TalkedAt field="talked_at" get=|d| d.talked_at set=|d, v| d.talked_at = v/>
            <ChoiceField draft label=Msg::TalkReasonLabel options=TalkReason::ALL name=talk_reason_label get=|d| d.reason set=|d, v| d.reason = v/>
            <TextField draft label=Msg::Place field="place" get=|d| d.place.clone() set=|d, v| d.place = v/>
            <TextField draft label=Msg::Problems field="problems" multiline=true get=|d| d.problems.clone() set=|d, v| d.problems = v/>
            <TextField draft label=Msg::Assessment field="assessment" multiline=true get=|d| d.assessment.clone() set=|d, v| d.assessment = v/>
            <CheckField draft label=Msg::ParentsContacted get=|d| d.parents_contacted set=|d, v| d.parents_contacted = v/>
            <CheckField draft label=Msg::ReferToCounseling get=|d| d.refer_to_counseling set=|d, v| d.refer_to_counseling = v/>
            <TextField draft label=Msg::CoInterviewers field="co_interviewers" get=|d| d.co_interviewers.clone() set=|d, v| d.co_interviewers = v/>
        </FormFrame>
    }
    .into_any()
}

/// 家访, with the four contents of 004 §3.4.
#[component]
pub fn HomeVisitPage() -> impl IntoView {
    let id = student_id_param();
    view! { <RequireUser>{move || id.get().map(|student| view! { <HomeVisitForm student/> })}</RequireUser> }.into_any()
}

#[component]
fn HomeVisitForm(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(HomeVisit {
        student_id: student,
        visited_at: now(),
        address: String::new(),
        participants: use_store().user.with_untracked(|u| u.as_ref().map(|u| u.display_name.clone())).unwrap_or_default(),
        aid_policy: String::new(),
        news_exchanged: String::new(),
        student_situation: String::new(),
        joint_plan: String::new(),
        family_situation: String::new(),
        aid_given: String::new(),
    });
    let name = student_name(student);
    view! {
        <FormFrame
            title=Signal::derive(move || format!("{} · {}", i18n.t(Msg::KindHomeVisit), name))
            to_body=Callback::new(move |_| Some(RecordBody::HomeVisit(draft.get_untracked())))
            done=Signal::derive(move || format!("/students/{student}"))
        >
            <TimeField draft label=Msg::VisitedAt field="visited_at" get=|d| d.visited_at set=|d, v| d.visited_at = v/>
            <TextField draft label=Msg::Address field="address" get=|d| d.address.clone() set=|d, v| d.address = v/>
            <TextField draft label=Msg::Participants field="participants" get=|d| d.participants.clone() set=|d, v| d.participants = v/>
            <TextField draft label=Msg::AidPolicy field="aid_policy" multiline=true get=|d| d.aid_policy.clone() set=|d, v| d.aid_policy = v/>
            <TextField draft label=Msg::NewsExchanged field="news_exchanged" multiline=true get=|d| d.news_exchanged.clone() set=|d, v| d.news_exchanged = v/>
            <TextField draft label=Msg::StudentSituation field="student_situation" multiline=true get=|d| d.student_situation.clone() set=|d, v| d.student_situation = v/>
            <TextField draft label=Msg::JointPlan field="joint_plan" multiline=true get=|d| d.joint_plan.clone() set=|d, v| d.joint_plan = v/>
            <TextField draft label=Msg::FamilySituation field="family_situation" multiline=true get=|d| d.family_situation.clone() set=|d, v| d.family_situation = v/>
            <TextField draft label=Msg::AidGiven field="aid_given" multiline=true get=|d| d.aid_given.clone() set=|d, v| d.aid_given = v/>
        </FormFrame>
    }
    .into_any()
}

/// 查课: everyone starts present; a few taps mark the absent, the late and those who left early.
#[component]
pub fn ClassCheckPage() -> impl IntoView {
    let id = class_id_param();
    view! { <RequireUser>{move || id.get().map(|class| view! { <ClassCheckForm class/> })}</RequireUser> }.into_any()
}

#[derive(Clone, Copy, PartialEq)]
enum Attendance {
    Present,
    Absent,
    Late,
    LeftEarly,
}

#[component]
fn ClassCheckForm(class: ClassId) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let members: Vec<(StudentId, String)> = store.roster.with_untracked(|r| {
        r.students.iter().filter(|s| s.class_id == class).map(|s| (s.id, s.name.clone())).collect()
    });
    let class_name = store.roster.with_untracked(|r| r.class(class).map(|c| c.name.clone())).unwrap_or_default();
    let size = members.len() as u32;
    let draft = RwSignal::new(ClassCheck {
        class_id: class,
        checked_at: now(),
        course: String::new(),
        teacher: String::new(),
        period: String::new(),
        expected: size,
        present: size,
        absent: vec![],
        late: vec![],
        left_early: vec![],
        notes: String::new(),
    });
    let mark = move |id: StudentId, a: Attendance| {
        draft.update(|d| {
            for list in [&mut d.absent, &mut d.late, &mut d.left_early] {
                list.retain(|s| *s != id);
            }
            match a {
                Attendance::Present => {}
                Attendance::Absent => d.absent.push(id),
                Attendance::Late => d.late.push(id),
                Attendance::LeftEarly => d.left_early.push(id),
            }
            d.present = d.expected.saturating_sub(d.absent.len() as u32);
        })
    };
    let state_of = move |id: StudentId| {
        draft.with(|d| {
            if d.absent.contains(&id) {
                Attendance::Absent
            } else if d.late.contains(&id) {
                Attendance::Late
            } else if d.left_early.contains(&id) {
                Attendance::LeftEarly
            } else {
                Attendance::Present
            }
        })
    };
    view! {
        <FormFrame
            title=Signal::derive(move || format!("{} · {}", i18n.t(Msg::KindClassCheck), class_name))
            to_body=Callback::new(move |_| Some(RecordBody::ClassCheck(draft.get_untracked())))
            done=Signal::derive(move || format!("/classes/{class}"))
        >
            <TimeField draft label=Msg::CheckedAt field="checked_at" get=|d| d.checked_at set=|d, v| d.checked_at = v/>
            <TextField draft label=Msg::Course field="course" get=|d| d.course.clone() set=|d, v| d.course = v/>
            <TextField draft label=Msg::Teacher field="teacher" get=|d| d.teacher.clone() set=|d, v| d.teacher = v/>
            <TextField draft label=Msg::Period field="period" get=|d| d.period.clone() set=|d, v| d.period = v/>
            <p class="present-count" aria-live="polite">{move || i18n.tf(Msg::PresentCount, &[("n", draft.with(|d| d.present).to_string())])}</p>
            <div class="residents-form">
                {members.into_iter().enumerate().map(|(i, (id, name))| {
                    let legend = format!("attendance-{}", id.0);
                    let labelled = legend.clone();
                    view! {
                        <fieldset class="resident" class:absent=move || state_of(id) != Attendance::Present aria-labelledby=labelled>
                            <legend id=legend>{name}</legend>
                            <div class="segmented">
                                {[(Attendance::Present, Msg::Attending), (Attendance::Absent, Msg::Absent), (Attendance::Late, Msg::Late), (Attendance::LeftEarly, Msg::LeftEarly)]
                                    .into_iter().map(|(a, label)| view! {
                                        <label class="segment">
                                            <input type="radio" name=format!("attendance-{i}") prop:checked=move || state_of(id) == a on:change=move |_| mark(id, a)/>
                                            <span>{move || i18n.t(label)}</span>
                                        </label>
                                    }).collect_view()}
                            </div>
                        </fieldset>
                    }
                }).collect_view()}
            </div>
            <TextField draft label=Msg::Notes field="notes" multiline=true get=|d| d.notes.clone() set=|d, v| d.notes = v/>
        </FormFrame>
    }
    .into_any()
}
