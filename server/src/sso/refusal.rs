//! Why a sign-in through the university failed, and the words a person is shown for it.

use crate::error::ApiError;
use axum::http::StatusCode;

/// Why a sign-in through the university did not open a session. Each is a page in Chinese and
/// English, for a person who followed a link, not for a program.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("no account has the staff number {0}")]
    UnknownAccount(String),
    #[error("the account is disabled")]
    Disabled,
    #[error("the sign-in request ran out, or came back to another browser, or does not match")]
    Stale,
    #[error("the university's sign-in did not confirm the user: {0}")]
    NotConfirmed(String),
    #[error("the university's answer names no staff number: {0}")]
    NoStaffNumber(String),
    #[error("the university's sign-in server cannot be reached: {0}")]
    Unreachable(String),
    #[error("this sign-in is not configured")]
    NotConfigured,
    #[error("the server could not finish the sign-in: {0:#}")]
    Internal(#[from] anyhow::Error),
}

/// Storage failing in a sign-in is the server's failure, whatever storage refused.
impl From<crate::db::StoreError> for Refusal {
    fn from(e: crate::db::StoreError) -> Self {
        Refusal::Internal(e.into())
    }
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::AccountDisabled => Refusal::Disabled,
            other => Refusal::Internal(other.into()),
        }
    }
}

impl Refusal {
    pub(super) fn status(&self) -> StatusCode {
        match self {
            Refusal::UnknownAccount(_) | Refusal::Disabled | Refusal::NotConfirmed(_) | Refusal::NoStaffNumber(_) => StatusCode::FORBIDDEN,
            Refusal::Stale => StatusCode::BAD_REQUEST,
            Refusal::NotConfigured => StatusCode::NOT_FOUND,
            Refusal::Unreachable(_) => StatusCode::BAD_GATEWAY,
            Refusal::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// (title, text) in Chinese, then in English.
    pub(super) fn words(&self) -> [(String, String); 2] {
        match self {
            Refusal::UnknownAccount(no) => [
                (
                    "没有对应的账号".into(),
                    format!("统一身份认证已确认您的身份（工号 {no}），但学工巡访中没有登记此工号的账号。账号不会自动创建：请联系学工办为您开通账号或登记工号。"),
                ),
                (
                    "No account for you yet".into(),
                    format!(
                        "The university's sign-in confirmed who you are (staff number {no}), but no Rounds account has this staff number. \
                         Accounts are never made by signing in: ask the student-affairs office to open one for you or to record your staff number on it."
                    ),
                ),
            ],
            Refusal::Disabled => [
                ("账号已停用".into(), "您的学工巡访账号已被停用。如需恢复，请联系学工办。".into()),
                ("Account disabled".into(), "Your Rounds account is disabled. Ask the student-affairs office to enable it.".into()),
            ],
            Refusal::Stale => [
                ("登录请求已失效".into(), "登录请求已过期、不匹配，或不是从本浏览器发起的。请回到登录页重新登录。".into()),
                (
                    "The sign-in request is no longer valid".into(),
                    "It ran out, did not match, or was not started in this browser. Go back to the sign-in page and try again.".into(),
                ),
            ],
            Refusal::NotConfirmed(_) => [
                ("统一身份认证未通过".into(), "统一身份认证未能确认您的身份。请重新登录；如仍不行，请联系学校信息中心。".into()),
                (
                    "The university's sign-in did not confirm you".into(),
                    "Please sign in again; if it still fails, ask the university's IT centre.".into(),
                ),
            ],
            Refusal::NoStaffNumber(_) => [
                ("未收到工号".into(), "统一身份认证没有提供您的工号，无法找到对应账号。请联系学工办或学校信息中心。".into()),
                (
                    "No staff number received".into(),
                    "The university's sign-in did not tell Rounds your staff number, so no account can be found. Ask the student-affairs office or the IT centre.".into(),
                ),
            ],
            Refusal::Unreachable(_) => [
                ("暂时无法连接统一身份认证".into(), "学工巡访暂时无法连接学校的统一身份认证服务器，请稍后再试，或使用账号密码登录。".into()),
                (
                    "The university's sign-in cannot be reached".into(),
                    "Rounds cannot reach the university's sign-in server just now. Try again later, or sign in with your Rounds password.".into(),
                ),
            ],
            Refusal::NotConfigured => [
                ("未启用统一身份认证".into(), "本校的学工巡访未启用这种登录方式。".into()),
                ("Not available".into(), "This way of signing in is not set up for this school.".into()),
            ],
            Refusal::Internal(_) => [
                ("登录失败".into(), "服务器未能完成登录，请稍后再试。".into()),
                ("Sign-in failed".into(), "The server could not finish the sign-in; please try again later.".into()),
            ],
        }
    }
}
