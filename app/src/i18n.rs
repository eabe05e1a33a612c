//! Every string the UI shows, in Chinese (the default) and English. One enum, so a missing
//! translation is a compile error, not a blank on a counselor's screen.

use leptos::prelude::*;
use rounds::{AbsenceReason, HazardKind, HygieneRating};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Lang {
        if code.starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The language a `Cookie` header (or `document.cookie`) chose, if it chose one.
    pub fn from_cookies(cookies: &str) -> Option<Lang> {
        cookies.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LANG_COOKIE).then(|| Lang::from_code(value))
        })
    }
}

/// The chosen language travels in a cookie, not only in the phone's storage: the server draws
/// each page in it, so the switch works as a plain form before the wasm has arrived, and the
/// app starts in the language the page was drawn in (what it hydrates must match).
pub const LANG_COOKIE: &str = "rounds_lang";

/// How long the choice is kept: a year, until someone switches again.
pub const LANG_COOKIE_DAYS: i64 = 365;

/// The language the page was drawn in. The server chose it from the request's cookie; the
/// browser reads the same cookie, so the app's first render matches the server's HTML.
pub fn page_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        cookie_lang().unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        use_context::<Lang>().unwrap_or_default()
    }
}

/// Keeps the choice for the next page the server draws, as the switch's form would.
#[cfg(feature = "hydrate")]
pub fn remember(lang: Lang) {
    let Some(document) = html_document() else { return };
    let secure = web_sys::window().and_then(|w| w.location().protocol().ok()).is_some_and(|p| p == "https:");
    let max_age = LANG_COOKIE_DAYS * 24 * 60 * 60;
    let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age={max_age}; SameSite=Lax{}", lang.code(), if secure { "; Secure" } else { "" });
    let _ = document.set_cookie(&cookie);
}

/// The language the page's cookie chose; none on a phone that chose before the cookie existed
/// (its choice is in local storage only) or never chose.
#[cfg(feature = "hydrate")]
pub fn cookie_lang() -> Option<Lang> {
    html_document().and_then(|d| d.cookie().ok()).and_then(|c| Lang::from_cookies(&c))
}

#[cfg(feature = "hydrate")]
fn html_document() -> Option<web_sys::HtmlDocument> {
    use wasm_bindgen::JsCast;
    web_sys::window()?.document()?.dyn_into().ok()
}

macro_rules! messages {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key),* }

        impl Msg {
            pub fn text(self, lang: Lang) -> &'static str {
                // Two tables indexed by the message, not a match: a match of a thousand arms is
                // some 35 KB of the phone's wasm, the tables are data.
                const ZH: &[&str] = &[$($zh),*];
                const EN: &[&str] = &[$($en),*];
                let table = match lang {
                    Lang::Zh => ZH,
                    Lang::En => EN,
                };
                table[self as usize]
            }
        }
    };
}

