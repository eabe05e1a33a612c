//! The record envelope: what every kind of record carries through the one sync pipeline
//! (local store → outbox → push → server upsert → revisions → pull).

use crate::ids::*;
use crate::roster::RosterSnapshot;
use crate::validate::{limits, ValidationErrors};
use chrono::{DateTime, Duration, FixedOffset};
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// Who or what a record is about; the server checks the author's scope against it, and the
/// pull sends a record only to those who may see its subject.
// `Deserialize` by hand, through `SubjectFields` (see `crate::tagged`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Subject {
    Room(RoomId),
    Class(ClassId),
    Student(StudentId),
    /// A student club (社团): seen by the leaders linked to it and the office.
    Club(ClubId),
    /// A student party branch (党支部): seen by the leaders linked to it and the office.
    Branch(BranchId),
    /// About no one but the author's own work (a duty log): only the author and the office see it.
    Own,
}

/// Which kind of thing a record is about, without the id: what a duty rule's scope must fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SubjectType {
    Room,
    Class,
    Student,
    Club,
    Branch,
    Own,
}

/// A subject as written, `{ "type", "id" }`: serde's adjacently tagged decoder would buffer an
/// `id` that comes before its `type` in its `Content` (see `crate::tagged`).
#[derive(Deserialize)]
#[serde(rename = "Subject")]
struct SubjectFields {
    #[serde(rename = "type")]
    tag: SubjectType,
    id: Option<i64>,
}

impl SubjectFields {
    fn subject<E: de::Error>(self) -> Result<Subject, E> {
        let id = || crate::tagged::required(self.id, "id");
        Ok(match self.tag {
            SubjectType::Room => Subject::Room(RoomId(id()?)),
            SubjectType::Class => Subject::Class(ClassId(id()?)),
            SubjectType::Student => Subject::Student(StudentId(id()?)),
            SubjectType::Club => Subject::Club(ClubId(id()?)),
            SubjectType::Branch => Subject::Branch(BranchId(id()?)),
            SubjectType::Own => {
                crate::tagged::absent(self.id, "id", "own")?;
                Subject::Own
            }
        })
    }
}

impl<'de> Deserialize<'de> for Subject {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        SubjectFields::deserialize(deserializer)?.subject()
    }
}

impl Subject {
    pub fn subject_type(&self) -> SubjectType {
        match self {
            Subject::Room(_) => SubjectType::Room,
            Subject::Class(_) => SubjectType::Class,
            Subject::Student(_) => SubjectType::Student,
            Subject::Club(_) => SubjectType::Club,
            Subject::Branch(_) => SubjectType::Branch,
            Subject::Own => SubjectType::Own,
        }
    }
}

/// What staff *linked* to a record's subject (a leader's class, room, club or branch, 002) may
/// do with records of a kind. Staff *assigned* to the subject (counselors, head teachers) see
/// and write every kind about it; a leader only the kinds that say so here, so talks, parent
/// contacts, home visits, issues and class checks about a leader's class or room never reach them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkedAccess {
    /// Neither read nor written by linked staff (the default).
    None,
    /// Read by linked staff, written only by assigned staff.
    Read,
    /// Read and written by linked staff.
    Write,
}

/// What the validator of a record may consult besides the record itself.
pub struct ValidationContext<'a> {
    /// The roster the author can see: on the phone its local copy, on the server the author's
    /// scope read from the database.
    pub roster: &'a RosterSnapshot,
    /// The validator's clock, to refuse records dated far in the future or the past.
    pub now: DateTime<FixedOffset>,
}

/// One kind of record (dorm check, talk, …). Adding a kind means a type that implements this,
/// a variant in [`RecordBody`] (`record_kinds!`), its form and its entry in the app's table of
/// kinds (`app/src/pages/kinds.rs`, which does not compile without it), and nothing else in the
/// pipeline.
pub trait RecordKind: Serialize + DeserializeOwned + Clone + PartialEq {
    /// The stable name of the kind on the wire and in the database.
    const KIND: &'static str;
    fn subject(&self) -> Subject;
    /// When the thing recorded happened (not when it was saved).
    fn occurred_at(&self) -> DateTime<FixedOffset>;
    /// Field paths are relative to the record's data (`residents[0].absence_reason`).
    fn validate(&self, ctx: &ValidationContext) -> ValidationErrors;
    /// What leaders linked to the subject may do with this kind; see [`LinkedAccess`].
    const LINKED: LinkedAccess = LinkedAccess::None;
    /// What every record of this kind is about (the variant of [`Subject`]).
    const SUBJECT_TYPE: SubjectType;
    /// The wire names of the kind's sub-kinds that a duty rule can ask for one by one (a
    /// branch's party lecture, report…); empty for most kinds.
    const ACTIVITIES: &'static [&'static str] = &[];
    /// Which of [`Self::ACTIVITIES`] this record is, by position.
    fn activity(&self) -> Option<u8> {
        None
    }
    /// Written by the office alone (an assistance case: the working group's decision drives
    /// duties, so the staff who owe them cannot write it); everyone in scope reads it.
    const OFFICE_ONLY: bool = false;
    /// The person outside the roster the record is with, by name: the course teacher of a
    /// class check or a teacher contact (000 三(四) asks for every course teacher).
    fn counterpart(&self) -> Option<&str> {
        None
    }
}

