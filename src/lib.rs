//! Rounds (学工巡访): the domain.
//!
//! Record kinds, roster types, validation and the sync protocol, shared by the server and the
//! wasm client. No I/O here: everything is a pure function over values, so the phone and the
//! server reach the same verdict on the same input.

pub mod access;
pub mod admin;
pub mod archive;
pub mod assistance;
pub mod audit;
pub mod duties;
pub mod groups;
pub mod ids;
pub mod json;
pub mod kinds;
pub mod ledger;
pub mod photo;
pub mod record;
pub mod roster;
pub mod roster_import;
pub mod school_time;
pub mod security;
pub mod sheet;
pub mod sorting;
pub mod sync;
pub mod tagged;
pub mod validate;

pub use access::{Access, Scope};
pub use archive::{
    AttentionFlag, ContactTier, Economy, Origin, StandingChange, StandingDecision, StandingEdit, StandingHistoryEntry, StudentArchive, StudentStanding,
};
pub use groups::{Club, GroupDraft, GroupKind, GroupsOverview, LeaderLink, LinkOption, LinkTarget, LinkView, NewLink, PartyBranch};
pub use ids::*;
pub use kinds::assistance::{AssistanceCase, AssistanceNote, CaseClosure, CaseOutcome, NotePart, Pairing, VolunteerId, VolunteerSession};
pub use kinds::class::{ClassCheck, ClassMeeting, CommitteeMeeting, LectureVisit, MeetingTopic, TeacherContact};
pub use kinds::dorm_check::{AbsenceReason, DormCheck, HazardKind, HygieneRating, ResidentPresence, SafetyHazard};
pub use kinds::dorm_visit::DormVisit;
pub use kinds::duty_log::{DutyLog, DutyShift};
pub use kinds::duty_roster::{DutyRoster, ScheduledShift, ShiftCover};
pub use kinds::issue::{IssueAction, IssueCategory, IssueStatus, IssueStep, RaisedFrom, StudentIssue};
pub use kinds::leader::{BranchActivity, BranchActivityKind, ClassAttendance, ClassEvent, ClubActivity, ClubActivityKind, ContactActivity, StudentContact};
pub use kinds::letter::{LetterDelivery, LetterKind, ParentLetter};
pub use kinds::student::{ContactChannel, HomeVisit, ParentContact, ParentContactReason, StudentEvent, StudentEventKind, Talk, TalkReason};
pub use kinds::visit_plan::{HomeVisitPlan, PlannedVisit, VisitProgress, VisitReason};
pub use kinds::work_report::WorkReport;
pub use photo::{PhotoRef, PhotoType};
pub use record::{LinkedAccess, RecordBody, RecordEnvelope, RecordKind, Subject};
pub use roster::{Bed, Building, Class, Department, Gender, Role, Room, RosterSnapshot, StaffName, Student, UserProfile};
pub use validate::{FieldError, ValidationErrors};
