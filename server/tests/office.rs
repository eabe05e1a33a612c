//! The office's management API over real HTTP against a real SQLite database with the demo
//! institution: round trips per entity, who may call it, the errors, and that every change
//! reaches the counselors' phones on their next pull.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use rounds::admin::{Account, BedRow, ClassRow, RoomRow, StudentPage};
use rounds::{Department, Student};
use serde_json::{json, Value};
use std::collections::HashMap;

impl TestServer {
    async fn sign_in(&self, username: &str, password: &str) -> (Client, StatusCode, Value) {
        let c = client();
        let resp = c.post(self.url("/api/v1/session")).json(&json!({ "username": username, "password": password })).send().await.expect("login");
        let status = resp.status();
        let body = resp.json().await.unwrap_or(Value::Null);
        (c, status, body)
    }
}

#[tokio::test]
async fn only_the_office_and_administrators_manage_the_roster() {
    let s = server().await;
    let anonymous = client();
    let body = s.get(&anonymous, "/api/v1/admin/departments", StatusCode::UNAUTHORIZED).await;
    assert_eq!(body["error"]["code"], "unauthorized");

    for name in ["counselor", "headteacher", "leader"] {
        let (c, _) = s.login(name).await;
        for path in ["/api/v1/admin/departments", "/api/v1/admin/students", "/api/v1/admin/accounts", "/api/v1/admin/beds"] {
            let body = s.get(&c, path, StatusCode::FORBIDDEN).await;
            assert_eq!(body["error"]["code"], "forbidden", "{name} {path}");
        }
        // Refused before the body is even read: nothing is created.
        s.post_json(&c, "/api/v1/admin/departments", json!({ "name": "偷建学院" }), StatusCode::FORBIDDEN).await;
    }
    for name in ["office", "admin"] {
        let (c, _) = s.login(name).await;
        let depts: Vec<Department> = serde_json::from_value(s.get(&c, "/api/v1/admin/departments", StatusCode::OK).await).unwrap();
        assert_eq!(depts.len(), 1);
        assert!(depts.iter().all(|d| d.name != "偷建学院"));
    }
}

