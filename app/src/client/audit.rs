//! Confidential reads on the phone (issue 14's audit trail): opening a talk, a parent contact,
//! a home visit, a student event, an assistance case or note, or a student's archive is noted
//! in IndexedDB at once, offline too, and uploaded by the sync loop's next round
//! (`POST /api/v1/audit/reads`), where each read is checked and written once by its id.

use super::http::SyncError;
use super::local_store;
use crate::state::AppStore;
use gloo_net::http::Request;
use leptos::prelude::*;
use rounds::audit::{PhoneRead, ReadTarget, ReadsAnswer, ReadsUpload, MAX_READS_BATCH};
use rounds::StudentId;

/// Notes that the signed-in person opened a confidential record or an archive. It goes up with
/// the next sync round (after a save, on the timer, when the network returns), not in one of
/// its own: a round started by merely opening a page would refresh the pages being filled in.
pub fn note_read(store: AppStore, target: ReadTarget, record_id: Option<uuid::Uuid>, student_id: Option<StudentId>) {
    if store.user.with_untracked(|u| u.is_none()) {
        return;
    }
    let zone = rounds::school_time::offset(store.utc_offset_seconds.get_untracked());
    let read = PhoneRead { id: rounds::record::new_record_id(), target, record_id, student_id, read_at: rounds::school_time::now_in(&zone) };
    leptos::task::spawn_local(async move {
        if let Err(e) = local_store::add_audit_read(&read).await {
            leptos::logging::error!("cannot note the read on the phone: {e}");
        }
    });
}

/// Uploads the noted reads, a batch at a time; what the server answered is forgotten (a read
/// it refused stays refused: sending it again would change nothing).
pub async fn upload_pending() -> Result<(), SyncError> {
    let reads = local_store::audit_reads().await.map_err(SyncError::Other)?;
    for batch in reads.chunks(MAX_READS_BATCH) {
        let body = ReadsUpload { reads: batch.to_vec() };
        let request = Request::post("/api/v1/audit/reads").json(&body).map_err(|e| SyncError::Other(e.to_string()))?;
        let response = request.send().await.map_err(|_| SyncError::Offline)?;
        if !(200..=299).contains(&response.status()) {
            return Err(SyncError::from_status(response.status()));
        }
        let answer: ReadsAnswer = super::http::body(&response).await.map_err(SyncError::Other)?;
        let done: Vec<uuid::Uuid> = answer.results.iter().map(|r| r.id).collect();
        local_store::settle_audit_reads(&done).await.map_err(SyncError::Other)?;
    }
    Ok(())
}
