//! Photos over real HTTP against a real SQLite database: upload, dedupe, refusals, who may
//! fetch them, and records carrying them through push and pull.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use rounds::photo::{ImageInfo, PhotoRef, PhotoType, PhotoUploaded, MAX_PHOTO_BYTES};
use rounds::sync::PushStatus;
use rounds::{RecordEnvelope, RoomId, RosterSnapshot};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A 1×1 PNG.
const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06,
    0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00,
    0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// A distinct valid PNG per `n` (bytes after the end chunk are ignored by readers).
fn png(n: u8) -> Vec<u8> {
    let mut b = PNG_1X1.to_vec();
    b.push(n);
    b
}

fn sha(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn photo_ref(data: &[u8]) -> PhotoRef {
    let info = ImageInfo::sniff(data).expect("a readable image");
    PhotoRef::new(sha(data), info, data.len() as u64)
}

async fn put_photo(s: &TestServer, c: &Client, name: &str, content_type: &str, data: Vec<u8>) -> reqwest::Response {
    c.put(s.url(&format!("/api/v1/photos/{name}"))).header("content-type", content_type).body(data).send().await.expect("put photo")
}

async fn get_photo(s: &TestServer, c: &Client, name: &str) -> reqwest::Response {
    c.get(s.url(&format!("/api/v1/photos/{name}"))).send().await.expect("get photo")
}

async fn error_of(resp: reqwest::Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(resp.status(), status);
    let body: Value = resp.json().await.expect("error body is JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
    body
}

fn room_named(roster: &RosterSnapshot, number: &str) -> RoomId {
    roster.rooms.iter().find(|r| r.number == number).map(|r| r.id).expect("room in roster")
}

#[tokio::test]
async fn the_same_bytes_twice_are_stored_once() {
    let s = server().await;
    let (c, _) = s.login("counselor").await;
    let data = png(1);
    let name = sha(&data);

    let resp = put_photo(&s, &c, &name, "image/png", data.clone()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let first: PhotoUploaded = resp.json().await.unwrap();
    assert!(first.created);
    assert_eq!(first.photo, PhotoRef { sha256: name.clone(), content_type: PhotoType::Png, width: 1, height: 1, bytes: data.len() as u64 });

    let resp = put_photo(&s, &c, &name, "image/png", data.clone()).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let again: PhotoUploaded = resp.json().await.unwrap();
    assert!(!again.created);
    assert_eq!(again.photo, first.photo);
    // Another user sending the same bytes stores nothing new either.
    let (c2, _) = s.login("counselor2").await;
    assert_eq!(put_photo(&s, &c2, &name, "image/png", data.clone()).await.status(), StatusCode::OK);
    assert_eq!(s.store.photo_count().await.unwrap(), 1);

    // The uploader gets the bytes back, cacheable for good by their browser only.
    let resp = get_photo(&s, &c, &name).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.headers()["cache-control"], "private, max-age=31536000, immutable");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    assert_eq!(resp.bytes().await.unwrap().to_vec(), data);
}

#[tokio::test]
async fn a_photo_named_by_another_hash_is_refused() {
    let s = server().await;
    let (c, _) = s.login("counselor").await;
    let body = error_of(put_photo(&s, &c, &sha(b"something else"), "image/png", png(1)).await, StatusCode::BAD_REQUEST, "hash_mismatch").await;
    assert_eq!(body["error"]["fields"][0]["field"], "sha256");
    assert_eq!(body["error"]["fields"][0]["code"], "hash_mismatch");

    let body = error_of(put_photo(&s, &c, &sha(&png(1)).to_uppercase(), "image/png", png(1)).await, StatusCode::BAD_REQUEST, "bad_hash").await;
    assert_eq!(body["error"]["fields"][0]["field"], "sha256");
    assert_eq!(s.store.photo_count().await.unwrap(), 0);
}

#[tokio::test]
async fn a_photo_over_the_limit_is_too_large() {
    let s = server().await;
    let (c, _) = s.login("counselor").await;
    let mut big = png(1);
    big.resize(MAX_PHOTO_BYTES as usize + 1, 0);
    error_of(put_photo(&s, &c, &sha(&big), "image/png", big).await, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    // Exactly at the limit is fine.
    let mut limit = png(1);
    limit.resize(MAX_PHOTO_BYTES as usize, 0);
    assert_eq!(put_photo(&s, &c, &sha(&limit), "image/png", limit).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn what_is_not_an_allowed_image_is_unsupported() {
    let s = server().await;
    let (c, _) = s.login("counselor").await;
    let text = b"certainly not a photo".to_vec();
    error_of(put_photo(&s, &c, &sha(&text), "image/png", text).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec();
    error_of(put_photo(&s, &c, &sha(&gif), "image/gif", gif).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    // A PNG sent as a JPEG is refused too: the server serves what the bytes are.
    error_of(put_photo(&s, &c, &sha(&png(1)), "image/jpeg", png(1)).await, StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type").await;
    assert_eq!(s.store.photo_count().await.unwrap(), 0);
}

#[tokio::test]
async fn photos_need_a_session() {
    let s = server().await;
    let c = client();
    let data = png(1);
    error_of(put_photo(&s, &c, &sha(&data), "image/png", data.clone()).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    error_of(get_photo(&s, &c, &sha(&data)).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(s.store.photo_count().await.unwrap(), 0);
}

#[tokio::test]
async fn only_those_who_may_see_the_record_get_its_photo() {
    let s = server().await;
    let (c1, u1) = s.login("counselor").await;
    let (c2, u2) = s.login("counselor2").await;
    let (office, _) = s.login("office").await;
    let roster = s.pull(&c1, 0).await.roster.expect("roster");
    let data = png(7);
    let name = sha(&data);

    // Before it is uploaded, nobody gets it, not even the office.
    let mut check = check_of(&roster, room_named(&roster, "1-101"), &u1, "with a photo");
    check.photos = vec![photo_ref(&data)];
    let results = s.push(&c1, vec![to_json(&check)]).await.results;
    assert_eq!(results[0].status, PushStatus::Accepted, "a record is stored before its photos: {results:?}");
    assert_eq!(get_photo(&s, &office, &name).await.status(), StatusCode::NOT_FOUND);

    assert_eq!(put_photo(&s, &c1, &name, "image/png", data.clone()).await.status(), StatusCode::OK);
    assert_eq!(get_photo(&s, &c1, &name).await.status(), StatusCode::OK);
    let resp = get_photo(&s, &office, &name).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.bytes().await.unwrap().to_vec(), data);

    // Another class's counselor cannot tell it from a photo that does not exist.
    error_of(get_photo(&s, &c2, &name).await, StatusCode::NOT_FOUND, "not_found").await;
    error_of(get_photo(&s, &c2, &sha(b"nothing")).await, StatusCode::NOT_FOUND, "not_found").await;
    error_of(get_photo(&s, &c2, "not-a-hash").await, StatusCode::NOT_FOUND, "not_found").await;

    // Naming the hash in a record of one's own opens nothing: only the uploader's records count.
    let log = rounds::DutyLog {
        started_at: now() - chrono::Duration::hours(1),
        shift: rounds::DutyShift::Night,
        buildings: vec![],
        events: "borrowing a hash".into(),
        escalated: String::new(),
    };
    let mut borrowed = RecordEnvelope::new(rounds::RecordBody::DutyLog(log), u2.id, "test-device", now());
    borrowed.photos = vec![photo_ref(&data)];
    assert_eq!(s.push(&c2, vec![to_json(&borrowed)]).await.results[0].status, PushStatus::Accepted);
    error_of(get_photo(&s, &c2, &name).await, StatusCode::NOT_FOUND, "not_found").await;

    // An uploaded photo no record names yet is its uploader's alone.
    let loose = png(8);
    assert_eq!(put_photo(&s, &c1, &sha(&loose), "image/png", loose.clone()).await.status(), StatusCode::OK);
    assert_eq!(get_photo(&s, &c1, &sha(&loose)).await.status(), StatusCode::OK);
    assert_eq!(get_photo(&s, &c2, &sha(&loose)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(get_photo(&s, &office, &sha(&loose)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_duty_log_photo_is_its_authors_and_the_offices() {
    let s = server().await;
    let (c1, u1) = s.login("counselor").await;
    let (c2, _) = s.login("counselor2").await;
    let (office, _) = s.login("office").await;
    let data = png(3);
    let log = rounds::DutyLog {
        started_at: now() - chrono::Duration::hours(1),
        shift: rounds::DutyShift::Night,
        buildings: vec![],
        events: "quiet night".into(),
        escalated: String::new(),
    };
    let mut env = RecordEnvelope::new(rounds::RecordBody::DutyLog(log), u1.id, "test-device", now());
    env.photos = vec![photo_ref(&data)];
    assert_eq!(s.push(&c1, vec![to_json(&env)]).await.results[0].status, PushStatus::Accepted);
    assert_eq!(put_photo(&s, &c1, &sha(&data), "image/png", data).await.status(), StatusCode::OK);
    assert_eq!(get_photo(&s, &office, &env.photos[0].sha256).await.status(), StatusCode::OK);
    assert_eq!(get_photo(&s, &c2, &env.photos[0].sha256).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_record_with_photos_round_trips_and_replays_as_duplicate() {
    let s = server().await;
    let (c1, u1) = s.login("counselor").await;
    let (office, _) = s.login("office").await;
    let roster = s.pull(&c1, 0).await.roster.expect("roster");
    let photos: Vec<Vec<u8>> = (1..=3).map(png).collect();
    for p in &photos {
        assert_eq!(put_photo(&s, &c1, &sha(p), "image/png", p.clone()).await.status(), StatusCode::OK);
    }
    let mut check = check_of(&roster, room_named(&roster, "1-101"), &u1, "photos-round-trip");
    check.photos = photos.iter().map(|p| photo_ref(p)).collect();

    let first = s.push(&c1, vec![to_json(&check)]).await.results;
    assert_eq!(first[0].status, PushStatus::Accepted);
    let replay = s.push(&c1, vec![to_json(&check)]).await.results;
    assert_eq!(replay[0].status, PushStatus::Duplicate);

    for c in [&c1, &office] {
        let pulled = s.pull(c, 0).await;
        let got = pulled.records.iter().find(|r| r.record.id == check.id).expect("the record is pulled");
        assert_eq!(got.record, check);
        assert_eq!(got.record.photos.len(), 3);
    }

    // An edit that drops a photo keeps the old one fetchable: the history still shows it.
    let mut edit = check.edited(check.body.clone(), false, "test-device", now());
    edit.photos.truncate(1);
    assert_eq!(s.push(&c1, vec![to_json(&edit)]).await.results[0].status, PushStatus::Accepted);
    assert_eq!(get_photo(&s, &office, &sha(&photos[2])).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_record_with_a_bad_photo_list_is_invalid_with_the_field() {
    let s = server().await;
    let (c1, u1) = s.login("counselor").await;
    let roster = s.pull(&c1, 0).await.roster.expect("roster");
    let mut check = check_of(&roster, room_named(&roster, "1-101"), &u1, "too many photos");
    check.photos = (1..=7).map(|n| photo_ref(&png(n))).collect();
    let results = s.push(&c1, vec![to_json(&check)]).await.results;
    assert_eq!(results[0].status, PushStatus::Invalid);
    assert_eq!(results[0].errors[0].field, "photos");
    assert_eq!(results[0].errors[0].code, "too_many");

    let mut json = to_json(&check_of(&roster, room_named(&roster, "1-101"), &u1, "bad type"));
    json["photos"] = serde_json::json!([{ "sha256": sha(&png(1)), "content_type": "image/gif", "width": 1, "height": 1, "bytes": 10 }]);
    let results = s.push(&c1, vec![json]).await.results;
    assert_eq!(results[0].status, PushStatus::Invalid);
    assert_eq!(results[0].errors[0].field, "photos[0].content_type");
}
