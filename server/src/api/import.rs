//! Roster import from an .xlsx or .csv students file: reading the file into cells, the
//! template, the endpoint `POST /api/v1/roster/import`, and what the `import` command shares.
//!
//! What a row means and whether it is good is decided in `rounds::roster_import`; this module
//! only turns bytes into a table of text cells (Excel row `n` is `table[n - 1]`).

use super::xlsx::{attachment, XLSX};
use crate::auth::{CurrentUser, Office};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use calamine::{Data, Reader, Xlsx};
use rounds::roster_import::{read_students, Column, ImportMode, ImportReport, StudentsFile};
use rounds::sheet::SheetColumn;
use serde::{Deserialize, Serialize};
use std::io::Cursor;

/// The largest file the endpoint accepts: a 10,000-student .xlsx is about 1 MB, a CSV less.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// The most an .xlsx may unpack to. An .xlsx is a zip: a few MB can unpack to gigabytes (a zip
/// bomb). 50,000 students of 20 columns unpack to well under 100 MB.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// The widest sheet read: the template has 15 columns; more than this is not a roster.
pub const MAX_SHEET_COLUMNS: u32 = 200;

/// The longest sheet read: the import's row limit, plus the header and a few title rows above it.
pub const MAX_SHEET_ROWS: u32 = rounds::roster_import::MAX_ROWS as u32 + 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Xlsx,
    Csv,
}

impl FileFormat {
    /// From a Content-Type header (a browser sends these for the two kinds of file).
    pub fn from_content_type(ct: &str) -> Option<FileFormat> {
        let ct = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        match ct.as_str() {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some(FileFormat::Xlsx),
            "text/csv" | "application/csv" | "text/comma-separated-values" | "application/vnd.ms-excel" => Some(FileFormat::Csv),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn from_path(path: &std::path::Path) -> Option<FileFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlsx" => Some(FileFormat::Xlsx),
            "csv" => Some(FileFormat::Csv),
            _ => None,
        }
    }
}

/// Why the bytes are not a table at all (as opposed to a table with bad rows).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the file is not a readable .xlsx workbook ({0}); save it from Excel or WPS as .xlsx, or download the template")]
    Xlsx(String),
    #[error("the workbook has no worksheet")]
    NoSheet,
    #[error("the CSV file cannot be read at line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("the CSV file is neither UTF-8 nor GBK text; save it as \"CSV UTF-8\"")]
    Encoding,
    /// Readable, but larger than an import reads (see the `MAX_` bounds): refused before the
    /// memory for it is taken.
    #[error("{0}")]
    TooLarge(String),
}

/// Reads the first worksheet or the CSV into rows of text cells, placed as Excel shows them.
pub fn read_table(bytes: &[u8], format: FileFormat) -> Result<Vec<Vec<String>>, ReadError> {
    match format {
        FileFormat::Xlsx => read_xlsx(bytes),
        FileFormat::Csv => read_csv(bytes),
    }
}

/// Reads a file's bytes and checks every row (years as the office's forms check them on `today`).
pub fn read_file(bytes: &[u8], format: FileFormat, today: chrono::NaiveDate) -> Result<StudentsFile, ReadError> {
    Ok(read_students(&read_table(bytes, format)?, today))
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    check_unpacked_size(bytes)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let name = workbook.sheet_names().into_iter().next().ok_or(ReadError::NoSheet)?;
    // Cell by cell rather than `worksheet_range`, which allocates the whole rectangle from A1
    // to the farthest cell: one cell at XFD1048576 is 17 billion of them.
    let mut cells = workbook.worksheet_cells_reader(&name).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let declared = cells.dimensions();
    check_position(declared.end.0, declared.end.1)?;
    // Positions are placed as Excel shows them (row n is `table[n - 1]`), even when the used
    // range starts below row 1 or right of column A.
    let mut table: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|e| ReadError::Xlsx(e.to_string()))? {
        if matches!(cell.get_value(), calamine::DataRef::Empty) {
            // A formatted but empty cell far out says nothing, so it refuses nothing.
            continue;
        }
        let (row, col) = cell.get_position();
        check_position(row, col)?;
        let (row, col) = (row as usize, col as usize);
        if table.len() <= row {
            table.resize(row + 1, Vec::new());
        }
        let line = &mut table[row];
        if line.len() <= col {
            line.resize(col + 1, String::new());
        }
        line[col] = cell_text(&Data::from(cell.get_value().clone()));
    }
    Ok(table)
}