#[tokio::test]
async fn departments_and_classes_round_trip_with_their_staff() {
    let s = server().await;
    let (c, _) = s.login("office").await;

    let dept = s.post_json(&c, "/api/v1/admin/departments", json!({ "name": " 外国语学院 " }), StatusCode::CREATED).await;
    assert_eq!(dept["name"], "外国语学院", "names are trimmed");
    let dept_id = dept["id"].as_i64().unwrap();
    let dup = s.post_json(&c, "/api/v1/admin/departments", json!({ "name": "外国语学院" }), StatusCode::CONFLICT).await;
    assert_eq!(fields(&dup), vec![pair("name", "duplicate")]);
    let bad = s.post_json(&c, "/api/v1/admin/departments", json!({ "name": "" }), StatusCode::BAD_REQUEST).await;
    assert_eq!(bad["error"]["code"], "invalid");
    assert_eq!(fields(&bad), vec![pair("name", "required")]);
    let renamed = s.put_json(&c, &format!("/api/v1/admin/departments/{dept_id}"), json!({ "name": "外国语学院（新）" }), StatusCode::OK).await;
    assert_eq!(renamed["name"], "外国语学院（新）");
    s.put_json(&c, "/api/v1/admin/departments/999999", json!({ "name": "无" }), StatusCode::NOT_FOUND).await;

    let bad = s
        .post_json(&c, "/api/v1/admin/classes", json!({ "department_id": 999999, "name": "英语2025-1班", "cohort_year": 2025 }), StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(fields(&bad), vec![pair("department_id", "unknown")]);
    let bad = s.post_json(&c, "/api/v1/admin/classes", json!({ "department_id": dept_id, "name": "", "cohort_year": 1800 }), StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&bad), vec![pair("name", "required"), pair("cohort_year", "out_of_range")]);
    let class =
        s.post_json(&c, "/api/v1/admin/classes", json!({ "department_id": dept_id, "name": "英语2025-1班", "cohort_year": 2025 }), StatusCode::CREATED).await;
    let class_id = class["id"].as_i64().unwrap();
    let dup =
        s.post_json(&c, "/api/v1/admin/classes", json!({ "department_id": dept_id, "name": "英语2025-1班", "cohort_year": 2025 }), StatusCode::CONFLICT).await;
    assert_eq!(fields(&dup), vec![pair("name", "duplicate")]);
    let changed = s
        .put_json(
            &c,
            &format!("/api/v1/admin/classes/{class_id}"),
            json!({ "department_id": dept_id, "name": "英语2025-2班", "cohort_year": 2025 }),
            StatusCode::OK,
        )
        .await;
    assert_eq!(changed["name"], "英语2025-2班");

    // Staff: counselors and head teachers only.
    let accounts: Vec<Account> = serde_json::from_value(s.get(&c, "/api/v1/admin/accounts", StatusCode::OK).await).unwrap();
    let id_of = |name: &str| accounts.iter().find(|a| a.username == name).map(|a| a.id.0).unwrap();
    let staff_url = format!("/api/v1/admin/classes/{class_id}/staff");
    let bad = s.put_json(&c, &staff_url, json!({ "user_ids": [id_of("counselor2"), id_of("leader")] }), StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&bad), vec![pair("user_ids[1]", "wrong_role")]);
    let row: ClassRow =
        serde_json::from_value(s.put_json(&c, &staff_url, json!({ "user_ids": [id_of("counselor2"), id_of("headteacher")] }), StatusCode::OK).await).unwrap();
    let mut names: Vec<_> = row.staff.iter().map(|st| st.display_name.clone()).collect();
    names.sort();
    assert_eq!(names, vec!["李强", "陈静"]);
    let classes: Vec<ClassRow> = serde_json::from_value(s.get(&c, "/api/v1/admin/classes", StatusCode::OK).await).unwrap();
    assert_eq!(classes.iter().find(|r| r.class.id.0 == class_id).map(|r| r.staff.len()), Some(2));

    // A department with classes, and a class with students, stay.
    let busy = s.delete_at(&c, &format!("/api/v1/admin/departments/{dept_id}"), StatusCode::CONFLICT).await;
    assert_eq!(busy["error"]["code"], "has_classes");
    let student = s
        .post_json(
            &c,
            "/api/v1/admin/students",
            json!({ "student_no": "2025990001", "name": "周一", "gender": "female", "class_id": class_id }),
            StatusCode::CREATED,
        )
        .await;
    let busy = s.delete_at(&c, &format!("/api/v1/admin/classes/{class_id}"), StatusCode::CONFLICT).await;
    assert_eq!(busy["error"]["code"], "has_students");
    assert!(busy["error"]["message"].as_str().unwrap().contains("1 students"), "{busy}");

    s.delete_at(&c, &format!("/api/v1/admin/students/{}", student["id"]), StatusCode::OK).await;
    s.delete_at(&c, &format!("/api/v1/admin/classes/{class_id}"), StatusCode::OK).await;
    s.delete_at(&c, &format!("/api/v1/admin/classes/{class_id}"), StatusCode::NOT_FOUND).await;
    s.delete_at(&c, &format!("/api/v1/admin/departments/{dept_id}"), StatusCode::OK).await;
    let depts: Vec<Department> = serde_json::from_value(s.get(&c, "/api/v1/admin/departments", StatusCode::OK).await).unwrap();
    assert!(depts.iter().all(|d| d.id.0 != dept_id));
}

