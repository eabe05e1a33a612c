//! What every spreadsheet download shares: the media type, the `Content-Disposition` that
//! names the file in Chinese and in ASCII, and a sheet with a header row.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The media type of an .xlsx file.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A download: `ascii_name` for old clients, `name` (UTF-8, RFC 5987) for the rest.
pub fn attachment(bytes: Vec<u8>, content_type: &'static str, ascii_name: &str, name: &str) -> Response {
    let disposition = format!("attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{}", percent_encode(name));
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// RFC 5987 encoding of a file name: every byte but unreserved ASCII as `%XX`.
fn percent_encode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A sheet with a bold header row, frozen under it, and column widths.
pub fn sheet<'w>(workbook: &'w mut Workbook, name: &str, headers: &[(&str, f64)]) -> Result<&'w mut Worksheet, XlsxError> {
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    for (i, (header, width)) in headers.iter().enumerate() {
        sheet.set_column_width(i as u16, *width)?;
        sheet.write_string_with_format(0, i as u16, *header, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_percent_encoded_byte_by_byte() {
        assert_eq!(percent_encode("名 a.csv"), "%E5%90%8D%20a.csv");
        assert_eq!(percent_encode("ledger-2026.xlsx"), "ledger-2026.xlsx");
    }
}
