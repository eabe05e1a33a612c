//! 值班记录: a duty shift's log (000 §7).

use super::choice;
use super::record_meta;
use crate::ids::*;
use crate::record::{check_occurred_at, RecordKind, ValidationContext};
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

choice!(
    /// 班次
    DutyShift {
        /// 白班
        Day,
        /// 晚班
        Evening,
        /// 夜班
        Night,
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyLog {
    pub started_at: DateTime<FixedOffset>,
    pub shift: DutyShift,
    /// Buildings patrolled; any building of the school, not only the author's.
    #[serde(default)]
    pub buildings: Vec<BuildingId>,
    /// What happened (or "平安无事").
    pub events: String,
    /// What was escalated, and to whom.
    #[serde(default)]
    pub escalated: String,
}

impl RecordKind for DutyLog {
    record_meta!("duty_log", Own, started_at);

    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "started_at", self.started_at, ctx.now);
        let mut seen = std::collections::BTreeSet::new();
        for (i, b) in self.buildings.iter().enumerate() {
            if !seen.insert(*b) {
                errors.add(format!("buildings[{i}]"), "duplicate", "is listed twice");
            }
        }
        errors.text("events", &self.events, true, limits::NOTES_MAX);
        errors.text("escalated", &self.escalated, false, limits::NOTES_MAX);
        errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::tests::{codes, now, only};
    use crate::record::Subject;

    fn log() -> DutyLog {
        DutyLog {
            started_at: now() - chrono::Duration::hours(3),
            shift: DutyShift::Evening,
            buildings: vec![BuildingId(1), BuildingId(2)],
            events: "22:30 巡查 1 号楼，平安无事".into(),
            escalated: String::new(),
        }
    }

    #[test]
    fn a_log_is_valid_and_belongs_to_its_author() {
        assert_eq!(codes(&log()), vec![]);
        assert_eq!(log().subject(), Subject::Own);
        assert_eq!(DutyShift::ALL.len(), 3);
    }

    #[test]
    fn events_are_required_and_buildings_unique() {
        let mut l = log();
        l.events.clear();
        only(&l, "events", "required");
        let mut l = log();
        l.buildings.push(BuildingId(1));
        only(&l, "buildings[2]", "duplicate");
    }
}