/// The student search ignores the case of Latin letters on both backends (SQLite's `LIKE` did,
/// PostgreSQL's did not), in names and numbers; other letters match as typed on both.
#[tokio::test]
async fn the_student_search_ignores_latin_case_on_either_backend() {
    let s = server().await;
    let (c, _) = s.login("office").await;
    let classes: Vec<ClassRow> = serde_json::from_value(s.get(&c, "/api/v1/admin/classes", StatusCode::OK).await).unwrap();
    let class_id = classes[0].class.id.0;
    let mut ids = HashMap::new();
    for (no, name) in
        [("QX2025A001", "Aidan ZHANG"), ("qx2025a002", "aidan li"), ("Qx2025a003", "AIDAN Wang"), ("QX2025B004", "Émile Dupont"), ("QX2025B005", "ÉMILE Roux")]
    {
        let created = s
            .post_json(&c, "/api/v1/admin/students", json!({ "student_no": no, "name": name, "gender": "male", "class_id": class_id }), StatusCode::CREATED)
            .await;
        ids.insert(created["id"].as_i64().unwrap(), name);
    }
    let found = |q: &'static str| {
        let (s, c, ids) = (&s, &c, &ids);
        async move {
            let url = reqwest::Url::parse_with_params(&s.url("/api/v1/admin/students"), [("q", q)]).unwrap();
            let page: StudentPage =
                serde_json::from_value(s.get(c, &format!("/api/v1/admin/students?{}", url.query().unwrap_or_default()), StatusCode::OK).await).unwrap();
            assert_eq!(page.total as usize, page.rows.len(), "{q}: one page");
            let mut names: Vec<&str> = page.rows.iter().map(|r| *ids.get(&r.student.id.0).unwrap_or(&"a demo student")).collect();
            names.sort_unstable();
            names
        }
    };
    assert_eq!(found("aidan").await, ["AIDAN Wang", "Aidan ZHANG", "aidan li"]);
    assert_eq!(found("AIDAN").await, ["AIDAN Wang", "Aidan ZHANG", "aidan li"]);
    assert_eq!(found("aIdAn zH").await, ["Aidan ZHANG"]);
    assert_eq!(found("qx2025a").await, ["AIDAN Wang", "Aidan ZHANG", "aidan li"], "numbers too");
    assert_eq!(found("QX2025A00_").await, Vec::<&str>::new(), "a typed _ matches itself");
    // `É` is not ASCII: it matches itself only (the letters after it still ignore case).
    assert_eq!(found("Émile").await, ["ÉMILE Roux", "Émile Dupont"]);
    assert_eq!(found("émile").await, Vec::<&str>::new());
    // Listed by number as SQLite's BINARY collation orders them, on PostgreSQL too ("C").
    let page: StudentPage = serde_json::from_value(s.get(&c, "/api/v1/admin/students?q=x2025", StatusCode::OK).await).unwrap();
    let numbers: Vec<&str> = page.rows.iter().map(|r| r.student.student_no.as_str()).collect();
    assert_eq!(numbers, ["QX2025A001", "QX2025B004", "QX2025B005", "Qx2025a003", "qx2025a002"]);
}

