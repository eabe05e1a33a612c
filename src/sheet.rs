//! What every spreadsheet the office imports has in common: a header row naming documented
//! columns (in Chinese or English), data rows below it, and problems placed as the user sees them
//! in Excel (row 1 is the header, column A the first). The roster import and the semester
//! results import read their files through [`read_sheet`], so both refuse the same things the
//! same way; each then reads its own cells.

use crate::sorting::Order;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

/// One documented column of a file layout.
pub trait SheetColumn: Copy + Eq + Hash + Ord + 'static {
    /// Every column, in the template's order.
    const ALL: &'static [Self];
    /// The header the template uses (Chinese).
    fn zh(self) -> &'static str;
    /// The English header, also the column's name in the API.
    fn en(self) -> &'static str;
    fn required(self) -> bool;
    /// Other Chinese headers schools use for the column.
    fn aliases(self) -> &'static [&'static str];

    /// The column a header names: its Chinese or English name (any case, spaces or
    /// underscores), or one of its aliases.
    fn from_header(header: &str) -> Option<Self> {
        let h = header.trim().trim_start_matches('\u{feff}').trim();
        let folded: String = h.chars().filter(|c| !c.is_whitespace() && *c != '_').flat_map(char::to_lowercase).collect();
        Self::ALL.iter().copied().find(|c| c.zh() == h || c.aliases().contains(&h) || c.en().replace('_', "") == folded)
    }
}

/// Declares a file layout: the column enum and, per column, its Chinese header, English header,
/// whether it is required, the other Chinese headers schools use, and the template's example.
macro_rules! sheet_layout {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => ($zh:literal, $en:literal, $required:literal, [$($alias:literal),* $(,)?], $example:literal)),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            /// Every column, in the template's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value in the template's example row.
            pub fn example(self) -> &'static str {
                match self { $($name::$variant => $example),* }
            }
        }

        impl $crate::sheet::SheetColumn for $name {
            const ALL: &'static [$name] = $name::ALL;
            fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),* }
            }
            fn en(self) -> &'static str {
                match self { $($name::$variant => $en),* }
            }
            fn required(self) -> bool {
                match self { $($name::$variant => $required),* }
            }
            fn aliases(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($alias),*]),* }
            }
        }
    };
}
pub(crate) use sheet_layout;

/// What an import request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Read and check the file; write nothing.
    Check,
    /// Write the file only if every row is good.
    Apply,
    /// Write the good rows; leave the bad ones out.
    ApplySkippingBad,
}

impl ImportMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::Check => "check",
            ImportMode::Apply => "apply",
            ImportMode::ApplySkippingBad => "apply_skipping_bad",
        }
    }
}

/// Created / updated / unchanged, for one kind of row an import writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntityCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl EntityCounts {
    pub fn changed(&self) -> usize {
        self.created + self.updated
    }
}

/// The answer to an import of any layout (`C`), in every mode, with what it writes (`K`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetImportReport<C, K> {
    pub mode: ImportMode,
    /// Data rows read (blank rows are not counted).
    pub rows: usize,
    /// Rows with at least one error; they are never written.
    pub bad_rows: usize,
    /// Every problem, by row.
    pub errors: Vec<SheetIssue<C>>,
    /// What will be ignored (unknown columns); not a reason to refuse the file.
    pub warnings: Vec<SheetIssue<C>>,
    /// What the good rows change: written when `applied`, otherwise what an import would do.
    pub counts: K,
    pub applied: bool,
}

impl<C, K> SheetImportReport<C, K> {
    /// Problems with the file as a whole: nothing can be imported until they are fixed.
    pub fn has_file_errors(&self) -> bool {
        self.errors.iter().any(|e| e.code.is_file_level())
    }

    /// Whether `mode` may write this file: apply needs no errors at all, skipping needs no
    /// file-level errors.
    pub fn allows(&self, mode: ImportMode) -> bool {
        match mode {
            ImportMode::Check => true,
            ImportMode::Apply => self.errors.is_empty(),
            ImportMode::ApplySkippingBad => !self.has_file_errors(),
        }
    }
}

/// Why a row (or the header) cannot be imported, or what will be ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// No header row: the file or the first sheet is empty.
    EmptyFile,
    /// A header row but no data row below it.
    NoRows,
    TooManyRows,
    MissingColumn,
    DuplicateColumn,
    /// A warning: a header this layout does not know; its values are ignored.
    UnknownColumn,
    /// A warning: values in a column without a header; they are ignored.
    UnnamedColumn,
    Required,
    TooLong,
    BadStudentNo,
    BadGender,
    BadYear,
    BadPhone,
    BadOrigin,
    BadEconomy,
    BadFlag,
    /// Building, room and bed come together or not at all.
    IncompleteBed,
    DuplicateStudent,
    DuplicateBed,
    ClassTwoDepartments,
    ClassTwoCohorts,
    /// The bed holds a student whom this file does not move elsewhere.
    BedTaken,
    /// Not a number where one is expected.
    BadNumber,
    /// A number outside what a semester can hold.
    OutOfRange,
    /// Credits come in halves.
    NotHalfCredits,
    /// Failed credits without a failed course.
    Inconsistent,
    /// The student number is not in the roster.
    UnknownStudent,
    /// The name does not match the roster's for that student number.
    NameMismatch,
}

