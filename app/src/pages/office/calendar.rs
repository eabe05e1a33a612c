//! 校历: the school's time zone and semesters, with their teaching weeks and holidays. Every
//! quota is counted in them, so the page checks them with `SchoolCalendar::validate` before
//! saving (the zone name itself only the server can check: the phone carries no tz database).

use super::frame::*;
use super::OfficePage;
use crate::i18n::{fill, use_i18n, Lang, Msg};
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use rounds::duties::calendar::monday_of;
use rounds::duties::setup::CalendarEdit;
use rounds::duties::{Holiday, SchoolCalendar, Semester};

const CALENDAR_URL: &str = "/api/v1/duties/calendar";

/// `2026-2027` → `2027-2028`; a school year of another shape stays as it is.
pub fn next_school_year(year: &str) -> String {
    let parts: Vec<Option<i32>> = year.split('-').map(|p| p.trim().parse().ok()).collect();
    match parts.as_slice() {
        [Some(a), Some(b)] => format!("{}-{}", a + 1, b + 1),
        _ => year.to_string(),
    }
}

/// Semesters a school year has: the first new one joins its year, the next starts a new one.
const SEMESTERS_A_YEAR: usize = 2;

/// A new semester after the last one (or from this week): 20 weeks from a Monday, 18 of them
/// teaching, in the last one's school year until that has two semesters. Its name is left to
/// the office.
pub fn next_semester(calendar: &SchoolCalendar, today: NaiveDate) -> Semester {
    let last = calendar.semesters.iter().max_by_key(|s| s.end);
    let start = match last {
        Some(s) => monday_of(s.end) + Duration::weeks(1),
        None => monday_of(today),
    };
    let school_year = match last {
        Some(s) if calendar.semesters.iter().filter(|o| o.school_year == s.school_year).count() < SEMESTERS_A_YEAR => s.school_year.clone(),
        Some(s) => next_school_year(&s.school_year),
        // Chinese school years start in autumn.
        None if start.month() >= 8 => format!("{}-{}", start.year(), start.year() + 1),
        None => format!("{}-{}", start.year() - 1, start.year()),
    };
    Semester { name: String::new(), school_year, start, end: start + Duration::weeks(20) - Duration::days(1), teaching_weeks: 18, holidays: Vec::new() }
}

fn field_label(path: &str) -> Option<Msg> {
    Some(match path {
        "name" => Msg::CalendarSemesterName,
        "school_year" => Msg::CalendarSchoolYear,
        "start" => Msg::CalendarStart,
        "end" => Msg::CalendarEnd,
        "teaching_weeks" => Msg::CalendarTeachingWeeks,
        _ => return None,
    })
}

/// `semesters[0].holidays[1].end` for people: `学期 1 · 假期 2 · 结束日期`.
pub fn calendar_field_name(field: &str, lang: Lang) -> String {
    if field == "time_zone" {
        return Msg::CalendarTimeZone.text(lang).to_string();
    }
    let Some((s, rest)) = list_item("semesters", field) else { return field.to_string() };
    let mut parts = vec![fill(Msg::CalendarSemesterN.text(lang), &[("n", (s + 1).to_string())])];
    let rest = match list_item("holidays", rest) {
        Some((h, inner)) => {
            parts.push(fill(Msg::CalendarHolidayN.text(lang), &[("n", (h + 1).to_string())]));
            // A holiday's name has its own label; its dates share the semester's.
            if inner == "name" {
                parts.push(Msg::CalendarHolidayName.text(lang).to_string());
                ""
            } else {
                inner
            }
        }
        None => rest,
    };
    match field_label(rest) {
        Some(label) => parts.push(label.text(lang).to_string()),
        None if rest.is_empty() => {}
        None => parts.push(rest.to_string()),
    }
    parts.join(" · ")
}

fn show_date(d: NaiveDate) -> String {
    d.to_string()
}

/// A typed date, or the old one while the input holds none.
fn read_date(typed: &str, old: NaiveDate) -> NaiveDate {
    NaiveDate::parse_from_str(typed, "%Y-%m-%d").unwrap_or(old)
}

#[component]
pub fn CalendarPage() -> impl IntoView {
    view! { <OfficePage title=Msg::OfficeCalendar><CalendarEditor/></OfficePage> }.into_any()
}

#[component]
fn CalendarEditor() -> impl IntoView {
    let i18n = use_i18n();
    let draft = RwSignal::new(CalendarEdit::default());
    view! {
        <p>{move || i18n.t(Msg::CalendarIntro)}</p>
        <DocumentEditor
            url=CALENDAR_URL
            title=Msg::OfficeCalendar
            draft
            draft_of=CalendarEdit::of
            saved_text=|_, lang| Msg::CalendarSaved.text(lang).to_string()
            field_name=calendar_field_name
            notice=RwSignal::new(None)
        >
            <CalendarFields draft/>
        </DocumentEditor>
    }
    .into_any()
}