messages! {
    AppName => "学工巡访", "Rounds";
    SwitchLanguage => "English", "中文";
    Loading => "加载中…", "Loading…";
    Username => "用户名", "Username";
    Password => "密码", "Password";
    SignIn => "登录", "Sign in";
    SigningIn => "正在登录…", "Signing in…";
    SignOut => "退出登录", "Sign out";
    BadCredentials => "用户名或密码错误", "Wrong username or password";
    TooManyAttempts => "登录失败次数过多，请稍后再试", "Too many failed sign-ins; try again later";
    NeedNetworkToSignIn => "登录需要网络连接", "Signing in needs a network connection";
    SignInFailed => "登录失败，请重试", "Sign-in failed; please try again";
    SsoSignIn => "统一身份认证登录", "Sign in with university account";
    SsoSignInOidc => "统一身份认证登录（OpenID Connect）", "Sign in with university account (OpenID Connect)";
    SsoOr => "或使用学工巡访账号密码登录", "or sign in with your Rounds password";
    // ---- sign-out with unsynced records, who holds what on a phone ----
    SignOutSyncing => "正在同步，请稍候…", "Syncing before you sign out…";
    UnsyncedKeptTitle => "还有 {n} 条记录未同步", "{n} records are not synced yet";
    UnsyncedKeptBody => "现在无法连接服务器。退出后这些记录仍保存在本机，只有您本人再次登录后才能看到，并会自动上传。", "The server cannot be reached now. After you sign out these records stay on this phone, visible only to you when you sign in again, and are sent then.";
    SignOutKeepRecords => "保留记录并退出", "Keep them and sign out";
    TrySyncAgain => "再试一次同步", "Try to sync again";
    Cancel => "取消", "Cancel";
    DiscardUnsynced => "删除这些未同步的记录…", "Delete these unsynced records…";
    DiscardUnsyncedTitle => "永久删除 {n} 条未同步的记录？", "Delete {n} unsynced records for good?";
    DiscardUnsyncedBody => "这些记录从未上传到服务器，删除后任何人都无法恢复。", "These records never reached the server; once deleted, no one can bring them back.";
    DiscardAndSignOut => "删除并退出", "Delete and sign out";
    StoragePersisted => "本机存储：已锁定，浏览器不会自动清理", "Storage on this phone: kept, the browser will not clear it";
    // ---- sessions and sign-in security ----
    SessionsLink => "设备", "Devices";
    SessionsTitle => "已登录的设备", "Signed-in devices";
    SessionsCount => "您已在 {n} 台设备上登录", "You are signed in on {n} devices";
    SessionsDevice => "设备", "Device";
    SessionsAddress => "网络地址", "Address";
    SessionsLastSeen => "最近使用", "Last used";
    SessionsSince => "登录时间", "Signed in";
    SessionsThisDevice => "本设备", "this device";
    SessionsEnd => "退出该设备", "Sign out there";
    SessionsEndOf => "在 {x} 上退出登录", "Sign out on {x}";
    SessionsEndOthers => "退出其他所有设备", "Sign out on every other device";
    SessionsEnded => "已退出", "Signed out";
    OfficeSecurity => "登录安全", "Sign-in security";
    OfficeReports => "学期工作总结", "Semester reports";
    OfficeReportsAbout => "辅导员、班主任提交的学期工作总结，附各人本学期的工作数据。", "The semester reports counselors and head teachers submitted, each with the figures of their semester.";
    OfficeReportsExport => "导出全部总结（Excel）", "Export every report (Excel)";
    OfficeReportsNone => "本学期还没有人提交工作总结", "Nobody has submitted a report for this semester yet";
    OfficeReportSubmitted => "{semester} · 提交于 {at}", "{semester} · submitted {at}";
    OfficeReportFigures => "记录 {records} 条；谈心谈话覆盖 {talked}/{students} 名学生；达标规则 {met} 项，未达标 {not_met} 项", "{records} records; talks with {talked} of {students} students; {met} rules met, {not_met} not";
    // Assistance, the office's page (office/assistance.rs)
    OfficeAssistance => "学业帮扶", "Academic assistance";
    OfficeAssistanceAbout => "导入上学期成绩，确认学业困难学生名单，查看帮扶统计与志愿者时数。", "Import last semester's results, confirm the list of students in difficulty, see the figures and volunteer hours.";
    AssistIntro => "每学期初，由教务处、系学工办开展学业困难学生认定（003第五条）：导入上学期成绩，系统按不及格学分提出一级（12–15学分）、二级（15–25学分）、三级（25学分及以上）建议，并标出旷课、绩点、挂科门次等情形；经工作组研究决定后确认名单。", "At each semester's start the office identifies students in academic difficulty (003 §5): import last semester's results; the app proposes level 1 (12–15 failed credits), level 2 (15–25) and level 3 (25 and up), and flags absences, GPA and failed courses; the list counts once the working group's decision is entered.";
    AssistTerm => "成绩所属学期（如 2025-2026-2）", "Semester of the results (e.g. 2025-2026-2)";
    AssistTermInvalid => "请填写学年和学期，如 2025-2026-2", "Give a school year and semester, e.g. 2025-2026-2";
    AssistImportTitle => "导入成绩", "Import the results";
    AssistResultsFile => "成绩文件（.xlsx 或 .csv）", "Results file (.xlsx or .csv)";
    SignCredits => "不及格{n}学分", "{n} failed credits";
    SignCourses => "不及格{n}门次", "{n} failed courses";
    SignAbsence => "旷课{n}学时", "{n} hours absent";
    SignGpa => "绩点{n}", "GPA {n}";
    AssistDateInvalid => "决定日期格式应为 2026-09-10", "The decision date reads like 2026-09-10";
    AssistListTitle => "学业困难学生名单", "Students in academic difficulty";
    AssistListEmpty => "本学期 {n} 名学生的成绩中没有学业困难情形", "None of the {n} students with results shows academic difficulty";
    AssistDecided => "工作组已于{date}认定（依据：{basis}；录入：{by}）", "Decided by the working group on {date} (basis: {basis}; entered by {by})";
    AssistListCaption => "建议名单：{n} 人（共 {all} 人有成绩）", "Proposed: {n} students (of {all} with results)";
    AssistInclude => "列入名单", "On the list";
    AssistClass => "班级", "Class";
    AssistCredits => "不及格学分", "Failed credits";
    AssistSigns => "情形", "Signs";
    AssistProposed => "建议等级", "Proposed level";
    AssistDecidedLevel => "认定等级", "Decided level";
    AssistDecisionTitle => "工作组决定", "The working group's decision";
    AssistDecisionDate => "决定日期", "Decision date";
    AssistDecisionBasis => "依据（会议纪要或文件号）", "Basis (minutes or document number)";
    AssistConfirm => "确认认定名单", "Confirm the list";
    AssistConfirmed => "已认定 {n} 人：新建帮扶档案 {opened} 份，调整 {updated} 份，{same} 人无变化", "{n} confirmed: {opened} cases opened, {updated} revised, {same} unchanged";
    AssistOffList => "不在名单", "Not on the list";
    AssistStatsTitle => "本学期帮扶统计", "This semester's figures";
    AssistStatsExport => "导出统计（Excel）", "Export the figures (Excel)";
    AssistByDepartment => "按院系与等级", "By department and level";
    AssistTotal => "合计", "Total";
    AssistMovement => "与上学期（{before}）相比的等级变化", "Movement since the semester before ({before})";
    AssistFrom => "上学期", "Before";
    AssistTo => "本学期", "Now";
    AssistStudents => "人数", "Students";
    AssistActionsOnTime => "按时完成的帮扶措施：{n} / {of}", "Level actions done on time: {n} of {of}";
    AssistVolunteerFigures => "志愿服务 {h} 小时，{n} 名志愿者", "{h} hours of volunteer service by {n} volunteers";
    AssistCaseFigures => "在帮扶档案 {open} 份，已结案 {closed} 份", "{open} cases open, {closed} closed";
    VolunteerRegister => "学业帮扶志愿者登记", "Volunteer register";
    VolunteerHoursExport => "导出本学期志愿服务时数（Excel）", "Export this semester's volunteer hours (Excel)";
    VolunteerAdd => "登记志愿者", "Register a volunteer";
    VolunteerSelected => "选拔日期", "Selected on";
    VolunteerTrained => "培训日期", "Trained on";
    VolunteerActive => "在册", "Active";
    VolunteerTrainedToday => "今天已完成培训", "Trained today";
    AnswerYes => "是", "Yes";
    AnswerNo => "否", "No";
    SecurityIdleTitle => "闲置自动退出", "Sign out when idle";
    SecurityIdleAbout => "登录后超过这么久未使用，需重新登录。辅导员每天使用时不受影响；遗失或借出的手机会自动退出。", "A session unused this long must sign in again. Staff who use the app daily are not affected; a lost or lent phone is signed out by itself.";
    SecurityIdleMinutes => "闲置时长（分钟，5 至 43200）", "Idle time (minutes, 5 to 43,200)";
    SecurityIdleInvalid => "请填写 5 到 43200 之间的分钟数", "Enter a number of minutes from 5 to 43,200";
    SecurityLockoutsTitle => "登录锁定记录", "Sign-in lock-outs";
    SecurityLockedAt => "时间", "When";
    SecurityManyAccounts => "多个账号（批量尝试）", "many accounts (a spray)";
    SecurityFailures => "失败次数", "Failures";
    SecurityLockedUntil => "锁定至", "Locked until";
    StorageMayBeEvicted => "本机存储：浏览器在空间不足时可能清理，请及时同步", "Storage on this phone: the browser may clear it when space runs low; sync often";
    MyRooms => "我的寝室", "My rooms";
    MyRecords => "我的记录", "My records";
    NoRooms => "暂无分配的寝室", "No rooms are assigned to you";
    FirstSync => "正在下载名单，首次同步需要网络…", "Downloading your roster; the first sync needs a network…";

    // ---- today (duties) and the semester work summary ----
    TodayTitle => "今日待办", "Today";
    RulesNotSynced => "规则尚未同步：联网同步一次后，这里将按学校的规则和校历列出您的待办。", "Rules not yet synced: after one sync with a network, this page lists what the school's rules and calendar ask of you.";
    TodayOutsideSemester => "今天不在学期内", "Today is outside the semester";
    TodayWeek => "{s} · 第 {w} 教学周", "{s} · teaching week {w}";
    TodayUrgent => "逾期和即将到期", "Overdue and due soon";
    TodayNothingUrgent => "没有逾期或即将到期的事项", "Nothing is overdue or due soon";
    TodayOnTrack => "进度正常 {n} 项", "{n} on track";
    TodayUnsyncedCounted => "已计入 {n} 条尚未上传的记录", "{n} records not yet uploaded are counted";
    TodayComputeMs => "计算用时 {ms} 毫秒", "Computed in {ms} ms";
    TodayPickClass => "选择班级：", "Choose a class:";
    TodayPendingStudents => "尚未覆盖的学生（{n}）", "Students not yet covered ({n})";
    TodayRoom => "寝室 {n}", "Room {n}";
    TodayLast => "上次{kind} {n} 天前", "last {kind} {n} days ago";
    TodayLastToday => "今天已{kind}", "{kind} done today";
    TodayNever => "尚无{kind}记录", "no {kind} on record";
    TodayEvery => "规则：每 {days} 天", "rule: every {days} days";
    TodayEveryTimes => "规则：每 {days} 天 {m} 次", "rule: {m} every {days} days";
    TodayCount => "{period}{kind} {done}/{required}", "{kind} {done}/{required} {period}";
    TodayCourseTeachers => "{period}已联系 {done}/{required} 位任课教师", "{period}: {done} of {required} course teachers contacted";
    TodaySessions => "{period}{kind} {done}/{required} 人次（所带 {total} 名学生，每 {per} 人 1 人次）", "{kind} {period}: {done}/{required} sessions ({total} students, one per {per})";
    TodayShare => "{period}{kind}覆盖 {done}/{total} 名学生，需 {required} 名", "{kind} {period}: {done}/{total} students, {required} needed";
    TodayAfterEvent => "{event}（{date}），须 {days} 天内{kind}", "{event} on {date}: {kind} within {days} days";
    PeriodWeek => "本周", "this week";
    PeriodWeeks => "本 {n} 周内", "in these {n} weeks";
    PeriodMonth => "本月", "this month";
    PeriodQuarter => "本季度", "this quarter";
    PeriodSemester => "本学期", "this semester";
    PeriodSchoolYear => "本学年", "this school year";
    TagAssisted => "{n}级帮扶", "assistance level {n}";
    TagWarned => "学业预警", "academic warning";
    TagDisciplined => "处分", "sanctioned";
    TagRuledOn => "学籍处理", "enrolment decision";
    KindArchiveReview => "档案核实", "Archive confirmation";
    DutyOverdue => "逾期 {n} 天", "{n} days overdue";
    DutyDueToday => "今天到期", "Due today";
    DutyDueIn => "{n} 天后到期", "Due in {n} days";
    DutyDueBy => "{d} 前", "Due by {d}";
    DutyMet => "已完成", "Done";
    DutySource => "依据 {s}", "Source: {s}";
    SummaryTitle => "学期工作总结", "Semester work summary";
    SummaryOf => "{name} · {semester}（{from} 至 {to}）", "{name} · {semester} ({from} to {to})";
    SummaryRecords => "本学期记录", "Records this semester";
    SummaryKind => "类别", "Kind";
    SummaryCount => "条数", "Count";
    SummaryNoRecords => "本学期还没有记录", "No records this semester yet";
    SummaryCoverage => "覆盖面", "Coverage";
    SummaryTalkCoverage => "谈心谈话覆盖 {done}/{total} 名学生（{pct}%）", "Talks reached {done} of {total} students ({pct}%)";
    SummaryParentCoverage => "家长联系覆盖 {done}/{total} 名学生（{pct}%）", "Parents of {done} of {total} students contacted ({pct}%)";
    SummaryDuties => "规则执行情况（截至 {d}）", "Duties (as of {d})";
    SummaryRulesLine => "{met}/{n} 条规则没有逾期事项", "{met} of {n} rules have nothing overdue";
    SummaryRule => "规则", "Rule";
    SummaryMet => "已完成", "Done";
    SummaryOnTrack => "进行中", "Under way";
    SummaryOverdue => "逾期", "Overdue";
    SummaryIssues => "学生诉求", "Student issues";
    SummaryIssuesLine => "提出 {raised} 件，已解决 {resolved} 件", "{raised} raised, {resolved} resolved";
    SummaryReflections => "个人总结与反思", "Own reflections";
    SummaryReflectionsNote => "仅保存在本机，退出登录时清除", "Kept on this phone only; cleared when you sign out";
    SummaryPrint => "打印", "Print";
    SummaryExcel => "导出 Excel（需联网）", "Export to Excel (needs a network)";
    Residents => "{n}人", "{n} residents";
    NeverChecked => "尚未查寝", "never checked";
    LastChecked => "上次查寝 {d}", "last checked {d}";
    DaysAgo => "{n}天前", "{n} days ago";
    Today => "今天", "today";
    Pending => "待同步 {n} 条", "{n} unsynced";
    AllSynced => "已全部同步", "All synced";
    Syncing => "同步中…", "Syncing…";
    Offline => "离线", "Offline";
    LastSync => "上次同步 {t}", "last sync {t}";
    NeverSynced => "尚未同步", "never synced";
    SessionExpired => "登录已过期，请重新登录；未同步的记录会保留", "Your session expired; sign in again. Unsynced records are kept";
    SyncNow => "立即同步", "Sync now";
    UpdateReady => "新版本已就绪", "A new version is ready";
    Reload => "重新加载", "Reload";
    TimeZone => "时区 {z}", "Time zone {z}";
    NewDormCheck => "新建查寝", "New dorm check";
    RoomNotFound => "没有找到这个寝室", "Room not found";
    Back => "返回", "Back";
    PastChecks => "查寝记录", "Past checks";
    NoChecksYet => "还没有查寝记录", "No checks yet";
    Hygiene => "内务卫生", "Hygiene";
    Present => "在寝", "Present";
    Absent => "缺勤", "Absent";
    AbsenceReasonLabel => "缺勤原因", "Reason";
    ChooseReason => "请选择原因", "Choose a reason";
    AbsenceNote => "说明", "Note";
    Hazards => "安全隐患", "Safety hazards";
    AddHazard => "添加安全隐患", "Add a safety hazard";
    RemoveHazard => "删除此隐患", "Remove this hazard";
    HazardKindLabel => "隐患类型", "Hazard type";
    HazardDescription => "隐患描述", "Description";
    HazardFollowUp => "整改措施", "Follow-up";
    Notes => "备注", "Notes";
    Centralized => "集中查寝", "Centralised duty check";
    CheckedAt => "查寝时间", "Time of check";
    Save => "保存", "Save";
    Saving => "保存中…", "Saving…";
    Saved => "已保存", "Saved";
    FixErrors => "请修改标出的项目", "Please fix the marked fields";
    SaveFailed => "保存失败：{e}", "Could not save: {e}";
    AbsentCount => "缺勤 {n}", "{n} absent";
    HazardCount => "隐患 {n}", "{n} hazards";
    StatePending => "待同步", "Unsynced";
    StateSynced => "已同步", "Synced";
    StateInvalid => "被退回，需修改", "Refused: needs fixing";
    StateForbidden => "无权限", "Not permitted";
    StateConflict => "有冲突", "Conflict";
    NoRecords => "还没有记录", "No records yet";
    BedLabel => "{b}号床", "bed {b}";
    KindDormCheck => "查寝", "Dorm check";
    KindDormVisit => "深入宿舍", "Dorm visit";
    KindClassCheck => "查课", "Class check";
    KindLectureVisit => "听课", "Lecture visit";
    KindTalk => "谈心谈话", "Talk";
    KindParentContact => "家长联系", "Parent contact";
    KindHomeVisit => "家访", "Home visit";
    KindClassMeeting => "班会", "Class meeting";
    KindCommitteeMeeting => "班委会", "Class-committee meeting";
    KindDutyLog => "值班记录", "Duty log";
    NewDutyLog => "新建值班记录", "New duty log";
    KindTeacherContact => "任课教师联系", "Teacher contact";
    KindStudentIssue => "问题台账", "Ledger issue";
    KindIssueStep => "问题办理", "Issue step";
    KindUnknown => "其他记录", "Other record";
    KindStudentEvent => "家校沟通事项", "Matter for the parents";
    StudentEventWhat => "事项", "What happened";
    StudentEventAt => "发生时间", "Happened on";
    KindHomeVisitPlan => "家访方案", "Home visit plan";
    KindStudentContact => "联系学生", "Time with students";
    NewStudentContact => "记录联系学生", "Record time with students";
    StudentContactHint => "班子成员每周至少“面对面”接触学生1次、每学期至少讲1堂思想政治理论课（002 号文件）；深入宿舍、参加班级和党支部、社团活动也计为面对面接触。", "The leadership tier meets students face to face each week and gives a politics lesson each semester (002); dorm visits and class, branch and club activities count as meeting them too.";
    StudentContactAt => "时间", "When";
    StudentContactWhat => "形式", "What";
    StudentContactPlace => "地点和学生", "Where, and which students";
    StudentContactContent => "内容", "What was said and learned";
    OfficeLeadership => "班子成员（学校领导班子、二级党组织班子）", "Of the leadership tier";
    OfficeDepartmentOffice => "所属学工部门（院系学工办只负责本院系的班级）", "Office of (a department's office owes its own classes only)";
    OfficeWholeSchool => "学工部（全校）", "Student-affairs office (whole school)";
    VisitPlans => "寒暑假家访方案", "Vacation home visits";
    VisitPlansAbout => "学工部牵头，选取特困、典型学生，确定走访人员和日期（004 号文件 三(四)）；假期内记录的家访即为方案进度。", "The office chooses students in hardship or typical cases, the staff who visit and the days (004 三(四)); home visits recorded in those days are the plan's progress.";
    VisitPlansNone => "还没有家访方案", "No plans yet";
    VisitPlanNew => "新建家访方案", "New plan";
    VisitPlanProgress => "已走访 {done} / {total} 名学生", "{done} of {total} students visited";
    VisitPlanMe => "我", "me";
    VisitPlanTitle => "方案名称", "Title";
    VisitPlanStarts => "开始日期", "First day";
    VisitPlanEnds => "结束日期", "Last day";
    VisitPlanNotes => "走访内容与要求", "What the visits are to do";
    VisitPlanStudents => "走访学生", "Students to visit";
    VisitPlanAddSpecial => "加入专门档案学生（特困、特殊）", "Add the special archive's students";
    VisitPlanFind => "学号或姓名", "Student number or name";
    VisitPlanAdd => "加入", "Add";
    VisitPlanStudent => "学生", "Student";
    VisitPlanReason => "类型", "Why";
    VisitPlanStaff => "走访人员", "Visited by";
    VisitPlanVisited => "走访日期", "Visited on";
    VisitPlanNotYet => "未走访", "not yet";
    VisitPlanRemove => "移出", "Remove";
    VisitPlanRemoveStaff => "移除走访人员", "Remove this person";
    VisitPlanAddStaff => "添加走访人员", "Add a visitor";
    VisitPlanTodayTitle => "家访方案：待走访学生", "Home visit plan: students to visit";
    VisitPlanBy => "{date} 前", "by {date}";
    KindParentLetter => "致家长信、喜报", "Letter to families";
    KindDutyRoster => "值班安排", "Duty schedule";
    DutyRosters => "值班安排", "Duty schedules";
    DutyRostersAbout => "学工部安排值班和集中查寝的日期、班次和人员，调班即修改安排（000 号文件 七(一)）；值班人员当天的值班记录即为完成。", "The office schedules who is on duty on which day and shift (000 七(一)); a swap is an edit; the shift's duty log marks it kept.";
    DutyRostersNone => "还没有值班安排", "No schedules yet";
    DutyRosterNew => "新建值班安排", "New schedule";
    DutyRosterProgress => "已完成 {done} / {total} 个班次", "{done} of {total} shifts logged";
    DutyRosterTitle => "名称", "Title";
    DutyRosterNotes => "值班要求", "What the shifts are to do";
    DutyRosterShifts => "班次", "Shifts";
    DutyRosterDay => "日期", "Day";
    DutyRosterStaff => "值班人员", "On duty";
    DutyRosterAddStaff => "添加值班人员", "Add someone";
    DutyRosterAddShift => "添加班次", "Add a shift";
    DutyRosterLogged => "值班记录", "Logged by";
    DutyRosterNotLogged => "未记录", "not yet";
    DutyRosterTodayTitle => "我的值班安排", "My coming shifts";
    HelpGroupsTitle => "特困、特殊学生帮扶小组（004 号文件 三(三)）", "Help groups for the special archive's students (004 三(三))";
    HelpGroupsMissing => "还有 {n} 名专门档案学生没有帮扶小组（3—5人）", "{n} students of the special archive have no help group (3–5 staff) yet";
    HelpGroupsAllFormed => "专门档案学生均已组建帮扶小组", "Every student of the special archive has a help group";
    HelpGroupsForm => "组建帮扶小组", "Form a help group";
    Letters => "致家长的一封信与喜报", "Letters to families";
    LettersAbout => "学期末向全体学生家长发放《致家长的一封信》，学生获得荣誉时向家庭发喜报（004 号文件 三(二)2、3）；各班辅导员、班主任送达后记录家长回应与落实情况。", "The semester-end letter to every family and good-news letters on honours (004 三(二)2, 3); each class's staff deliver them and record the family's answer and what was done.";
    LettersNone => "还没有发放记录", "No letters sent yet";
    LetterNewBatch => "发放一批", "Send a batch";
    LetterKindField => "类别", "Letter";
    LetterTitle => "标题", "Title";
    LetterContent => "内容或附件说明", "What it says";
    LetterDeliverBy => "送达截止日期", "Deliver by";
    LetterClasses => "发放班级", "Classes";
    LetterAllClasses => "全选", "All classes";
    LetterStudents => "喜报学生", "Students";
    LetterAddHonoured => "加入本学期记录了荣誉、奖励的学生", "Add students with an honour or award this semester";
    LetterSend => "发放", "Send";
    LetterSending => "正在保存…", "Saving…";
    LetterSent => "已保存 {n} 份，将随同步送达各班", "{n} letters saved; they reach each class with the next sync";
    LetterNothingChosen => "请选择班级或学生", "Choose classes or students";
    LetterProgress => "已送达 {done} / {total} 户，已回应 {answered}，已落实 {followed}", "{done} of {total} families reached, {answered} answered, {followed} followed up";
    LetterFamily => "学生", "Student";
    LetterDelivered => "送达日期", "Delivered on";
    LetterAnswered => "家长回应", "Answer";
    LetterFollowedUp => "落实", "Followed up";
    LetterNotYet => "未送达", "not yet";
    LetterRecordDelivery => "记录送达", "Record delivery";
    LetterTodayTitle => "待送达的致家长信、喜报", "Letters to deliver";
    LetterTodayLine => "{title}：还有 {n} 户未送达，{date} 前", "{title}: {n} families to reach by {date}";
    StudentsTier => "按联系层级（特殊、重点）", "Students by contact tier";
    StudentsYearOfStudy => "按年级（入学第几年）", "Students by year of study";
    RuleYearOfStudy => "入学第几年（1 为新生）", "Year of study (1: new students)";
    TagFreshman => "新生", "new student";
    TagYearOfStudy => "第{n}学年", "year {n}";
    PeriodChoiceYearStart => "开学初若干天内", "within N days of the year's start";
    PeriodChoiceBeforeExams => "期末考试前若干天内", "within N days before the exams";
    PeriodYearStartWords => "开学{n}天内", "within {n} days of the year's start";
    PeriodBeforeExamsWords => "考前{n}天内", "within {n} days before the exams";
    PeriodChoiceYearEnd => "学年结束前若干天内（毕业离校前）", "within N days before the school year ends";
    PeriodYearEndWords => "学年最后{n}天内", "in the school year's last {n} days";
    PeriodChoiceSemesterStart => "每学期开学后若干天内", "within N days of each semester's start";
    PeriodSemesterStartWords => "开学{n}天内", "within {n} days of the semester's start";
    PeriodChoiceVacation => "每个寒暑假", "each vacation";
    PeriodVacationWords => "本假期", "this vacation";
    StudentsSpecialArchive => "专门档案学生（特困、特殊）", "Students in the special archive";
    TagSpecialArchive => "专门档案", "special archive";
    RuleTier => "层级", "Tier";
    ArchiveTier => "联系层级", "Contact tier";
    ArchiveTierGeneral => "一般学生", "General student";
    ArchiveBirthDate => "出生日期", "Birth date";
    ArchiveAge => "{n}岁", "{n} years old";
    StudentEventHint => "记录后，须在规定天数内与家长沟通（004 号文件 三(二)；天数由学工部设定）", "Once recorded, the parents must be contacted within the office's number of days (004 三(二))";
    PeriodWithinAfter => "{event}后{n}天内", "within {n} days of {event}";
    // ---- issue ledger (问题台账, 002 四(三)): pages/issues.rs, pages/office/ledger.rs ----
    LedgerNav => "问题台账", "Issues";
    LedgerTitle => "问题台账", "Issue ledger";
    LedgerAbout => "各方提出的问题：分派、跟踪期限、反馈提出人，导出台账和年度联系工作报告", "Issues raised by staff: assign them, watch due dates, feed back, export the ledger and the yearly contact-work report";
    LedgerMine => "我的问题", "My issues";
    LedgerMineIntro => "你提出的和交给你办理的问题，按状态排列，新的在前。", "Issues you raised or that are assigned to you, by status, newest first.";
    LedgerNoneMine => "还没有你提出或承办的问题", "No issues raised by you or assigned to you";
    LedgerMineRaised => "我提出的", "raised by me";
    LedgerMineAssigned => "交我办理", "assigned to me";
    LedgerRaise => "提出问题", "Raise an issue";
    LedgerStudentIssue => "学生诉求", "Student's issue";
    LedgerRaiseFrom => "提交问题台账", "Raise an issue";
    LedgerReportHazard => "上报安全隐患", "Report the safety hazard";
    LedgerNotFound => "这台设备上没有这个问题（可能尚未同步，请稍后再试）", "This issue is not on this device (it may not have synced yet)";
    LedgerSourceNotFound => "这台设备上没有找到来源记录", "The source record is not on this device";
    LedgerOpenIssue => "查看办理进度", "Open the issue's progress";
    LedgerIssueRecord => "问题原始记录", "The issue's record";
    LedgerRaisedBy => "提出人", "Raised by";
    LedgerRaisedOn => "提出日期", "Raised on";
    LedgerSubject => "对象", "About";
    LedgerSource => "来源记录", "Source record";
    LedgerUnit => "承办单位", "Unit in charge";
    LedgerAssignee => "承办人", "Person in charge";
    LedgerDue => "办结期限", "Due by";
    LedgerDueOn => "期限 {d}", "due {d}";
    LedgerDueDefault => "（默认）", " (default)";
    LedgerOverdue => "已逾期", "Overdue";
    LedgerFeedback => "反馈", "Feedback";
    LedgerTimeline => "办理过程", "Steps taken";
    LedgerNoSteps => "尚无办理记录", "No steps yet";
    LedgerYourSteps => "你现在可以", "What you can do now";
    LedgerNoNextSteps => "目前没有需要你办理的步骤", "Nothing for you to do on this issue now";
    LedgerOffice => "学工部", "Student affairs office";
    LedgerTheRaiser => "提出人", "The raiser";
    LedgerTheAssignee => "承办人", "The person in charge";
    LedgerFedBackTitle => "反馈已收到", "Feedback received";
    LedgerFedBackHint => "问题解决了吗？确认办结；没有解决就退回重办，并说明原因。", "Is it resolved? Confirm it; if not, send it back and say why.";
    LedgerTextProgress => "进展情况", "Progress";
    LedgerTextResolve => "解决情况", "What was done";
    LedgerTextFeedBack => "反馈内容（告知提出人）", "What the raiser is told";
    LedgerTextReopen => "退回原因", "Why it is not resolved";
    LedgerTextRemark => "备注（可不填）", "Remark (optional)";
    LedgerAssigneePick => "承办人（可不选）", "Person in charge (optional)";
    LedgerAssigneeNone => "不指定个人", "No one in particular";
    LedgerAssigneeOffline => "联网后可从账号中选择承办人", "Online, the person can be picked from the accounts";
    LedgerDueHint => "已按学工部为“{c}”类问题设定的默认 {n} 天预填，可修改。", "Prefilled with the office's default of {n} days for “{c}”; change it if needed.";
    LedgerDueHintBuiltIn => "已按“{c}”类问题的内置默认 {n} 天预填（联网后用学工部的设定），可修改。", "Prefilled with the built-in {n} days for “{c}” (online, the office's own setting); change it if needed.";
    LedgerTodayFedBack => "反馈已收到，待你确认", "Feedback received: please confirm";
    LedgerTodayToHandle => "待你办理的问题", "Issues for you to resolve";
    LedgerOfficeLine => "问题台账：{open} 件待分派，{overdue} 件已逾期", "Issue ledger: {open} unassigned, {overdue} overdue";
    LedgerFilters => "筛选", "Filters";
    LedgerFilterAll => "全部", "All";
    LedgerDepartment => "院系", "Department";
    LedgerOverdueOnly => "只看逾期", "Overdue only";
    LedgerFrom => "提出日期从", "Raised from";
    LedgerTo => "提出日期至", "Raised until";
    LedgerExport => "导出台账 Excel", "Export the ledger (Excel)";
    LedgerCount => "问题台账：共 {n} 件", "Issue ledger: {n} issues";
    LedgerColIssue => "问题", "Issue";
    LedgerAgeDays => "已过天数", "Days open";
    LedgerDueDaysTitle => "各类问题的默认办结天数", "Default days per category";
    LedgerDueDaysAbout => "002 只要求学生处对问题“及时解决落实，做好反馈”，没有规定天数。这里的天数是学工部自己的选择：尚未分派的问题按它计算期限（标“默认”），分派时用它预填期限。", "002 asks only that the office resolve issues «in good time» and feed back; it sets no number of days. These days are the office's own choice: an unassigned issue is due by them (marked “default”), and an assignment starts from them.";
    LedgerDaysFor => "{c}（天）", "{c} (days)";
    LedgerDaysInvalid => "每类问题的天数应在 1 到 365 之间", "Each category needs between 1 and 365 days";
    LedgerSaveDays => "保存默认天数", "Save the default days";
    LedgerContactTitle => "领导干部和教师联系学生工作年度报告", "Yearly report on leaders' and teachers' contact work";
    LedgerContactAbout => "002 四(五)：每学年总结领导干部和教师联系学生的工作，按人统计记录和提出的问题。", "002 四(五): each school year, the contact work of leaders and teachers, per person: their records and the issues they raised.";
    LedgerContactDate => "学年内任一天", "Any day of the school year";
    LedgerContactSpan => "{y} 学年（{s} 至 {e}）", "School year {y} ({s} to {e})";
    LedgerContactName => "姓名", "Name";
    LedgerContactLinks => "联系对象数", "Links";
    LedgerContactRaised => "提出问题", "Issues raised";
    LedgerContactClosed => "已办结", "Closed";
    LedgerContactExport => "导出年度报告 Excel", "Export the report (Excel)";
    MyClasses => "我的班级", "My classes";
    MyStudents => "我的学生", "My students";
    NoClasses => "暂无分配的班级", "No classes are assigned to you";
    StudentCount => "{n}名学生", "{n} students";
    SearchStudents => "搜索姓名、拼音首字母或学号", "Search by name, pinyin initials or student number";
    NoStudentsFound => "没有找到学生", "No students found";
    StudentNotFound => "没有找到这名学生", "Student not found";
    ClassNotFound => "没有找到这个班级", "Class not found";
    Timeline => "成长档案", "Timeline";
    RecordsAbout => "相关记录", "Records";
    StudentNo => "学号", "Student number";
    Phone => "电话", "Phone";
    Course => "课程", "Course";
    Teacher => "任课教师", "Teacher";
    Period => "节次", "Period";
    Expected => "应到人数", "Expected";
    PresentCount => "实到 {n} 人", "{n} present";
    Attending => "出勤", "Present";
    Late => "迟到", "Late";
    LeftEarly => "早退", "Left early";
    TalkedAt => "谈话时间", "Time of talk";
    Place => "地点", "Place";
    TalkReasonLabel => "谈话原因", "Reason";
    Problems => "主要问题与表现", "Main problems and behaviour";
    Assessment => "初步评估及建议", "Initial assessment and suggestions";
    ParentsContacted => "已与家长联系", "Parents contacted";
    ReferToCounseling => "建议转介心理中心", "Refer to the counselling centre";
    CoInterviewers => "其他访谈教师", "Other interviewers";
    VisitedAt => "家访时间", "Time of visit";
    Address => "家庭地址", "Home address";
    Participants => "参加人员", "Participants";
    AidPolicy => "宣传资助政策", "Aid policy explained";
    NewsExchanged => "互通重要变化与表现", "News exchanged";
    StudentSituation => "学生基本情况", "The student's situation";
    JointPlan => "共同商讨的教育方法", "Joint plan";
    FamilySituation => "家庭情况", "Family situation";
    AidGiven => "帮扶措施", "Aid given";
    ContactedAt => "联系时间", "Time of contact";
    Guardian => "联系的家长", "Guardian";
    Channel => "联系方式", "Channel";
    ContactReason => "联系原因", "Reason";
    Content => "沟通内容", "What was said";
    Feedback => "家长反馈", "Parents' feedback";
    FollowUp => "后续跟进", "Follow-up";
    RaisedAt => "提出时间", "Raised on";
    Category => "类别", "Category";
    Description => "问题描述", "Description";
    Status => "状态", "Status";
    ForwardedTo => "转交部门/人员", "Forwarded to";
    Resolution => "处理结果", "Resolution";
    StudentsMet => "见面的学生", "Students met";
    Situation => "学习、生活、思想情况", "Study, life and thought";
    ProblemsRaised => "学生反映的问题", "Problems raised";
    HeldAt => "时间", "Time";
    Topic => "主题类别", "Topic";
    Title => "主题", "Title";
    AbsentStudents => "缺席的学生", "Absent students";
    Summary => "近期工作总结", "Summary of recent work";
    Plan => "工作计划", "Plan";
    Opinions => "班委意见建议", "The committee's opinions";
    Learned => "了解到的情况", "What was learned";
    StartedAt => "开始时间", "Start";
    Shift => "班次", "Shift";
    Events => "值班情况", "Events";
    Escalated => "上报事项及对象", "Escalated, and to whom";
    BuildingsPatrolled => "巡查楼栋", "Buildings patrolled";
    AttendedCount => "出席 {n} 人", "{n} attended";
    Archive => "学生档案", "Archive";
    GuardianName => "监护人", "Guardian";
    GuardianPhone => "监护人电话", "Guardian's phone";
    HomeAddress => "家庭住址", "Home address";
    FamilyNotes => "家庭情况", "Family";
    MedicalNotes => "病史", "Medical history";
    AttentionFlags => "特别关注", "Special attention";
    ConfirmedOn => "档案确认日期", "Archive confirmed";
    NeedsConfirmation => "本学年尚未确认档案", "Not yet confirmed this school year";
    Rural => "农村", "Rural";
    Urban => "城镇", "Urban";
    ErrRequired => "必填", "required";
    ErrTooLong => "太长了", "too long";
    ErrInFuture => "时间不能晚于现在", "cannot be in the future";
    ErrTooOld => "时间太早", "too long ago";
    ErrOther => "无效", "invalid";

    // ---- records: edit, delete, history, filters, search ----
    EditRecord => "修改", "Edit";
    DeleteRecord => "删除", "Delete";
    ConfirmDelete => "删除这条记录？删除也会留在修改历史里。", "Delete this record? The deletion is kept in its history.";
    RecordDeleted => "已删除", "Deleted";
    RecordNotFound => "手机上没有这条记录", "This record is not on this phone";
    NotYourRecord => "只有记录人可以修改或删除", "Only the person who recorded it can edit or delete it";
    RevisionNo => "第 {n} 版", "Revision {n}";
    SavedAtLabel => "保存于 {t}", "saved {t}";
    OccurredAtLabel => "发生于 {t}", "happened {t}";
    History => "修改历史", "History";
    ShowHistory => "查看修改历史", "Show history";
    HistoryNeedsNetwork => "查看修改历史需要网络连接", "The history needs a network connection";
    HistoryFailed => "修改历史加载失败", "The history could not be loaded";
    HistoryNotOnServer => "这条记录还没有同步到服务器", "This record has not reached the server yet";
    RevisionCurrent => "当前版本", "current";
    RevisionSuperseded => "已被修改", "superseded";
    RevisionConflict => "冲突（保留）", "conflict (kept)";
    ChangedFields => "改动：{f}", "changed: {f}";
    FirstRevision => "首次记录", "first saved";
    ViewRevision => "查看此版本", "View this revision";
    ViewingRevision => "正在查看第 {n} 版", "Viewing revision {n}";
    BackToCurrent => "回到当前版本", "Back to the current revision";
    FilterKind => "类别", "Kind";
    FilterClass => "班级", "Class";
    FilterStudent => "学生（姓名、拼音首字母或学号）", "Student (name, pinyin initials or number)";
    AllKinds => "全部类别", "All kinds";
    AllClasses => "全部班级", "All classes";
    RecordsShown => "共 {n} 条", "{n} records";
    ResidentsLabel => "住宿学生", "Residents";
    SearchInList => "筛选名单（姓名、拼音首字母或学号）", "Filter the list (name, pinyin initials or number)";

    // ---- roster import ----
    ImportTitle => "导入学生名单", "Import the student roster";
    ImportIntro => "上传 Excel (.xlsx) 或 CSV 文件，每行一名学生。先检查，没有错误后再导入；再次导入同一文件不会改动任何数据。", "Upload an Excel (.xlsx) or CSV file with one student per row. Check it first, then import it; importing the same file again changes nothing.";
    ImportTemplateXlsx => "下载 Excel 模板", "Download the Excel template";
    ImportTemplateCsv => "下载 CSV 模板", "Download the CSV template";
    ImportRequiredColumns => "必填列：{cols}", "Required columns: {cols}";
    ImportOptionalColumns => "选填列：{cols}。留空的选填项保留原有信息；楼栋、寝室、床位须同时填写。", "Optional columns: {cols}. Empty optional cells keep what is stored; building, room and bed go together.";
    ImportFile => "名单文件（.xlsx 或 .csv）", "Roster file (.xlsx or .csv)";
    ImportCheck => "检查文件", "Check the file";
    ImportChecking => "正在检查…", "Checking…";
    ImportApply => "导入", "Import";
    ImportApplySkipping => "导入，跳过 {n} 行有误的数据", "Import, skipping {n} bad rows";
    ImportApplying => "正在导入…", "Importing…";
    ImportRows => "共 {n} 行，其中 {bad} 行有误", "{n} rows, {bad} with errors";
    ImportNoErrors => "检查通过，没有发现错误", "No errors found";
    ImportFileErrors => "文件本身有问题，请先修改后重新检查", "The file itself has problems; fix them and check again";
    ImportDone => "导入完成", "Import finished";
    ImportWouldDo => "导入后将会：", "Importing will:";
    ImportDid => "已导入：", "Imported:";
    ImportItem => "项目", "Item";
    ImportCreated => "新增", "Created";
    ImportUpdated => "更新", "Updated";
    ImportUnchanged => "不变", "Unchanged";
    ImportDepartments => "院系", "Departments";
    ImportClasses => "班级", "Classes";
    ImportStudents => "学生", "Students";
    ImportBuildings => "楼栋", "Buildings";
    ImportRooms => "寝室", "Rooms";
    ImportBeds => "床位", "Beds";
    ImportErrorsTitle => "有误的行", "Rows with errors";
    ImportRow => "行", "Row";
    ImportColumn => "列", "Column";
    ImportReason => "原因", "Reason";
    ImportMoreErrors => "另有 {n} 条错误未列出", "{n} more errors not listed";
    ImportWarningsTitle => "将被忽略的内容", "Ignored";
    ImportOffline => "导入需要网络连接，请联网后再试", "Importing needs a network connection; try again when online";
    ImportNotAllowed => "只有学生工作部门可以导入名单", "Only the student-affairs office can import the roster";
    ImportRefused => "文件有错误，未导入任何数据", "The file has errors; nothing was imported";
    ImportUnreadable => "无法读取该文件：{e}", "The file cannot be read: {e}";
    ImportFailed => "操作失败：{e}", "Something went wrong: {e}";
    IssueEmptyFile => "文件为空或没有表头，请使用模板", "The file is empty or has no header row; use the template";
    IssueNoRows => "表头下面没有学生", "There are no students below the header";
    IssueTooManyRows => "行数过多（{value} 行），每个文件最多 50000 行", "Too many rows ({value}); at most 50,000 per file";
    IssueMissingColumn => "缺少必填列", "Required column missing";
    IssueDuplicateColumn => "该列出现了两次（“{value}”）", "This column appears twice (“{value}”)";
    IssueUnknownColumn => "无法识别的列“{value}”，其内容将被忽略", "Unknown column “{value}”; its values are ignored";
    IssueUnnamedColumn => "{value} 列有内容但没有表头，其内容将被忽略", "Column {value} has values but no header; they are ignored";
    IssueRequired => "必填项为空", "Required, but empty";
    IssueTooLong => "内容过长", "Too long";
    IssueBadStudentNo => "学号只能包含字母、数字、- 和 _：“{value}”", "A student number holds only letters, digits, - and _: “{value}”";
    IssueBadGender => "性别应为“男”或“女”：“{value}”", "Gender must be 男 or 女 (male or female): “{value}”";
    IssueBadYear => "年级应为入学年份，如 2025：“{value}”", "The cohort must be the year of entry, e.g. 2025: “{value}”";
    IssueBadPhone => "电话号码无效：“{value}”", "Not a phone number: “{value}”";
    IssueBadOrigin => "应为“城镇”或“农村”：“{value}”", "Must be 城镇 or 农村 (urban or rural): “{value}”";
    IssueBadEconomy => "应为“一般”“困难”或“特别困难”：“{value}”", "Must be 一般, 困难 or 特别困难 (normal, difficult, hardship): “{value}”";
    IssueBadFlag => "未知的特别关注标记：“{value}”", "Unknown attention flag: “{value}”";
    IssueIncompleteBed => "楼栋、寝室、床位须同时填写或同时留空", "Building, room and bed must all be given, or none";
    IssueDuplicateStudent => "学号 {value} 与第 {other} 行重复", "Student number {value} is also on row {other}";
    IssueDuplicateBed => "该床位也分配给了第 {other} 行", "This bed is also given to row {other}";
    IssueClassTwoDepartments => "该班级在第 {other} 行属于另一个院系", "This class is under another department on row {other}";
    IssueClassTwoCohorts => "该班级在第 {other} 行的年级不同", "This class has another cohort on row {other}";
    IssueBedTaken => "该床位已住学生 {value}，本文件没有为其调换床位", "This bed is taken by {value}, whom this file does not move to another bed";

    // ---- office: roster management, accounts, leader links ----
    Office => "办公室", "Office";
    OfficeHubIntro => "在这里维护院系、班级、学生档案、宿舍和教师账号。修改会在辅导员下次同步时送达他们的手机。", "Keep departments, classes, student archives, dorms and staff accounts here. Changes reach counselors' phones on their next sync.";
    OfficeOnly => "仅学生工作部和系统管理员可以使用此页面", "Only the student-affairs office and administrators can use this page";
    OfficeNeedsNetwork => "需要网络连接，请联网后重试", "This needs a network connection; try again when online";
    OfficeSignInAgain => "登录已过期，请重新登录", "Your session has expired; please sign in again";
    OfficeForbidden => "没有权限执行此操作", "You are not permitted to do this";
    OfficeInUse => "仍在使用，不能删除：", "Still in use, so it cannot be deleted:";
    OfficeFailed => "操作失败：{e}", "That did not work: {e}";
    OfficeErrDuplicate => "重复（已被使用或已列出）", "duplicate (already taken or listed)";
    OfficeErrUnknown => "不存在", "does not exist";
    OfficeErrBadPhone => "电话号码格式不对", "not a phone number";
    OfficeErrBadCharacters => "含有不允许的字符", "has characters that are not allowed";
    OfficeErrOutOfRange => "超出允许范围", "out of range";
    OfficeErrTooShort => "太短", "too short";
    OfficeErrBadLength => "长度不符合要求", "wrong length";
    OfficeErrWrongRole => "只有辅导员和班主任可以分配到班级", "only counselors and head teachers can look after classes";
    OfficeErrOwnAccount => "不能停用自己的账号或修改自己的角色", "you cannot disable your own account or change your own role";
    OfficeChoose => "请选择", "Choose…";
    OfficeNoEntries => "暂无条目", "Nothing here yet";
    OfficeActions => "操作", "Actions";
    OfficeConfirmDelete => "确定删除“{x}”？", "Delete “{x}”?";
    OfficeDeleted => "已删除", "Deleted";
    OfficeCancel => "取消", "Cancel";
    OfficeAddOf => "新增{x}", "Add to {x}";
    OfficeEdit => "编辑", "Edit";
    OfficeEditOf => "编辑 {x}", "Edit {x}";
    OfficeDelete => "删除", "Delete";
    OfficeDeleteOf => "删除 {x}", "Delete {x}";
    OfficeOverview => "概览", "Overview";
    OfficeDepartments => "院系", "Departments";
    OfficeClasses => "班级", "Classes";
    OfficeStudents => "学生", "Students";
    OfficeDorms => "宿舍", "Dorms";
    OfficeAccounts => "教师账号", "Staff accounts";
    OfficeImport => "导入名单", "Import roster";
    OfficeGroups => "社团、党支部与联系领导", "Clubs, party branches and leader links";
    OfficeAboutDepartments => "学院和系", "Colleges and departments";
    OfficeAboutClasses => "班级、年级，以及负责的辅导员和班主任", "Classes, cohorts, and the counselors and head teachers looking after them";
    OfficeAboutStudents => "按姓名或学号查找学生，维护学生信息和保密档案", "Find students by name or number; keep their details and confidential archives";
    OfficeAboutDorms => "楼栋、寝室、床位和住宿安排", "Buildings, rooms, beds and who sleeps where";
    OfficeAboutAccounts => "新建账号、修改角色、重置密码、停用账号", "Create accounts, change roles, reset passwords, disable accounts";
    OfficeAboutImport => "从表格文件批量导入名单", "Import the roster from a spreadsheet file";
    OfficeAboutGroups => "社团、党支部，以及领导干部的联系对象", "Clubs, party branches, and what each leader is linked to";
    OfficeName => "名称", "Name";
    OfficeDepartment => "院系", "Department";
    OfficeClassName => "班级名称", "Class name";
    OfficeCohort => "年级", "Cohort year";
    OfficeStudentCount => "学生数", "Students";
    OfficeStaff => "辅导员/班主任", "Counselors / head teachers";
    OfficeSetStaff => "分配教师", "Assign staff";
    OfficeSetStaffOf => "为 {x} 分配教师", "Assign staff to {x}";
    OfficeRoleCounselor => "辅导员", "Counselor";
    OfficeRoleHeadTeacher => "班主任", "Head teacher";
    OfficeRoleLeader => "领导干部/联系教师", "Leader / linked teacher";
    OfficeRoleOffice => "学生工作部", "Student-affairs office";
    OfficeRoleAdmin => "系统管理员", "Administrator";
    OfficeStudentName => "姓名", "Name";
    OfficeGender => "性别", "Gender";
    OfficeMale => "男", "Male";
    OfficeFemale => "女", "Female";
    OfficeClass => "班级", "Class";
    OfficeAllClasses => "全部班级", "All classes";
    OfficeBed => "床位", "Bed";
    OfficePageOf => "第 {a}–{b} 条，共 {n} 条", "{a}–{b} of {n}";
    OfficePrevPage => "上一页", "Previous page";
    OfficeNextPage => "下一页", "Next page";
    OfficeArchiveSection => "学生档案（保密）", "Archive (confidential)";
    OfficeNotSet => "未填写", "Not set";
    OfficeOrigin => "生源", "Origin";
    OfficeEconomy => "家庭经济情况", "Family economy";
    OfficeBuildings => "楼栋", "Buildings";
    OfficeRooms => "寝室", "Rooms";
    OfficeBeds => "床位", "Beds";
    OfficeBuilding => "所在楼栋", "Building";
    OfficeRoom => "所在寝室", "Room";
    OfficeRoomNumber => "寝室号", "Room number";
    OfficeBedCount => "床位数", "Beds";
    OfficeOccupied => "已入住", "Occupied";
    OfficeBedLabel => "床号", "Bed label";
    OfficeResident => "入住学生学号（留空为空床）", "Resident's student number (empty for a free bed)";
    OfficeResidentCol => "入住学生", "Resident";
    OfficeChooseBuilding => "选择楼栋后显示其寝室", "Choose a building to see its rooms";
    OfficeChooseRoom => "选择寝室后显示其床位", "Choose a room to see its beds";
    OfficeDisplayName => "姓名（显示名称）", "Display name";
    OfficeRole => "角色", "Role";
    OfficeStatus => "状态", "Status";
    OfficeEnabled => "正常", "Enabled";
    OfficeDisabled => "已停用", "Disabled";
    OfficeActive => "账号可以登录", "Account may sign in";
    OfficeResetPassword => "重置密码", "Reset password";
    OfficeResetPasswordOf => "重置 {x} 的密码", "Reset the password of {x}";
    OfficePasswordReset => "密码已重置，该账号需用新密码重新登录", "Password reset; the account must sign in again with the new one";
    OfficeNewAccount => "新建账号", "New account";
    OfficeInitialPassword => "初始密码（至少8位）", "First password (at least 8 characters)";
    OfficeNewPassword => "新密码（至少8位）", "New password (at least 8 characters)";
    EditArchive => "修改档案", "Edit archive";
    ArchiveOfflineNote => "修改档案需要网络连接，当前处于离线状态", "Editing the archive needs a network connection; you are offline";
    ArchiveSaved => "档案已保存", "Archive saved";
    AccountDisabled => "此账号已停用，请联系学生工作部", "This account is disabled; ask the student-affairs office";

    // leader links: record kinds, the leader's page and forms, the office's groups page
    KindClassAttendance => "参加班级活动", "Class activity attended";
    KindBranchActivity => "党支部活动", "Party branch activity";
    KindClubActivity => "社团活动", "Club activity";
    KindAssistanceCase => "帮扶档案", "Assistance case";
    KindVolunteerSession => "志愿者帮扶", "Volunteer session";
    KindWorkReport => "学期工作总结", "Semester work report";
    SummarySubmit => "提交给学工部", "Submit to the office";
    SummaryResubmit => "修改后重新提交", "Submit the changes";
    SummarySubmitted => "已于 {at} 提交（同步后学工部可见）", "Submitted on {at} (the office sees it once synced)";
    SummaryNotSubmitted => "尚未提交：总结只保存在本机", "Not submitted: the text is kept on this phone only";
    SummarySubmitFailed => "未能提交：{e}", "Could not submit: {e}";
    KindAssistanceNote => "帮扶方案与评价", "Assistance plan or evaluation";
    // Printed forms (case_print.rs)
    PrintButton => "打印", "Print";
    PrintDateLine => "{y}年{m}月{d}日", "{y}-{m}-{d}";
    PrintBlankDateLine => "{y}年　　月　　日", "Date: ______ {y}";
    PrintListSeparator => "，", ", ";
    PrintNothingYet => "暂无", "None yet";
    PrintCardTitle => "学生帮扶教育记录卡", "Student assistance record card";
    PrintNoCase => "本机上没有这名学生的帮扶档案", "This phone holds no assistance case of this student";
    PrintClassColon => "班级：", "Class: ";
    PrintOpenedOnColon => "建档日期：", "Opened on: ";
    PrintStudentName => "学生姓名", "Student's name";
    PrintContact => "联系方式", "Phone";
    PrintGuardianContact => "家长联系方式", "Parents' phone";
    PrintHelperName => "帮扶人责任姓名", "Helper's name";
    PrintHelperResult => "上学期班级成绩", "Helper's last-semester result";
    PrintParentContacts => "家长联系记录", "Parent contacts";
    PrintPlan => "帮扶方案", "Assistance plan";
    PrintProcess => "帮扶过程记录", "Process record";
    PrintEvaluation => "班主任效果评价", "Head teacher's evaluation";
    PrintResponsible => "帮扶责任人：{who}", "People responsible: {who}";
    PrintHelpGroup => "帮扶小组：{who}", "Help group: {who}";
    PrintHeadTeacherRole => "班主任", "head teacher";
    PrintCounselorRole => "辅导员", "counselor";
    PrintClosure => "结案：{date}，{outcome}", "Closed: {date}, {outcome}";
    PrintCardNote => "注：该表正反打印，一式两份。", "Note: print this form on both sides, in two copies.";
    PrintLineTalk => "谈心谈话（{reason}）：{text}", "Talk ({reason}): {text}";
    PrintLineStudyPlan => "；学习计划：{text}", "; study plan: {text}";
    PrintLineHomeVisit => "家访：{text}", "Home visit: {text}";
    PrintLineVolunteer => "志愿者帮扶（{name}，{minutes}分钟）：{text}", "Volunteer session ({name}, {minutes} min): {text}";
    PrintLineParentContact => "{channel}联系{guardian}：{text}", "{channel}, {guardian}: {text}";
    PrintLineFeedback => "（家长反馈：{text}）", " (parents' feedback: {text})";
    PrintLetterTo => "学生工作部：", "To the student-affairs office:";
    PrintLetter1Title => "学业困难学生帮扶计划责任书（班主任）", "Head teacher's pledge to assist students in academic difficulty";
    PrintLetter1Before => "我将带领本班同学对", "I will lead the students of my class in assisting the students in academic difficulty of class ";
    PrintLetter1After => "班的学业困难学生进行帮扶，尽自己最大的努力帮助本班学生早日通过考试，顺利完成学业。", ", and do my utmost to help them pass their examinations soon and complete their studies.";
    PrintLetter1List => "学业困难名单：", "Students in academic difficulty:";
    PrintLetter1None => "本机上没有该班学生的学业困难帮扶档案", "This phone holds no open academic case of this class";
    PrintNumber => "序号", "No.";
    PrintHeadTeacherColon => "班主任：", "Head teacher: ";
    PrintLetter2Title => "学业困难帮扶志愿书", "Volunteer's pledge to assist a student in academic difficulty";
    PrintLetter2Before => "我愿意帮助", "I am willing to help ";
    PrintLetter2After => "同学在学业上进步，帮其树立正确的学习态度，能够不辜负家长与老师的期望，在学校可以有效的成长进步。", " make progress in their studies, to take up the right attitude to learning, to live up to the hopes of their parents and teachers, and to grow at school.";
    PrintHelperColon => "帮扶人：", "Helper: ";
    PrintHelpedColon => "被帮扶人：", "Student helped: ";
    PrintTalkTitle => "学生谈话记录表", "Record of a talk with a student";
    PrintNativePlace => "籍贯", "Native place";
    PrintClass => "班级", "Class";
    PrintFamily => "家庭情况（城镇/农村、经济情况、单亲或其它）", "Family (urban or rural, finances, single parent or other)";
    PrintStudentContact => "学生联系方式", "Student's phone";
    PrintParentsNotContacted => "未与家长联系", "Parents not contacted";
    PrintInterviewers => "访谈教师", "Interviewers";
    PrintCounselorColon => "辅导员：", "Counselor: ";
    PrintOthersColon => "其他：", "Others: ";
    PrintTalkTime => "访谈时间", "Time of the talk";
    PrintTalkNote => "注：如果责任区辅导员也对此学生进行了关注，可以在班主任的谈话记录基础上直接补充意见。", "Note: a counselor who also follows this student may add their opinion to the head teacher's record.";
    PrintNoForm => "这类记录没有纸质表格", "This kind of record has no printed form";
    PrintTalkForm => "打印谈话记录表", "Print the talk record form";
    CaseStateLabel => "状态", "State";
    CaseStateOpen => "帮扶中", "Open";
    CaseStateClosed => "已结案（{outcome}，{date}）", "Closed ({outcome}, {date})";
    CaseResponsibleLabel => "帮扶责任人", "People responsible";
    CaseHelpGroupLabel => "帮扶小组", "Help group";
    CaseViewRecord => "查看帮扶档案记录", "Open the case record";
    CaseRecordVolunteer => "记录志愿者帮扶", "Record a volunteer session";
    CaseWriteNote => "填写帮扶方案或效果评价", "Write the plan or an evaluation";
    CasePrintCard => "打印帮扶记录卡", "Print the case card";
    CasePrintVolunteerLetter => "打印帮扶志愿书", "Print the volunteer's pledge";
    CaseOpenNew => "建立帮扶档案", "Open an assistance case";
    StudyPlan => "下阶段学习计划", "Study plan for the next stage";
    StudyPlanTalk => "制定学习计划的谈话", "Talk with a study plan";
    StudyPlanHint => "003第五条：一级、二级帮扶的面对面谈话须制定学习计划", "003 §5: the talk of levels 1 and 2 sets a study plan";
    SessionHeldAt => "帮扶时间", "Held at";
    VolunteerName => "志愿者", "Volunteer";
    SessionMinutes => "时长（分钟）", "Length (minutes)";
    SessionContent => "帮扶内容", "What was worked on";
    NotePartLabel => "类型", "Part";
    WrittenAt => "填写时间", "Written at";
    TermLabel => "学期（如 2026-2027-1）", "Semester (e.g. 2026-2027-1)";
    NoteText => "内容", "Text";
    CaseCategory => "帮扶类型", "Category";
    CaseLevel => "帮扶等级", "Level";
    CaseNoLevel => "未达等级", "No level";
    OpenedAt => "建档时间", "Opened at";
    CaseBasis => "认定依据", "Basis of the decision";
    CaseTerm => "认定学期", "Identified for semester";
    CaseHeadTeacher => "责任班主任", "Responsible head teacher";
    CaseCounselor => "责任辅导员", "Responsible counselor";
    ClassRank => "班级排名", "Class rank";
    HelpGroup => "帮扶小组（3—5人，用、分隔）", "Help group (3–5 people, separated by 、)";
    Pairings => "结对帮扶人", "Paired helpers";
    PairingName => "帮扶人姓名", "Helper's name";
    PairingStudentNo => "帮扶人学号", "Helper's student number";
    PairingContact => "帮扶人联系方式", "Helper's contact";
    PairingResult => "帮扶人上学期班级成绩", "Helper's last-semester result";
    PairingDate => "结对日期", "Paired on";
    AddPairing => "添加帮扶人", "Add a helper";
    RemovePairing => "移除", "Remove";
    CaseClosed => "已结案", "Closed";
    CloseCase => "结案", "Close the case";
    ClosedOn => "结案日期", "Closed on";
    CaseOutcomeLabel => "结案结果", "Outcome";
    ClosureNote => "结案说明", "Closing note";
    StudentsFlagged => "有特别关注标记的学生", "Students with an attention flag";
    StudentsEconomy => "按家庭经济情况", "Students by family economy";
    RuleFlag => "关注标记", "Attention flag";
    RuleEconomy => "家庭经济情况", "Family economy";
    StudentsAssistedAny => "帮扶学生（任一等级）", "Assisted students (any level)";
    TagAssistedAny => "帮扶学生", "assisted";
    IssueBadNumber => "“{value}”不是数字", "\"{value}\" is not a number";
    IssueOutOfRange => "“{value}”超出一个学期可能的范围", "\"{value}\" is outside what a semester can hold";
    IssueNotHalfCredits => "学分“{value}”应为0.5的整数倍", "Credits \"{value}\" come in halves";
    IssueInconsistent => "有不及格学分却没有不及格课程", "Failed credits need at least one failed course";
    IssueUnknownStudent => "学号 {value} 不在学生名单中，请先导入名单", "Student number {value} is not in the roster; import the roster first";
    IssueNameMismatch => "姓名“{value}”与名单中该学号的姓名不符", "The name \"{value}\" does not match the roster's for this student number";
    LinksTitle => "我的联系点", "My links";
    LinksNone => "学生工作部尚未为您安排联系的班级、宿舍、社团或党支部", "The student-affairs office has not linked you to a class, room, club or branch yet";
    LinkClass => "联系班级", "Linked class";
    LinkRoom => "联系宿舍", "Linked dorm room";
    LinkClub => "指导社团", "Guided club";
    LinkBranch => "联系党支部", "Linked party branch";
    LinkLast => "最近：{what}（{t}）", "Last: {what} ({t})";
    LinkNothingYet => "尚无记录", "Nothing recorded yet";
    LinkRoomPage => "寝室详情", "Room details";
    LinkAttendedAt => "参加时间", "Time attended";
    LinkEvent => "活动形式", "Kind of event";
    LinkActivityKind => "活动类型", "Kind of activity";
    LinkParticipants => "参加人数", "Participants";
    LinkContent => "内容", "Content";
    GroupsTitle => "社团、党支部与联系点", "Clubs, party branches and leader links";
    GroupsClubs => "社团", "Clubs";
    GroupsBranches => "党支部", "Party branches";
    GroupsLinks => "领导干部联系点", "Leader links";
    GroupsName => "名称", "Name";
    GroupsDepartment => "所属学院", "Department";
    GroupsSchoolWide => "全校", "School-wide";
    GroupsAddClub => "添加社团", "Add club";
    GroupsAddBranch => "添加党支部", "Add party branch";
    GroupsRemove => "删除", "Remove";
    GroupsLeader => "领导干部", "Leader";
    GroupsTargetType => "联系类型", "Link to a";
    GroupsTarget => "联系对象", "Linked to";
    GroupsAddLink => "添加联系点", "Add link";
    GroupsNone => "暂无", "None yet";
    GroupsChoose => "请选择", "Choose…";
    GroupsDone => "已保存", "Saved";
    GroupsLoading => "加载中（此页面需联网）…", "Loading (this page needs a connection)…";
    GroupsFailed => "操作失败：{e}", "Failed: {e}";
    GroupsTargetClass => "班级", "Class";
    GroupsTargetRoom => "宿舍", "Dorm room";
    GroupsTargetClub => "社团", "Club";
    GroupsTargetBranch => "党支部", "Party branch";
    GroupsDuplicate => "已存在，不能重复添加", "exists already";
    GroupsInUse => "仍有联系点或记录，不能删除", "still has links or records, so it stays";
    GroupsNotLinkable => "只能为领导干部安排联系点", "only leaders can be linked";

    // ---- photos ----
    Photos => "照片", "Photos";
    AddPhoto => "添加照片", "Add photo";
    ChoosePhotos => "从相册选择", "Choose from album";
    RemovePhoto => "删除", "Remove";
    RemovePhotoN => "删除照片 {n}", "Remove photo {n}";
    PhotoN => "照片 {n}", "Photo {n}";
    PhotoLimit => "最多 {n} 张照片", "At most {n} photos";
    PhotoProcessing => "正在处理照片…", "Processing the photo…";
    PhotoUnreadable => "无法读取这张图片", "This file cannot be read as an image";
    PhotoNeedsHttps => "添加照片需要通过 HTTPS 打开本应用", "Photos need the app opened over HTTPS";
    PhotoTooLarge => "照片太大", "The photo is too large";
    PhotoStorage => "手机存储已满，照片未能保存", "The phone's storage is full; the photo was not kept";
    PhotoDuplicate => "这张照片已经添加过了", "This photo is already attached";
    PhotoUnavailable => "照片暂不可用", "Photo unavailable";

    // ---- office: duty rules, school calendar, compliance, student standing ----
    OfficeRules => "工作要求", "Duty rules";
    OfficeCalendar => "校历", "School calendar";
    OfficeCompliance => "履职统计", "Compliance";
    OfficeAboutRules => "辅导员、班主任和领导干部要做什么、对谁、多久至少几次", "What counselors, head teachers and leaders must do, for whom, and how often";
    OfficeAboutCalendar => "学期起止、教学周和节假日：所有频次都按校历计算", "Semesters, teaching weeks and holidays: every quota is counted in them";
    OfficeAboutCompliance => "按规则、人员、院系查看完成情况和逾期明细，导出 Excel", "How each rule, person and department stands, what is overdue, Excel export";
    OfficeDiscardChanges => "放弃修改", "Discard changes";
    OfficeErrBadId => "只能使用1–40个小写字母、数字和连字符", "use 1–40 lowercase letters, digits and hyphens";
    OfficeErrNotDutiable => "只有辅导员、班主任和领导干部承担工作要求", "only counselors, head teachers and leaders owe duties";
    OfficeErrUnknownKind => "不是已知的记录类别", "not a known record kind";
    OfficeErrUnknownActivity => "该记录类别没有这种活动类型", "this record kind has no such activity";
    OfficeErrScopeMismatch => "对象与记录类别或责任人不相符", "does not fit the record kind or who owes it";
    OfficeErrZeroPeriod => "周期不能为0", "a period of zero can never be met";
    OfficeErrShareNeedsWindow => "覆盖比例只能按周、月、学期或学年计算", "a share is counted over weeks, a month, a semester or a school year";
    OfficeErrNotPerStudent => "只有按学生计的规则才能这样设置", "only per-student rules can do this";
    OfficeErrNeverMet => "所选学生不会有这个事件，规则永远不会生效", "the chosen students never have this event, so the rule never applies";
    OfficeErrBeforeStart => "不能早于开始日期", "must not come before the start";
    OfficeErrOutsideSemester => "必须在学期之内", "must lie within the semester";
    OfficeErrOverlap => "与另一个学期的时间重叠", "overlaps another semester";
    OfficeErrUnknownZone => "不是有效的时区名称（如 Asia/Shanghai）", "not a time zone name such as Asia/Shanghai";
    RulesIntro => "每条规则说明谁、做哪类记录、对谁、多久至少几次。修改保存后，各人的待办和统计按新规则计算。", "Each rule says who must make which kind of record, for whom, and how often. Once saved, everyone's duties and the statistics follow the new rules.";
    RulesTitle => "规则", "Rules";
    RulesVersion => "当前版本：第 {v} 版", "Current version: {v}";
    RulesSavedAs => "已保存为第 {v} 版", "Saved as version {v}";
    RulesAdd => "添加规则", "Add a rule";
    RulesRemove => "删除此规则", "Remove this rule";
    RulesRemoveOf => "删除规则 {n}", "Remove rule {n}";
    RulesRestoreDefaults => "恢复默认规则", "Restore the default rules";
    RulesConfirmRestore => "用默认规则替换当前的全部规则？未保存的修改会丢失。", "Replace all rules with the defaults? Unsaved changes are lost.";
    RulesDefaultsRestored => "已换成默认规则，保存后生效", "The default rules are in place; save to apply them";
    RulesConflict => "您编辑期间，其他人已保存了新版本的规则，您的修改没有保存。", "Someone else saved the rules while you were editing; your changes were not saved.";
    RulesReloadLatest => "加载最新版本（放弃我的修改）", "Load the latest version (discard my changes)";
    RulesVersions => "历史版本", "Versions";
    RulesVersionLine => "第 {v} 版 · {who} · {t}", "Version {v} · {who} · {t}";
    RulesNumbered => "规则 {n}", "Rule {n}";
    RulesErrorCount => "{n} 处需修改", "{n} to fix";
    RulesUntitled => "（未命名）", "(untitled)";
    RulesOff => "已停用", "off";
    RuleId => "编号", "Id";
    RuleTitle => "规则名称", "Title";
    RuleSource => "依据", "Source";
    RuleRole => "责任人", "Owed by";
    RuleKind => "记录类别", "Record kind";
    RuleActivity => "活动类型", "Activity";
    RuleAnyActivity => "任意", "Any";
    RuleScope => "对象", "For";
    RuleSharePercent => "覆盖比例（%）", "Share (%)";
    RuleSessionPer => "每多少名学生一人次", "One session per how many students";
    RuleMinCount => "每期至少次数", "At least (per period)";
    RulePeriod => "周期", "Period";
    RulePeriodDays => "天数", "Days";
    RulePeriodWeeks => "教学周数", "Teaching weeks";
    RuleEvent => "起算事件", "Counted from";
    RuleStudents => "适用学生", "Students";
    RuleAssistLevel => "帮扶等级", "Assistance level";
    RuleEnabled => "启用", "Enabled";
    ScopeRoom => "每间寝室", "each dorm room";
    ScopeClass => "每个班级", "each class";
    ScopeStudent => "每名学生", "each student";
    ScopePerson => "本人", "the person";
    ScopeLinked => "每个联系点", "each link";
    ScopeShare => "一定比例的学生", "a share of the students";
    ScopeSessionShare => "按人次计（学生数的几分之一）", "Sessions (a fraction of the students)";
    ScopeShareOf => "{p}%的学生", "{p}% of the students";
    ScopeSessionsOf => "每{per}名学生", "every {per} students";
    ScopeCourseTeachers => "每位任课教师（以查课记录为准）", "Every course teacher (as the class checks name them)";
    CourseTeachersThisSemester => "本学期查课记录中的任课教师（点选填入）", "This semester's course teachers from the class checks (tap to fill in)";
    PeriodDays => "每隔若干天（滚动计算）", "every N days (rolling)";
    PeriodChoiceWeeks => "每若干教学周", "every N teaching weeks";
    PeriodChoiceMonth => "每月", "each month";
    PeriodChoiceQuarter => "每季度", "each quarter";
    PeriodChoiceSemester => "每学期", "each semester";
    PeriodChoiceSchoolYear => "每学年", "each school year";
    PeriodAfterEvent => "事件后若干天内", "within N days of an event";
    PeriodEveryDay => "每天", "every day";
    PeriodEveryNDays => "每{n}天", "every {n} days";
    PeriodEveryWeek => "每个教学周", "every teaching week";
    PeriodEveryNWeeks => "每{n}个教学周", "every {n} teaching weeks";
    QuotaWords => "{scope}{period}至少{n}次", "{scope}: at least {n}× {period}";
    StudentsAll => "全部学生", "All students";
    StudentsWarned => "受学业预警的学生", "Students under an academic warning";
    StudentsDisciplined => "受处分的学生", "Sanctioned students";
    StudentsWarnedOrDisciplined => "受学籍预警、学籍处理或处分的学生", "Warned, ruled-on or sanctioned students";
    StudentsAssisted => "帮扶学生（指定等级）", "Assisted students (of one level)";
    LevelN => "{n}级", "Level {n}";
    CalendarIntro => "学期、教学周和节假日决定每条规则何时到期；假期中不计到期。", "Semesters, teaching weeks and holidays decide when each duty falls due; holidays pause the clock.";
    CalendarTimeZone => "时区（IANA 名称，如 Asia/Shanghai）", "Time zone (IANA name, e.g. Asia/Shanghai)";
    CalendarSemesters => "学期", "Semesters";
    CalendarSemesterN => "学期 {n}", "Semester {n}";
    CalendarNoSemesters => "尚未设置学期：设置之前不会计算任何工作要求", "No semesters yet: no duty is counted until there is one";
    CalendarSemesterName => "学期名称", "Semester name";
    CalendarSchoolYear => "学年（如 2026-2027）", "School year (e.g. 2026-2027)";
    CalendarStart => "开始日期", "Start";
    CalendarEnd => "结束日期", "End";
    CalendarTeachingWeeks => "教学周数", "Teaching weeks";
    CalendarHolidays => "节假日", "Holidays";
    CalendarHolidayN => "假期 {n}", "Holiday {n}";
    CalendarHolidayName => "假期名称", "Holiday name";
    CalendarAddSemester => "添加学期", "Add a semester";
    CalendarRemoveSemester => "删除学期 {n}", "Remove semester {n}";
    CalendarAddHoliday => "添加节假日", "Add a holiday";
    CalendarRemoveHoliday => "删除假期 {n}", "Remove holiday {n}";
    CalendarSaved => "校历已保存", "Calendar saved";
    ComplianceDate => "统计日期", "As of";
    ComplianceDepartment => "院系", "Department";
    ComplianceAllDepartments => "全部院系", "All departments";
    ComplianceExport => "导出 Excel", "Export to Excel";
    ComplianceOverall => "总体完成率", "Overall compliance";
    ComplianceAsOf => "截至 {d} · {s} · 规则第 {v} 版", "As of {d} · {s} · rules version {v}";
    ComplianceNoSemester => "所选日期不在任何学期内", "the date lies in no semester";
    ComplianceNoDuties => "这一天没有需要统计的工作要求", "Nothing is owed on this day";
    ComplianceByRule => "按规则", "By rule";
    ComplianceByOwner => "按人员", "By person";
    ComplianceByDepartment => "按院系", "By department";
    ComplianceWeekly => "各教学周完成率", "Compliance by teaching week";
    ComplianceWeekN => "第{n}周", "Week {n}";
    ComplianceRule => "规则", "Rule";
    CompliancePerson => "人员", "Person";
    CompliancePercent => "完成率", "Compliance";
    ComplianceTotal => "合计", "Total";
    ComplianceDrillOf => "{x}：查看明细", "{x}: show the details";
    ComplianceDrillCount => "{x} · {s} {n}：查看明细", "{x} · {s} {n}: show the details";
    ComplianceDetails => "明细：{x}", "Details: {x}";
    ComplianceDetailsCaption => "明细", "Details";
    ComplianceCloseDetails => "关闭明细", "Close the details";
    ComplianceEverything => "全部", "All";
    ComplianceSubject => "对象", "About";
    ComplianceOwner => "负责人", "Owed by";
    ComplianceStatus => "状态", "Status";
    ComplianceDue => "截止日期", "Due";
    ComplianceDaysOverdue => "逾期天数", "Days overdue";
    ComplianceDone => "完成/要求", "Done / required";
    ComplianceLastDone => "上次完成", "Last done";
    ComplianceOwn => "（本人工作）", "(own work)";
    ComplianceSortBy => "按{x}排序", "Sort by {x}";
    StatusOverdue => "逾期", "Overdue";
    StatusDueSoon => "即将到期", "Due soon";
    StatusUpcoming => "进度正常", "On track";
    StatusMet => "已完成", "Met";
    StandingSection => "学业预警、处分与帮扶", "Warning, sanction and assistance";
    StandingWarningLevel => "学业预警等级", "Academic warning level";
    StandingWarningOn => "预警决定日期", "Warning decided on";
    StandingDisciplineOn => "处分决定日期", "Sanction decided on";
    StandingRulingOn => "学籍处理决定日期", "Enrolment decision (学籍处理) on";
    StandingAssistanceLevel => "帮扶等级", "Assistance level";
    StandingAssistanceOn => "帮扶认定日期", "Assistance decided on";
    // ---- standing (sec-data) ----
    StandingSetByOffice => "由学工部认定", "Set by the student-affairs office";
    StandingHistory => "认定记录", "Standing history";
    StandingHistoryEmpty => "暂无变更记录", "No changes recorded";
    StandingHistoryLoading => "正在加载认定记录…", "Loading the standing history…";
    StandingHistoryFailed => "认定记录加载失败", "The standing history could not be loaded";
    StandingDecidedOn => "决定日期", "Decided on";
    StandingBasis => "依据", "Basis";
    // ---- audit trail (issue 14) ----
    AuditTitle => "审计日志", "Audit log";
    AuditAbout => "谁在何时从何处查阅了保密信息、修改了名册、认定、规则、账号和联系关系", "Who read confidential data, or changed the roster, standing, rules, accounts and links: when, and from where";
    AuditIntro => "日志只能追加，任何人都不能修改或删除。手机离线时的查阅在下次同步时上传。", "The log is append-only: nobody can edit or delete it. Reads made on a phone offline arrive with its next sync.";
    AuditStudent => "学生", "Student";
    AuditStaff => "教职工", "Staff member";
    AuditAction => "操作", "Action";
    AuditWhat => "内容", "What";
    AuditWhen => "时间", "When";
    AuditVia => "来源", "From";
    AuditViaPhone => "手机", "Phone";
    AuditViaServer => "服务器", "Server";
    AuditAll => "全部", "All";
    AuditExport => "导出 Excel", "Export (Excel)";
    AuditTotal => "共 {n} 条", "{n} entries";
    AuditMore => "更早的条目", "Older entries";
    AuditFileReaders => "本学期有 {n} 位教职工查阅过该生档案", "{n} staff have read this student's file this term";
}

