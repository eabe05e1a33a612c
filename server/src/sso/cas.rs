//! CAS 2.0/3.0: the browser goes to `{cas}/login?service=…` and comes back with a ticket, which
//! the server checks with the CAS server itself (`p3/serviceValidate`, else the CAS 2.0
//! `serviceValidate`) and reads the user and attributes from the XML answer.

use super::refusal::Refusal;
use std::time::Duration;
use url::Url;

/// The service URL Rounds registers with the CAS server: the ticket comes back to it.
pub fn service_url(origin: &str) -> String {
    format!("{origin}/auth/cas/callback")
}

#[derive(Debug, Clone)]
pub struct CasConfig {
    /// The CAS server's base, without a trailing slash: `https://cas.example.edu.cn/cas`.
    pub base: String,
    /// The attribute that carries the staff number; `None`: the CAS user name is it.
    pub attribute: Option<String>,
    http: reqwest::Client,
}

/// Who the CAS server says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasIdentity {
    pub user: String,
    /// In the order sent; a name may repeat (a multi-valued attribute).
    pub attributes: Vec<(String, String)>,
}

/// A CAS answer that does not confirm the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CasAnswerError {
    #[error("the CAS server refused the ticket: {code}: {message}")]
    Failure { code: String, message: String },
    #[error("the CAS server's answer is not a CAS service response: {0}")]
    Malformed(String),
}

/// The largest answer read from the CAS server; a real one is a few hundred bytes.
const MAX_ANSWER_BYTES: usize = 256 * 1024;

impl CasConfig {
    pub fn new(base: &str, attribute: Option<String>) -> anyhow::Result<CasConfig> {
        let base = base.trim().trim_end_matches('/').to_string();
        let parsed = Url::parse(&base).map_err(|e| anyhow::anyhow!("--cas-url {base} is not a URL: {e}"))?;
        anyhow::ensure!(matches!(parsed.scheme(), "https" | "http"), "--cas-url must be an https:// URL");
        Ok(CasConfig { base, attribute, http: back_channel()? })
    }

    fn endpoint(&self, path: &str, params: &[(&str, &str)]) -> anyhow::Result<String> {
        Ok(Url::parse_with_params(&format!("{}/{path}", self.base), params)?.to_string())
    }

    pub fn login_url(&self, service: &str) -> anyhow::Result<String> {
        self.endpoint("login", &[("service", service)])
    }

    /// CAS logout, coming back to `service` (the CAS server may ask it be a registered service).
    pub fn logout_url(&self, service: &str) -> anyhow::Result<String> {
        self.endpoint("logout", &[("service", service)])
    }

    /// Asks the CAS server whether `ticket` was issued for `service`; CAS 3.0's
    /// `p3/serviceValidate` (attributes), falling back to CAS 2.0's `serviceValidate` on a
    /// server that has no p3 (404).
    pub async fn validate(&self, service: &str, ticket: &str) -> Result<CasIdentity, Refusal> {
        let mut answer = None;
        for path in ["p3/serviceValidate", "serviceValidate"] {
            let url = self.endpoint(path, &[("service", service), ("ticket", ticket)])?;
            let response = self.http.get(&url).send().await.map_err(|e| Refusal::Unreachable(e.to_string()))?;
            if response.status() == reqwest::StatusCode::NOT_FOUND {
                continue;
            }
            if !response.status().is_success() {
                return Err(Refusal::Unreachable(format!("{path} answered {}", response.status())));
            }
            let body = response.bytes().await.map_err(|e| Refusal::Unreachable(e.to_string()))?;
            if body.len() > MAX_ANSWER_BYTES {
                return Err(Refusal::NotConfirmed(format!("{path} answered {} bytes", body.len())));
            }
            answer = Some(String::from_utf8_lossy(&body).into_owned());
            break;
        }
        let answer = answer.ok_or_else(|| Refusal::Unreachable("neither p3/serviceValidate nor serviceValidate exists".into()))?;
        parse_service_response(&answer).map_err(|e| Refusal::NotConfirmed(e.to_string()))
    }