#[component]
fn CalendarFields(draft: RwSignal<CalendarEdit>) -> impl IntoView {
    let i18n = use_i18n();
    let store = crate::state::use_store();
    let count = move || draft.with(|d| d.calendar.semesters.len());
    let add = move |_| {
        let today = rounds::school_time::now_in(&store.zone()).date_naive();
        draft.update(|d| {
            let semester = next_semester(&d.calendar, today);
            d.calendar.semesters.push(semester);
        });
    };
    view! {
        <Text draft label=Msg::CalendarTimeZone field="time_zone"
            get=|d: &CalendarEdit| d.calendar.time_zone.clone() set=|d: &mut CalendarEdit, v| d.calendar.time_zone = v.trim().to_string()/>
        <h3>{move || i18n.t(Msg::CalendarSemesters)}</h3>
        <Show when=move || count() == 0>
            <p class="warning">{move || i18n.t(Msg::CalendarNoSemesters)}</p>
        </Show>
        <For each=move || 0..count() key=|i| *i children=move |i| view! { <SemesterCard draft index=i/> }/>
        <div class="form-buttons">
            <button type="button" class="secondary" on:click=add>{move || i18n.t(Msg::CalendarAddSemester)}</button>
        </div>
    }
    .into_any()
}

fn of_semester(
    i: usize,
    get: fn(&Semester) -> String,
    set: fn(&mut Semester, String),
) -> (impl Fn(&CalendarEdit) -> String + Copy + Send + Sync + 'static, impl Fn(&mut CalendarEdit, String) + Copy + Send + Sync + 'static) {
    item_field(move |d: &CalendarEdit| d.calendar.semesters.get(i), move |d: &mut CalendarEdit| d.calendar.semesters.get_mut(i), get, set)
}

#[component]
fn SemesterCard(draft: RwSignal<CalendarEdit>, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let errors = expect_context::<OfficeErrors>();
    let i = index;
    let path = move |field: &str| format!("semesters[{i}].{field}");
    let legend = move || {
        let name = draft.with(|d| d.calendar.semesters.get(i).map(|s| s.name.clone())).unwrap_or_default();
        format!("{}：{name}", fill(i18n.t(Msg::CalendarSemesterN), &[("n", (i + 1).to_string())]))
    };
    let (name_get, name_set) = of_semester(i, |s| s.name.clone(), |s, v| s.name = v);
    let (year_get, year_set) = of_semester(i, |s| s.school_year.clone(), |s, v| s.school_year = v.trim().to_string());
    let (start_get, start_set) = of_semester(i, |s| show_date(s.start), |s, v| s.start = read_date(&v, s.start));
    let (end_get, end_set) = of_semester(i, |s| show_date(s.end), |s, v| s.end = read_date(&v, s.end));
    let (weeks_get, weeks_set) = of_semester(i, |s| s.teaching_weeks.to_string(), |s, v| s.teaching_weeks = super::rules::read_count(&v, u8::MAX));
    let holidays = move || draft.with(|d| d.calendar.semesters.get(i).map_or(0, |s| s.holidays.len()));
    let add_holiday = move |_| {
        draft.update(|d| {
            if let Some(s) = d.calendar.semesters.get_mut(i) {
                s.holidays.push(Holiday { name: String::new(), start: s.start, end: s.start });
            }
        })
    };
    let remove = move |_| {
        draft.update(|d| {
            if i < d.calendar.semesters.len() {
                d.calendar.semesters.remove(i);
            }
        });
        errors.0.update(|es| forget_removed(es, "semesters", i));
    };
    let remove_label = move || fill(i18n.t(Msg::CalendarRemoveSemester), &[("n", (i + 1).to_string())]);
    view! {
        <fieldset class="rule-card">
            <legend>{legend}</legend>
            <GroupError field=format!("semesters[{i}]")/>
            <div class="rule-grid">
                <div class="cell wide"><Text draft label=Msg::CalendarSemesterName field=path("name") get=name_get set=name_set/></div>
                <div class="cell"><Text draft label=Msg::CalendarSchoolYear field=path("school_year") get=year_get set=year_set/></div>
                <div class="cell"><Text draft label=Msg::CalendarStart field=path("start") kind="date" get=start_get set=start_set/></div>
                <div class="cell"><Text draft label=Msg::CalendarEnd field=path("end") kind="date" get=end_get set=end_set/></div>
                <div class="cell"><Text draft label=Msg::CalendarTeachingWeeks field=path("teaching_weeks") kind="number" get=weeks_get set=weeks_set/></div>
            </div>
            <fieldset class="choice">
                <legend>{move || i18n.t(Msg::CalendarHolidays)}</legend>
                <For each=move || 0..holidays() key=|j| *j children=move |j| view! { <HolidayRow draft semester=i index=j/> }/>
                <button type="button" class="secondary" on:click=add_holiday>{move || i18n.t(Msg::CalendarAddHoliday)}</button>
            </fieldset>
            <div class="rule-foot">
                <button type="button" class="link danger" on:click=remove>{remove_label}</button>
            </div>
        </fieldset>
    }
    .into_any()
}

