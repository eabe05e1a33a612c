//! Departments, classes with their staff, and students with their archives.

use super::archive::ArchiveFields;
use super::frame::*;
use super::OfficePage;
use crate::i18n::{fill, use_i18n, I18n, Msg};
use leptos::prelude::*;
use rounds::admin::*;
use rounds::{ClassId, Department, Gender, Role, StudentArchive};
use std::sync::Arc;

/// The label of a role.
pub fn role_label(role: Role) -> Msg {
    match role {
        Role::Counselor => Msg::OfficeRoleCounselor,
        Role::HeadTeacher => Msg::OfficeRoleHeadTeacher,
        Role::Leader => Msg::OfficeRoleLeader,
        Role::Office => Msg::OfficeRoleOffice,
        Role::Admin => Msg::OfficeRoleAdmin,
    }
}

/// An id as the value of a select; `""` for none chosen.
fn id_value(id: i64) -> String {
    if id > 0 {
        id.to_string()
    } else {
        String::new()
    }
}

fn parse_id(v: &str) -> i64 {
    v.parse().unwrap_or(0)
}

/// Options for choosing among loaded rows.
fn options_of<R: Clone + Send + Sync + 'static>(i18n: I18n, rows: Signal<Remote<Vec<R>>>, option: fn(&R) -> (String, String)) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || with_choose(i18n, rows.with(|r| r.ready().map(|l| l.iter().map(option).collect()).unwrap_or_default())))
}

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeDepartments><Departments/></OfficePage> }.into_any()
}

#[component]
fn Departments() -> impl IntoView {
    let reload = Reload::new();
    let rows = fetch::<Vec<Department>>(|| "/api/v1/admin/departments".into(), reload);
    let columns = vec![col(Msg::OfficeName, |d: &Department| d.name.clone())];
    let editing = Editing {
        create_url: "/api/v1/admin/departments".into(),
        blank: Arc::new(DepartmentInput::default),
        edit: |d: &Department| (format!("/api/v1/admin/departments/{}", d.id), DepartmentInput { name: d.name.clone() }),
        name: |d: &Department| d.name.clone(),
        fields: Arc::new(|draft| {
            view! { <Text draft label=Msg::OfficeName field="name" get=|d: &DepartmentInput| d.name.clone() set=|d: &mut DepartmentInput, v| d.name = v/> }
                .into_any()
        }),
    };
    view! { <Crud title=Msg::OfficeDepartments rows reload columns editing/> }.into_any()
}

#[component]
pub fn ClassesPage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeClasses><Classes/></OfficePage> }.into_any()
}

#[component]
fn Classes() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::new();
    let rows = fetch::<Vec<ClassRow>>(|| "/api/v1/admin/classes".into(), reload);
    let departments = fetch::<Vec<Department>>(|| "/api/v1/admin/departments".into(), Reload::new());
    let accounts = fetch::<Vec<Account>>(|| "/api/v1/admin/accounts".into(), Reload::new());
    let department_options = options_of(i18n, departments, |d| (d.id.to_string(), d.name.clone()));
    let columns = vec![
        col(Msg::OfficeClassName, |c: &ClassRow| c.class.name.clone()),
        col(Msg::OfficeDepartment, move |c: &ClassRow| {
            departments.with(|d| d.ready().and_then(|l| l.iter().find(|d| d.id == c.class.department_id)).map(|d| d.name.clone()).unwrap_or_default())
        }),
        col(Msg::OfficeCohort, |c: &ClassRow| c.class.cohort_year.to_string()),
        col(Msg::OfficeStudentCount, |c: &ClassRow| c.students.to_string()),
        col(Msg::OfficeStaff, move |c: &ClassRow| {
            let lang = i18n.lang();
            c.staff.iter().map(|s| format!("{}（{}）", s.display_name, role_label(s.role).text(lang))).collect::<Vec<_>>().join("、")
        }),
    ];
    let editing = Editing {
        create_url: "/api/v1/admin/classes".into(),
        blank: Arc::new(ClassInput::default),
        edit: |c: &ClassRow| {
            let input = ClassInput { department_id: c.class.department_id, name: c.class.name.clone(), cohort_year: c.class.cohort_year };
            (format!("/api/v1/admin/classes/{}", c.class.id), input)
        },
        name: |c: &ClassRow| c.class.name.clone(),
        fields: Arc::new(move |draft| {
            view! {
                <Select draft label=Msg::OfficeDepartment field="department_id" options=department_options
                    get=|c: &ClassInput| id_value(c.department_id.0) set=|c: &mut ClassInput, v| c.department_id.0 = parse_id(&v)/>
                <Text draft label=Msg::OfficeClassName field="name" get=|c: &ClassInput| c.name.clone() set=|c: &mut ClassInput, v| c.name = v/>
                <Text draft label=Msg::OfficeCohort field="cohort_year" kind="number"
                    get=|c: &ClassInput| if c.cohort_year == 0 { String::new() } else { c.cohort_year.to_string() }
                    set=|c: &mut ClassInput, v| c.cohort_year = v.trim().parse().unwrap_or(0)/>
            }
            .into_any()
        }),
    };
    // The staff form, opened from a row.
    let staff_of = RwSignal::new(None::<(ClassId, String)>);
    let staff_draft = RwSignal::new(ClassStaff::default());
    let extra: RowActions<ClassRow> = Arc::new(move |c: &ClassRow| {
        let id = c.class.id;
        let name = c.class.name.clone();
        let current = ClassStaff { user_ids: c.staff.iter().map(|s| s.id).collect() };
        let label = fill(i18n.t(Msg::OfficeSetStaffOf), &[("x", name.clone())]);
        view! {
            <button type="button" class="link" aria-label=label on:click=move |_| {
                staff_draft.set(current.clone());
                staff_of.set(Some((id, name.clone())));
            }>{move || i18n.t(Msg::OfficeSetStaff)}</button>
        }
        .into_any()
    });
    let staff_form = move || {
        staff_of.get().map(|(id, name)| {
            view! {
                <EditForm
                    title=Signal::derive(move || fill(i18n.t(Msg::OfficeSetStaffOf), &[("x", name.clone())]))
                    draft=staff_draft
                    target=Target::Update(format!("/api/v1/admin/classes/{id}/staff"))
                    on_done=Callback::new(move |_| {
                        staff_of.set(None);
                        reload.bump();
                    })
                    on_cancel=Callback::new(move |_| staff_of.set(None))
                >
                    <StaffChoice draft=staff_draft accounts/>
                </EditForm>
            }
        })
    };
    view! {
        {staff_form}
        <Crud title=Msg::OfficeClasses rows reload columns editing extra/>
    }
    .into_any()
}