/// A counterpart's name as the duty engine compares it: whitespace and a trailing 老师 do not
/// make another person (`张 三老师` is `张三`). A stable FNV-1a hash, the same on every device.
pub fn counterpart_key(name: &str) -> Option<u32> {
    let compact: String = name.split_whitespace().collect();
    let compact = compact.strip_suffix("老师").unwrap_or(&compact);
    if compact.is_empty() {
        return None;
    }
    Some(compact.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193)))
}

macro_rules! record_kinds {
    ($($variant:ident($ty:ty)),* $(,)?) => {
        /// The body of a record: one variant per kind, tagged on the wire as
        /// `{ "kind": "dorm_check", "data": { … } }`. Read by hand (see its `Deserialize`).
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(tag = "kind", content = "data", rename_all = "snake_case")]
        pub enum RecordBody {
            $($variant($ty)),*
        }

        $(
            impl From<$ty> for RecordBody {
                fn from(r: $ty) -> RecordBody {
                    RecordBody::$variant(r)
                }
            }

            /// The body as its kind, borrowed: `<&ParentLetter>::try_from(&body)`.
            impl<'a> TryFrom<&'a RecordBody> for &'a $ty {
                type Error = ();
                fn try_from(body: &'a RecordBody) -> Result<&'a $ty, ()> {
                    match body {
                        RecordBody::$variant(r) => Ok(r),
                        _ => Err(()),
                    }
                }
            }

            /// The body back as its kind; a body of another kind is handed back unchanged.
            impl TryFrom<RecordBody> for $ty {
                type Error = RecordBody;
                fn try_from(body: RecordBody) -> Result<$ty, RecordBody> {
                    match body {
                        RecordBody::$variant(r) => Ok(r),
                        other => Err(other),
                    }
                }
            }
        )*

        impl RecordBody {
            pub const KINDS: &'static [&'static str] = &[$(<$ty as RecordKind>::KIND),*];

            pub fn kind(&self) -> &'static str {
                match self { $(RecordBody::$variant(_) => <$ty as RecordKind>::KIND),* }
            }
            pub fn subject(&self) -> Subject {
                match self { $(RecordBody::$variant(r) => r.subject()),* }
            }
            pub fn occurred_at(&self) -> DateTime<FixedOffset> {
                match self { $(RecordBody::$variant(r) => r.occurred_at()),* }
            }
            pub fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
                match self { $(RecordBody::$variant(r) => r.validate(ctx)),* }
            }
            /// Which of its kind's `ACTIVITIES` a record is, by position.
            pub fn activity(&self) -> Option<u8> {
                match self { $(RecordBody::$variant(r) => r.activity()),* }
            }
            /// See [`RecordKind::counterpart`].
            pub fn counterpart(&self) -> Option<&str> {
                match self { $(RecordBody::$variant(r) => r.counterpart()),* }
            }
            /// What records of a kind are about, by the kind's wire name.
            pub fn subject_type_of(kind: &str) -> Option<SubjectType> {
                match kind { $(<$ty as RecordKind>::KIND => Some(<$ty as RecordKind>::SUBJECT_TYPE),)* _ => None }
            }
            /// The sub-kinds a duty rule may name for a kind (see [`RecordKind::ACTIVITIES`]).
            pub fn activities_of(kind: &str) -> &'static [&'static str] {
                match kind { $(<$ty as RecordKind>::KIND => <$ty as RecordKind>::ACTIVITIES,)* _ => &[] }
            }
            /// Whether only the office may write records of this kind (see [`RecordKind::OFFICE_ONLY`]).
            pub fn office_only(&self) -> bool {
                match self { $(RecordBody::$variant(_) => <$ty as RecordKind>::OFFICE_ONLY),* }
            }
            /// [`RecordBody::office_only`] by the kind's wire name.
            pub fn office_only_kind(kind: &str) -> bool {
                match kind { $(<$ty as RecordKind>::KIND => <$ty as RecordKind>::OFFICE_ONLY,)* _ => false }
            }
            pub fn linked_access(&self) -> LinkedAccess {
                match self { $(RecordBody::$variant(_) => <$ty as RecordKind>::LINKED),* }
            }
            /// The kinds staff linked to their subject may read (see [`LinkedAccess`]).
            pub fn linked_readable_kinds() -> Vec<&'static str> {
                [$((<$ty as RecordKind>::KIND, <$ty as RecordKind>::LINKED)),*]
                    .into_iter()
                    .filter(|(_, access)| *access != LinkedAccess::None)
                    .map(|(kind, _)| kind)
                    .collect()
            }

            /// Decodes the data of a record of `kind` from any deserializer: the one match over the
            /// kinds behind [`RecordBody`]'s `Deserialize`.
            fn data_of_kind<'de, D: serde::Deserializer<'de>>(kind: &str, data: D) -> Result<RecordBody, D::Error> {
                match kind {
                    $(<$ty as RecordKind>::KIND => <$ty as Deserialize>::deserialize(data).map(RecordBody::$variant),)*
                    other => Err(serde::de::Error::unknown_variant(other, Self::KINDS)),
                }
            }

            /// Decodes `{ "kind", "data" }` by kind, so a field error names its exact path
            /// (serde's own tagged decoding buffers the data and loses it).
            pub fn from_json(value: &serde_json::Value) -> Result<RecordBody, ValidationErrors> {
                let mut errors = ValidationErrors::new();
                let Some(kind) = value.get("kind").and_then(|k| k.as_str()) else {
                    errors.add("body.kind", "required", format!("must be one of {:?}", Self::KINDS));
                    return Err(errors);
                };
                let data = value.get("data").cloned().unwrap_or(serde_json::Value::Null);
                match kind {
                    $(<$ty as RecordKind>::KIND => decode_data::<$ty>(data).map(RecordBody::$variant),)*
                    other => {
                        errors.add("body.kind", "unknown_kind", format!("'{other}' is not one of {:?}", Self::KINDS));
                        Err(errors)
                    }
                }
            }
        }
    };
}