impl IssueCode {
    /// Whether the problem is with the file as a whole: then no row can be imported.
    pub fn is_file_level(self) -> bool {
        matches!(self, IssueCode::EmptyFile | IssueCode::NoRows | IssueCode::TooManyRows | IssueCode::MissingColumn | IssueCode::DuplicateColumn)
    }
}

/// One problem, placed as the user sees it in Excel: row 1 is the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SheetIssue<C> {
    pub row: u32,
    pub column: Option<C>,
    pub code: IssueCode,
    /// The cell as given (or the header, or the column letter), so the user can find it.
    pub value: String,
    /// The other row of a duplicate or a contradiction.
    pub other_row: Option<u32>,
    /// A readable English sentence; the app translates by `code`.
    pub message: String,
}

impl<C: SheetColumn> SheetIssue<C> {
    pub fn new(row: u32, column: Option<C>, code: IssueCode, value: &str, message: String) -> Self {
        SheetIssue { row, column, code, value: value.to_string(), other_row: None, message }
    }

    /// A problem with one cell, its message led by the column and the cell (cut short) so the
    /// user can find it.
    pub fn cell(row: u32, column: C, code: IssueCode, value: &str, message: &str) -> Self {
        let shown: String = value.chars().take(40).collect();
        let more = if shown.len() < value.len() { "…" } else { "" };
        let at = if value.is_empty() { column.en().to_string() } else { format!("{} \"{shown}{more}\"", column.en()) };
        SheetIssue::new(row, Some(column), code, value, format!("{at}: {message}"))
    }
}

/// A file's header read and its data rows found; the cells themselves are the layout's to read.
#[derive(Debug)]
pub struct Sheet<'a, C> {
    /// Which column each position of a row holds.
    pub layout: Vec<Option<C>>,
    /// The data rows (blank ones skipped), by their Excel row number.
    pub rows: Vec<(u32, &'a [String])>,
    pub errors: Vec<SheetIssue<C>>,
    pub warnings: Vec<SheetIssue<C>>,
}

impl<C: SheetColumn> Sheet<'_, C> {
    /// Whether a problem with the file as a whole stops every row.
    pub fn has_file_errors(&self) -> bool {
        self.errors.iter().any(|e| e.code.is_file_level())
    }

    /// The row's non-empty cells by column, trimmed.
    pub fn values<'c>(&self, cells: &'c [String]) -> HashMap<C, &'c str> {
        let mut values = HashMap::new();
        for (i, col) in self.layout.iter().enumerate() {
            if let (Some(col), Some(v)) = (col, cells.get(i)) {
                let v = v.trim();
                if !v.is_empty() {
                    values.insert(*col, v);
                }
            }
        }
        values
    }
}

/// The column letter Excel shows: 0 → A, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// The Excel row number of `table[index]`.
pub fn row_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// Reads the header of `table` (`table[i]` holds the cells of the sheet's row `i + 1`): the
/// first non-blank row. `noun` names what a data row is ("students") in the messages.
pub fn read_sheet<'a, C: SheetColumn>(table: &'a [Vec<String>], max_rows: usize, noun: &str) -> Sheet<'a, C> {
    let mut sheet = Sheet { layout: Vec::new(), rows: Vec::new(), errors: Vec::new(), warnings: Vec::new() };
    let blank = |cells: &Vec<String>| cells.iter().all(|c| c.trim().is_empty());
    let Some(header_index) = table.iter().position(|r| !blank(r)) else {
        sheet.errors.push(SheetIssue::new(1, None, IssueCode::EmptyFile, "", "the file has no header row; download the template".into()));
        return sheet;
    };
    let header_row = row_number(header_index);
    let mut seen: HashMap<C, usize> = HashMap::new();
    for (i, h) in table[header_index].iter().enumerate() {
        let h = h.trim();
        let col = C::from_header(h);
        match col {
            Some(c) => {
                if let Some(first) = seen.get(&c) {
                    let message = format!("columns {} and {} both hold {}", column_letter(*first), column_letter(i), c.en());
                    sheet.errors.push(SheetIssue::new(header_row, Some(c), IssueCode::DuplicateColumn, h, message));
                } else {
                    seen.insert(c, i);
                }
            }
            None if h.is_empty() => {}
            None => sheet.warnings.push(SheetIssue::new(
                header_row,
                None,
                IssueCode::UnknownColumn,
                h,
                format!("column {} ({h}) is not part of the layout; its values are ignored", column_letter(i)),
            )),
        }
        sheet.layout.push(col);
    }
    for c in C::ALL.iter().copied().filter(|c| c.required() && !seen.contains_key(c)) {
        let message = format!("the column {} ({}) is missing", c.zh(), c.en());
        sheet.errors.push(SheetIssue::new(header_row, Some(c), IssueCode::MissingColumn, c.zh(), message));
    }

    sheet.rows = table.iter().enumerate().skip(header_index + 1).filter(|(_, r)| !blank(r)).map(|(i, r)| (row_number(i), r.as_slice())).collect();
    if sheet.rows.is_empty() {
        sheet.errors.push(SheetIssue::new(header_row, None, IssueCode::NoRows, "", format!("there are no {noun} below the header")));
    }
    if sheet.rows.len() > max_rows {
        let n = sheet.rows.len();
        sheet.errors.push(SheetIssue::new(header_row, None, IssueCode::TooManyRows, &n.to_string(), format!("{n} rows; at most {max_rows} per file")));
    }
    let headers = &table[header_index];
    let nameless = |i: usize| headers.get(i).is_none_or(|h| h.trim().is_empty());
    let unnamed: BTreeSet<usize> =
        sheet.rows.iter().flat_map(|(_, cells)| cells.iter().enumerate().filter(|(i, v)| !v.trim().is_empty() && nameless(*i)).map(|(i, _)| i)).collect();
    for i in unnamed {
        let letter = column_letter(i);
        let message = format!("column {letter} has values but no header; they are ignored");
        sheet.warnings.push(SheetIssue::new(header_row, None, IssueCode::UnnamedColumn, &letter, message));
    }
    sheet
}