#[tokio::test]
async fn students_round_trip_with_their_archive() {
    let s = server().await;
    let (c, _) = s.login("office").await;
    let classes: Vec<ClassRow> = serde_json::from_value(s.get(&c, "/api/v1/admin/classes", StatusCode::OK).await).unwrap();
    let class_id = classes[0].class.id.0;

    // Every bad field named at once; nothing stored.
    let bad = s
        .post_json(
            &c,
            "/api/v1/admin/students",
            json!({ "student_no": "", "name": "林二", "gender": "male", "class_id": class_id, "phone": "call me",
                    "archive": { "guardian_phone": "nope", "flags": ["orphan", "orphan"] } }),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(
        fields(&bad),
        vec![pair("student_no", "required"), pair("phone", "bad_phone"), pair("archive.guardian_phone", "bad_phone"), pair("archive.flags[1]", "duplicate")]
    );
    let bad = s
        .post_json(&c, "/api/v1/admin/students", json!({ "student_no": "X1", "name": "林二", "gender": "male", "class_id": 999999 }), StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(fields(&bad), vec![pair("class_id", "unknown")]);

    // A taken student number: 409 naming the field and the holder.
    let page: StudentPage = serde_json::from_value(s.get(&c, "/api/v1/admin/students?q=", StatusCode::OK).await).unwrap();
    assert_eq!(page.total, 90);
    assert_eq!(page.rows.len(), 50, "one page at a time");
    let taken = &page.rows[0].student;
    let dup = s
        .post_json(
            &c,
            "/api/v1/admin/students",
            json!({ "student_no": taken.student_no, "name": "林二", "gender": "male", "class_id": class_id }),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(dup["error"]["code"], "duplicate");
    assert_eq!(fields(&dup), vec![pair("student_no", "duplicate")]);
    assert!(dup["error"]["message"].as_str().unwrap().contains(&taken.name), "{dup}");

    let archive = json!({ "guardian_name": "林父", "guardian_phone": "13900001111", "economy": "difficult", "flags": ["single_parent"] });
    let created: Student = serde_json::from_value(
        s.post_json(
            &c,
            "/api/v1/admin/students",
            json!({ "student_no": "2023999001", "name": "林二", "gender": "male", "class_id": class_id, "phone": " 13800001111 ", "archive": archive }),
            StatusCode::CREATED,
        )
        .await,
    )
    .unwrap();
    assert_eq!(created.phone.as_deref(), Some("13800001111"));
    assert_eq!(created.archive.as_ref().map(|a| a.guardian_name.as_str()), Some("林父"));

    // Found by part of the name or the number, in one class or all.
    let found: StudentPage = serde_json::from_value(s.get(&c, "/api/v1/admin/students?q=2023999", StatusCode::OK).await).unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.rows[0].student.id, created.id);
    let found: StudentPage =
        serde_json::from_value(s.get(&c, &format!("/api/v1/admin/students?q=%E6%9E%97%E4%BA%8C&class_id={class_id}"), StatusCode::OK).await).unwrap();
    assert!(found.rows.iter().any(|r| r.student.id == created.id));
    let none: StudentPage = serde_json::from_value(s.get(&c, "/api/v1/admin/students?q=%25", StatusCode::OK).await).unwrap();
    assert_eq!(none.total, 0, "a typed % matches itself, not everything");

    // An update without an archive keeps the stored one; with one, replaces it.
    let url = format!("/api/v1/admin/students/{}", created.id);
    let updated: Student = serde_json::from_value(
        s.put_json(&c, &url, json!({ "student_no": "2023999001", "name": "林二二", "gender": "male", "class_id": class_id }), StatusCode::OK).await,
    )
    .unwrap();
    assert_eq!(updated.name, "林二二");
    assert_eq!(updated.phone, None);
    assert_eq!(updated.archive.as_ref().map(|a| a.guardian_name.as_str()), Some("林父"));
    let updated: Student = serde_json::from_value(
        s.put_json(
            &c,
            &url,
            json!({ "student_no": "2023999001", "name": "林二二", "gender": "male", "class_id": class_id, "archive": { "medical_notes": "哮喘" } }),
            StatusCode::OK,
        )
        .await,
    )
    .unwrap();
    assert_eq!(updated.archive.as_ref().map(|a| (a.guardian_name.as_str(), a.medical_notes.as_str())), Some(("", "哮喘")));
    let dup =
        s.put_json(&c, &url, json!({ "student_no": taken.student_no, "name": "林二二", "gender": "male", "class_id": class_id }), StatusCode::CONFLICT).await;
    assert_eq!(fields(&dup), vec![pair("student_no", "duplicate")]);
    let fetched: Student = serde_json::from_value(s.get(&c, &url, StatusCode::OK).await).unwrap();
    assert_eq!(fetched, updated);

    s.delete_at(&c, &url, StatusCode::OK).await;
    s.get(&c, &url, StatusCode::NOT_FOUND).await;
    // A student with records stays: the records are kept.
    let (counselor, _) = s.login("counselor").await;
    let roster = s.pull(&counselor, 0).await.roster.unwrap();
    let with_records = s.pull(&counselor, 0).await.records.iter().find_map(|r| match r.record.body.subject() {
        rounds::record::Subject::Student(id) => Some(id),
        _ => None,
    });
    let with_records = with_records.expect("the demo has talks");
    assert!(roster.student(with_records).is_some());
    let busy = s.delete_at(&c, &format!("/api/v1/admin/students/{with_records}"), StatusCode::CONFLICT).await;
    assert_eq!(busy["error"]["code"], "has_records");
}

#[tokio::test]
async fn buildings_rooms_and_beds_round_trip_and_moving_frees_the_old_bed() {
    let s = server().await;
    let (c, _) = s.login("office").await;
    let building = s.post_json(&c, "/api/v1/admin/buildings", json!({ "name": "9号楼" }), StatusCode::CREATED).await;
    let building_id = building["id"].as_i64().unwrap();
    let dup = s.post_json(&c, "/api/v1/admin/buildings", json!({ "name": "9号楼" }), StatusCode::CONFLICT).await;
    assert_eq!(fields(&dup), vec![pair("name", "duplicate")]);
    s.put_json(&c, &format!("/api/v1/admin/buildings/{building_id}"), json!({ "name": "九号楼" }), StatusCode::OK).await;

    let room = s.post_json(&c, "/api/v1/admin/rooms", json!({ "building_id": building_id, "number": "9-101" }), StatusCode::CREATED).await;
    let room_id = room["id"].as_i64().unwrap();
    let dup = s.post_json(&c, "/api/v1/admin/rooms", json!({ "building_id": building_id, "number": "9-101" }), StatusCode::CONFLICT).await;
    assert_eq!(fields(&dup), vec![pair("number", "duplicate")]);
    let bad = s.post_json(&c, "/api/v1/admin/rooms", json!({ "building_id": 999999, "number": "9-102" }), StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&bad), vec![pair("building_id", "unknown")]);
    let room2 = s.post_json(&c, "/api/v1/admin/rooms", json!({ "building_id": building_id, "number": "9-102" }), StatusCode::CREATED).await;
    let room2_id = room2["id"].as_i64().unwrap();

    // A demo student moves into 9-101 bed 1, then on to 9-102: each move frees the bed before.
    let page: StudentPage = serde_json::from_value(s.get(&c, "/api/v1/admin/students", StatusCode::OK).await).unwrap();
    let mover = page.rows.iter().find(|r| r.place.is_some()).expect("a student with a bed").clone();
    let old_place = mover.place.clone().unwrap();
    let no = mover.student.student_no.clone();
    let bed = s.post_json(&c, "/api/v1/admin/beds", json!({ "room_id": room_id, "label": "1", "student_no": no }), StatusCode::CREATED).await;
    let bed_id = bed["id"].as_i64().unwrap();
    assert_eq!(bed["student_id"], json!(mover.student.id.0));
    let again: StudentPage = serde_json::from_value(s.get(&c, &format!("/api/v1/admin/students?q={no}"), StatusCode::OK).await).unwrap();
    assert_eq!(again.rows[0].place.as_deref(), Some("九号楼 9-101 #1"));
    assert_ne!(old_place, "九号楼 9-101 #1");
    let all_beds: Vec<BedRow> = serde_json::from_value(s.get(&c, "/api/v1/admin/beds", StatusCode::OK).await).unwrap();
    assert_eq!(all_beds.iter().filter(|b| b.bed.student_id == Some(mover.student.id)).count(), 1, "one bed per student");

    let dup = s.post_json(&c, "/api/v1/admin/beds", json!({ "room_id": room_id, "label": "1" }), StatusCode::CONFLICT).await;
    assert_eq!(fields(&dup), vec![pair("label", "duplicate")]);
    let bad = s.post_json(&c, "/api/v1/admin/beds", json!({ "room_id": room_id, "label": "2", "student_no": "nobody" }), StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&bad), vec![pair("student_no", "unknown")]);
    let bed2 = s.post_json(&c, "/api/v1/admin/beds", json!({ "room_id": room2_id, "label": "1", "student_no": no }), StatusCode::CREATED).await;
    let beds: Vec<BedRow> = serde_json::from_value(s.get(&c, &format!("/api/v1/admin/beds?room_id={room_id}"), StatusCode::OK).await).unwrap();
    assert_eq!(beds.len(), 1);
    assert_eq!(beds[0].bed.student_id, None, "the move freed 9-101 bed 1");
    let rooms: Vec<RoomRow> = serde_json::from_value(s.get(&c, &format!("/api/v1/admin/rooms?building_id={building_id}"), StatusCode::OK).await).unwrap();
    let counts: Vec<_> = rooms.iter().map(|r| (r.room.number.as_str(), r.beds, r.occupied)).collect();
    assert_eq!(counts, vec![("9-101", 1, 0), ("9-102", 1, 1)]);

    // Occupied things stay until emptied.
    let busy = s.delete_at(&c, &format!("/api/v1/admin/beds/{}", bed2["id"]), StatusCode::CONFLICT).await;
    assert_eq!(busy["error"]["code"], "occupied");
    let busy = s.delete_at(&c, &format!("/api/v1/admin/rooms/{room2_id}"), StatusCode::CONFLICT).await;
    assert_eq!(busy["error"]["code"], "occupied");
    let busy = s.delete_at(&c, &format!("/api/v1/admin/buildings/{building_id}"), StatusCode::CONFLICT).await;
    assert_eq!(busy["error"]["code"], "has_rooms");
    let freed =
        s.put_json(&c, &format!("/api/v1/admin/beds/{}", bed2["id"]), json!({ "room_id": room2_id, "label": "1", "student_no": "" }), StatusCode::OK).await;
    assert_eq!(freed["student_id"], Value::Null);

    s.delete_at(&c, &format!("/api/v1/admin/beds/{bed_id}"), StatusCode::OK).await;
    s.delete_at(&c, &format!("/api/v1/admin/rooms/{room_id}"), StatusCode::OK).await;
    s.delete_at(&c, &format!("/api/v1/admin/rooms/{room2_id}"), StatusCode::OK).await;
    s.delete_at(&c, &format!("/api/v1/admin/buildings/{building_id}"), StatusCode::OK).await;
    let beds: Vec<BedRow> = serde_json::from_value(s.get(&c, &format!("/api/v1/admin/beds?room_id={room2_id}"), StatusCode::OK).await).unwrap();
    assert!(beds.is_empty(), "a room goes with its beds");
}