/// Written by hand, not derived: serde's adjacently tagged decoding keeps a `data` that comes
/// before its `kind` in its private `Content` buffer, and so holds a second decoder of every kind
/// (some 70 KB of the phone's wasm). Here `kind` then `data` (how every record is written)
/// decodes the data straight into its kind; `data` first (a `serde_json::Value`, whose keys are
/// sorted: the server's push) is kept as a `Value` and decoded from its text once the kind is
/// known, by the JSON reader the phone already has ([`crate::json`]): one generic path, no second
/// decoder per kind.
impl<'de> Deserialize<'de> for RecordBody {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("RecordBody", &["kind", "data"], BodyVisitor)
    }
}

struct BodyVisitor;

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = RecordBody;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a record body { \"kind\", \"data\" }")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RecordBody, A::Error> {
        let mut kind: Option<&'static str> = None;
        let mut body: Option<RecordBody> = None;
        let mut data_first: Option<serde_json::Value> = None;
        while let Some(key) = map.next_key::<BodyKey>()? {
            match key {
                BodyKey::Kind if kind.is_some() => return Err(de::Error::duplicate_field("kind")),
                BodyKey::Kind => kind = Some(map.next_value::<KindName>()?.0),
                BodyKey::Data if body.is_some() || data_first.is_some() => return Err(de::Error::duplicate_field("data")),
                BodyKey::Data => match kind {
                    Some(kind) => body = Some(map.next_value_seed(DataOfKind(kind))?),
                    None => data_first = Some(map.next_value()?),
                },
                BodyKey::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        let kind = kind.ok_or_else(|| de::Error::missing_field("kind"))?;
        match (body, data_first) {
            (Some(body), _) => Ok(body),
            (None, Some(data)) => {
                let text = data.to_string();
                crate::json::from_str_seed(&text, DataOfKind(kind)).map_err(de::Error::custom)
            }
            (None, None) => Err(de::Error::missing_field("data")),
        }
    }
}

/// A key of a record body; other keys are skipped, as serde's derived decoding did.
enum BodyKey {
    Kind,
    Data,
    Other,
}

impl<'de> Deserialize<'de> for BodyKey {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = BodyKey;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<BodyKey, E> {
                Ok(match key {
                    "kind" => BodyKey::Kind,
                    "data" => BodyKey::Data,
                    _ => BodyKey::Other,
                })
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// A body's `kind`: one of [`RecordBody::KINDS`], as that list's own `&'static str`.
struct KindName(&'static str);

impl<'de> Deserialize<'de> for KindName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KindVisitor;
        impl Visitor<'_> for KindVisitor {
            type Value = KindName;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a record kind")
            }
            fn visit_str<E: de::Error>(self, kind: &str) -> Result<KindName, E> {
                RecordBody::KINDS.iter().find(|k| **k == kind).map(|k| KindName(k)).ok_or_else(|| E::unknown_variant(kind, RecordBody::KINDS))
            }
        }
        deserializer.deserialize_str(KindVisitor)
    }
}