/// Refuses a cell (0-based) beyond the sheet bounds an import reads.
fn check_position(row: u32, col: u32) -> Result<(), ReadError> {
    if col >= MAX_SHEET_COLUMNS {
        return Err(ReadError::TooLarge(format!(
            "the sheet reaches column {}; an import reads at most {MAX_SHEET_COLUMNS} columns: delete the columns to the right of the roster",
            col as u64 + 1
        )));
    }
    if row >= MAX_SHEET_ROWS {
        return Err(ReadError::TooLarge(format!(
            "the sheet reaches row {}; an import reads at most {MAX_SHEET_ROWS} rows ({} students): delete the rows below the roster or split the file",
            row as u64 + 1,
            rounds::roster_import::MAX_ROWS
        )));
    }
    Ok(())
}

/// Unpacks every entry of the zip into nothing, counting, and stops past [`MAX_UNPACKED_BYTES`].
/// The sizes the zip declares are not trusted: they are what a zip bomb lies about.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), ReadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| ReadError::Xlsx(e.to_string()))?;
        let left = MAX_UNPACKED_BYTES - total;
        total += std::io::copy(&mut std::io::Read::take(entry, left + 1), &mut std::io::sink()).map_err(|e| ReadError::Xlsx(e.to_string()))?;
        if total > MAX_UNPACKED_BYTES {
            return Err(ReadError::TooLarge(format!(
                "the workbook unpacks to more than {} MB; an import reads at most that much",
                MAX_UNPACKED_BYTES / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

/// A cell as text. Excel stores student numbers and phones typed as numbers as floats:
/// `2023010101.0` must read `2023010101`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// UTF-8 (a leading BOM dropped), or else GBK/GB18030, which Chinese Excel uses for "CSV".
pub fn decode_text(bytes: &[u8]) -> Result<String, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                Err(ReadError::Encoding)
            } else {
                Ok(text.into_owned())
            }
        }
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReadError> {
    let text = decode_text(bytes)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                // A multi-line cell makes one record span several lines; Excel counts records.
                table.push(record.iter().map(str::to_string).collect());
            }
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(ReadError::Csv { line, message: e.to_string() });
            }
        }
    }
    Ok(table)
}

/// The template's workbook: the header row, one example row, every cell formatted as text
/// (so Excel keeps leading zeros of student numbers), and a sheet describing the columns.
pub fn template_xlsx() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let wide = |c: Column| matches!(c, Column::Department | Column::HomeAddress | Column::FamilyNotes);
    layout_template_xlsx("学生名单", Column::example, column_note, wide)
}

/// A layout's template workbook: its columns as the header, an example row, every cell text,
/// and a notes sheet saying what each column holds.
pub fn layout_template_xlsx<C: SheetColumn>(
    sheet_name: &str,
    example: fn(C) -> &'static str,
    note: fn(C) -> &'static str,
    wide: impl Fn(C) -> bool,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut workbook = Workbook::new();
    let text = Format::new().set_num_format("@");
    let bold = Format::new().set_bold().set_num_format("@");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name)?;
    for (i, c) in C::ALL.iter().enumerate() {
        let col = i as u16;
        sheet.set_column_width(col, if wide(*c) { 24 } else { 14 })?;
        sheet.set_column_format(col, &text)?;
        sheet.write_string_with_format(0, col, c.zh(), &bold)?;
        sheet.write_string_with_format(1, col, example(*c), &text)?;
    }
    sheet.set_freeze_panes(1, 0)?;

    let notes = workbook.add_worksheet();
    notes.set_name("说明 Notes")?;
    notes.set_column_width(0, 14)?;
    notes.set_column_width(1, 16)?;
    notes.set_column_width(2, 10)?;
    notes.set_column_width(3, 80)?;
    for (i, h) in ["表头 header", "English", "必填 required", "说明 notes"].iter().enumerate() {
        notes.write_string_with_format(0, i as u16, *h, &bold)?;
    }
    for (i, c) in C::ALL.iter().enumerate() {
        let row = i as u32 + 1;
        notes.write_string(row, 0, c.zh())?;
        notes.write_string(row, 1, c.en())?;
        notes.write_string(row, 2, if c.required() { "是 yes" } else { "" })?;
        notes.write_string(row, 3, note(*c))?;
    }
    workbook.save_to_buffer()
}