#[tokio::test]
async fn the_offices_roster_changes_reach_the_counselors_next_pull() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let (counselor, _) = s.login("counselor").await;
    let first = s.pull(&counselor, 0).await;
    let roster = first.roster.clone().unwrap();
    let class_id = roster.classes[0].id;
    let quiet = s.pull(&counselor, first.cursor).await;
    assert!(quiet.roster.is_none(), "nothing changed yet");

    // A new student in the counselor's class.
    let created: Student = serde_json::from_value(
        s.post_json(
            &office,
            "/api/v1/admin/students",
            json!({ "student_no": "2023888001", "name": "新同学", "gender": "female", "class_id": class_id }),
            StatusCode::CREATED,
        )
        .await,
    )
    .unwrap();
    let next = s.pull(&counselor, quiet.cursor).await;
    let roster = next.roster.expect("the roster is re-sent");
    assert!(roster.student(created.id).is_some());

    // The new student gets a bed in a new room: the room joins the counselor's rooms.
    let building = s.post_json(&office, "/api/v1/admin/buildings", json!({ "name": "8号楼" }), StatusCode::CREATED).await;
    let room = s.post_json(&office, "/api/v1/admin/rooms", json!({ "building_id": building["id"], "number": "8-808" }), StatusCode::CREATED).await;
    let bed = s.post_json(&office, "/api/v1/admin/beds", json!({ "room_id": room["id"], "label": "3", "student_no": "2023888001" }), StatusCode::CREATED).await;
    let moved = s.pull(&counselor, next.cursor).await;
    let roster = moved.roster.expect("the roster is re-sent");
    let room_id = rounds::RoomId(room["id"].as_i64().unwrap());
    assert_eq!(roster.residents(room_id).iter().map(|(_, st)| st.id).collect::<Vec<_>>(), vec![created.id]);

    // Freeing the bed and deleting the student also reach the phone, though no row is left.
    s.put_json(&office, &format!("/api/v1/admin/beds/{}", bed["id"]), json!({ "room_id": room["id"], "label": "3" }), StatusCode::OK).await;
    s.delete_at(&office, &format!("/api/v1/admin/students/{}", created.id), StatusCode::OK).await;
    let after = s.pull(&counselor, moved.cursor).await;
    let roster = after.roster.expect("the roster is re-sent after a delete");
    assert!(roster.student(created.id).is_none());
    assert!(roster.room(room_id).is_none(), "nobody of the counselor's classes sleeps there now");

    // Taking a class away from counselor2 empties their roster.
    let (c2, _) = s.login("counselor2").await;
    let before = s.pull(&c2, 0).await;
    let their_class = before.roster.as_ref().unwrap().classes[0].id;
    s.put_json(&office, &format!("/api/v1/admin/classes/{their_class}/staff"), json!({ "user_ids": [] }), StatusCode::OK).await;
    let after = s.pull(&c2, before.cursor).await;
    assert!(after.roster.expect("re-sent").classes.is_empty());
}