pub fn hygiene_label(r: HygieneRating, lang: Lang) -> &'static str {
    match (r, lang) {
        (HygieneRating::Excellent, Lang::Zh) => "优",
        (HygieneRating::Good, Lang::Zh) => "良",
        (HygieneRating::Fair, Lang::Zh) => "中",
        (HygieneRating::Poor, Lang::Zh) => "差",
        (HygieneRating::Excellent, Lang::En) => "Excellent",
        (HygieneRating::Good, Lang::En) => "Good",
        (HygieneRating::Fair, Lang::En) => "Fair",
        (HygieneRating::Poor, Lang::En) => "Poor",
    }
}

pub fn absence_label(r: AbsenceReason, lang: Lang) -> &'static str {
    match (r, lang) {
        (AbsenceReason::Leave, Lang::Zh) => "请假",
        (AbsenceReason::OutOvernight, Lang::Zh) => "夜不归宿",
        (AbsenceReason::OffCampus, Lang::Zh) => "校外租房",
        (AbsenceReason::Other, Lang::Zh) => "其他",
        (AbsenceReason::Leave, Lang::En) => "On leave",
        (AbsenceReason::OutOvernight, Lang::En) => "Out overnight",
        (AbsenceReason::OffCampus, Lang::En) => "Renting off campus",
        (AbsenceReason::Other, Lang::En) => "Other",
    }
}