/// What a column holds, for the template's notes sheet.
pub fn column_note(c: Column) -> &'static str {
    match c {
        Column::StudentNo => "学号：字母、数字、- 或 _；按学号更新已有学生 / letters, digits, - or _; existing students are matched by it",
        Column::Name => "姓名 / full name",
        Column::Gender => "男 / 女 (male / female)",
        Column::Department => "院系名称；没有则新建 / created if new",
        Column::Class => "班级名称（全校唯一）；没有则新建 / class name, unique in the institution; created if new",
        Column::Cohort => "入学年份，如 2025 或 2025级 / the year the cohort entered",
        Column::Phone => "选填；留空则保留原值 / optional; empty keeps the stored value",
        Column::Building => "楼栋、寝室、床位三项同时填写或同时留空；留空则保留原床位 / building, room and bed: all or none; empty keeps the stored bed",
        Column::Room => "寝室号，如 3-201 / room number",
        Column::Bed => "床位号，如 2；学生换床位时原床位自动腾空 / bed label; a student moved to another bed frees the old one",
        Column::GuardianName => "档案项，选填；留空则保留原值 / archive field, optional; empty keeps the stored value",
        Column::GuardianPhone => "档案项：监护人电话 / archive field: guardian's phone",
        Column::HomeAddress => "档案项：家庭住址 / archive field: home address",
        Column::Origin => "档案项：城镇 / 农村 (urban / rural)",
        Column::Economy => "档案项：一般 / 困难 / 特别困难 (normal / difficult / hardship)",
        Column::FamilyNotes => "档案项：家庭情况 / archive field: family situation",
        Column::MedicalNotes => "档案项：病史 / archive field: medical history",
        Column::Flags => "档案项：学业预警、违纪处分、心理关注、家庭经济困难、单亲、孤儿、残疾、健康、其他，用 、 ; 或 , 分隔 / separated by 、 ; or ,",
    }
}

/// The CSV template: UTF-8 with a BOM, so Excel opens the Chinese headers correctly.
pub fn template_csv() -> Vec<u8> {
    layout_template_csv(Column::example)
}

/// A layout's CSV template: the header and the example row.
pub fn layout_template_csv<C: SheetColumn>(example: fn(C) -> &'static str) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    let header: Vec<&str> = C::ALL.iter().map(|c| c.zh()).collect();
    let example: Vec<&str> = C::ALL.iter().map(|c| example(*c)).collect();
    // Writing to a Vec cannot fail; the two rows have the same length.
    let _ = writer.write_record(&header);
    let _ = writer.write_record(&example);
    writer.into_inner().unwrap_or_default()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/roster/import", post(import).layer(DefaultBodyLimit::max(MAX_FILE_BYTES)))
        .route("/api/v1/roster/template.xlsx", get(template_xlsx_file))
        .route("/api/v1/roster/template.csv", get(template_csv_file))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportParams {
    /// `check` (the default) writes nothing; `apply` writes only a file without errors;
    /// `apply_skipping_bad` writes the good rows.
    pub mode: Option<ImportMode>,
    /// `xlsx` or `csv`; otherwise taken from the Content-Type.
    pub format: Option<FileFormat>,
}

/// The body of a refused import: the error shape, and the report saying why.
#[derive(Serialize, utoipa::ToSchema)]
pub struct RefusedImport {
    pub error: crate::error::ErrorDetail,
    pub report: ImportReport,
}

/// Check or import a students file (.xlsx or .csv, the raw bytes as the body).
#[utoipa::path(post, path = "/api/v1/roster/import", params(ImportParams), request_body(content = Vec<u8>, description = "the file's bytes"),
    responses((status = 200, body = ImportReport), (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody), (status = 415, body = crate::error::ErrorBody),
              (status = 422, body = RefusedImport)))]
async fn import(
    State(state): State<AppState>,
    Office(user): Office,
    params: Result<Query<ImportParams>, QueryRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Response> {
    let Query(params) = params.map_err(|e| ApiError::BadRequest {
        code: "bad_query",
        message: format!("{}; use mode=check|apply|apply_skipping_bad and format=xlsx|csv", e.body_text()),
    })?;
    let mode = params.mode.unwrap_or(ImportMode::Check);
    let table = uploaded_table(params.format, &headers, body).await?;
    let (_, tz) = state.store.institution().await?;
    let today = rounds::school_time::now_in(&rounds::school_time::zone(&tz)).date_naive();
    let file = read_students(&table, today);
    let report = state.store.import_students(&file, mode).await?;
    tracing::info!(
        user = %user.username, mode = mode.as_str(), rows = report.rows, bad_rows = report.bad_rows,
        changed = report.counts.changed(), applied = report.applied, "roster import"
    );
    if mode != ImportMode::Check && !report.applied {
        let message = refusal_message(&report);
        let body = RefusedImport { error: crate::error::ErrorDetail { code: "import_refused".into(), message, fields: None }, report };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response());
    }
    let applied = report.applied;
    Ok(crate::api::audit::changed_if(applied, Json(report).into_response()))
}