#[tokio::test]
async fn accounts_are_created_changed_reset_and_disabled() {
    let s = server().await;
    let (office, me) = s.login("office").await;

    let bad = s
        .post_json(
            &office,
            "/api/v1/admin/accounts",
            json!({ "username": "张 三", "display_name": "", "role": "counselor", "password": "short" }),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(fields(&bad), vec![pair("username", "bad_characters"), pair("display_name", "required"), pair("password", "too_short")]);
    let bad = s
        .post_json(
            &office,
            "/api/v1/admin/accounts",
            json!({ "username": "x1", "display_name": "X", "role": "dean", "password": "long enough" }),
            StatusCode::BAD_REQUEST,
        )
        .await;
    assert_eq!(bad["error"]["code"], "malformed_request", "an unknown role is refused by the type");
    let dup = s
        .post_json(
            &office,
            "/api/v1/admin/accounts",
            json!({ "username": "counselor", "display_name": "重名", "role": "counselor", "password": "long enough" }),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(fields(&dup), vec![pair("username", "duplicate")]);

    let account: Account = serde_json::from_value(
        s.post_json(
            &office,
            "/api/v1/admin/accounts",
            json!({ "username": "zhang.san", "display_name": "张三", "role": "counselor", "password": "first-password" }),
            StatusCode::CREATED,
        )
        .await,
    )
    .unwrap();
    assert!(account.active);
    let (zhang, status, _) = s.sign_in("zhang.san", "first-password").await;
    assert_eq!(status, StatusCode::OK);

    // Renamed and made a head teacher.
    let url = format!("/api/v1/admin/accounts/{}", account.id);
    let changed: Account =
        serde_json::from_value(s.put_json(&office, &url, json!({ "display_name": "张三丰", "role": "head_teacher", "active": true }), StatusCode::OK).await)
            .unwrap();
    assert_eq!((changed.display_name.as_str(), changed.role), ("张三丰", rounds::Role::HeadTeacher));
    let me_now = s.get(&zhang, "/api/v1/session", StatusCode::OK).await;
    assert_eq!(me_now["user"]["display_name"], "张三丰");

    // Disabled: the open session ends and signing in is refused, even with the right password.
    s.put_json(&office, &url, json!({ "display_name": "张三丰", "role": "head_teacher", "active": false }), StatusCode::OK).await;
    s.get(&zhang, "/api/v1/sync/pull?since=0", StatusCode::UNAUTHORIZED).await;
    let (_, status, body) = s.sign_in("zhang.san", "first-password").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "account_disabled");
    let (_, status, body) = s.sign_in("zhang.san", "wrong-password").await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("bad_credentials")), "a guesser learns nothing");
    let accounts: Vec<Account> = serde_json::from_value(s.get(&office, "/api/v1/admin/accounts", StatusCode::OK).await).unwrap();
    assert!(!accounts.iter().find(|a| a.id == account.id).unwrap().active);

    // Enabled again, with a new password: the old one no longer works.
    s.put_json(&office, &url, json!({ "display_name": "张三丰", "role": "head_teacher", "active": true }), StatusCode::OK).await;
    let bad = s.post_json(&office, &format!("{url}/password"), json!({ "password": "short" }), StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&bad), vec![pair("password", "too_short")]);
    s.post_json(&office, &format!("{url}/password"), json!({ "password": "second-password" }), StatusCode::OK).await;
    let (_, status, _) = s.sign_in("zhang.san", "first-password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, status, _) = s.sign_in("zhang.san", "second-password").await;
    assert_eq!(status, StatusCode::OK);

    // Nobody locks themselves out.
    let own = format!("/api/v1/admin/accounts/{}", me.id);
    let refused = s.put_json(&office, &own, json!({ "display_name": "刘敏", "role": "office", "active": false }), StatusCode::CONFLICT).await;
    assert_eq!(fields(&refused), vec![pair("active", "own_account")]);
    s.put_json(&office, &own, json!({ "display_name": "刘敏主任", "role": "office", "active": true }), StatusCode::OK).await;

    // A counselor made a leader loses their classes, and their phone hears of it.
    let accounts: Vec<Account> = serde_json::from_value(s.get(&office, "/api/v1/admin/accounts", StatusCode::OK).await).unwrap();
    let c2 = accounts.iter().find(|a| a.username == "counselor2").unwrap();
    assert_eq!(c2.classes.len(), 1);
    let (c2_client, _) = s.login("counselor2").await;
    let before = s.pull(&c2_client, 0).await;
    let changed: Account = serde_json::from_value(
        s.put_json(&office, &format!("/api/v1/admin/accounts/{}", c2.id), json!({ "display_name": "李强", "role": "leader", "active": true }), StatusCode::OK)
            .await,
    )
    .unwrap();
    assert!(changed.classes.is_empty());
    let after = s.pull(&c2_client, before.cursor).await;
    assert!(after.roster.expect("re-sent").classes.is_empty());
}

