//! Record forms over the generic frame: each is a draft of a `src/` type and its fields.

use crate::components::RequireUser;
use crate::i18n::*;
use crate::pages::fields::{initial_draft, now, student_name, titled, toggle, CheckField, ChoiceField, FormFrame, StudentChecklist, TextField, TimeField};
use crate::pages::params::class_id_param;
use crate::pages::params::room_id_param;
use crate::pages::params::student_id_param;
use crate::state::use_store;
use leptos::prelude::*;
use rounds::*;

/// 谈心谈话, after the talk record form of 003.
#[component]
pub fn TalkPage() -> impl IntoView {
    let id = student_id_param();
    view! { <RequireUser>{move || id.get().map(|student| view! { <TalkForm student/> })}</RequireUser> }.into_any()
}

#[component]
pub fn TalkForm(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(initial_draft(|| Talk {
        student_id: student,
        talked_at: now(),
        place: String::new(),
        reason: TalkReason::Routine,
        problems: String::new(),
        assessment: String::new(),
        parents_contacted: false,
        refer_to_counseling: false,
        co_interviewers: String::new(),
        study_plan: String::new(),
    }));
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
            <TextField draft label=Msg::StudyPlan field="study_plan" multiline=true get=|d| d.study_plan.clone() set=|d, v| d.study_plan = v/>
            <small class="hint">{move || i18n.t(Msg::StudyPlanHint)}</small>
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
pub fn HomeVisitForm(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(initial_draft(|| HomeVisit {
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
    }));
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
pub fn ClassCheckForm(class: ClassId) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let members: Vec<(StudentId, String)> =
        store.roster.with_untracked(|r| r.students.iter().filter(|s| s.class_id == class).map(|s| (s.id, s.name.clone())).collect());
    let class_name = store.roster.with_untracked(|r| r.class(class).map(|c| c.name.clone())).unwrap_or_default();
    let size = members.len() as u32;
    let draft = RwSignal::new(initial_draft(|| ClassCheck {
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
    }));
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

fn class_name(id: ClassId) -> String {
    use_store().roster.with_untracked(|r| r.class(id).map(|c| c.name.clone())).unwrap_or_default()
}

fn class_members(id: ClassId) -> Vec<(StudentId, String)> {
    use_store().roster.with_untracked(|r| r.students.iter().filter(|s| s.class_id == id).map(|s| (s.id, s.name.clone())).collect())
}

/// `查寝 · 1-101`-style form titles.
/// 家长联系
#[component]
pub fn ParentContactPage() -> impl IntoView {
    let id = student_id_param();
    view! { <RequireUser>{move || id.get().map(|student| view! { <ParentContactForm student/> })}</RequireUser> }.into_any()
}

#[component]
pub fn ParentContactForm(student: StudentId) -> impl IntoView {
    // `?letter=<id>`: delivering the office's letter (致家长的一封信, 喜报) to this family.
    let letter = crate::pages::office::letters::letter_from_query();
    let draft = RwSignal::new(initial_draft(|| ParentContact {
        student_id: student,
        contacted_at: now(),
        guardian: String::new(),
        channel: ContactChannel::Phone,
        reason: letter.as_ref().map_or(ParentContactReason::Routine, |(_, l)| l.contact_reason()),
        content: letter.as_ref().map(|(_, l)| l.title.clone()).unwrap_or_default(),
        feedback: String::new(),
        follow_up: String::new(),
        letter_id: letter.as_ref().map(|(id, _)| *id),
    }));
    view! {
        <FormFrame title=titled(Msg::KindParentContact, student_name(student))
            to_body=Callback::new(move |_| Some(RecordBody::ParentContact(draft.get_untracked())))
            done=Signal::derive(move || format!("/students/{student}"))>
            <TimeField draft label=Msg::ContactedAt field="contacted_at" get=|d| d.contacted_at set=|d, v| d.contacted_at = v/>
            <TextField draft label=Msg::Guardian field="guardian" get=|d| d.guardian.clone() set=|d, v| d.guardian = v/>
            <ChoiceField draft label=Msg::Channel options=ContactChannel::ALL name=channel_label get=|d| d.channel set=|d, v| d.channel = v/>
            <ChoiceField draft label=Msg::ContactReason options=ParentContactReason::ALL name=contact_reason_label get=|d| d.reason set=|d, v| d.reason = v/>
            <TextField draft label=Msg::Content field="content" multiline=true get=|d| d.content.clone() set=|d, v| d.content = v/>
            <TextField draft label=Msg::Feedback field="feedback" multiline=true get=|d| d.feedback.clone() set=|d, v| d.feedback = v/>
            <TextField draft label=Msg::FollowUp field="follow_up" multiline=true get=|d| d.follow_up.clone() set=|d, v| d.follow_up = v/>
        </FormFrame>
    }
    .into_any()
}

/// 家校沟通事项 (004 三(二)): what happened to a student that the parents must hear of; each
/// starts a contact duty.
#[component]
pub fn StudentEventPage() -> impl IntoView {
    let id = student_id_param();
    view! { <RequireUser>{move || id.get().map(|student| view! { <StudentEventForm student/> })}</RequireUser> }.into_any()
}

#[component]
pub fn StudentEventForm(student: StudentId) -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(initial_draft(|| rounds::StudentEvent {
        student_id: student,
        occurred_at: now(),
        event: rounds::StudentEventKind::Incident,
        description: String::new(),
    }));
    view! {
        <FormFrame title=titled(Msg::KindStudentEvent, student_name(student))
            to_body=Callback::new(move |_| Some(RecordBody::StudentEvent(draft.get_untracked())))
            done=Signal::derive(move || format!("/students/{student}"))>
            <p class="muted">{move || i18n.t(Msg::StudentEventHint)}</p>
            <TimeField draft label=Msg::StudentEventAt field="occurred_at" get=|d| d.occurred_at set=|d, v| d.occurred_at = v/>
            <ChoiceField draft label=Msg::StudentEventWhat options=rounds::StudentEventKind::ALL name=crate::i18n::student_event_label get=|d| d.event set=|d, v| d.event = v/>
            <TextField draft label=Msg::Description field="description" multiline=true get=|d| d.description.clone() set=|d, v| d.description = v/>
        </FormFrame>
    }
    .into_any()
}

/// 联系学生: a leader's face-to-face time with students or their politics lesson (002 三(一), 四(二)).
#[component]
pub fn StudentContactPage() -> impl IntoView {
    view! { <RequireUser><StudentContactForm/></RequireUser> }.into_any()
}

#[component]
pub fn StudentContactForm() -> impl IntoView {
    let i18n = use_i18n();
    // Today sends the lesson's duty here with its activity.
    let lesson = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("activity")).as_deref() == Some("politics_lecture");
    let draft = RwSignal::new(initial_draft(|| rounds::StudentContact {
        met_at: now(),
        activity: if lesson { rounds::ContactActivity::PoliticsLecture } else { rounds::ContactActivity::FaceToFace },
        place: String::new(),
        content: String::new(),
    }));
    view! {
        <FormFrame title=Signal::derive(move || i18n.t(Msg::KindStudentContact).to_string())
            to_body=Callback::new(move |_| Some(RecordBody::StudentContact(draft.get_untracked())))
            done=Signal::derive(|| "/records".to_string())>
            <p class="muted">{move || i18n.t(Msg::StudentContactHint)}</p>
            <TimeField draft label=Msg::StudentContactAt field="met_at" get=|d| d.met_at set=|d, v| d.met_at = v/>
            <ChoiceField draft label=Msg::StudentContactWhat options=rounds::ContactActivity::ALL name=crate::i18n::contact_activity_label get=|d| d.activity set=|d, v| d.activity = v/>
            <TextField draft label=Msg::StudentContactPlace field="place" get=|d| d.place.clone() set=|d, v| d.place = v/>
            <TextField draft label=Msg::StudentContactContent field="content" multiline=true get=|d| d.content.clone() set=|d, v| d.content = v/>
        </FormFrame>
    }
    .into_any()
}