/// Decodes a body's `data` once its kind is known.
struct DataOfKind(&'static str);

impl<'de> DeserializeSeed<'de> for DataOfKind {
    type Value = RecordBody;
    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<RecordBody, D::Error> {
        RecordBody::data_of_kind(self.0, deserializer)
    }
}

record_kinds! {
    DormCheck(crate::kinds::dorm_check::DormCheck),
    DormVisit(crate::kinds::dorm_visit::DormVisit),
    ClassCheck(crate::kinds::class::ClassCheck),
    LectureVisit(crate::kinds::class::LectureVisit),
    Talk(crate::kinds::student::Talk),
    ParentContact(crate::kinds::student::ParentContact),
    HomeVisit(crate::kinds::student::HomeVisit),
    ClassMeeting(crate::kinds::class::ClassMeeting),
    CommitteeMeeting(crate::kinds::class::CommitteeMeeting),
    DutyLog(crate::kinds::duty_log::DutyLog),
    TeacherContact(crate::kinds::class::TeacherContact),
    StudentIssue(crate::kinds::issue::StudentIssue),
    IssueStep(crate::kinds::issue::IssueStep),
    StudentEvent(crate::kinds::student::StudentEvent),
    HomeVisitPlan(crate::kinds::visit_plan::HomeVisitPlan),
    ParentLetter(crate::kinds::letter::ParentLetter),
    DutyRoster(crate::kinds::duty_roster::DutyRoster),
    StudentContact(crate::kinds::leader::StudentContact),
    ClassAttendance(crate::kinds::leader::ClassAttendance),
    BranchActivity(crate::kinds::leader::BranchActivity),
    ClubActivity(crate::kinds::leader::ClubActivity),
    AssistanceCase(crate::kinds::assistance::AssistanceCase),
    VolunteerSession(crate::kinds::assistance::VolunteerSession),
    AssistanceNote(crate::kinds::assistance::AssistanceNote),
    WorkReport(crate::kinds::work_report::WorkReport),
}

/// Kinds that also count as another kind's sub-kind for duties: a home visit is a way of
/// contacting the parents (004 三(二)1 lists 家访 among them), so it meets a parent-contact rule
/// as a contact of channel `visit`, and nothing else of parent contacts (a phone call rule stays
/// a phone call).
///
/// A leader's visit of a room, attendance of a class, branch or club activity is time with
/// students face to face (002 四(二) «面对面»): it meets the leadership tier's weekly contact.
pub const COUNTS_ALSO_AS: &[(&str, &str, &str)] = &[
    ("home_visit", "parent_contact", "visit"),
    ("dorm_visit", "student_contact", "face_to_face"),
    ("class_attendance", "student_contact", "face_to_face"),
    ("branch_activity", "student_contact", "face_to_face"),
    ("club_activity", "student_contact", "face_to_face"),
];

impl RecordBody {
    /// The kind and sub-kind (by position) a record of `kind` also counts as, if any.
    pub fn counts_also_as(kind: &str) -> Option<(&'static str, Option<u8>)> {
        let (_, other, activity) = COUNTS_ALSO_AS.iter().find(|(k, _, _)| *k == kind)?;
        Some((other, Self::activities_of(other).iter().position(|a| a == activity).map(|i| i as u8)))
    }

    /// Whether a record concerns a student: about them, or naming them (absent at a check, met
    /// at a visit…). This is what a student's timeline shows.
    pub fn concerns_student(&self, id: StudentId) -> bool {
        if self.subject() == Subject::Student(id) {
            return true;
        }
        match self {
            RecordBody::DormCheck(c) => c.residents.iter().any(|r| r.student_id == id && !r.present),
            RecordBody::DormVisit(v) => v.students_met.contains(&id),
            RecordBody::ClassCheck(c) => c.absent.contains(&id) || c.late.contains(&id) || c.left_early.contains(&id),
            RecordBody::ClassMeeting(m) => m.absent.contains(&id),
            _ => false,
        }
    }

    /// Whether a record concerns a class: about it, one of its students, or a room where one of
    /// its students sleeps.
    pub fn concerns_class(&self, class: ClassId, roster: &RosterSnapshot) -> bool {
        let of_class = |s: StudentId| roster.student(s).is_some_and(|s| s.class_id == class);
        match self.subject() {
            Subject::Class(c) => c == class,
            Subject::Student(s) => of_class(s),
            Subject::Room(r) => roster.resident_ids(r).into_iter().any(of_class),
            Subject::Club(_) | Subject::Branch(_) | Subject::Own => false,
        }
    }
}

/// Lets code over records take the phone's stored records and the server's alike.
impl AsRef<RecordEnvelope> for RecordEnvelope {
    fn as_ref(&self) -> &RecordEnvelope {
        self
    }
}

/// A record as it travels: the client makes the id (UUIDv7), the revision numbers and the times;
/// the server never rewrites any of it, so a replay is recognisable byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordEnvelope {
    pub id: Uuid,
    /// 1 for a new record, one more for each edit.
    pub revision: u32,
    /// The revision this one was edited from; `None` exactly when `revision` is 1.
    pub base_revision: Option<u32>,
    pub author_id: UserId,
    /// A random id the phone makes once, to tell two devices of one user apart.
    pub device_id: String,
    pub created_at: DateTime<FixedOffset>,
    pub saved_at: DateTime<FixedOffset>,
    /// A deletion is a revision too: nothing is ever removed from the history.
    #[serde(default)]
    pub deleted: bool,
    pub body: RecordBody,
    /// Photos of any kind of record, by content hash; left out of the JSON when there are none,
    /// so records made before photos existed keep their bytes and content hashes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<crate::photo::PhotoRef>,
}

