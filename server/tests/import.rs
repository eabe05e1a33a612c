//! Roster import over real HTTP into a real SQLite database holding the demo institution.

mod common;

use common::*;
use reqwest::{Client, StatusCode};
use rounds::roster_import::{Column, ImportReport, IssueCode};
use serde_json::Value;

const HEADER: &[&str] = &["学号", "姓名", "性别", "院系", "班级", "年级", "手机", "楼栋", "寝室", "床位", "监护人", "特别关注"];
/// A demo class, looked after by `counselor`.
const DEMO_CLASS: &str = "计算机2023-1班";
const DEMO_DEPARTMENT: &str = "计算机与信息工程学院";

fn csv_of(rows: &[&[&str]]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).unwrap();
    for r in rows {
        w.write_record(*r).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// An .xlsx as Excel makes it: student numbers and years typed as numbers.
fn xlsx_of(rows: &[&[&str]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match v.parse::<f64>() {
                Ok(n) if !v.is_empty() && c != 9 => sheet.write_number(r, c, n).unwrap(),
                _ => sheet.write_string(r, c, *v).unwrap(),
            };
        }
    }
    workbook.save_to_buffer().unwrap()
}

async fn send(s: &TestServer, c: &Client, query: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let resp = c.post(s.url(&format!("/api/v1/roster/import?{query}"))).header("content-type", content_type).body(body).send().await.expect("import");
    let status = resp.status();
    (status, resp.json().await.expect("json body"))
}

async fn import(s: &TestServer, c: &Client, mode: &str, format: &str, body: Vec<u8>) -> (StatusCode, Value) {
    send(s, c, &format!("mode={mode}&format={format}"), "application/octet-stream", body).await
}

fn report(v: &Value) -> ImportReport {
    serde_json::from_value(v.get("report").unwrap_or(v).clone()).expect("a report")
}

async fn student_names(s: &TestServer) -> Vec<(String, String)> {
    let roster = s.store.roster().await.unwrap();
    let mut v: Vec<_> = roster.students.iter().map(|st| (st.student_no.clone(), st.name.clone())).collect();
    v.sort();
    v
}

fn new_student(no: &'static str, name: &'static str, room: &'static str, bed: &'static str) -> [&'static str; 12] {
    [no, name, "女", DEMO_DEPARTMENT, DEMO_CLASS, "2023", "13800138000", "1号楼", room, bed, "王建国", "单亲、心理关注"]
}