/// Rows that name the same key (a student number) twice: every row involved is bad, as the file
/// does not say which is right. Returns (index into `keys`, the issue).
pub fn duplicates<C: SheetColumn>(keys: &[(u32, Option<&str>)], column: C, code: IssueCode) -> Vec<(usize, SheetIssue<C>)> {
    let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (_, key)) in keys.iter().enumerate() {
        if let Some(key) = key {
            by_key.entry(key).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (key, rows) in by_key.iter().filter(|(_, r)| r.len() > 1) {
        for &i in rows {
            let other = rows.iter().copied().find(|&j| j != i).map(|j| keys[j].0);
            let message = format!("{}: {key} is also on row {}", column.en(), other.unwrap_or(0));
            let mut e = SheetIssue::new(keys[i].0, Some(column), code, key, message);
            e.other_row = other;
            out.push((i, e));
        }
    }
    out.order_by_key(|(i, _)| *i);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Col {
        No,
        Note,
    }

    impl SheetColumn for Col {
        const ALL: &'static [Col] = &[Col::No, Col::Note];
        fn zh(self) -> &'static str {
            match self {
                Col::No => "学号",
                Col::Note => "备注",
            }
        }
        fn en(self) -> &'static str {
            match self {
                Col::No => "student_no",
                Col::Note => "note",
            }
        }
        fn required(self) -> bool {
            self == Col::No
        }
        fn aliases(self) -> &'static [&'static str] {
            &[]
        }
    }

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn headers_are_found_in_either_language_and_blank_rows_skipped() {
        let t = table(&[&[], &["\u{feff}Student No", "备注", "其他"], &["1", "a"], &["", ""], &["2", "", "", "x"]]);
        let sheet = read_sheet::<Col>(&t, 10, "students");
        assert_eq!(sheet.layout, vec![Some(Col::No), Some(Col::Note), None]);
        assert_eq!(sheet.rows.iter().map(|(r, _)| *r).collect::<Vec<_>>(), vec![3, 5]);
        assert!(sheet.errors.is_empty());
        let codes: Vec<_> = sheet.warnings.iter().map(|w| (w.code, w.value.as_str())).collect();
        assert_eq!(codes, vec![(IssueCode::UnknownColumn, "其他"), (IssueCode::UnnamedColumn, "D")]);
        assert_eq!(sheet.values(sheet.rows[0].1).get(&Col::Note), Some(&"a"));
    }

    #[test]
    fn file_level_problems_are_named() {
        assert_eq!(read_sheet::<Col>(&[], 10, "students").errors[0].code, IssueCode::EmptyFile);
        let t = table(&[&["备注", "note"]]);
        let codes: Vec<_> = read_sheet::<Col>(&t, 10, "students").errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, vec![IssueCode::DuplicateColumn, IssueCode::MissingColumn, IssueCode::NoRows]);
        let t = table(&[&["学号"], &["1"], &["2"], &["3"]]);
        let sheet = read_sheet::<Col>(&t, 2, "students");
        assert!(sheet.has_file_errors());
        assert_eq!(sheet.errors[0].code, IssueCode::TooManyRows);
    }

    #[test]
    fn a_key_twice_makes_both_rows_bad() {
        let keys = [(2, Some("a")), (3, Some("b")), (4, Some("a")), (5, None)];
        let found = duplicates(&keys, Col::No, IssueCode::DuplicateStudent);
        assert_eq!(found.iter().map(|(i, e)| (*i, e.other_row)).collect::<Vec<_>>(), vec![(0, Some(4)), (2, Some(2))]);
    }

    #[test]
    fn column_letters_run_past_z() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
    }
}
