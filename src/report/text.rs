//! How the report words a rating's parts (its reason, its place among others, its sources), text cut to what each output holds, and writing files.

use super::*;

/// Where an indicator stands against other authorities, in a sentence, and what that adds to its
/// rating when it adds something ([`benchmark_context`]); none without comparator figures.
pub fn against_others(r: &Rating) -> Option<String> {
    let b = r.benchmark.as_ref()?;
    let said = b.sentence(&|v| crate::domain::numbers::fmt_value(v, &r.unit));
    Some(match benchmark_context(r) {
        Some(c) => format!("{said}. {c}"),
        None => format!("{said}."),
    })
}

/// What other authorities' figures add to a rating a board acts on: a red still in the top
/// quarter of English authorities (others find it as hard), or a green in the bottom quarter
/// (the target asks little). None when the comparison changes nothing.
pub fn benchmark_context(r: &Rating) -> Option<String> {
    let b = r.benchmark.as_ref()?;
    let (rank, q) = (b.rank?, b.national_quartile?);
    match (r.effective_rating, q) {
        (Rag::Red, 1) => Some(format!(
            "Red against its target, yet in the top quarter of {} ({}, rank {rank} of {}): the target is stretching rather than performance poor.",
            b.ranked_among, b.period, b.ranked_of
        )),
        (Rag::Green, 4) => Some(format!(
            "Green against its target, yet in the bottom quarter of {} ({}, rank {rank} of {}): the target may ask too little.",
            b.ranked_among, b.period, b.ranked_of
        )),
        (Rag::Red, 4) => Some(format!(
            "Red, and in the bottom quarter of {} ({}, rank {rank} of {}).",
            b.ranked_among, b.period, b.ranked_of
        )),
        _ => None,
    }
}

/// The remedial action a return gives, unless it is blank or a template's placeholder left in
/// ("to agree remedial actions <by next quarter>"): such an action is never sent to the board.
pub fn given_action(r: &Rating) -> Option<&str> {
    r.action.as_deref().map(str::trim).filter(|a| !a.is_empty() && !crate::ingest::returns::is_placeholder(a))
}

/// An action shortened to `n` characters at a word, keeping its owner and due date whole (and at
/// least 60 characters of what the action is)
/// ("Recovery plan agreed by the lead officer; monthly… (owner: Head of Service; due 31 March 2010)").
pub fn shorten_action(action: &str, n: usize) -> String {
    let tail = crate::ingest::returns::ACTION_TAILS.iter().filter_map(|t| action.rfind(t)).min();
    match tail {
        Some(at) if action.ends_with(')') && action.chars().count() > n => {
            let (head, tail) = action.split_at(at);
            let room = n.saturating_sub(tail.chars().count()).max(60);
            format!("{}{tail}", crate::domain::text::shorten(head, room))
        }
        _ => crate::domain::text::shorten(action, n + 1),
    }
}

/// Where the partner's own rating or commentary disagrees with the computed rating of a red or
/// amber: the question the board will ask ("the partner's commentary says it is on course").
pub fn partner_disagrees(r: &Rating) -> Option<String> {
    use crate::domain::rag::Rag;
    if let Some(own) = r.self_rating_differs() {
        return Some(format!("the partner rates it {}, laa {}", own.name(), r.effective_rating.name()));
    }
    if !matches!(r.effective_rating, Rag::Red | Rag::Amber) {
        return None;
    }
    let said = r.commentary.as_deref()?.to_lowercase();
    const ON_COURSE: [&str; 6] =
        ["on course", "on track", "on target", "ahead of target", "target achieved", "target met"];
    let phrase = ON_COURSE.iter().find(|p| said.contains(*p))?;
    Some(format!("the partner's commentary says \"{phrase}\", but it is rated {}", r.effective_rating.name()))
}

/// A generated clause as a sentence: its first letter upper case.
pub fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Where a reward target's reward status and its performance rating have different colours
/// (amber for reward, red for performance), the one sentence that says why.
pub fn reward_and_rating_differ(d: &super::ReportData) -> Option<String> {
    let differ: Vec<String> =
        d.rewards
            .iter()
            .filter(|p| !p.parked)
            .filter(|p| {
                d.county.iter().find(|r| r.indicator == p.indicator).is_some_and(|r| {
                    r.effective_rating != p.rating && r.effective_rating != crate::domain::rag::Rag::Grey
                })
            })
            .map(|p| p.indicator.clone())
            .collect();
    if differ.is_empty() {
        return None;
    }
    Some(format!(
        "The reward status and the performance rating differ for {}: the reward is judged on the outturn it is assessed on against the stretch target and the {:.0}% trigger, the rating on this quarter's forecast against this year's target and its trajectory.",
        super::narrative::join_and(&differ),
        d.reward_threshold * 100.0
    ))
}