/// 深入宿舍: a leader's or teacher's visit of a room.
#[component]
pub fn DormVisitPage() -> impl IntoView {
    let id = room_id_param();
    view! { <RequireUser>{move || id.get().map(|room| view! { <DormVisitForm room/> })}</RequireUser> }.into_any()
}

#[component]
pub fn DormVisitForm(room: RoomId) -> impl IntoView {
    let store = use_store();
    let residents: Vec<(StudentId, String)> = store.roster.with_untracked(|r| r.residents(room).into_iter().map(|(_, s)| (s.id, s.name.clone())).collect());
    let number = store.roster.with_untracked(|r| r.room(room).map(|r| r.number.clone())).unwrap_or_default();
    let draft = RwSignal::new(initial_draft(|| DormVisit {
        room_id: room,
        visited_at: now(),
        students_met: residents.iter().map(|(id, _)| *id).collect(),
        situation: String::new(),
        problems_raised: String::new(),
    }));
    view! {
        <FormFrame title=titled(Msg::KindDormVisit, number)
            to_body=Callback::new(move |_| Some(RecordBody::DormVisit(draft.get_untracked())))
            done=Signal::derive(move || format!("/rooms/{room}"))>
            <TimeField draft label=Msg::VisitedAt field="visited_at" get=|d| d.visited_at set=|d, v| d.visited_at = v/>
            <StudentChecklist draft label=Msg::StudentsMet field="students_met" students=residents
                get=|d| &d.students_met set=|d, id, on| toggle(&mut d.students_met, id, on)/>
            <TextField draft label=Msg::Situation field="situation" multiline=true get=|d| d.situation.clone() set=|d, v| d.situation = v/>
            <TextField draft label=Msg::ProblemsRaised field="problems_raised" multiline=true get=|d| d.problems_raised.clone() set=|d, v| d.problems_raised = v/>
        </FormFrame>
    }
    .into_any()
}