    /// The staff number in an identity: the configured attribute's first value, or the user.
    pub fn staff_number(&self, identity: &CasIdentity) -> Result<String, Refusal> {
        let value = match &self.attribute {
            None => Some(identity.user.as_str()),
            Some(name) => identity.attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()),
        };
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => Ok(v.to_string()),
            None => Err(Refusal::NoStaffNumber(format!(
                "CAS user {} has no attribute {} (it sent: {})",
                identity.user,
                self.attribute.as_deref().unwrap_or("user"),
                identity.attributes.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")
            ))),
        }
    }
}

/// The HTTP client of the server-to-server calls: no redirects (an answer is read where it was
/// asked for), and a bound on the wait.
pub(super) fn back_channel() -> anyhow::Result<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(|e| anyhow::anyhow!("cannot make the HTTP client for single sign-on: {e}"))
}

/// Reads a CAS `serviceResponse` (namespace prefixes ignored). Attributes come as CAS 3.0 sends
/// them (`<cas:attributes><cas:staffNo>…</cas:staffNo>`), as older servers did
/// (`<cas:attribute name="…" value="…"/>`), or, as some vendors do, straight under
/// `authenticationSuccess`.
pub fn parse_service_response(xml: &str) -> Result<CasIdentity, CasAnswerError> {
    let doc = roxmltree::Document::parse(xml).map_err(|e| CasAnswerError::Malformed(e.to_string()))?;
    let root = doc.root_element();
    if root.tag_name().name() != "serviceResponse" {
        return Err(CasAnswerError::Malformed(format!("the root element is {}", root.tag_name().name())));
    }
    let text = |n: roxmltree::Node| n.text().map(str::trim).unwrap_or("").to_string();
    for outcome in root.children().filter(|n| n.is_element()) {
        match outcome.tag_name().name() {
            "authenticationSuccess" => {
                let mut user = None;
                let mut attributes = Vec::new();
                for child in outcome.children().filter(|n| n.is_element()) {
                    match child.tag_name().name() {
                        "user" => user = Some(text(child)),
                        "attributes" => {
                            for a in child.children().filter(|n| n.is_element()) {
                                match (a.tag_name().name(), a.attribute("name"), a.attribute("value")) {
                                    ("attribute", Some(name), Some(value)) => attributes.push((name.to_string(), value.trim().to_string())),
                                    (name, ..) => attributes.push((name.to_string(), text(a))),
                                }
                            }
                        }
                        "proxyGrantingTicket" | "proxies" => {}
                        name => attributes.push((name.to_string(), text(child))),
                    }
                }
                return match user.filter(|u| !u.is_empty()) {
                    Some(user) => Ok(CasIdentity { user, attributes }),
                    None => Err(CasAnswerError::Malformed("authenticationSuccess without a user".into())),
                };
            }
            "authenticationFailure" => {
                return Err(CasAnswerError::Failure { code: outcome.attribute("code").unwrap_or("").to_string(), message: text(outcome) });
            }
            _ => {}
        }
    }
    Err(CasAnswerError::Malformed("neither authenticationSuccess nor authenticationFailure".into()))
}

