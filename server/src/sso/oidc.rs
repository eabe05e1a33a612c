//! OpenID Connect: the authorization code flow with PKCE, state and nonce, through the
//! `openidconnect` crate. The provider is discovered from `{issuer}/.well-known/openid-configuration`
//! (its JWKS with it) at the first sign-in and again every few minutes, so a rotated key is
//! picked up; the ID token's signature is checked against the JWKS, and its issuer, audience,
//! expiry and nonce, before anything in it is believed.

use super::cas::back_channel;
use super::refusal::Refusal;
use base64::Engine as _;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreIdToken, CoreJwsSigningAlgorithm};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, JsonWebKey, JsonWebKeyUse, LogoutRequest, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope, TokenResponse,
};
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long a discovered configuration (and its keys) is used before it is asked for again.
const DISCOVERY_TTL: Duration = Duration::from_secs(10 * 60);

/// The provider's configuration and keys, and when they were fetched.
type Discovered = Option<(Instant, Arc<ProviderMetadataWithLogout>)>;

/// The client as made from discovered metadata: an authorization endpoint, maybe a token and a
/// userinfo endpoint.
type Client = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// The callback the provider sends the browser back to; register it with the provider.
pub fn redirect_url(origin: &str) -> String {
    format!("{origin}/auth/oidc/callback")
}

#[derive(Debug, Clone)]
pub struct OidcConfig {
    pub issuer: IssuerUrl,
    pub client_id: ClientId,
    pub client_secret: Option<ClientSecret>,
    /// The claim that carries the staff number.
    pub claim: String,
    /// The scopes asked for besides `openid`.
    pub scopes: Vec<String>,
    http: reqwest::Client,
    /// Shared by every clone of the configuration: one discovery for the whole server.
    discovered: Arc<Mutex<Discovered>>,
}

/// Where to send the browser, and what must come back with the answer.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// A checked sign-in.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub staff_no: String,
    /// The ID token as the provider sent it, for its logout's id_token_hint.
    pub id_token: String,
}

impl OidcConfig {
    pub fn new(issuer: &str, client_id: &str, client_secret: Option<&str>, claim: &str, scopes: &str) -> anyhow::Result<OidcConfig> {
        let issuer = IssuerUrl::new(issuer.trim().to_string()).map_err(|e| anyhow::anyhow!("--oidc-issuer {issuer} is not a URL: {e}"))?;
        anyhow::ensure!(matches!(issuer.url().scheme(), "https" | "http"), "--oidc-issuer must be an https:// URL");
        anyhow::ensure!(!client_id.trim().is_empty(), "--oidc-client-id is empty");
        Ok(OidcConfig {
            issuer,
            client_id: ClientId::new(client_id.trim().to_string()),
            client_secret: client_secret.filter(|s| !s.is_empty()).map(|s| ClientSecret::new(s.to_string())),
            claim: claim.to_string(),
            scopes: scopes.split_whitespace().filter(|s| *s != "openid").map(str::to_string).collect(),
            http: back_channel()?,
            discovered: Arc::default(),
        })
    }