/// 听课
#[component]
pub fn LectureVisitPage() -> impl IntoView {
    let id = class_id_param();
    view! { <RequireUser>{move || id.get().map(|class| view! { <LectureVisitForm class/> })}</RequireUser> }.into_any()
}

#[component]
pub fn LectureVisitForm(class: ClassId) -> impl IntoView {
    let draft = RwSignal::new(initial_draft(|| LectureVisit {
        class_id: class,
        visited_at: now(),
        course: String::new(),
        teacher: String::new(),
        notes: String::new(),
    }));
    view! {
        <FormFrame title=titled(Msg::KindLectureVisit, class_name(class))
            to_body=Callback::new(move |_| Some(RecordBody::LectureVisit(draft.get_untracked())))
            done=Signal::derive(move || format!("/classes/{class}"))>
            <TimeField draft label=Msg::HeldAt field="visited_at" get=|d| d.visited_at set=|d, v| d.visited_at = v/>
            <TextField draft label=Msg::Course field="course" get=|d| d.course.clone() set=|d, v| d.course = v/>
            <TextField draft label=Msg::Teacher field="teacher" get=|d| d.teacher.clone() set=|d, v| d.teacher = v/>
            <TextField draft label=Msg::Notes field="notes" multiline=true get=|d| d.notes.clone() set=|d, v| d.notes = v/>
        </FormFrame>
    }
    .into_any()
}

/// 班会
#[component]
pub fn ClassMeetingPage() -> impl IntoView {
    let id = class_id_param();
    view! { <RequireUser>{move || id.get().map(|class| view! { <ClassMeetingForm class/> })}</RequireUser> }.into_any()
}

