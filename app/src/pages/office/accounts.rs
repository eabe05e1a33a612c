//! Staff accounts: create with a first password, rename, change the role, disable or enable,
//! reset the password. Accounts are never deleted: their records keep naming them.

use super::frame::*;
use super::roster::role_label;
use super::OfficePage;
use crate::i18n::{fill, use_i18n, Msg};
use leptos::prelude::*;
use rounds::admin::*;
use rounds::{Department, DepartmentId, Role, UserId};
use std::sync::Arc;

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeAccounts><Accounts/></OfficePage> }.into_any()
}

/// Which account form is open.
#[derive(Debug, Clone, PartialEq)]
enum Open {
    New,
    Edit(UserId, String),
    Password(UserId, String),
}

#[component]
fn Accounts() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::new();
    let rows = fetch::<Vec<Account>>(|| "/api/v1/admin/accounts".into(), reload);
    let classes = fetch::<Vec<ClassRow>>(|| "/api/v1/admin/classes".into(), Reload::new());
    let open = RwSignal::new(None::<Open>);
    let notice = RwSignal::new(None::<String>);
    let new_draft = RwSignal::new(NewAccount::default());
    let edit_draft = RwSignal::new(AccountUpdate { display_name: String::new(), role: Role::Counselor, active: true, leadership: false, department_id: None });
    // 学工部 (the whole school) or one department's office (院系学工办).
    let departments = fetch::<Vec<Department>>(|| "/api/v1/admin/departments".into(), Reload::new());
    let department_options = Signal::derive(move || {
        let mut options = vec![(String::new(), i18n.t(Msg::OfficeWholeSchool).to_string())];
        departments.with(|d| options.extend(d.ready().into_iter().flatten().map(|d| (d.id.0.to_string(), d.name.clone()))));
        options
    });
    let password_draft = RwSignal::new(PasswordReset::default());
    let role_options =
        Signal::derive(move || Role::ALL.iter().map(|r| (r.as_str().to_string(), role_label(*r).text(i18n.lang()).to_string())).collect::<Vec<_>>());

    let columns = vec![
        col(Msg::Username, |a: &Account| a.username.clone()),
        col(Msg::OfficeDisplayName, |a: &Account| a.display_name.clone()),
        col(Msg::OfficeRole, move |a: &Account| role_label(a.role).text(i18n.lang()).to_string()),
        col(Msg::OfficeStatus, move |a: &Account| i18n.t(if a.active { Msg::OfficeEnabled } else { Msg::OfficeDisabled }).to_string()),
        col(Msg::OfficeClasses, move |a: &Account| {
            classes.with(|c| {
                let list = c.ready().map(|l| l.as_slice()).unwrap_or_default();
                a.classes.iter().filter_map(|id| list.iter().find(|c| c.class.id == *id)).map(|c| c.class.name.clone()).collect::<Vec<_>>().join("、")
            })
        }),
    ];
    let actions: RowActions<Account> = Arc::new(move |a: &Account| {
        let (id, name) = (a.id, a.display_name.clone());
        let update =
            AccountUpdate { display_name: a.display_name.clone(), role: a.role, active: a.active, leadership: a.leadership, department_id: a.department_id };
        let edit_label = fill(i18n.t(Msg::OfficeEditOf), &[("x", name.clone())]);
        let reset_label = fill(i18n.t(Msg::OfficeResetPasswordOf), &[("x", name.clone())]);
        let name2 = name.clone();
        view! {
            <button type="button" class="link" aria-label=edit_label on:click=move |_| {
                edit_draft.set(update.clone());
                notice.set(None);
                open.set(Some(Open::Edit(id, name.clone())));
            }>{move || i18n.t(Msg::OfficeEdit)}</button>
            <button type="button" class="link" aria-label=reset_label on:click=move |_| {
                password_draft.set(PasswordReset::default());
                notice.set(None);
                open.set(Some(Open::Password(id, name2.clone())));
            }>{move || i18n.t(Msg::OfficeResetPassword)}</button>
        }
        .into_any()
    });
    let done = move |message: Msg| {
        Callback::new(move |_| {
            open.set(None);
            notice.set(Some(i18n.t(message).to_string()));
            reload.bump();
        })
    };
    let cancel = Callback::new(move |_| open.set(None));
    let form = move || {
        open.get().map(|which| match which {
            Open::New => view! {
                <EditForm title=Signal::derive(move || i18n.t(Msg::OfficeNewAccount).to_string()) draft=new_draft
                    target=Target::Create("/api/v1/admin/accounts".into()) on_done=done(Msg::Saved) on_cancel=cancel>
                    <Text draft=new_draft label=Msg::Username field="username" get=|a: &NewAccount| a.username.clone() set=|a: &mut NewAccount, v| a.username = v/>
                    <Text draft=new_draft label=Msg::OfficeDisplayName field="display_name" get=|a: &NewAccount| a.display_name.clone() set=|a: &mut NewAccount, v| a.display_name = v/>
                    <Select draft=new_draft label=Msg::OfficeRole field="role" options=role_options
                        get=|a: &NewAccount| a.role.as_str().to_string() set=|a: &mut NewAccount, v| a.role = Role::parse(&v).unwrap_or(a.role)/>
                    <Text draft=new_draft label=Msg::OfficeInitialPassword field="password" kind="password"
                        get=|a: &NewAccount| a.password.clone() set=|a: &mut NewAccount, v| a.password = v/>
                </EditForm>
            }
            .into_any(),
            Open::Edit(id, name) => view! {
                <EditForm title=Signal::derive(move || fill(i18n.t(Msg::OfficeEditOf), &[("x", name.clone())])) draft=edit_draft
                    target=Target::Update(format!("/api/v1/admin/accounts/{id}")) on_done=done(Msg::Saved) on_cancel=cancel>
                    <Text draft=edit_draft label=Msg::OfficeDisplayName field="display_name"
                        get=|a: &AccountUpdate| a.display_name.clone() set=|a: &mut AccountUpdate, v| a.display_name = v/>
                    <Select draft=edit_draft label=Msg::OfficeRole field="role" options=role_options
                        get=|a: &AccountUpdate| a.role.as_str().to_string() set=|a: &mut AccountUpdate, v| a.role = Role::parse(&v).unwrap_or(a.role)/>
                    <Check draft=edit_draft label=Msg::OfficeActive get=|a: &AccountUpdate| a.active set=|a: &mut AccountUpdate, on| a.active = on/>
                    <Show when=move || edit_draft.with(|a| a.role == Role::Leader)>
                        <Check draft=edit_draft label=Msg::OfficeLeadership get=|a: &AccountUpdate| a.leadership set=|a: &mut AccountUpdate, on| a.leadership = on/>
                    </Show>
                    <Show when=move || edit_draft.with(|a| a.role == Role::Office)>
                        <Select draft=edit_draft label=Msg::OfficeDepartmentOffice field="department_id" options=department_options
                            get=|a: &AccountUpdate| a.department_id.map(|d| d.0.to_string()).unwrap_or_default()
                            set=|a: &mut AccountUpdate, v| a.department_id = v.parse().ok().map(DepartmentId)/>
                    </Show>
                </EditForm>
            }
            .into_any(),
            Open::Password(id, name) => view! {
                <EditForm title=Signal::derive(move || fill(i18n.t(Msg::OfficeResetPasswordOf), &[("x", name.clone())])) draft=password_draft
                    target=Target::Create(format!("/api/v1/admin/accounts/{id}/password")) on_done=done(Msg::OfficePasswordReset) on_cancel=cancel>
                    <Text draft=password_draft label=Msg::OfficeNewPassword field="password" kind="password"
                        get=|p: &PasswordReset| p.password.clone() set=|p: &mut PasswordReset, v| p.password = v/>
                </EditForm>
            }
            .into_any(),
        })
    };
    view! {
        <section class="office-section" aria-label=move || i18n.t(Msg::OfficeAccounts)>
            <div class="section-head">
                <h2>{move || i18n.t(Msg::OfficeAccounts)}</h2>
                <button type="button" class="primary" on:click=move |_| {
                    new_draft.set(NewAccount::default());
                    notice.set(None);
                    open.set(Some(Open::New));
                }>{move || i18n.t(Msg::OfficeNewAccount)}</button>
            </div>
            <Show when=move || notice.with(|n| n.is_some())>
                <p class="notice" role="status">{move || notice.get().unwrap_or_default()}</p>
            </Show>
            {form}
            <DataTable caption=Msg::OfficeAccounts rows columns actions/>
        </section>
    }
    .into_any()
}
