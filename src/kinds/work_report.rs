//! 学期工作总结: a counselor's or head teacher's own account of the semester (000 八(二)), submitted
//! to the student-affairs office. Their own work, like a duty log: only its author and the office
//! read it. The figures beside it are computed, not written; this is the text.

use super::record_meta;
use crate::record::{check_occurred_at, RecordKind, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// A summary is longer than a note: a few pages of text.
pub const REPORT_TEXT_MAX: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkReport {
    /// The semester's name as the calendar has it (`2026–2027 第一学期`).
    pub semester: String,
    /// When it was submitted (a later revision resubmits it).
    pub submitted_at: DateTime<FixedOffset>,
    pub text: String,
}

impl RecordKind for WorkReport {
    record_meta!("work_report", Own, submitted_at);

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "submitted_at", self.submitted_at, ctx.now);
        errors.text("semester", &self.semester, true, limits::SHORT_TEXT_MAX);
        errors.text("text", &self.text, true, REPORT_TEXT_MAX);
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::tests::{codes, now, only};

    fn report() -> WorkReport {
        WorkReport { semester: "2026–2027 第一学期".into(), submitted_at: now(), text: "本学期查寝 120 次……".into() }
    }

    #[test]
    fn a_report_names_its_semester_and_says_something() {
        assert_eq!(codes(&report()), vec![]);
        only(&WorkReport { text: "  ".into(), ..report() }, "text", "required");
        only(&WorkReport { semester: String::new(), ..report() }, "semester", "required");
        only(&WorkReport { text: "字".repeat(REPORT_TEXT_MAX + 1), ..report() }, "text", "too_long");
        assert_eq!(report().subject(), crate::record::Subject::Own, "only its author and the office read it");
    }
}