#[component]
pub fn ClassMeetingForm(class: ClassId) -> impl IntoView {
    let i18n = use_i18n();
    let members = class_members(class);
    let size = members.len() as u32;
    // From a duty that asks for one topic (`?activity=graduation`): that topic.
    let asked = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("activity"));
    let topic = asked
        .and_then(|a| ClassMeeting::ACTIVITIES.iter().position(|x| *x == a))
        .and_then(|i| MeetingTopic::ALL.get(i).copied())
        .unwrap_or(MeetingTopic::Theme);
    let draft = RwSignal::new(initial_draft(|| ClassMeeting {
        class_id: class,
        held_at: now(),
        topic,
        title: String::new(),
        attended: size,
        absent: vec![],
        notes: String::new(),
    }));
    view! {
        <FormFrame title=titled(Msg::KindClassMeeting, class_name(class))
            to_body=Callback::new(move |_| Some(RecordBody::ClassMeeting(draft.get_untracked())))
            done=Signal::derive(move || format!("/classes/{class}"))>
            <TimeField draft label=Msg::HeldAt field="held_at" get=|d| d.held_at set=|d, v| d.held_at = v/>
            <ChoiceField draft label=Msg::Topic options=MeetingTopic::ALL name=topic_label get=|d| d.topic set=|d, v| d.topic = v/>
            <TextField draft label=Msg::Title field="title" get=|d| d.title.clone() set=|d, v| d.title = v/>
            <p class="present-count" aria-live="polite">{move || i18n.tf(Msg::AttendedCount, &[("n", draft.with(|d| d.attended).to_string())])}</p>
            <StudentChecklist draft label=Msg::AbsentStudents field="absent" students=members
                get=|d| &d.absent
                set=move |d, id, on| {
                    let size = d.attended as usize + d.absent.len();
                    toggle(&mut d.absent, id, on);
                    d.attended = size.saturating_sub(d.absent.len()) as u32;
                }/>
            <TextField draft label=Msg::Notes field="notes" multiline=true get=|d| d.notes.clone() set=|d, v| d.notes = v/>
        </FormFrame>
    }
    .into_any()
}

/// 班委会
#[component]
pub fn CommitteeMeetingPage() -> impl IntoView {
    let id = class_id_param();
    view! { <RequireUser>{move || id.get().map(|class| view! { <CommitteeMeetingForm class/> })}</RequireUser> }.into_any()
}

#[component]
pub fn CommitteeMeetingForm(class: ClassId) -> impl IntoView {
    let draft = RwSignal::new(initial_draft(|| CommitteeMeeting {
        class_id: class,
        held_at: now(),
        summary: String::new(),
        plan: String::new(),
        opinions: String::new(),
    }));
    view! {
        <FormFrame title=titled(Msg::KindCommitteeMeeting, class_name(class))
            to_body=Callback::new(move |_| Some(RecordBody::CommitteeMeeting(draft.get_untracked())))
            done=Signal::derive(move || format!("/classes/{class}"))>
            <TimeField draft label=Msg::HeldAt field="held_at" get=|d| d.held_at set=|d, v| d.held_at = v/>
            <TextField draft label=Msg::Summary field="summary" multiline=true get=|d| d.summary.clone() set=|d, v| d.summary = v/>
            <TextField draft label=Msg::Plan field="plan" multiline=true get=|d| d.plan.clone() set=|d, v| d.plan = v/>
            <TextField draft label=Msg::Opinions field="opinions" multiline=true get=|d| d.opinions.clone() set=|d, v| d.opinions = v/>
        </FormFrame>
    }
    .into_any()
}

/// 任课教师联系
#[component]
pub fn TeacherContactPage() -> impl IntoView {
    let id = class_id_param();
    view! { <RequireUser>{move || id.get().map(|class| view! { <TeacherContactForm class/> })}</RequireUser> }.into_any()
}

#[component]
pub fn TeacherContactForm(class: ClassId) -> impl IntoView {
    let draft = RwSignal::new(initial_draft(|| TeacherContact {
        class_id: class,
        contacted_at: now(),
        teacher: String::new(),
        course: String::new(),
        learned: String::new(),
    }));
    view! {
        <FormFrame title=titled(Msg::KindTeacherContact, class_name(class))
            to_body=Callback::new(move |_| Some(RecordBody::TeacherContact(draft.get_untracked())))
            done=Signal::derive(move || format!("/classes/{class}"))>
            <TimeField draft label=Msg::ContactedAt field="contacted_at" get=|d| d.contacted_at set=|d, v| d.contacted_at = v/>
            <CourseTeacherPicker class draft/>
            <TextField draft label=Msg::Teacher field="teacher" get=|d| d.teacher.clone() set=|d, v| d.teacher = v/>
            <TextField draft label=Msg::Course field="course" get=|d| d.course.clone() set=|d, v| d.course = v/>
            <TextField draft label=Msg::Learned field="learned" multiline=true get=|d| d.learned.clone() set=|d, v| d.learned = v/>
        </FormFrame>
    }
    .into_any()
}