#[tokio::test]
async fn only_the_office_imports_and_a_session_is_needed() {
    let s = server().await;
    let body = csv_of(&[&new_student("2023019901", "新生甲", "1-901", "1")]).into_bytes();
    let resp = client().post(s.url("/api/v1/roster/import?format=csv")).body(body.clone()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let (counselor, _) = s.login("counselor").await;
    let (status, v) = import(&s, &counselor, "apply", "csv", body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(v["error"]["code"], "forbidden");
    let (admin, _) = s.login("admin").await;
    let (status, v) = import(&s, &admin, "check", "csv", body).await;
    assert_eq!(status, StatusCode::OK, "{v}");
}

#[tokio::test]
async fn check_mode_writes_nothing() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let before = s.store.roster_seq().await.unwrap();
    let students = student_names(&s).await;
    let body = csv_of(&[&new_student("2023019901", "新生甲", "1-901", "1"), &new_student("2023019902", "新生乙", "1-901", "2")]);
    let (status, v) = import(&s, &office, "check", "csv", body.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let r = report(&v);
    assert!(!r.applied);
    assert_eq!((r.rows, r.bad_rows), (2, 0));
    assert_eq!(r.counts.students.created, 2);
    assert_eq!(r.counts.rooms.created, 1);
    assert_eq!(r.counts.beds.created, 2);
    assert_eq!((r.counts.classes.unchanged, r.counts.departments.unchanged, r.counts.buildings.unchanged), (1, 1, 1));
    assert_eq!(s.store.roster_seq().await.unwrap(), before);
    assert_eq!(student_names(&s).await, students);
    // The audit log has no change to show for a check; an applied import is one.
    let changes = "/api/v1/audit?action=roster_change";
    assert_eq!(s.get(&office, changes, StatusCode::OK).await["total"], 0);
    let body = csv_of(&[&new_student("2023019901", "新生甲", "1-901", "1")]);
    let (status, v) = import(&s, &office, "apply", "csv", body.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(s.get(&office, changes, StatusCode::OK).await["total"], 1);
}

#[tokio::test]
async fn one_bad_row_refuses_the_file_and_skipping_lands_the_good_rows() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let before = s.store.roster_seq().await.unwrap();
    let mut bad = new_student("2023019903", "新生丙", "1-902", "1");
    bad[2] = "未知";
    let file = xlsx_of(&[&new_student("2023019901", "新生甲", "1-901", "1"), &bad, &new_student("2023019902", "新生乙", "1-901", "2")]);

    let (status, v) = import(&s, &office, "apply", "xlsx", file.clone()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "import_refused");
    let r = report(&v);
    assert!(!r.applied);
    assert_eq!(r.bad_rows, 1);
    let e = &r.errors[0];
    assert_eq!((e.row, e.column, e.code, e.value.as_str()), (3, Some(Column::Gender), IssueCode::BadGender, "未知"));
    assert_eq!(s.store.roster_seq().await.unwrap(), before, "a refused file writes nothing");
    assert!(!student_names(&s).await.iter().any(|(no, _)| no == "2023019901"));

    let (status, v) = import(&s, &office, "apply_skipping_bad", "xlsx", file).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let r = report(&v);
    assert!(r.applied);
    assert_eq!((r.counts.students.created, r.bad_rows), (2, 1));
    let names = student_names(&s).await;
    assert!(names.contains(&("2023019901".into(), "新生甲".into())), "numbers typed in Excel read as text");
    assert!(names.contains(&("2023019902".into(), "新生乙".into())));
    assert!(!names.iter().any(|(no, _)| no == "2023019903"));
    assert!(s.store.roster_seq().await.unwrap() > before);

    let roster = s.store.roster().await.unwrap();
    let student = roster.students.iter().find(|st| st.student_no == "2023019901").unwrap();
    let archive = student.archive.as_ref().unwrap();
    assert_eq!(archive.guardian_name, "王建国");
    assert_eq!(archive.flags, vec![rounds::AttentionFlag::SingleParent, rounds::AttentionFlag::Psychological]);
    let bed = roster.beds.iter().find(|b| b.student_id == Some(student.id)).unwrap();
    assert_eq!((roster.room(bed.room_id).unwrap().number.as_str(), bed.label.as_str()), ("1-901", "1"));
}

/// The demo roster written out as a students file, exactly as stored.
async fn demo_roster_csv(s: &TestServer) -> String {
    let roster = s.store.roster().await.unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["student_no", "name", "gender", "department", "class", "cohort", "phone", "building", "room", "bed", "flags"]).unwrap();
    for st in &roster.students {
        let class = roster.class(st.class_id).unwrap();
        let dept = roster.departments.iter().find(|d| d.id == class.department_id).unwrap();
        let bed = roster.beds.iter().find(|b| b.student_id == Some(st.id)).unwrap();
        let room = roster.room(bed.room_id).unwrap();
        let building = roster.building(room.building_id).unwrap();
        let flags: Vec<String> = st.archive.as_ref().unwrap().flags.iter().map(|f| serde_json::to_value(f).unwrap().as_str().unwrap().to_string()).collect();
        w.write_record([
            st.student_no.as_str(),
            &st.name,
            st.gender.as_str(),
            &dept.name,
            &class.name,
            &class.cohort_year.to_string(),
            st.phone.as_deref().unwrap_or(""),
            &building.name,
            &room.number,
            &bed.label,
            &flags.join(";"),
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

#[tokio::test]
async fn re_importing_changes_nothing() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let before = s.store.roster_seq().await.unwrap();
    let demo = demo_roster_csv(&s).await;
    let (status, v) = import(&s, &office, "apply", "csv", demo.into_bytes()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let r = report(&v);
    assert!(r.applied && r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.counts.changed(), 0, "{:?}", r.counts);
    assert_eq!(r.counts.students.unchanged, 90);
    assert_eq!(s.store.roster_seq().await.unwrap(), before, "the demo roster imported as it is changes nothing");

    let file = xlsx_of(&[&new_student("2023019901", "新生甲", "1-901", "1")]);
    let (status, _) = import(&s, &office, "apply", "xlsx", file.clone()).await;
    assert_eq!(status, StatusCode::OK);
    let after_first = s.store.roster_seq().await.unwrap();
    assert!(after_first > before);
    let (status, v) = import(&s, &office, "apply", "xlsx", file).await;
    assert_eq!(status, StatusCode::OK);
    let r = report(&v);
    assert!(r.applied);
    assert_eq!(r.counts.changed(), 0, "{:?}", r.counts);
    assert_eq!((r.counts.students.unchanged, r.counts.beds.unchanged, r.counts.rooms.unchanged), (1, 1, 1));
    assert_eq!(s.store.roster_seq().await.unwrap(), after_first);
}

#[tokio::test]
async fn csv_in_utf8_with_bom_and_in_gbk_read_alike() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let text = csv_of(&[&new_student("2023019901", "新生甲", "1-901", "1")]);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.as_bytes());
    let (status, v) = send(&s, &office, "mode=apply", "text/csv", bom).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(report(&v).counts.students.created, 1);

    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "the GBK file is not UTF-8");
    let (status, v) = send(&s, &office, "mode=apply", "text/csv; charset=gbk", gbk.into_owned()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let r = report(&v);
    assert!(r.errors.is_empty() && r.warnings.is_empty(), "{:?} {:?}", r.errors, r.warnings);
    assert_eq!(r.counts.students.unchanged, 1, "the same student, read from GBK");
}

#[tokio::test]
async fn an_imported_student_reaches_the_counselor_of_the_class() {
    let s = server().await;
    let (counselor, _) = s.login("counselor").await;
    let first = s.pull(&counselor, 0).await;
    let (office, _) = s.login("office").await;
    let file = xlsx_of(&[&new_student("2023019901", "新生甲", "1-901", "1")]);
    let (status, v) = import(&s, &office, "apply", "xlsx", file).await;
    assert_eq!(status, StatusCode::OK, "{v}");

    let next = s.pull(&counselor, first.cursor).await;
    let roster = next.roster.expect("the roster changed, so the pull carries it");
    let student = roster.students.iter().find(|st| st.student_no == "2023019901").expect("the new student");
    assert_eq!(roster.class(student.class_id).unwrap().name, DEMO_CLASS);
    assert!(roster.rooms.iter().any(|r| r.number == "1-901"), "the new student's room joins the counselor's rooms");

    let (other, _) = s.login("counselor2").await;
    let theirs = s.pull(&other, 0).await.roster.unwrap();
    assert!(!theirs.students.iter().any(|st| st.student_no == "2023019901"));
}

#[tokio::test]
async fn moving_a_student_frees_the_old_bed_and_a_taken_bed_is_refused() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let roster = s.store.roster().await.unwrap();
    let st = roster.students.iter().find(|st| roster.class(st.class_id).unwrap().name == DEMO_CLASS).unwrap();
    let old = roster.beds.iter().find(|b| b.student_id == Some(st.id)).unwrap().clone();
    let other = roster.beds.iter().find(|b| b.student_id.is_some() && b.student_id != Some(st.id)).unwrap();
    let other_room = roster.room(other.room_id).unwrap();
    let other_building = roster.building(other_room.building_id).unwrap();
    let gender = if st.gender == rounds::Gender::Male { "男" } else { "女" };
    let row = |building: &str, room: &str, bed: &str| {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["学号", "姓名", "性别", "院系", "班级", "年级", "楼栋", "寝室", "床位"]).unwrap();
        w.write_record([st.student_no.as_str(), &st.name, gender, DEMO_DEPARTMENT, DEMO_CLASS, "2023", building, room, bed]).unwrap();
        w.into_inner().unwrap()
    };

    let (status, v) = import(&s, &office, "apply", "csv", row(&other_building.name, &other_room.number, &other.label)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let r = report(&v);
    assert_eq!(r.errors[0].code, IssueCode::BedTaken);
    assert_eq!(r.errors[0].row, 2);

    let (status, v) = import(&s, &office, "apply", "csv", row("1号楼", "1-901", "1")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let r = report(&v);
    assert_eq!((r.counts.beds.created, r.counts.beds.updated, r.counts.students.unchanged), (1, 1, 1));
    let after = s.store.roster().await.unwrap();
    assert_eq!(after.beds.iter().find(|b| b.id == old.id).unwrap().student_id, None, "the old bed is free");
    let new_bed = after.beds.iter().find(|b| b.student_id == Some(st.id)).unwrap();
    assert_eq!(after.room(new_bed.room_id).unwrap().number, "1-901");
}

#[tokio::test]
async fn templates_download_and_check_as_valid_files() {
    let s = server().await;
    let resp = client().get(s.url("/api/v1/roster/template.xlsx")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let (office, _) = s.login("office").await;
    for (path, format) in [("/api/v1/roster/template.xlsx", "xlsx"), ("/api/v1/roster/template.csv", "csv")] {
        let resp = office.get(s.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let disposition = resp.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(disposition.starts_with("attachment;") && disposition.contains(format), "{disposition}");
        let bytes = resp.bytes().await.unwrap().to_vec();
        let (status, v) = import(&s, &office, "check", format, bytes).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let r = report(&v);
        assert!(r.errors.is_empty() && r.warnings.is_empty(), "{format}: {:?} {:?}", r.errors, r.warnings);
        assert_eq!(r.rows, 1);
        assert_eq!(r.counts.students.created, 1);
    }
}

#[tokio::test]
async fn unreadable_files_and_missing_columns_are_explained() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let (status, v) = import(&s, &office, "check", "xlsx", b"this is not a workbook".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "unreadable_file");

    let (status, v) = send(&s, &office, "mode=check", "application/octet-stream", b"a,b".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "unknown_format");

    let (status, v) = import(&s, &office, "nonsense", "csv", b"a,b".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["error"]["code"], "bad_query");

    let (status, v) = import(&s, &office, "apply_skipping_bad", "csv", "学号,姓名,备注\n1,甲,x\n".as_bytes().to_vec()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a header without required columns is refused even when skipping");
    let r = report(&v);
    let missing: Vec<_> = r.errors.iter().filter(|e| e.code == IssueCode::MissingColumn).filter_map(|e| e.column).collect();
    assert_eq!(missing, vec![Column::Gender, Column::Department, Column::Class, Column::Cohort]);
    assert_eq!(r.warnings[0].code, IssueCode::UnknownColumn);
    assert_eq!(r.warnings[0].value, "备注");
}

/// Rewrites one entry of a zip (an .xlsx) with `edit`, the others copied as they are.
fn rezip(bytes: &[u8], name: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut from = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut to = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..from.len() {
        let mut entry = from.by_index(i).unwrap();
        let entry_name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if entry_name == name {
            content = edit(String::from_utf8(content).unwrap()).into_bytes();
        }
        to.start_file(entry_name, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
        to.write_all(&content).unwrap();
    }
    to.finish().unwrap().into_inner()
}

/// The server answered, and still answers: a normal check goes through.
async fn still_alive(s: &TestServer, office: &Client) {
    let resp = office.get(s.url("/healthz")).send().await.expect("the server is still up");
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, _) = import(s, office, "check", "xlsx", xlsx_of(&[&new_student("2023990001", "周一", "101", "1")])).await;
    assert_eq!(status, StatusCode::OK);
}

fn assert_too_large(status: StatusCode, v: &Value, limit: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["error"]["code"], "invalid", "{v}");
    assert_eq!(v["error"]["fields"][0]["field"], "file", "{v}");
    assert_eq!(v["error"]["fields"][0]["code"], "too_large", "{v}");
    let message = v["error"]["fields"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains(limit), "the limit {limit} is named: {message}");
}

/// calamine reads a sheet into one rectangle from A1 to its farthest cell: one cell at
/// XFD1048576 asked for 17 billion cells and aborted the server.
#[tokio::test]
async fn a_sheet_that_reaches_far_is_refused_before_it_is_read_and_the_server_lives() {
    let s = server().await;
    let (office, _) = s.login("office").await;

    // One real cell at XFD1048576, the last of a sheet.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1_048_575, 16_383, "far").unwrap();
    let far = workbook.save_to_buffer().unwrap();
    let (status, v) = import(&s, &office, "check", "xlsx", far).await;
    assert_too_large(status, &v, "200 columns");
    still_alive(&s, &office).await;

    // Far down only: the row limit is named.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "学号").unwrap();
    sheet.write_string(900_000, 0, "far").unwrap();
    let (status, v) = import(&s, &office, "check", "xlsx", workbook.save_to_buffer().unwrap()).await;
    assert_too_large(status, &v, "50010 rows");

    // A small sheet that only declares a huge used range.
    let small = xlsx_of(&[&new_student("2023990002", "周二", "101", "1")]);
    let declared = rezip(&small, "xl/worksheets/sheet1.xml", |xml| {
        let start = xml.find("<dimension ref=\"").expect("a dimension") + "<dimension ref=\"".len();
        let end = start + xml[start..].find('"').expect("its end");
        format!("{}A1:XFD1048576{}", &xml[..start], &xml[end..])
    });
    let (status, v) = import(&s, &office, "check", "xlsx", declared).await;
    assert_too_large(status, &v, "200 columns");
    still_alive(&s, &office).await;
}

/// An .xlsx is a zip; a small one can unpack to gigabytes. What it unpacks to is counted (not
/// what it declares) and refused past the bound, before calamine reads it.
#[tokio::test]
async fn a_zip_bomb_is_refused_and_the_server_lives() {
    use std::io::Write;
    let s = server().await;
    let (office, _) = s.login("office").await;
    let small = xlsx_of(&[&new_student("2023990003", "周三", "101", "1")]);
    let mut bomb = zip::ZipWriter::new_append(std::io::Cursor::new(small)).unwrap();
    bomb.start_file("xl/media/zeros.bin", zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..300 {
        bomb.write_all(&zeros).unwrap();
    }
    let bytes = bomb.finish().unwrap().into_inner();
    assert!(bytes.len() < 2 * 1024 * 1024, "300 MB of zeros pack small: {}", bytes.len());
    let (status, v) = import(&s, &office, "check", "xlsx", bytes).await;
    assert_too_large(status, &v, "256 MB");
    still_alive(&s, &office).await;
}

/// The body limit of the import route: past it, 413 in the error shape.
#[tokio::test]
async fn a_body_past_the_limit_is_413() {
    let s = server().await;
    let (office, _) = s.login("office").await;
    let (status, v) = import(&s, &office, "check", "csv", vec![b'a'; rounds_server::api::import::MAX_FILE_BYTES + 1]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["error"]["code"], "payload_too_large");
    still_alive(&s, &office).await;
}