pub fn hazard_label(k: HazardKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (HazardKind::ProhibitedAppliance, Lang::Zh) => "违规电器",
        (HazardKind::Electrical, Lang::Zh) => "私拉电线",
        (HazardKind::OpenFlame, Lang::Zh) => "明火、吸烟",
        (HazardKind::FireSafety, Lang::Zh) => "消防通道、设施",
        (HazardKind::Facility, Lang::Zh) => "门窗设施损坏",
        (HazardKind::Other, Lang::Zh) => "其他",
        (HazardKind::ProhibitedAppliance, Lang::En) => "Prohibited appliance",
        (HazardKind::Electrical, Lang::En) => "Unsafe wiring",
        (HazardKind::OpenFlame, Lang::En) => "Open flame, smoking",
        (HazardKind::FireSafety, Lang::En) => "Fire exits, equipment",
        (HazardKind::Facility, Lang::En) => "Damaged facility",
        (HazardKind::Other, Lang::En) => "Other",
    }
}

/// Labels of a `choice!` enum of `src/`, Chinese then English.
macro_rules! choice_labels {
    ($fn_name:ident($ty:ty) { $($variant:ident => $zh:literal, $en:literal;)* }) => {
        pub fn $fn_name(c: $ty, lang: Lang) -> &'static str {
            match (c, lang) {
                $((<$ty>::$variant, Lang::Zh) => $zh, (<$ty>::$variant, Lang::En) => $en,)*
            }
        }
    };
}