#[tokio::test]
async fn the_assigned_counselor_edits_an_archive_and_others_may_not() {
    let s = server().await;
    let (counselor, _) = s.login("counselor").await;
    let first = s.pull(&counselor, 0).await;
    let roster = first.roster.unwrap();
    let class_id = roster.classes.iter().map(|c| c.id).min().unwrap();
    let student = roster.students.iter().find(|st| st.class_id == class_id).unwrap().clone();
    let url = format!("/api/v1/students/{}/archive", student.id);
    let archive = json!({ "guardian_name": "王父", "guardian_phone": "13912345678", "origin": "rural", "economy": "hardship",
                          "family_notes": "父亲务工", "flags": ["economic_hardship"], "confirmed_on": "2025-09-01" });

    let saved: Student = serde_json::from_value(s.put_json(&counselor, &url, archive.clone(), StatusCode::OK).await).unwrap();
    let a = saved.archive.clone().unwrap();
    assert_eq!((a.guardian_name.as_str(), a.economy), ("王父", Some(rounds::Economy::Hardship)));
    assert_eq!(saved.name, student.name, "only the archive changes");

    // The same validation as everywhere.
    let bad = s.put_json(&counselor, &url, json!({ "guardian_phone": "abc", "confirmed_on": "2999-01-01" }), StatusCode::BAD_REQUEST).await;
    assert_eq!(fields(&bad), vec![pair("guardian_phone", "bad_phone"), pair("confirmed_on", "in_future")]);

    // The head teacher of that class may too; staff of other classes, and leaders, may not.
    let (head, _) = s.login("headteacher").await;
    s.put_json(&head, &url, archive.clone(), StatusCode::OK).await;
    for name in ["counselor2", "leader"] {
        let (c, _) = s.login(name).await;
        let body = s.put_json(&c, &url, archive.clone(), StatusCode::FORBIDDEN).await;
        assert_eq!(body["error"]["code"], "forbidden");
        // Even for a student that does not exist: no hint either way.
        s.put_json(&c, "/api/v1/students/999999/archive", archive.clone(), StatusCode::FORBIDDEN).await;
    }
    s.put_json(&client(), &url, archive.clone(), StatusCode::UNAUTHORIZED).await;
    let (office, _) = s.login("office").await;
    s.put_json(&office, "/api/v1/students/999999/archive", archive.clone(), StatusCode::NOT_FOUND).await;

    // The edit reaches the counselor's phone on the next pull.
    let next = s.pull(&counselor, first.cursor).await;
    let pulled = next.roster.expect("re-sent").student(student.id).cloned().unwrap();
    assert_eq!(pulled.archive.map(|a| a.family_notes), Some("父亲务工".to_string()));
}