/// The table of an uploaded file (the raw bytes as the body): its format from `format` or the
/// Content-Type; unreadable bytes are a 400, a file beyond the bounds a 422 naming the limit.
pub(crate) async fn uploaded_table(format: Option<FileFormat>, headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> ApiResult<Vec<Vec<String>>> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(format!("the file is larger than {} MB", MAX_FILE_BYTES / (1024 * 1024)))
        } else {
            ApiError::BadRequest { code: "bad_request", message: e.body_text() }
        }
    })?;
    let format = format.or_else(|| headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(FileFormat::from_content_type)).ok_or(
        ApiError::BadRequest { code: "unknown_format", message: "say whether the file is format=xlsx or format=csv (or send its Content-Type)".into() },
    )?;
    tokio::task::spawn_blocking(move || read_table(&body, format)).await.map_err(|e| ApiError::Internal(e.into()))?.map_err(|e| match e {
        // Well-formed but beyond what an import reads: 422, the limit named in the message.
        ReadError::TooLarge(message) => {
            let mut fields = rounds::ValidationErrors::new();
            fields.add("file", "too_large", message);
            ApiError::Unprocessable(fields)
        }
        e => ApiError::BadRequest { code: "unreadable_file", message: e.to_string() },
    })
}

/// Why an import that was asked to write wrote nothing.
pub(crate) fn refusal_message<C, K>(report: &rounds::sheet::SheetImportReport<C, K>) -> String {
    if report.has_file_errors() {
        "the file cannot be imported: fix the header or the file first".to_string()
    } else {
        format!("{} of {} rows have errors; nothing was imported", report.bad_rows, report.rows)
    }
}

/// The template as .xlsx: the header row and one example row.
#[utoipa::path(get, path = "/api/v1/roster/template.xlsx", responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 401, body = crate::error::ErrorBody)))]
async fn template_xlsx_file(CurrentUser(_): CurrentUser) -> ApiResult<Response> {
    let bytes = template_xlsx().map_err(|e| ApiError::Internal(e.into()))?;
    Ok(attachment(bytes, XLSX, "roster-template.xlsx", "学生名单模板.xlsx"))
}

/// The template as .csv (UTF-8 with BOM): the header row and one example row.
#[utoipa::path(get, path = "/api/v1/roster/template.csv", responses((status = 200, content_type = "text/csv"), (status = 401, body = crate::error::ErrorBody)))]
async fn template_csv_file(CurrentUser(_): CurrentUser) -> Response {
    attachment(template_csv(), "text/csv; charset=utf-8", "roster-template.csv", "学生名单模板.csv")
}

/// The import endpoints' part of the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(paths(import, template_xlsx_file, template_csv_file), components(schemas(ImportReport, RefusedImport, FileFormat)))]
pub struct ImportApiDoc;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_content_types_and_names() {
        assert_eq!(FileFormat::from_content_type("text/csv; charset=utf-8"), Some(FileFormat::Csv));
        assert_eq!(FileFormat::from_content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Some(FileFormat::Xlsx));
        assert_eq!(FileFormat::from_content_type("application/octet-stream"), None);
        assert_eq!(FileFormat::from_path(std::path::Path::new("名单.XLSX")), Some(FileFormat::Xlsx));
    }

    #[test]
    fn csv_reads_utf8_with_and_without_bom_and_gbk() {
        let text = "学号,姓名\n2023010101,张三\n";
        let plain = read_table(text.as_bytes(), FileFormat::Csv).unwrap();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(read_table(&bom, FileFormat::Csv).unwrap(), plain);
        assert_eq!(read_table(&gbk, FileFormat::Csv).unwrap(), plain);
        assert_eq!(plain[1], vec!["2023010101".to_string(), "张三".to_string()]);
    }

    #[test]
    fn bytes_that_are_no_text_and_no_workbook_are_refused() {
        assert!(matches!(read_table(&[0xff, 0xff, 0xff, 0x80], FileFormat::Csv), Err(ReadError::Encoding)));
        assert!(matches!(read_table(b"not a zip", FileFormat::Xlsx), Err(ReadError::Xlsx(_))));
    }

    #[test]
    fn both_templates_read_back_as_one_good_row() {
        for (bytes, format) in [(template_xlsx().unwrap(), FileFormat::Xlsx), (template_csv(), FileFormat::Csv)] {
            let file = read_file(&bytes, format, chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()).unwrap();
            assert!(file.errors.is_empty() && file.warnings.is_empty(), "{format:?}: {:?} {:?}", file.errors, file.warnings);
            assert_eq!(file.good.len(), 1);
            assert_eq!(file.good[0].row, 2);
            assert_eq!(file.good[0].student_no, "2025010101");
        }
    }

    #[test]
    fn numbers_in_cells_read_as_typed() {
        assert_eq!(cell_text(&Data::Float(2023010101.0)), "2023010101");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Int(2024)), "2024");
        assert_eq!(cell_text(&Data::Empty), "");
    }
}