choice_labels!(channel_label(rounds::ContactChannel) {
    Phone => "电话", "Phone"; WeChat => "微信", "WeChat"; Sms => "短信", "SMS"; Letter => "信件", "Letter";
    RegisteredMail => "挂号信", "Registered mail"; Meeting => "当面会谈", "Meeting in person"; Visit => "家访", "Home visit";
});
choice_labels!(contact_duty_label(rounds::ContactChannel) {
    Phone => "电话告知家长", "Phone call to the parents"; WeChat => "微信联系家长", "WeChat to the parents";
    Sms => "短信联系家长", "SMS to the parents"; Letter => "致家长信件", "Letter to the parents";
    RegisteredMail => "挂号信寄送书面预警通知书", "Written warning notice by registered mail";
    Meeting => "家长来校面谈", "Parents' meeting on campus"; Visit => "家访", "Home visit";
});
choice_labels!(case_category_label(rounds::assistance::AssistanceCategory) {
    Academic => "学业困难", "Academic difficulty"; Discipline => "违纪处分", "Disciplinary sanction";
    Psychological => "心理帮扶", "Psychological"; Hardship => "家庭经济特殊困难", "Economic hardship";
    Behaviour => "思想偏激、行为异常", "Extreme views or abnormal behaviour";
});
choice_labels!(level_label(rounds::assistance::AcademicLevel) {
    One => "一级帮扶", "Level 1"; Two => "二级帮扶", "Level 2"; Three => "三级帮扶", "Level 3";
});
choice_labels!(outcome_label(rounds::CaseOutcome) {
    Resolved => "已转化", "Resolved"; Improved => "有所好转", "Improved"; Transferred => "转出", "Transferred";
    Left => "毕业或离校", "Left school"; Other => "其他", "Other";
});
choice_labels!(note_part_label(rounds::NotePart) {
    Plan => "帮扶方案", "Assistance plan"; Evaluation => "班主任效果评价", "Head teacher's evaluation";
});
choice_labels!(contact_reason_label(rounds::ParentContactReason) {
    Routine => "日常沟通", "Routine"; Warning => "学业预警", "Academic warning"; Discipline => "违纪处分", "Discipline";
    GoodNews => "喜报", "Good news"; Incident => "突发事件", "Incident"; StatusChange => "学籍变动", "Status change"; Letter => "致家长的一封信", "Letter to families";
});
choice_labels!(topic_label(rounds::MeetingTopic) {
    Ideology => "思想教育", "Ideology"; Rules => "校规校纪", "Rules"; Safety => "安全教育", "Safety";
    Theme => "主题班会", "Theme"; Other => "其他", "Other"; Graduation => "毕业教育、文明离校", "Graduation, leaving well";
});
choice_labels!(shift_label(rounds::DutyShift) {
    Day => "白班", "Day"; Evening => "晚班", "Evening"; Night => "夜班", "Night";
});
choice_labels!(category_label(rounds::IssueCategory) {
    Study => "学习", "Study"; Life => "生活", "Life"; Dormitory => "宿舍", "Dormitory"; Canteen => "食堂", "Canteen";
    Safety => "安全", "Safety"; Finance => "资助", "Finance"; Other => "其他", "Other";
});
choice_labels!(issue_status_label(rounds::IssueStatus) {
    Open => "待分派", "Open"; Assigned => "办理中", "Assigned"; Resolved => "已解决待反馈", "Resolved";
    FedBack => "已反馈待确认", "Fed back"; Closed => "已办结", "Closed";
});
choice_labels!(issue_action_label(rounds::IssueAction) {
    Assign => "分派", "Assign"; Progress => "记录进展", "Note progress"; Resolve => "填写解决情况", "Resolve";
    FeedBack => "反馈提出人", "Feed back"; Confirm => "确认办结", "Confirm"; Reopen => "退回重办", "Reopen";
});

