//! One line about any record, whatever its kind: what it is and whom it concerns.

use crate::i18n::Lang;
use rounds::record::Subject;
use rounds::{RecordBody, RosterSnapshot};

/// `查寝 · 1-101`, `谈心谈话 · 张三`; and the page about its subject, where there is one.
pub fn title_and_link(body: &RecordBody, roster: &RosterSnapshot, lang: Lang) -> (String, Option<String>) {
    let kind = crate::kinds::kind_name(body.kind()).text(lang);
    let (who, link) = match body.subject() {
        Subject::Room(r) => (roster.room(r).map(|r| r.number.clone()), Some(format!("/rooms/{r}"))),
        Subject::Class(c) => (roster.class(c).map(|c| c.name.clone()), None),
        Subject::Student(s) => (roster.student(s).map(|s| s.name.clone()), None),
        // Clubs and branches have no page of their own; the leader's links page shows them.
        Subject::Club(c) => (roster.club(c).map(|c| c.name.clone()), Some("/links".to_string())),
        Subject::Branch(b) => (roster.branch(b).map(|b| b.name.clone()), Some("/links".to_string())),
        Subject::Own => (None, None),
    };
    match who {
        Some(who) => (format!("{kind} · {who}"), link),
        None => (kind.to_string(), link),
    }
}