    /// The provider's configuration and keys: discovered, or as discovered a little while ago.
    async fn metadata(&self, fresh: bool) -> Result<Arc<ProviderMetadataWithLogout>, Refusal> {
        let mut cached = self.discovered.lock().await;
        if let Some((at, metadata)) = cached.as_ref() {
            if !fresh && at.elapsed() < DISCOVERY_TTL {
                return Ok(metadata.clone());
            }
        }
        let metadata = ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| Refusal::Unreachable(format!("discovery at {}: {e}", self.issuer.as_str())))?;
        let metadata = Arc::new(metadata);
        *cached = Some((Instant::now(), metadata.clone()));
        Ok(metadata)
    }

    fn client(&self, metadata: &ProviderMetadataWithLogout, redirect: &str) -> Result<Client, Refusal> {
        let redirect = RedirectUrl::new(redirect.to_string()).map_err(|e| Refusal::Internal(e.into()))?;
        Ok(CoreClient::from_provider_metadata(metadata.clone(), self.client_id.clone(), self.client_secret.clone()).set_redirect_uri(redirect))
    }

    /// The authorization request: code flow, a fresh state, nonce and PKCE (S256) verifier.
    pub async fn authorize(&self, redirect: &str) -> Result<AuthorizationRequest, Refusal> {
        let metadata = self.metadata(false).await?;
        let client = self.client(&metadata, redirect)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request =
            client.authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random).set_pkce_challenge(challenge);
        for scope in &self.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok(AuthorizationRequest {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Exchanges the code (with the PKCE verifier), checks the ID token, and finds the staff
    /// number in it or, failing that, in the userinfo answer.
    pub async fn exchange(&self, redirect: &str, code: &str, pkce_verifier: &str, nonce: &str) -> Result<SignedIn, Refusal> {
        let metadata = self.metadata(false).await?;
        let client = self.client(&metadata, redirect)?;
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| Refusal::Internal(anyhow::anyhow!("the provider has no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
            .request_async(&self.http)
            .await
            .map_err(|e| Refusal::NotConfirmed(format!("the token request failed: {e} ({e:?})")))?;
        let id_token = token.id_token().ok_or_else(|| Refusal::NotConfirmed("the token answer has no ID token".into()))?;
        let verifier = client.id_token_verifier().set_issue_time_verifier_fn(|iat| {
            // Made just now, give or take a clock that is a little off.
            let age = chrono::Utc::now() - iat;
            if age > chrono::Duration::minutes(10) || age < chrono::Duration::minutes(-5) {
                Err(format!("issued at {iat}, too far from now"))
            } else {
                Ok(())
            }
        });
        let nonce = Nonce::new(nonce.to_string());
        let claims = match id_token.claims(&verifier, &nonce) {
            Ok(claims) => claims,
            Err(e) => {
                // A key rotated since the last discovery is the one honest reason to fail here:
                // the next sign-in discovers again.
                let _ = self.metadata(true).await;
                return Err(Refusal::NotConfirmed(format!("the ID token does not verify: {e}")));
            }
        };
        // The access token must be the one the ID token was issued with (at_hash), when it says.
        if let Some(expected) = claims.access_token_hash() {
            let alg = id_token.signing_alg().map_err(|e| Refusal::NotConfirmed(e.to_string()))?;
            let key = id_token.signing_key(&verifier).map_err(|e| Refusal::NotConfirmed(e.to_string()))?;
            let actual = AccessTokenHash::from_token(token.access_token(), alg, key).map_err(|e| Refusal::NotConfirmed(e.to_string()))?;
            if actual != *expected {
                return Err(Refusal::NotConfirmed("the access token does not match the ID token's at_hash".into()));
            }
        }
        let subject = claims.subject().as_str().to_string();
        let raw = id_token.to_string();
        let mut staff_no = if self.claim == "sub" { Some(subject.clone()) } else { claim_of_verified_token(&raw, &self.claim) };
        if staff_no.is_none() {
            staff_no = self.userinfo_claim(&metadata, token.access_token().secret(), &subject).await?;
        }
        let staff_no =
            staff_no.filter(|s| !s.trim().is_empty()).ok_or_else(|| Refusal::NoStaffNumber(format!("no claim {} for subject {subject}", self.claim)))?;
        Ok(SignedIn { staff_no, id_token: raw })
    }

    /// The claim from the userinfo endpoint, which must be about the same subject.
    async fn userinfo_claim(&self, metadata: &ProviderMetadataWithLogout, access_token: &str, subject: &str) -> Result<Option<String>, Refusal> {
        let Some(endpoint) = metadata.userinfo_endpoint() else {
            return Ok(None);
        };
        let response = self.http.get(endpoint.url().as_str()).bearer_auth(access_token).send().await.map_err(|e| Refusal::Unreachable(e.to_string()))?;
        if !response.status().is_success() {
            return Err(Refusal::NotConfirmed(format!("userinfo answered {}", response.status())));
        }
        let info: Value = response.json().await.map_err(|e| Refusal::NotConfirmed(format!("userinfo is not JSON: {e}")))?;
        if info.get("sub").and_then(Value::as_str) != Some(subject) {
            return Err(Refusal::NotConfirmed("userinfo is about another subject".into()));
        }
        Ok(info.get(&self.claim).and_then(claim_text))
    }

    /// RP-initiated logout: the end_session_endpoint with the ID token as hint, coming back to
    /// `back` (register it as a post-logout redirect URI). `None` when the provider has none.
    pub async fn logout_url(&self, id_token: Option<&str>, back: &str) -> Option<String> {
        let metadata = self.metadata(false).await.ok()?;
        let endpoint = metadata.additional_metadata().end_session_endpoint.clone()?;
        let mut request = LogoutRequest::from(endpoint).set_client_id(self.client_id.clone());
        if let Ok(back) = PostLogoutRedirectUrl::new(back.to_string()) {
            request = request.set_post_logout_redirect_uri(back);
        }
        if let Some(token) = id_token.and_then(|t| t.parse::<CoreIdToken>().ok()) {
            request = request.set_id_token_hint(&token);
        }
        Some(request.http_get_url().to_string())
    }
}

/// The event a back-channel logout token carries (OpenID Connect Back-Channel Logout 1.0, 2.4).
pub const BACKCHANNEL_LOGOUT_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// Whom a verified logout token signs out: the provider's session (`sid`), its subject
/// (`sub`), or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogoutOf {
    pub sid: Option<String>,
    pub sub: Option<String>,
}

impl OidcConfig {
    /// The back-channel logout URI to register with the provider.
    pub fn backchannel_logout_url(origin: &str) -> String {
        format!("{origin}/auth/oidc/backchannel-logout")
    }

    /// Checks a `logout_token` (Back-Channel Logout 1.0, 2.6): its signature against the
    /// provider's keys (an algorithm the provider announces for ID tokens; never `none` or a
    /// shared secret), then its claims ([`check_logout_claims`]). A key rotated since the last
    /// discovery is picked up by discovering again once.
    pub async fn verify_logout_token(&self, token: &str) -> Result<LogoutOf, String> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err("not a signed JWT (three parts)".into());
        };
        let decode = |part: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).map_err(|e| format!("bad base64: {e}"));
        let header: Value = serde_json::from_slice(&decode(header)?).map_err(|e| format!("the header is not JSON: {e}"))?;
        let alg_name = header.get("alg").and_then(Value::as_str).ok_or("the header names no alg")?;
        if alg_name == "none" || alg_name.starts_with("HS") {
            return Err(format!("the algorithm {alg_name} is not accepted"));
        }
        if let Some(typ) = header.get("typ").and_then(Value::as_str) {
            if !typ.eq_ignore_ascii_case("logout+jwt") && !typ.eq_ignore_ascii_case("jwt") {
                return Err(format!("the token's typ is {typ}"));
            }
        }
        let alg: CoreJwsSigningAlgorithm = serde_json::from_value(Value::String(alg_name.to_string())).map_err(|_| format!("unknown algorithm {alg_name}"))?;
        let kid = header.get("kid").and_then(Value::as_str);
        let signature = decode(signature)?;
        let signing_input = &token[..header_and_payload_len(token)];
        let mut verified = false;
        for fresh in [false, true] {
            let metadata = self.metadata(fresh).await.map_err(|e| e.to_string())?;
            if !metadata.id_token_signing_alg_values_supported().contains(&alg) {
                return Err(format!("the provider does not announce {alg_name}"));
            }
            verified = metadata.jwks().keys().iter().any(|key| {
                kid.is_none_or(|k| key.key_id().is_some_and(|id| id.as_str() == k))
                    && key.key_use().is_none_or(|u| u.allows_signature())
                    && key.verify_signature(&alg, signing_input.as_bytes(), &signature).is_ok()
            });
            if verified {
                break;
            }
        }
        if !verified {
            return Err("the signature does not verify with the provider's keys".into());
        }
        let claims: Value = serde_json::from_slice(&decode(payload)?).map_err(|e| format!("the claims are not JSON: {e}"))?;
        check_logout_claims(&claims, self.issuer.as_str(), self.client_id.as_str(), chrono::Utc::now())
    }
}