choice_labels!(event_label(rounds::duties::StandingEvent) {
    Warning => "学业预警决定", "an academic warning"; Discipline => "处分决定", "a sanction"; Ruling => "学籍处理决定", "a decision on enrolment"; Assistance => "帮扶认定", "an assistance decision";
    Award => "学生受到奖励", "an award"; Honour => "学生获省级以上荣誉", "a provincial honour"; AcademicTrouble => "学业严重困难", "serious study trouble";
    Conduct => "网络成瘾、思想偏激", "internet addiction or extreme thinking"; Incident => "突发事件、重大身心疾病", "an incident or serious illness";
    StatusChange => "学籍异动", "a change of enrolment status"; OtherNotice => "其他需告知家长的情况", "another matter for the parents";
});
choice_labels!(student_event_label(rounds::StudentEventKind) {
    Award => "奖励、表彰", "Award"; Honour => "省级以上荣誉、竞赛、先进事迹（发喜报）", "Provincial honour (good-news letter)";
    AcademicTrouble => "学分未达要求、旷课挂科严重、修读困难", "Serious study trouble"; Conduct => "网络成瘾、思想偏激", "Internet addiction, extreme thinking";
    Incident => "突发事件、重大身心疾病", "Incident, serious illness"; StatusChange => "学籍异动（休学、复学、退学）", "Change of enrolment status";
    Other => "其他需告知家长的情况", "Other matter for the parents";
});

