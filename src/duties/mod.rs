//! The duty rules engine: what the school's regulations still ask of each person, and how the
//! office sees compliance. Rules and the calendar are data; the engine is pure functions, used
//! alike by the phone over its local store and by the server over the database.

pub mod calendar;
pub mod compliance;
pub mod engine;
pub mod rules;
pub mod setup;
pub mod summary;

#[cfg(test)]
mod tests;

pub use calendar::{DateSpan, Holiday, SchoolCalendar, Semester};
pub use compliance::{subject_label, ComplianceReport, ComplianceRow, DutyFilter, DutyRow, DutySetup, OwnerInfo, SubjectLabels, WeekPoint};
pub use engine::{Duty, DutyEngine, DutyStatus, Fact, FactIndex, Owner, Tally};
pub use rules::{default_rules, Period, Rule, RuleScope, RuleSet, StandingEvent, StudentFilter};
pub use setup::{CalendarEdit, CalendarVersion, RulesEdit, SavedVersion};
pub use summary::{semester_summary, SemesterSummary};