#[component]
fn HolidayRow(draft: RwSignal<CalendarEdit>, semester: usize, index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let errors = expect_context::<OfficeErrors>();
    let (i, j) = (semester, index);
    let list = format!("semesters[{i}].holidays");
    let path = {
        let list = list.clone();
        move |field: &str| format!("{list}[{j}].{field}")
    };
    let of_holiday = |get: fn(&Holiday) -> String, set: fn(&mut Holiday, String)| {
        item_field(
            move |d: &CalendarEdit| d.calendar.semesters.get(i)?.holidays.get(j),
            move |d: &mut CalendarEdit| d.calendar.semesters.get_mut(i)?.holidays.get_mut(j),
            get,
            set,
        )
    };
    let (name_get, name_set) = of_holiday(|h| h.name.clone(), |h, v| h.name = v);
    let (start_get, start_set) = of_holiday(|h| show_date(h.start), |h, v| h.start = read_date(&v, h.start));
    let (end_get, end_set) = of_holiday(|h| show_date(h.end), |h, v| h.end = read_date(&v, h.end));
    let group = format!("{list}[{j}]");
    let remove = move |_| {
        draft.update(|d| {
            if let Some(s) = d.calendar.semesters.get_mut(i).filter(|s| j < s.holidays.len()) {
                s.holidays.remove(j);
            }
        });
        errors.0.update(|es| forget_removed(es, &list, j));
    };
    let remove_label = move || fill(i18n.t(Msg::CalendarRemoveHoliday), &[("n", (j + 1).to_string())]);
    view! {
        <div class="holiday">
            <GroupError field=group/>
            <div class="rule-grid">
                <div class="cell"><Text draft label=Msg::CalendarHolidayName field=path("name") get=name_get set=name_set/></div>
                <div class="cell"><Text draft label=Msg::CalendarStart field=path("start") kind="date" get=start_get set=start_set/></div>
                <div class="cell"><Text draft label=Msg::CalendarEnd field=path("end") kind="date" get=end_get set=end_set/></div>
                <div class="cell"><button type="button" class="link danger" on:click=remove>{remove_label}</button></div>
            </div>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rounds::duties::calendar::demo_calendar;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn school_years_follow_each_other() {
        assert_eq!(next_school_year("2026-2027"), "2027-2028");
        assert_eq!(next_school_year("2026 - 2027"), "2027-2028");
        assert_eq!(next_school_year("秋季学年"), "秋季学年");
    }

    #[test]
    fn a_new_semester_follows_the_last_without_overlap_and_is_valid_once_named() {
        let mut calendar = demo_calendar();
        let mut next = next_semester(&calendar, date(2026, 11, 23));
        // The demo year has two semesters already: the new one starts the next year.
        assert_eq!(next.school_year, "2027-2028");
        assert_eq!(next.start, date(2027, 7, 5));
        assert_eq!(next.start.weekday(), chrono::Weekday::Mon);
        assert_eq!(next.end, date(2027, 11, 21));
        assert_eq!(next.name, "");
        calendar.semesters.push(next.clone());
        assert_eq!(CalendarEdit { base_version: 1, calendar: calendar.clone() }.validate().codes(), vec![("semesters[2].name", "required")]);
        next.name = "2027–2028 第一学期".into();
        calendar.semesters[2] = next;
        assert!(calendar.validate().is_empty());
        // Its sibling joins the same year.
        assert_eq!(next_semester(&calendar, date(2026, 11, 23)).school_year, "2027-2028");
    }

    #[test]
    fn the_first_semester_starts_this_week_in_this_school_year() {
        let empty = SchoolCalendar::default();
        let autumn = next_semester(&empty, date(2026, 9, 9));
        assert_eq!((autumn.start, autumn.school_year.as_str()), (date(2026, 9, 7), "2026-2027"));
        let spring = next_semester(&empty, date(2027, 3, 3));
        assert_eq!(spring.school_year, "2026-2027");
    }

    #[test]
    fn calendar_errors_are_named_for_people() {
        assert_eq!(calendar_field_name("semesters[0].holidays[1].end", Lang::Zh), "学期 1 · 假期 2 · 结束日期");
        assert_eq!(calendar_field_name("semesters[1].holidays[0].name", Lang::En), "Semester 2 · Holiday 1 · Holiday name");
        assert_eq!(calendar_field_name("semesters[1]", Lang::Zh), "学期 2");
        assert_eq!(calendar_field_name("semesters[0].teaching_weeks", Lang::En), "Semester 1 · Teaching weeks");
        assert_eq!(calendar_field_name("time_zone", Lang::Zh), Msg::CalendarTimeZone.text(Lang::Zh));
        assert_eq!(calendar_field_name("other", Lang::Zh), "other");
    }

    #[test]
    fn a_holiday_ending_before_it_starts_is_caught_where_the_server_would_put_it() {
        let mut calendar = demo_calendar();
        calendar.semesters[0].holidays.push(Holiday { name: "校庆".into(), start: date(2026, 11, 2), end: date(2026, 11, 1) });
        assert_eq!(CalendarEdit { base_version: 1, calendar }.validate().codes(), vec![("semesters[0].holidays[1].end", "before_start")]);
        assert_eq!(read_date("", date(2026, 9, 7)), date(2026, 9, 7));
        assert_eq!(read_date("2026-10-01", date(2026, 9, 7)), date(2026, 10, 1));
    }
}