/// Ticks the counselors and head teachers who look after a class.
#[component]
fn StaffChoice(draft: RwSignal<ClassStaff>, accounts: Signal<Remote<Vec<Account>>>) -> impl IntoView {
    let i18n = use_i18n();
    let staff = move || {
        accounts.with(|a| a.ready().map(|l| l.iter().filter(|a| a.active && assignable_to_class(a.role)).cloned().collect::<Vec<_>>()).unwrap_or_default())
    };
    view! {
        <fieldset class="choice">
            <legend>{move || i18n.t(Msg::OfficeStaff)}</legend>
            <div class="checklist">
                {move || staff().into_iter().map(|a| {
                    let id = a.id;
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || draft.with(|d| d.user_ids.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    draft.update(|d| {
                                        d.user_ids.retain(|u| *u != id);
                                        if on {
                                            d.user_ids.push(id);
                                        }
                                    });
                                }/>
                            <span>{format!("{}（{}）", a.display_name, role_label(a.role).text(i18n.lang()))}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        </fieldset>
    }
    .into_any()
}

#[component]
pub fn StudentsPage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeStudents><Students/></OfficePage> }.into_any()
}

#[component]
fn Students() -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let class = RwSignal::new(0i64);
    let offset = RwSignal::new(0u32);
    let reload = Reload::new();
    let page = fetch::<StudentPage>(
        move || {
            let class = class.get();
            let class = if class > 0 { format!("&class_id={class}") } else { String::new() };
            format!("/api/v1/admin/students?q={}{class}&offset={}", query_value(query.get().trim()), offset.get())
        },
        reload,
    );
    let rows = Signal::derive(move || page.with(|p| p.map(|p| p.rows.clone())));
    let classes = fetch::<Vec<ClassRow>>(|| "/api/v1/admin/classes".into(), Reload::new());
    let class_options = options_of(i18n, classes, |c| (c.class.id.to_string(), c.class.name.clone()));
    let class_name =
        move |id: ClassId| classes.with(|c| c.ready().and_then(|l| l.iter().find(|c| c.class.id == id)).map(|c| c.class.name.clone()).unwrap_or_default());
    let gender_options = Signal::derive(move || {
        vec![
            (Gender::Male.as_str().to_string(), i18n.t(Msg::OfficeMale).to_string()),
            (Gender::Female.as_str().to_string(), i18n.t(Msg::OfficeFemale).to_string()),
        ]
    });
    let columns = vec![
        col(Msg::StudentNo, |r: &StudentRow| r.student.student_no.clone()),
        col(Msg::OfficeStudentName, |r: &StudentRow| r.student.name.clone()),
        col(Msg::OfficeGender, move |r: &StudentRow| {
            match r.student.gender {
                Gender::Male => i18n.t(Msg::OfficeMale),
                Gender::Female => i18n.t(Msg::OfficeFemale),
            }
            .to_string()
        }),
        col(Msg::OfficeClass, move |r: &StudentRow| class_name(r.student.class_id)),
        col(Msg::OfficeBed, |r: &StudentRow| r.place.clone().unwrap_or_default()),
        col(Msg::Phone, |r: &StudentRow| r.student.phone.clone().unwrap_or_default()),
    ];
    let editing = Editing {
        create_url: "/api/v1/admin/students".into(),
        // A new student goes into the class being looked at, if one is.
        blank: Arc::new(move || StudentInput { class_id: ClassId(class.get_untracked()), ..StudentInput::default() }),
        edit: |r: &StudentRow| (format!("/api/v1/admin/students/{}", r.student.id), StudentInput::of(&r.student)),
        name: |r: &StudentRow| format!("{} {}", r.student.student_no, r.student.name),
        fields: Arc::new(move |draft| {
            // The student being edited, as the form opened (none for a new one): its standing
            // history is shown below the fields.
            let opened = draft.with_untracked(|d| d.student_no.clone());
            let student = page
                .with_untracked(|p| p.ready().and_then(|p| p.rows.iter().find(|r| !opened.is_empty() && r.student.student_no == opened).map(|r| r.student.id)));
            view! {
                <Text draft label=Msg::StudentNo field="student_no" get=|s: &StudentInput| s.student_no.clone() set=|s: &mut StudentInput, v| s.student_no = v/>
                <Text draft label=Msg::OfficeStudentName field="name" get=|s: &StudentInput| s.name.clone() set=|s: &mut StudentInput, v| s.name = v/>
                <Select draft label=Msg::OfficeGender field="gender" options=gender_options
                    get=|s: &StudentInput| s.gender.as_str().to_string()
                    set=|s: &mut StudentInput, v| s.gender = Gender::parse(&v).unwrap_or(s.gender)/>
                <Select draft label=Msg::OfficeClass field="class_id" options=class_options
                    get=|s: &StudentInput| id_value(s.class_id.0) set=|s: &mut StudentInput, v| s.class_id.0 = parse_id(&v)/>
                <Text draft label=Msg::Phone field="phone" kind="tel"
                    get=|s: &StudentInput| s.phone.clone().unwrap_or_default() set=|s: &mut StudentInput, v| s.phone = Some(v)/>
                <ArchiveFields draft prefix="archive."
                    get=|s: &StudentInput| s.archive.clone().unwrap_or_default()
                    set=|s: &mut StudentInput, a: StudentArchive| s.archive = Some(a) standing=true/>
                {student.map(|student| view! { <super::archive::StandingHistory student/> })}
            }
            .into_any()
        }),
    };
    let total = move || page.with(|p| p.ready().map(|p| p.total).unwrap_or(0));
    let shown = move || page.with(|p| p.ready().map(|p| p.rows.len() as u32).unwrap_or(0));
    let range = move || {
        let from = if shown() == 0 { 0 } else { offset.get() + 1 };
        fill(i18n.t(Msg::OfficePageOf), &[("a", from.to_string()), ("b", (offset.get() + shown()).to_string()), ("n", total().to_string())])
    };
    view! {
        <div class="filters">
            <label class="field">
                <span>{move || i18n.t(Msg::SearchStudents)}</span>
                <input type="search" prop:value=query on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    offset.set(0);
                }/>
            </label>
            <label class="field">
                <span>{move || i18n.t(Msg::OfficeClass)}</span>
                <select on:change=move |ev| {
                    class.set(parse_id(&event_target_value(&ev)));
                    offset.set(0);
                }>
                    <option value="" selected=move || class.get() == 0>{move || i18n.t(Msg::OfficeAllClasses)}</option>
                    {move || classes.with(|c| c.ready().cloned().unwrap_or_default()).into_iter().map(|c| {
                        let id = c.class.id.0;
                        view! { <option value=id.to_string() selected=move || class.get() == id>{c.class.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
        <Crud title=Msg::OfficeStudents rows reload columns editing/>
        <div class="pager">
            <button type="button" class="secondary" disabled=move || offset.get() == 0
                on:click=move |_| offset.update(|o| *o = o.saturating_sub(STUDENT_PAGE))>{move || i18n.t(Msg::OfficePrevPage)}</button>
            <span role="status">{range}</span>
            <button type="button" class="secondary" disabled=move || { offset.get() + shown() >= total() }
                on:click=move |_| offset.update(|o| *o += STUDENT_PAGE)>{move || i18n.t(Msg::OfficeNextPage)}</button>
        </div>
    }
    .into_any()
}
