//! What single sign-on the server offers, from its flags: read once at start, held in the
//! server's state.

use super::{cas, oidc};

/// How a staff number from the university finds a Rounds account.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MatchBy {
    /// The staff number the office recorded on the account (`users.staff_no`).
    #[default]
    #[value(name = "staff_no", alias = "staff-no")]
    StaffNo,
    /// The account's username is the staff number.
    #[value(name = "username")]
    Username,
}

/// The command-line flags (and environment variables) of single sign-on.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SsoArgs {
    /// The university's CAS server, e.g. https://cas.example.edu.cn/cas (its login,
    /// p3/serviceValidate and logout are under it). Needs --public-origin.
    #[arg(long, env = "ROUNDS_CAS_URL")]
    pub cas_url: Option<String>,
    /// The CAS attribute that carries the staff number (without it: the CAS user name).
    #[arg(long, env = "ROUNDS_CAS_ATTRIBUTE")]
    pub cas_attribute: Option<String>,
    /// The OpenID Connect issuer, e.g. https://idp.example.edu.cn (discovered from
    /// {issuer}/.well-known/openid-configuration). Needs --public-origin.
    #[arg(long, env = "ROUNDS_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// The client id Rounds was registered with at the OpenID provider.
    #[arg(long, env = "ROUNDS_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// Its client secret (better given in the environment than on the command line).
    #[arg(long, env = "ROUNDS_OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,
    /// The claim that carries the staff number (the ID token's, else the userinfo's).
    #[arg(long, env = "ROUNDS_OIDC_CLAIM", default_value = "sub")]
    pub oidc_claim: String,
    /// The scopes to ask for, space-separated (openid is always asked for).
    #[arg(long, env = "ROUNDS_OIDC_SCOPES", default_value = "openid profile")]
    pub oidc_scopes: String,
    /// How the staff number finds an account: staff_no (the number the office recorded on
    /// it) or username.
    #[arg(long, env = "ROUNDS_SSO_MATCH", value_enum, default_value_t = MatchBy::StaffNo)]
    pub sso_match: MatchBy,
}

/// What single sign-on the server offers; nothing by default.
#[derive(Debug, Clone, Default)]
pub struct SsoConfig {
    pub cas: Option<cas::CasConfig>,
    pub oidc: Option<oidc::OidcConfig>,
    pub match_by: MatchBy,
}

impl SsoArgs {
    /// Checks the flags; a half-configured provider is an error, not silently left out.
    pub fn config(&self) -> anyhow::Result<SsoConfig> {
        let cas = match &self.cas_url {
            Some(url) => Some(cas::CasConfig::new(url, self.cas_attribute.clone().filter(|a| !a.trim().is_empty()))?),
            None => None,
        };
        let oidc = match (&self.oidc_issuer, &self.oidc_client_id) {
            (Some(issuer), Some(client_id)) => {
                let claim = if self.oidc_claim.trim().is_empty() { "sub" } else { self.oidc_claim.trim() };
                Some(oidc::OidcConfig::new(issuer, client_id, self.oidc_client_secret.as_deref(), claim, &self.oidc_scopes)?)
            }
            (None, None) => None,
            _ => anyhow::bail!("OpenID Connect needs both --oidc-issuer and --oidc-client-id"),
        };
        Ok(SsoConfig { cas, oidc, match_by: self.sso_match })
    }
}

impl SsoConfig {
    pub fn configured(&self) -> bool {
        self.cas.is_some() || self.oidc.is_some()
    }

    /// What the login page offers.
    pub fn offer(&self) -> rounds_app::pages::login::SsoOffer {
        rounds_app::pages::login::SsoOffer { cas: self.cas.is_some(), oidc: self.oidc.is_some() }
    }
}