choice_labels!(contact_activity_label(rounds::ContactActivity) {
    FaceToFace => "面对面接触学生", "Face to face with students"; PoliticsLecture => "思想政治理论课", "Politics lesson";
});
choice_labels!(letter_kind_label(rounds::LetterKind) {
    SemesterLetter => "致家长的一封信", "Semester letter to families"; GoodNews => "喜报", "Good-news letter";
});
choice_labels!(tier_label(rounds::ContactTier) {
    Special => "特殊学生", "Special student"; Key => "重点学生", "Key student";
});

choice_labels!(flag_label(rounds::AttentionFlag) {
    AcademicWarning => "学业预警", "Academic warning"; Discipline => "违纪处分", "Discipline"; Psychological => "心理关注", "Psychological";
    EconomicHardship => "家庭经济困难", "Economic hardship"; SingleParent => "单亲", "Single parent"; Orphan => "孤儿", "Orphan";
    Disability => "残疾", "Disability"; Health => "健康", "Health"; Other => "其他", "Other";
});
choice_labels!(economy_label(rounds::Economy) {
    Normal => "一般", "Normal"; Difficult => "经济困难", "Difficult"; Hardship => "特别困难", "Hardship";
});
choice_labels!(class_event_label(rounds::ClassEvent) {
    ClassMeeting => "班会", "Class meeting"; CadreMeeting => "学生干部会", "Student cadre meeting"; Forum => "师生座谈会", "Forum";
    ClassActivity => "班级集体活动", "Class activity"; PartyLeagueDay => "党日团日活动", "Party or League day"; Lecture => "讲座", "Lecture";
});
choice_labels!(branch_activity_label(rounds::BranchActivityKind) {
    PartyLecture => "专题党课", "Party lecture"; OrganisationalMeeting => "组织生活会", "Organisational meeting";
    Report => "支部建设汇报", "Branch report"; Talk => "交心谈心", "Heart-to-heart talk";
});
choice_labels!(club_activity_label(rounds::ClubActivityKind) {
    Plan => "指导策划活动", "Activity planned"; Meeting => "参加社团会议", "Club meeting"; Activity => "参与社团活动", "Club activity";
});