/// A pushed envelope's fields but its body (decoded on its own by kind, see
/// [`RecordEnvelope::from_json`]); the same names and defaults as [`RecordEnvelope`].
#[derive(Deserialize)]
struct EnvelopeFields {
    id: Uuid,
    revision: u32,
    base_revision: Option<u32>,
    author_id: UserId,
    device_id: String,
    created_at: DateTime<FixedOffset>,
    saved_at: DateTime<FixedOffset>,
    #[serde(default)]
    deleted: bool,
    #[serde(default)]
    photos: Vec<crate::photo::PhotoRef>,
}

impl RecordEnvelope {
    /// A first revision of a new record made now by `author` on `device`.
    pub fn new(body: RecordBody, author_id: UserId, device_id: &str, now: DateTime<FixedOffset>) -> Self {
        RecordEnvelope {
            id: new_record_id(),
            revision: 1,
            base_revision: None,
            author_id,
            device_id: device_id.to_string(),
            created_at: now,
            saved_at: now,
            deleted: false,
            body,
            photos: Vec::new(),
        }
    }

    /// The next revision of this record with a new body (or a deletion).
    pub fn edited(&self, body: RecordBody, deleted: bool, device_id: &str, now: DateTime<FixedOffset>) -> Self {
        RecordEnvelope {
            revision: self.revision + 1,
            base_revision: Some(self.revision),
            device_id: device_id.to_string(),
            saved_at: now,
            deleted,
            body,
            ..self.clone()
        }
    }

    /// An edit may not turn a record into another kind (a dorm check into a talk): the duty
    /// counts, the subject columns and who may read it all hang on the kind the record was made
    /// as. `base_kind` is the kind of the revision this one was edited from (the phone's copy,
    /// or the server's stored head).
    pub fn kind_change(&self, base_kind: &str) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        if self.body.kind() != base_kind {
            errors.add("body.kind", "kind_changed", format!("an edit cannot change the kind of a record: it was {base_kind}, not {}", self.body.kind()));
        }
        errors
    }

    /// Decodes one record from JSON, naming the field at fault when it does not fit the type.
    pub fn from_json(value: serde_json::Value) -> Result<Self, ValidationErrors> {
        if !value.is_object() {
            let mut errors = ValidationErrors::new();
            errors.add("", "malformed", "a record must be a JSON object");
            return Err(errors);
        }
        // The body first, by its kind, for its precise paths; then the envelope's own fields
        // around it, without decoding the body a second time (this is every pushed record).
        let body = match value.get("body") {
            Some(body) => Some(RecordBody::from_json(body)?),
            None => None,
        };
        let f: EnvelopeFields = decode(value, "")?;
        let Some(body) = body else {
            let mut errors = ValidationErrors::new();
            errors.add("body", "required", "missing field `body`");
            return Err(errors);
        };
        // Every field named: a field added to the envelope does not compile until it is read here.
        Ok(RecordEnvelope {
            id: f.id,
            revision: f.revision,
            base_revision: f.base_revision,
            author_id: f.author_id,
            device_id: f.device_id,
            created_at: f.created_at,
            saved_at: f.saved_at,
            deleted: f.deleted,
            body,
            photos: f.photos,
        })
    }

    /// The one validator, run by the phone before saving and by the server before storing.
    pub fn validate(&self, ctx: &ValidationContext) -> ValidationErrors {
        let mut errors = ValidationErrors::new();
        if self.id.get_version_num() != 7 {
            errors.add("id", "not_uuid_v7", "must be a UUIDv7 made by the client");
        }
        if self.revision == 0 {
            errors.add("revision", "out_of_range", "must be 1 or more");
        }
        match (self.revision, self.base_revision) {
            (1, Some(_)) => errors.add("base_revision", "unexpected", "must be empty for the first revision"),
            (r, None) if r > 1 => errors.add("base_revision", "required", "is required for an edit"),
            (r, Some(b)) if r > 1 && b >= r => errors.add("base_revision", "out_of_range", "must be lower than the revision"),
            _ => {}
        }
        let device = self.device_id.trim();
        if device.is_empty() {
            errors.add("device_id", "required", "is required");
        } else if device.chars().count() > limits::DEVICE_ID_MAX {
            errors.add("device_id", "too_long", format!("must be at most {} characters", limits::DEVICE_ID_MAX));
        }
        if self.saved_at < self.created_at {
            errors.add("saved_at", "before_created", "must not be before created_at");
        }
        if self.saved_at > ctx.now + Duration::minutes(limits::FUTURE_SKEW_MINUTES) {
            errors.add("saved_at", "in_future", "lies in the future; check the phone's clock");
        }
        errors.nest("body.data", self.body.validate(ctx));
        errors.0.extend(crate::photo::validate_photos(&self.photos).0);
        errors
    }
}

fn decode<T: DeserializeOwned>(value: serde_json::Value, prefix: &str) -> Result<T, ValidationErrors> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = match (prefix, path.as_str()) {
            (p, ".") => p.to_string(),
            ("", path) => path.to_string(),
            (p, path) => format!("{p}.{path}"),
        };
        let message = e.into_inner().to_string();
        // serde reports a missing field at its parent; name the field itself.
        let field = match missing_field(&message) {
            Some(name) if field.is_empty() => name.to_string(),
            Some(name) => format!("{field}.{name}"),
            None => field,
        };
        let code = if message.starts_with("missing field") { "required" } else { "malformed" };
        let mut errors = ValidationErrors::new();
        errors.add(field, code, message);
        errors
    })
}

