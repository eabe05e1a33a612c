//! The language switch as a plain form, and the language each page is drawn in.
//!
//! The choice is a cookie (`rounds_app::i18n::LANG_COOKIE`) the page reads too: before the wasm
//! has arrived, a tap on the switch posts here and comes back to the same page drawn in the
//! other language; once the app runs, it switches in place and writes the same cookie.

use crate::auth::{cookie_secure, ClientInfo};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::FormRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use rounds_app::i18n::{Lang, LANG_COOKIE, LANG_COOKIE_DAYS};
use serde::Deserialize;

/// The switch's form fields (`application/x-www-form-urlencoded`).
#[derive(Debug, Deserialize)]
pub struct SwitchForm {
    /// `zh-CN` or `en`.
    pub to: String,
    /// The page to come back to: a path on this site.
    #[serde(default)]
    pub back: String,
}

/// Sets the language cookie and goes back (303) to the page the switch was on.
pub async fn switch(
    State(state): State<AppState>,
    client: ClientInfo,
    jar: CookieJar,
    form: Result<Form<SwitchForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let Form(form) = form.map_err(|e| ApiError::BadRequest { code: "bad_form", message: format!("the language form could not be read: {e}") })?;
    let lang = match form.to.as_str() {
        "zh-CN" => Lang::Zh,
        "en" => Lang::En,
        _ => {
            let mut errors = rounds::ValidationErrors::new();
            errors.add("to", "unknown_language", "must be zh-CN or en");
            return Err(ApiError::Invalid(errors));
        }
    };
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(cookie_secure(&state.config, &client))
        .max_age(cookie::time::Duration::days(LANG_COOKIE_DAYS))
        .build();
    Ok((jar.add(cookie), Redirect::to(local_path(&form.back))).into_response())
}

/// `back` if it is a path on this site, else `/`: the switch must not send anyone elsewhere
/// (`//host` and `/\host` are other sites to a browser).
fn local_path(back: &str) -> &str {
    let elsewhere = !back.starts_with('/') || back.starts_with("//") || back.starts_with("/\\") || back.chars().any(char::is_control);
    if elsewhere {
        "/"
    } else {
        back
    }
}

/// The language a request's cookies chose; Chinese when they chose none.
pub fn of_request(headers: &HeaderMap) -> Lang {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(Lang::from_cookies).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_stays_on_this_site() {
        assert_eq!(local_path("/login?error=bad_credentials"), "/login?error=bad_credentials");
        assert_eq!(local_path("/students/7"), "/students/7");
        for elsewhere in ["", "https://example.com/", "//example.com/", "/\\example.com", "login", "/a\nb"] {
            assert_eq!(local_path(elsewhere), "/", "{elsewhere:?}");
        }
    }

    #[test]
    fn the_cookie_header_decides_the_language() {
        let mut headers = HeaderMap::new();
        assert_eq!(of_request(&headers), Lang::Zh);
        headers.append(header::COOKIE, "rounds_session=x".parse().unwrap());
        headers.append(header::COOKIE, "rounds_lang=en".parse().unwrap());
        assert_eq!(of_request(&headers), Lang::En);
    }
}