pub fn talk_reason_label(r: rounds::TalkReason, lang: Lang) -> &'static str {
    use rounds::TalkReason::*;
    match (r, lang) {
        (Routine, Lang::Zh) => "日常谈话",
        (AcademicWarning, Lang::Zh) => "学业预警",
        (Discipline, Lang::Zh) => "违纪处分",
        (Assistance, Lang::Zh) => "帮扶",
        (Psychological, Lang::Zh) => "心理问题",
        (Other, Lang::Zh) => "其他",
        (Routine, Lang::En) => "Routine",
        (AcademicWarning, Lang::En) => "Academic warning",
        (Discipline, Lang::En) => "Discipline",
        (Assistance, Lang::En) => "Assistance",
        (Psychological, Lang::En) => "Psychological",
        (Other, Lang::En) => "Other",
    }
}

/// The translation of a validation code, for messages beside a field.
pub fn error_label(code: &str, lang: Lang) -> &'static str {
    match code {
        "required" | "missing_resident" => Msg::ErrRequired.text(lang),
        "too_long" => Msg::ErrTooLong.text(lang),
        "in_future" => Msg::ErrInFuture.text(lang),
        "too_old" => Msg::ErrTooOld.text(lang),
        _ => Msg::ErrOther.text(lang),
    }
}

/// Fills `{name}` placeholders.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    args.iter().fold(template.to_string(), |s, (k, v)| s.replace(&format!("{{{k}}}"), v))
}

/// The language of this page, from context.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

impl I18n {
    pub fn lang(&self) -> Lang {
        self.0.get()
    }
    pub fn t(&self, m: Msg) -> &'static str {
        m.text(self.0.get())
    }
    pub fn tf(&self, m: Msg, args: &[(&str, String)]) -> String {
        fill(m.text(self.0.get()), args)
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_placeholders() {
        assert_eq!(fill(Msg::Pending.text(Lang::Zh), &[("n", "3".into())]), "待同步 3 条");
        assert_eq!(fill(Msg::Pending.text(Lang::En), &[("n", "3".into())]), "3 unsynced");
    }

    #[test]
    fn switch_button_names_the_other_language() {
        assert_eq!(Msg::SwitchLanguage.text(Lang::Zh), "English");
        assert_eq!(Msg::SwitchLanguage.text(Lang::En), "中文");
        assert_eq!(Lang::from_code("en-US"), Lang::En);
        assert_eq!(Lang::from_code("zh-CN"), Lang::Zh);
    }

    #[test]
    fn the_language_cookie_is_found_among_others() {
        assert_eq!(Lang::from_cookies("rounds_session=abc; rounds_lang=en"), Some(Lang::En));
        assert_eq!(Lang::from_cookies("rounds_lang=zh-CN;rounds_session=abc"), Some(Lang::Zh));
        assert_eq!(Lang::from_cookies("rounds_session=abc"), None);
        assert_eq!(Lang::from_cookies("xrounds_lang=en"), None);
        assert_eq!(Lang::from_cookies(""), None);
    }

    #[test]
    fn every_choice_has_both_languages() {
        for r in HygieneRating::ALL {
            assert_ne!(hygiene_label(r, Lang::Zh), hygiene_label(r, Lang::En));
        }
        for r in AbsenceReason::ALL {
            assert!(!absence_label(r, Lang::Zh).is_empty());
        }
        for k in HazardKind::ALL {
            assert!(!hazard_label(k, Lang::En).is_empty());
        }
    }
}