/// How much of a JWT is signed: the header, the dot, the payload.
fn header_and_payload_len(token: &str) -> usize {
    token.rfind('.').unwrap_or(0)
}

/// The claims of a logout token (Back-Channel Logout 1.0, 2.4 and 2.6): our issuer, us among
/// the audience, issued lately, not expired, the back-channel logout event, a `sid` or a `sub`,
/// and no `nonce` (which would make an ID token pass for a logout token).
pub fn check_logout_claims(claims: &Value, issuer: &str, client_id: &str, now: chrono::DateTime<chrono::Utc>) -> Result<LogoutOf, String> {
    if claims.get("iss").and_then(Value::as_str) != Some(issuer) {
        return Err("the issuer is not the configured provider".into());
    }
    let audience_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == client_id,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(client_id)),
        _ => false,
    };
    if !audience_ok {
        return Err("the token is not meant for Rounds (aud)".into());
    }
    let iat = claims.get("iat").and_then(Value::as_i64).ok_or("no iat")?;
    let age = now.timestamp() - iat;
    if !(-300..=600).contains(&age) {
        return Err(format!("issued at {iat}, too far from now"));
    }
    if let Some(exp) = claims.get("exp") {
        if exp.as_i64().is_none_or(|e| e < now.timestamp()) {
            return Err("the token has expired".into());
        }
    }
    if !claims.get("events").and_then(|e| e.get(BACKCHANNEL_LOGOUT_EVENT)).is_some_and(Value::is_object) {
        return Err("the token carries no back-channel logout event".into());
    }
    if claims.get("nonce").is_some() {
        return Err("a logout token has no nonce".into());
    }
    let text = |name: &str| claims.get(name).and_then(Value::as_str).map(str::to_string).filter(|s| !s.is_empty());
    let of = LogoutOf { sid: text("sid"), sub: text("sub") };
    if of.sid.is_none() && of.sub.is_none() {
        return Err("the token names neither sid nor sub".into());
    }
    Ok(of)
}