/// What the board paper and the report show for a red without an action.
pub const NO_ACTION: &str = "no action given";

/// The reds (by their effective rating) whose return gives no action, or only a placeholder.
pub fn reds_without_an_action<'a>(rs: impl IntoIterator<Item = &'a Rating>) -> Vec<&'a Rating> {
    rs.into_iter().filter(|r| r.effective_rating == crate::domain::rag::Rag::Red && given_action(r).is_none()).collect()
}

/// The sentence that counts them, when there are any: "2 reds have no remedial action: NI 4
/// and NI 95."
pub fn without_an_action_sentence(rs: &[&Rating]) -> Option<String> {
    if rs.is_empty() {
        return None;
    }
    let codes: Vec<String> = rs.iter().map(|r| r.indicator.clone()).collect();
    Some(format!(
        "{} no remedial action (none given, or the template's placeholder left in): {}.",
        super::narrative::count(rs.len(), "red has", "reds have"),
        super::narrative::join_and(&codes)
    ))
}

/// A rating's reason in a few words, for a table a board reads at a glance (the full reason goes
/// beneath it or in an appendix): the judgement without the method's detail, and for an annual
/// indicator between results its last result and when the next is due.
pub fn short_reason(r: &Rating) -> String {
    let first = |text: &str| {
        let clause = text.split("; ").next().unwrap_or(text);
        clause.split(", ").next().unwrap_or(clause).to_string()
    };
    match (&r.last_result, &r.next_due) {
        (Some(l), Some(next)) => format!(
            "{} result {} ({}); next due {}",
            l.period,
            first(&l.reason),
            l.rating.name(),
            next.split_once(", due ").map_or(next.as_str(), |(_, by)| by)
        ),
        _ => first(&r.reason),
    }
}

/// Where a value came from, in one line: the cell itself, or "7 district returns, 2009/10 Q2"
/// for a value made from several (the cells are listed where there is room).
/// Excel's limit on the text of one cell, in UTF-16 units.
pub const EXCEL_TEXT: usize = 32_767;
/// The most of one text a Word table cell holds (a paper stays readable; the rest is elsewhere).
pub const WORD_CELL_TEXT: usize = 3_000;
/// The most source cells listed one by one in a panel or an appendix; past it, a count.
pub const SOURCES_LISTED: usize = 20;

/// A text cut to at most `max` UTF-16 units (Excel's measure) with a visible note of how much was
/// cut and where the whole text is; shorter text as it is.
pub fn cut_text(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    // a UTF-8 byte is at most one UTF-16 unit: short text needs no count
    if s.len() <= max || s.encode_utf16().count() <= max {
        return std::borrow::Cow::Borrowed(s);
    }
    let total = s.chars().count();
    let note = |cut: usize| {
        format!(
            "… ({} characters cut; the whole text is in data.csv and `laa history`)",
            crate::domain::numbers::group_digits(&cut.to_string())
        )
    };
    let room = max.saturating_sub(note(total).encode_utf16().count());
    let (mut units, mut end, mut kept) = (0usize, 0usize, 0usize);
    for (i, c) in s.char_indices() {
        if units + c.len_utf16() > room {
            break;
        }
        units += c.len_utf16();
        end = i + c.len_utf8();
        kept += 1;
    }
    std::borrow::Cow::Owned(format!("{}{}", &s[..end], note(total - kept)))
}

/// How many source cells are listed before the count, past [`SOURCES_LISTED`].
pub const SOURCES_SHOWN: usize = 5;

/// A reward target's status in words, apart from a performance rating's: below the trigger,
/// trigger reached, stretch reached.
pub fn reward_status_words(r: Rag) -> &'static str {
    match r {
        Rag::Red => "below the trigger",
        Rag::Amber => "trigger reached",
        Rag::Green => "stretch reached",
        Rag::Grey => "not assessed",
    }
}