/// This semester's course teachers of the class, as its class checks name them, one tap each
/// (those not yet contacted first): every one is owed a contact (000 三(四)), and picking the
/// name keeps it the same as the checks', so the duty counts it.
#[component]
fn CourseTeacherPicker(class: ClassId, draft: RwSignal<TeacherContact>) -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    if crate::pages::fields::read_only() {
        return ().into_any();
    }
    let teachers = move || {
        let today = rounds::school_time::now_in(&store.zone()).date_naive();
        let since = store
            .duty_setup
            .with(|s| s.as_ref().and_then(|s| crate::duties::summary_semester(&s.calendar, today).map(|sem| sem.start)))
            .unwrap_or(today - chrono::Duration::days(140));
        store.with_envelopes(|envelopes| rounds::kinds::class::course_teachers(envelopes, class, since))
    };
    view! {
        {move || {
            let list = teachers();
            (!list.is_empty()).then(|| view! {
                <fieldset class="course-teachers">
                    <legend>{move || i18n.t(Msg::CourseTeachersThisSemester)}</legend>
                    {list.into_iter().map(|t| {
                        let label = if t.contacted { format!("✓ {} · {}", t.teacher, t.course) } else { format!("{} · {}", t.teacher, t.course) };
                        view! {
                            <button type="button" class="secondary" on:click=move |_| draft.update(|d| { d.teacher = t.teacher.clone(); d.course = t.course.clone(); })>
                                {label}
                            </button>
                        }
                    }).collect_view()}
                </fieldset>
            })
        }}
    }
    .into_any()
}

/// 值班记录: about the author's own shift, not a room or a student.
#[component]
pub fn DutyLogPage() -> impl IntoView {
    view! { <RequireUser><DutyLogForm/></RequireUser> }.into_any()
}

/// 学期工作总结 as submitted: what the record page shows and edits (the summary page submits it).
#[component]
pub fn WorkReportForm() -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(initial_draft(|| WorkReport { semester: String::new(), submitted_at: now(), text: String::new() }));
    view! {
        <FormFrame title=Signal::derive(move || format!("{} · {}", i18n.t(Msg::KindWorkReport), draft.with(|d| d.semester.clone())))
            to_body=Callback::new(move |_| Some(RecordBody::WorkReport(WorkReport { submitted_at: now(), ..draft.get_untracked() })))
            done=Signal::derive(|| "/summary".to_string())>
            <TextField draft label=Msg::SummaryReflections field="text" multiline=true get=|d| d.text.clone() set=|d, v| d.text = v/>
        </FormFrame>
    }
    .into_any()
}

#[component]
pub fn DutyLogForm() -> impl IntoView {
    let i18n = use_i18n();
    let store = use_store();
    let buildings: Vec<(BuildingId, String)> = store.roster.with_untracked(|r| r.buildings.iter().map(|b| (b.id, b.name.clone())).collect());
    let draft = RwSignal::new(initial_draft(|| DutyLog {
        started_at: now(),
        shift: DutyShift::Evening,
        buildings: vec![],
        events: String::new(),
        escalated: String::new(),
    }));
    view! {
        <FormFrame title=Signal::derive(move || i18n.t(Msg::KindDutyLog).to_string())
            to_body=Callback::new(move |_| Some(RecordBody::DutyLog(draft.get_untracked())))
            done=Signal::derive(|| "/records".to_string())>
            <TimeField draft label=Msg::StartedAt field="started_at" get=|d| d.started_at set=|d, v| d.started_at = v/>
            <ChoiceField draft label=Msg::Shift options=DutyShift::ALL name=shift_label get=|d| d.shift set=|d, v| d.shift = v/>
            <fieldset class="choice">
                <legend>{move || i18n.t(Msg::BuildingsPatrolled)}</legend>
                <div class="checklist">
                    {buildings.into_iter().map(|(id, name)| view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || draft.with(|d| d.buildings.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| { d.buildings.retain(|b| *b != id); if on { d.buildings.push(id); } });
                                }/>
                            <span>{name}</span>
                        </label>
                    }).collect_view()}
                </div>
            </fieldset>
            <TextField draft label=Msg::Events field="events" multiline=true get=|d| d.events.clone() set=|d, v| d.events = v/>
            <TextField draft label=Msg::Escalated field="escalated" multiline=true get=|d| d.escalated.clone() set=|d, v| d.escalated = v/>
        </FormFrame>
    }
    .into_any()
}