/// The provider's session (`sid`) and subject (`sub`) of a verified ID token, for its logout.
pub fn session_of_verified_token(jwt: &str) -> LogoutOf {
    LogoutOf { sid: claim_of_verified_token(jwt, "sid"), sub: claim_of_verified_token(jwt, "sub") }
}

/// A claim of an ID token whose signature and claims were already verified: its payload read as
/// JSON, for the claims the crate has no field for (a school's own staff-number claim).
fn claim_of_verified_token(jwt: &str, claim: &str) -> Option<String> {
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    claims.get(claim).and_then(claim_text)
}

/// A staff number may come as a string or a number.
fn claim_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_school_claim_is_read_from_the_token_payload() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(br#"{"sub":"abc","staff_no":"T1001","employee":20240017,"groups":["a"]}"#);
        let jwt = format!("eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln");
        assert_eq!(claim_of_verified_token(&jwt, "staff_no").as_deref(), Some("T1001"));
        assert_eq!(claim_of_verified_token(&jwt, "employee").as_deref(), Some("20240017"));
        assert_eq!(claim_of_verified_token(&jwt, "groups"), None);
        assert_eq!(claim_of_verified_token(&jwt, "missing"), None);
        assert_eq!(claim_of_verified_token("not a jwt", "sub"), None);
    }

    fn logout_claims() -> Value {
        serde_json::json!({
            "iss": "https://idp.example.edu.cn",
            "aud": "rounds",
            "iat": chrono::Utc::now().timestamp(),
            "jti": "x1",
            "sub": "zhang",
            "sid": "s-1",
            "events": { BACKCHANNEL_LOGOUT_EVENT: {} },
        })
    }

    #[test]
    fn a_logout_token_must_be_ours_recent_and_a_logout() {
        let now = chrono::Utc::now();
        let check = |claims: &Value| check_logout_claims(claims, "https://idp.example.edu.cn", "rounds", now);
        assert_eq!(check(&logout_claims()), Ok(LogoutOf { sid: Some("s-1".into()), sub: Some("zhang".into()) }));
        let with = |key: &str, value: Value| {
            let mut c = logout_claims();
            c[key] = value;
            c
        };
        let without = |key: &str| {
            let mut c = logout_claims();
            c.as_object_mut().map(|o| o.remove(key));
            c
        };
        assert!(check(&with("aud", serde_json::json!(["other", "rounds"]))).is_ok());
        assert!(check(&with("iss", "https://evil.example".into())).is_err());
        assert!(check(&with("aud", "other".into())).is_err());
        assert!(check(&with("iat", (now.timestamp() - 3600).into())).is_err(), "an old token");
        assert!(check(&with("exp", (now.timestamp() - 1).into())).is_err());
        assert!(check(&with("nonce", "n".into())).is_err(), "an ID token is not a logout token");
        assert!(check(&with("events", serde_json::json!({ "other": {} }))).is_err());
        assert!(check(&without("events")).is_err());
        assert!(check(&without("iat")).is_err());
        assert_eq!(check(&without("sid")).map(|o| o.sid), Ok(None));
        let mut neither = without("sid");
        neither.as_object_mut().map(|o| o.remove("sub"));
        assert!(check(&neither).is_err());
    }

    #[test]
    fn the_configuration_is_checked() {
        let c = OidcConfig::new("https://idp.example.edu.cn", "rounds", Some("s3cret"), "staff_no", "openid profile email").expect("config");
        assert_eq!(c.scopes, vec!["profile".to_string(), "email".to_string()]);
        assert!(!format!("{c:?}").contains("s3cret"), "the secret stays out of logs");
        assert!(OidcConfig::new("not a url", "rounds", None, "sub", "openid").is_err());
        assert!(OidcConfig::new("https://idp.example.edu.cn", " ", None, "sub", "openid").is_err());
    }
}
