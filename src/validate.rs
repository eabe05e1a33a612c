//! Field-level validation errors: one shape for the form on the phone and the API answer.

use serde::{Deserialize, Serialize};

/// One problem with one field. `field` is a dotted path into the JSON of the record
/// (`body.data.residents[2].absence_reason`), `code` is stable for programs and translation,
/// `message` is a readable English sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// All the problems found in one record; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{} invalid field(s): {}", .0.len(), summary(.0))]
pub struct ValidationErrors(pub Vec<FieldError>);

fn summary(errors: &[FieldError]) -> String {
    errors.iter().map(|e| format!("{} ({})", e.field, e.code)).collect::<Vec<_>>().join(", ")
}

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.0.push(FieldError { field: field.into(), code: code.to_string(), message: message.into() });
    }

    /// Adds the errors of a nested value with its path prefixed.
    pub fn nest(&mut self, prefix: &str, inner: ValidationErrors) {
        for e in inner.0 {
            self.0.push(FieldError { field: format!("{prefix}.{}", e.field), ..e });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// Checks a free-text field: optionally required, at most `max` characters (not bytes:
    /// Chinese text is three bytes a character).
    pub fn text(&mut self, field: &str, value: &str, required: bool, max: usize) {
        let trimmed = value.trim();
        if required && trimmed.is_empty() {
            self.add(field, "required", "is required");
        }
        let chars = value.chars().count();
        if chars > max {
            self.add(field, "too_long", format!("is {chars} characters long; at most {max} are allowed"));
        }
    }

    pub fn codes(&self) -> Vec<(&str, &str)> {
        self.0.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect()
    }
}

/// Bounds that apply to every record, chosen so a phone cannot fill the server by mistake.
pub mod limits {
    pub const NOTES_MAX: usize = 2000;
    pub const SHORT_TEXT_MAX: usize = 500;
    pub const DEVICE_ID_MAX: usize = 64;
    /// How far in the future a record's time may lie, for clocks that are a little off.
    pub const FUTURE_SKEW_MINUTES: i64 = 10;
    /// How far back a record may be dated: a semester and a summer.
    pub const PAST_DAYS_MAX: i64 = 400;
}