fn missing_field(message: &str) -> Option<&str> {
    message.strip_prefix("missing field `")?.split('`').next()
}

fn decode_data<T: DeserializeOwned>(data: serde_json::Value) -> Result<T, ValidationErrors> {
    decode(data, "body.data")
}

/// A fresh time-ordered record id, made on the device that creates the record.
pub fn new_record_id() -> Uuid {
    Uuid::now_v7()
}

/// Checks the time at which a recorded thing happened: not in the future, not absurdly old.
pub fn check_occurred_at(errors: &mut ValidationErrors, field: &str, t: DateTime<FixedOffset>, now: DateTime<FixedOffset>) {
    if t > now + Duration::minutes(limits::FUTURE_SKEW_MINUTES) {
        errors.add(field, "in_future", "lies in the future");
    }
    if t < now - Duration::days(limits::PAST_DAYS_MAX) {
        errors.add(field, "too_old", format!("is more than {} days ago", limits::PAST_DAYS_MAX));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::dorm_check::tests::valid_check;
    use crate::roster::tests::sample;
    use crate::DormCheck;

    #[test]
    fn subjects_read_in_any_key_order() {
        let subjects = [
            Subject::Room(RoomId(1)),
            Subject::Class(ClassId(2)),
            Subject::Student(StudentId(3)),
            Subject::Club(ClubId(4)),
            Subject::Branch(BranchId(5)),
            Subject::Own,
        ];
        for subject in subjects {
            let text = serde_json::to_string(&subject).unwrap();
            assert_eq!(serde_json::from_str::<Subject>(&text).unwrap(), subject, "{text}");
            assert_eq!(serde_json::from_value::<Subject>(serde_json::to_value(subject).unwrap()).unwrap(), subject);
        }
        // The wire form is serde's adjacently tagged one.
        assert_eq!(serde_json::to_string(&Subject::Student(StudentId(3))).unwrap(), r#"{"type":"student","id":3}"#);
        assert_eq!(serde_json::to_string(&Subject::Own).unwrap(), r#"{"type":"own"}"#);
        assert_eq!(serde_json::from_str::<Subject>(r#"{"id":3,"type":"student"}"#).unwrap(), Subject::Student(StudentId(3)));
        assert_eq!(serde_json::from_str::<Subject>(r#"{"type":"own","id":null}"#).unwrap(), Subject::Own);
    }

    #[test]
    fn a_subject_names_what_is_wrong() {
        let error = |text: &str| serde_json::from_str::<Subject>(text).unwrap_err().to_string();
        assert!(error(r#"{"type":"planet","id":1}"#).starts_with("unknown variant `planet`, expected one of `room`"));
        assert!(error(r#"{"id":1}"#).starts_with("missing field `type`"));
        assert!(error(r#"{"type":"room"}"#).starts_with("missing field `id`"));
        assert!(error(r#"{"type":"own","id":1}"#).starts_with("`own` takes no `id`"));
        assert!(error(r#"{"type":"room","id":"1"}"#).starts_with("invalid type: string"));
    }

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-11-23T20:00:00+08:00").unwrap()
    }

    fn envelope() -> RecordEnvelope {
        RecordEnvelope::new(RecordBody::DormCheck(valid_check()), UserId(1), "phone-1", now())
    }

    #[test]
    fn a_dorm_check_concerns_the_absent_and_the_class_of_its_residents() {
        let roster = sample();
        let mut check = DormCheck::blank(RoomId(1), &[StudentId(1), StudentId(2)], now());
        check.residents[1].present = false;
        let body = RecordBody::DormCheck(check);
        assert!(body.concerns_student(StudentId(2)));
        assert!(!body.concerns_student(StudentId(1)), "present residents are not named");
        assert!(body.concerns_class(ClassId(1), &roster));
        assert!(!body.concerns_class(ClassId(2), &roster));
        let own = RecordBody::DutyLog(crate::DutyLog {
            started_at: now(),
            shift: crate::DutyShift::Day,
            buildings: vec![],
            events: "平安".into(),
            escalated: String::new(),
        });
        assert!(!own.concerns_class(ClassId(1), &roster));
    }

    fn codes(env: &RecordEnvelope) -> Vec<(String, String)> {
        let roster = sample();
        env.validate(&ValidationContext { roster: &roster, now: now() }).0.into_iter().map(|e| (e.field, e.code)).collect()
    }

    fn has(env: &RecordEnvelope, field: &str, code: &str) -> bool {
        codes(env).contains(&(field.to_string(), code.to_string()))
    }

    #[test]
    fn a_new_envelope_is_valid_and_has_a_v7_id() {
        let env = envelope();
        assert_eq!(env.id.get_version_num(), 7);
        assert_eq!(codes(&env), vec![]);
    }

    #[test]
    fn ids_are_time_ordered() {
        let a = new_record_id();
        let b = new_record_id();
        assert!(a < b);
    }

    #[test]
    fn a_v4_id_is_refused() {
        let mut env = envelope();
        env.id = Uuid::from_u128(0x1234_5678_9abc_4def_8123_4567_89ab_cdef);
        assert!(has(&env, "id", "not_uuid_v7"));
    }

    #[test]
    fn revision_zero_is_refused() {
        let mut env = envelope();
        env.revision = 0;
        assert!(has(&env, "revision", "out_of_range"));
    }

    #[test]
    fn first_revision_has_no_base() {
        let mut env = envelope();
        env.base_revision = Some(1);
        assert!(has(&env, "base_revision", "unexpected"));
    }

    #[test]
    fn an_edit_needs_a_lower_base() {
        let mut env = envelope().edited(RecordBody::DormCheck(valid_check()), false, "phone-1", now());
        assert_eq!(codes(&env), vec![]);
        env.base_revision = None;
        assert!(has(&env, "base_revision", "required"));
        env.base_revision = Some(2);
        assert!(has(&env, "base_revision", "out_of_range"));
    }

    #[test]
    fn an_edit_keeps_the_kind_it_was_made_as() {
        let env = envelope();
        let same = env.edited(RecordBody::DormCheck(valid_check()), false, "phone-1", now());
        assert!(same.kind_change(env.body.kind()).is_empty());
        let other = env.edited(
            RecordBody::DutyLog(crate::DutyLog {
                started_at: now(),
                shift: crate::DutyShift::Day,
                buildings: vec![],
                events: "停电".into(),
                escalated: String::new(),
            }),
            false,
            "phone-1",
            now(),
        );
        assert_eq!(other.kind_change(env.body.kind()).codes(), vec![("body.kind", "kind_changed")]);
    }

    #[test]
    fn device_id_is_required_and_bounded() {
        let mut env = envelope();
        env.device_id = "  ".into();
        assert!(has(&env, "device_id", "required"));
        env.device_id = "x".repeat(65);
        assert!(has(&env, "device_id", "too_long"));
    }

    #[test]
    fn saved_before_created_or_in_future_is_refused() {
        let mut env = envelope();
        env.saved_at = env.created_at - Duration::seconds(1);
        assert!(has(&env, "saved_at", "before_created"));
        let mut env = envelope();
        env.saved_at = now() + Duration::hours(1);
        env.created_at = env.saved_at;
        assert!(has(&env, "saved_at", "in_future"));
    }

    #[test]
    fn body_errors_are_prefixed_with_their_path() {
        let mut check = valid_check();
        check.notes = "字".repeat(2001);
        let env = RecordEnvelope::new(RecordBody::DormCheck(check), UserId(1), "p", now());
        assert!(has(&env, "body.data.notes", "too_long"));
    }

    #[test]
    fn edits_keep_id_author_and_creation_time() {
        let env = envelope();
        let later = now() + Duration::minutes(5);
        let edit = env.edited(env.body.clone(), true, "phone-2", later);
        assert_eq!((edit.id, edit.author_id, edit.created_at), (env.id, env.author_id, env.created_at));
        assert_eq!((edit.revision, edit.base_revision, edit.deleted), (2, Some(1), true));
        assert_eq!(edit.saved_at, later);
    }

    #[test]
    fn json_round_trip_keeps_the_record_and_names_the_kind() {
        let env = envelope();
        let json = serde_json::to_value(&env).unwrap();
        assert_eq!(json["body"]["kind"], "dorm_check");
        assert_eq!(RecordEnvelope::from_json(json).unwrap(), env);
        assert_eq!(RecordBody::KINDS.len(), 25);
        assert_eq!(RecordBody::KINDS[0], "dorm_check");
    }

    #[test]
    fn malformed_json_names_the_field() {
        let mut json = serde_json::to_value(envelope()).unwrap();
        json["body"]["data"]["hygiene"] = serde_json::json!("sparkling");
        let errors = RecordEnvelope::from_json(json).unwrap_err();
        assert_eq!(errors.0[0].field, "body.data.hygiene");
        assert_eq!(errors.0[0].code, "malformed");

        let mut json = serde_json::to_value(envelope()).unwrap();
        json["revision"] = serde_json::json!("two");
        assert_eq!(RecordEnvelope::from_json(json).unwrap_err().0[0].field, "revision");

        let errors = RecordEnvelope::from_json(serde_json::json!([1, 2])).unwrap_err();
        assert_eq!(errors.0[0].code, "malformed");

        // The envelope's fields are read apart from its body: a missing body is still named, and a
        // whole envelope reads back as written.
        let mut json = serde_json::to_value(envelope()).unwrap();
        json.as_object_mut().unwrap().remove("body");
        assert_eq!(RecordEnvelope::from_json(json).unwrap_err().codes(), vec![("body", "required")]);
        let mut env = envelope();
        env.deleted = true;
        env.base_revision = Some(1);
        env.revision = 2;
        assert_eq!(RecordEnvelope::from_json(serde_json::to_value(&env).unwrap()).unwrap(), env);

        let mut json = serde_json::to_value(envelope()).unwrap();
        json["body"]["data"]["residents"][1]["present"] = serde_json::json!("yes");
        assert_eq!(RecordEnvelope::from_json(json).unwrap_err().0[0].field, "body.data.residents[1].present");

        let mut json = serde_json::to_value(envelope()).unwrap();
        json.as_object_mut().unwrap().remove("author_id");
        assert_eq!(RecordEnvelope::from_json(json).unwrap_err().codes(), vec![("author_id", "required")]);

        let mut json = serde_json::to_value(envelope()).unwrap();
        json["body"]["data"].as_object_mut().unwrap().remove("hygiene");
        assert_eq!(RecordEnvelope::from_json(json).unwrap_err().codes(), vec![("body.data.hygiene", "required")]);
    }

    #[test]
    fn unknown_kind_is_malformed() {
        let mut json = serde_json::to_value(envelope()).unwrap();
        json["body"]["kind"] = serde_json::json!("moon_landing");
        let errors = RecordEnvelope::from_json(json).unwrap_err();
        assert_eq!(errors.codes(), vec![("body.kind", "unknown_kind")]);
    }

    /// A body as JSON text with its keys in the order given.
    fn body_text(first: (&str, &str), second: (&str, &str)) -> String {
        format!(r#"{{"{}":{},"{}":{}}}"#, first.0, first.1, second.0, second.1)
    }

    #[test]
    fn a_body_reads_with_its_kind_before_or_after_its_data() {
        let body = RecordBody::DormCheck(valid_check());
        let data = serde_json::to_string(&valid_check()).unwrap();
        let written = serde_json::to_string(&body).unwrap();
        assert!(written.starts_with(r#"{"kind":"dorm_check","data":{"#), "the wire keeps kind first: {written}");
        let kind_first = body_text(("kind", r#""dorm_check""#), ("data", &data));
        let data_first = body_text(("data", &data), ("kind", r#""dorm_check""#));
        assert_eq!(serde_json::from_str::<RecordBody>(&kind_first).unwrap(), body);
        assert_eq!(serde_json::from_str::<RecordBody>(&data_first).unwrap(), body);
        // A Value's keys are sorted (data first), as the server's push reads them.
        assert_eq!(serde_json::from_value::<RecordBody>(serde_json::to_value(&body).unwrap()).unwrap(), body);
        let with_extra = format!(r#"{{"note":[1,{{"a":2}}],{}"#, &kind_first[1..]);
        assert_eq!(serde_json::from_str::<RecordBody>(&with_extra).unwrap(), body, "other keys are skipped");
    }

    #[test]
    fn a_body_of_an_unknown_kind_or_with_wrong_data_is_refused_clearly() {
        let data = serde_json::to_string(&valid_check()).unwrap();
        for text in [body_text(("kind", r#""moon_landing""#), ("data", &data)), body_text(("data", &data), ("kind", r#""moon_landing""#))] {
            let error = serde_json::from_str::<RecordBody>(&text).unwrap_err().to_string();
            assert!(error.starts_with("unknown variant `moon_landing`, expected one of `dorm_check`"), "{error}");
        }
        // A dorm check's data sent as a talk.
        for text in [body_text(("kind", r#""talk""#), ("data", &data)), body_text(("data", &data), ("kind", r#""talk""#))] {
            let error = serde_json::from_str::<RecordBody>(&text).unwrap_err().to_string();
            assert!(error.starts_with("missing field `student_id`"), "{error}");
        }
        let wrong = data.replace(r#""hygiene":"good""#, r#""hygiene":"sparkling""#);
        assert_ne!(wrong, data);
        for text in [body_text(("kind", r#""dorm_check""#), ("data", &wrong)), body_text(("data", &wrong), ("kind", r#""dorm_check""#))] {
            let error = serde_json::from_str::<RecordBody>(&text).unwrap_err().to_string();
            assert!(error.starts_with("unknown variant `sparkling`"), "{error}");
        }
        let missing = |text: &str| serde_json::from_str::<RecordBody>(text).unwrap_err().to_string();
        assert!(missing(&format!(r#"{{"data":{data}}}"#)).starts_with("missing field `kind`"));
        assert!(missing(r#"{"kind":"dorm_check"}"#).starts_with("missing field `data`"));
        assert!(missing(r#"{"kind":"dorm_check","kind":"talk"}"#).starts_with("duplicate field `kind`"));
        assert!(missing(r#"{"kind":7,"data":{}}"#).starts_with("invalid type: integer `7`, expected a record kind"));
        assert!(missing(r#"["dorm_check"]"#).starts_with("invalid type: sequence, expected a record body"));
    }

    #[test]
    fn occurred_at_bounds() {
        let mut errors = ValidationErrors::new();
        check_occurred_at(&mut errors, "t", now() + Duration::minutes(11), now());
        check_occurred_at(&mut errors, "t", now() - Duration::days(401), now());
        check_occurred_at(&mut errors, "t", now() + Duration::minutes(9), now());
        assert_eq!(errors.codes(), vec![("t", "in_future"), ("t", "too_old")]);
    }
}