/// The `SessionIndex` (the service ticket) of a CAS single-logout request (a SAML 2.0
/// `LogoutRequest`), or `None` when it is not one. roxmltree refuses DTDs, so no entity tricks.
pub fn logout_session_index(xml: &str) -> Option<String> {
    if xml.len() > 64 * 1024 {
        return None;
    }
    let doc = roxmltree::Document::parse(xml).ok()?;
    let root = doc.root_element();
    if root.tag_name().name() != "LogoutRequest" {
        return None;
    }
    root.children()
        .find(|n| n.is_element() && n.tag_name().name() == "SessionIndex")
        .and_then(|n| n.text())
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 256)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_logout_request_names_its_ticket() {
        let request = r#"<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="x" Version="2.0" IssueInstant="2026-11-29T08:00:00Z"><saml:NameID>@NOT_USED@</saml:NameID><samlp:SessionIndex>ST-1-abc</samlp:SessionIndex></samlp:LogoutRequest>"#;
        assert_eq!(logout_session_index(request).as_deref(), Some("ST-1-abc"));
        assert_eq!(logout_session_index("<LogoutRequest><SessionIndex> </SessionIndex></LogoutRequest>"), None);
        assert_eq!(logout_session_index("<other><SessionIndex>ST-1</SessionIndex></other>"), None);
        assert_eq!(logout_session_index("not xml"), None);
        let entity = r#"<!DOCTYPE x [<!ENTITY e "ST-1">]><LogoutRequest><SessionIndex>&e;</SessionIndex></LogoutRequest>"#;
        assert_eq!(logout_session_index(entity), None, "no DTDs");
    }

    #[test]
    fn a_cas3_success_carries_its_attributes() {
        let xml = r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
            <cas:authenticationSuccess>
                <cas:user>zhangsan</cas:user>
                <cas:attributes>
                    <cas:staffNo>T1001</cas:staffNo>
                    <cas:memberOf>teachers</cas:memberOf>
                    <cas:memberOf>counselors</cas:memberOf>
                    <cas:name>张&amp;三</cas:name>
                </cas:attributes>
            </cas:authenticationSuccess>
        </cas:serviceResponse>"#;
        let id = parse_service_response(xml).expect("success");
        assert_eq!(id.user, "zhangsan");
        assert_eq!(id.attributes[0], ("staffNo".to_string(), "T1001".to_string()));
        assert_eq!(id.attributes.iter().filter(|(n, _)| n == "memberOf").count(), 2);
        assert!(id.attributes.contains(&("name".to_string(), "张&三".to_string())));

        let cas = CasConfig { base: "https://cas.example.edu.cn/cas".into(), attribute: Some("staffNo".into()), http: reqwest::Client::new() };
        assert_eq!(cas.staff_number(&id).ok().as_deref(), Some("T1001"));
        let by_user = CasConfig { attribute: None, ..cas.clone() };
        assert_eq!(by_user.staff_number(&id).ok().as_deref(), Some("zhangsan"));
        let missing = CasConfig { attribute: Some("employeeNumber".into()), ..cas };
        assert!(matches!(missing.staff_number(&id), Err(Refusal::NoStaffNumber(_))));
    }

    #[test]
    fn older_and_vendor_attribute_shapes_are_read() {
        let jasig = r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>li</cas:user>
            <cas:attributes><cas:attribute name="staffNo" value="T2002"/></cas:attributes></cas:authenticationSuccess></cas:serviceResponse>"#;
        assert_eq!(parse_service_response(jasig).expect("ok").attributes, vec![("staffNo".to_string(), "T2002".to_string())]);
        let flat = r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas"><cas:authenticationSuccess><cas:user>wang</cas:user>
            <cas:staffNo>T3003</cas:staffNo></cas:authenticationSuccess></cas:serviceResponse>"#;
        assert_eq!(parse_service_response(flat).expect("ok").attributes, vec![("staffNo".to_string(), "T3003".to_string())]);
    }

    #[test]
    fn failures_and_junk_confirm_nobody() {
        let failure = r#"<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
            <cas:authenticationFailure code="INVALID_TICKET">Ticket ST-1 not recognized</cas:authenticationFailure></cas:serviceResponse>"#;
        assert_eq!(
            parse_service_response(failure),
            Err(CasAnswerError::Failure { code: "INVALID_TICKET".into(), message: "Ticket ST-1 not recognized".into() })
        );
        for junk in [
            "",
            "yes\nzhangsan\n",
            "<html><body>login</body></html>",
            "<cas:serviceResponse xmlns:cas=\"x\"><cas:authenticationSuccess/></cas:serviceResponse>",
        ] {
            assert!(matches!(parse_service_response(junk), Err(CasAnswerError::Malformed(_))), "{junk}");
        }
        // Entity expansion bombs are refused by the parser, not expanded.
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">]>
            <serviceResponse><authenticationSuccess><user>&lol6;</user></authenticationSuccess></serviceResponse>"#;
        assert!(parse_service_response(bomb).is_err());
    }

    #[test]
    fn urls_carry_the_service_encoded() {
        let cas = CasConfig::new("https://cas.example.edu.cn/cas/", Some("staffNo".into())).expect("config");
        assert_eq!(
            cas.login_url("https://rounds.example.edu.cn/auth/cas/callback").expect("url"),
            "https://cas.example.edu.cn/cas/login?service=https%3A%2F%2Frounds.example.edu.cn%2Fauth%2Fcas%2Fcallback"
        );
        assert!(cas
            .logout_url("https://rounds.example.edu.cn/login")
            .expect("url")
            .starts_with("https://cas.example.edu.cn/cas/logout?service=https%3A%2F%2F"));
        assert!(CasConfig::new("cas.example.edu.cn", None).is_err());
    }
}