/// A rating's source cells as a list, or past [`SOURCES_LISTED`] the first few and a count
/// (a county value derived from 2,000 areas would otherwise list every one).
pub fn sources_listed(r: &Rating) -> String {
    if r.sources.len() <= SOURCES_LISTED {
        return r.sources.join("; ");
    }
    format!(
        "{}; and {} more (every cell is in data.csv and `laa history`)",
        r.sources[..SOURCES_SHOWN].join("; "),
        crate::domain::numbers::group_digits(&(r.sources.len() - SOURCES_SHOWN).to_string())
    )
}

/// Texts of a report that an output will show cut, each named with its indicator and area: a
/// warning at report time, so that nobody is surprised by the note in the workbook.
pub fn long_texts(d: &ReportData) -> Vec<String> {
    let mut out = Vec::new();
    for r in d.county.iter().chain(d.districts.iter()) {
        for (what, text) in [("commentary", r.commentary.as_deref()), ("remedial action", r.action.as_deref())] {
            let Some(t) = text else { continue };
            let n = t.chars().count();
            if n > WORD_CELL_TEXT {
                out.push(format!(
                    "{} {} {}: its {what} is {} characters; the board paper shows the first {}{}, with a note that the whole text is in data.csv and `laa history`",
                    r.indicator,
                    d.area_name(&r.area),
                    r.period,
                    crate::domain::numbers::group_digits(&n.to_string()),
                    crate::domain::numbers::group_digits(&WORD_CELL_TEXT.to_string()),
                    if t.encode_utf16().count() > EXCEL_TEXT { " and the workbook the first 32,767" } else { "" }
                ));
            }
        }
    }
    out
}

pub fn sources_summary(r: &Rating) -> String {
    match r.sources.as_slice() {
        [] => "–".into(),
        [one] => one.clone(),
        many => {
            let files: std::collections::BTreeSet<&str> =
                many.iter().map(|s| s.split_once(": ").map_or(s.as_str(), |(f, _)| f)).collect();
            let period = r.value_period.map(|p| format!(", {p}")).unwrap_or_default();
            if r.derivation.is_some() {
                format!(
                    "{} district values in {} {}{period}",
                    many.len(),
                    files.len(),
                    if files.len() == 1 { "return" } else { "returns" }
                )
            } else {
                format!(
                    "{} cells in {} {}{period}",
                    many.len(),
                    files.len(),
                    if files.len() == 1 { "return" } else { "returns" }
                )
            }
        }
    }
}

/// `NI 154` → `ni-154`: only letters, digits, `-` and `_`, so that a name made from a code a
/// spreadsheet supplied never leaves the output folder.
pub fn chart_stem(code: &str) -> String {
    let stem: String =
        code.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
    if stem.trim_matches('-').is_empty() { "indicator".into() } else { stem }
}

/// Write a new file of the report's staging folder, naming the path on failure. The folder is
/// made fresh by this run and published by renames (`pipeline::report`), so a reader sees the
/// old outputs or the new ones without each file taking a temporary name of its own; nor is each
/// synced to disk (404 syncs and renames were a tenth of the national report's time): a report is
/// made again from the store, which is synced. Never written through a link.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    write_file_with(path, |f| std::io::Write::write_all(f, bytes))
}

/// [`write_file`] for output streamed in pieces.
pub fn write_file_with(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<(), ReportError> {
    let io = |source| ReportError::Io { path: path.to_path_buf(), source };
    if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let create = || std::fs::OpenOptions::new().write(true).create_new(true).open(path);
    // a file of this run already there (two charts' names made the same) is replaced, as a
    // rename would replace it; anything else there is removed, never written through
    let mut f = match create() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::remove_file(path).map_err(io)?;
            create()
        }
        other => other,
    }
    .map_err(io)?;
    write(&mut f).map_err(io)
}

/// `2009-11-30` → `30 November 2009` (other text as it is).
pub fn long_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map_or_else(|_| iso.to_string(), |d| d.format("%-d %B %Y").to_string())
}

/// Escape text for HTML and XML (also drops control characters XML cannot hold).
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) == 0 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            // a control character, a bidirectional override (text shown reversed) or an invisible
            // mark from a return is shown, escaped, rather than acted on
            c if crate::domain::text::is_hazard(c) => {
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Text for a csv cell that a spreadsheet will not run as a formula: a leading `=`, `+`, `-`,
/// `@`, tab or carriage return gets a `'` before it (OWASP's advice for csv injection).
pub fn csv_safe(s: &str) -> std::borrow::Cow<'_, str> {
    // control characters and bidirectional overrides are shown escaped (line breaks and tabs kept)
    let s = crate::domain::text::escape_hazards(s, &['\n', '\t', '\r']);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}").into() } else { s }
}
