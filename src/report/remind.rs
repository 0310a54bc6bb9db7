//! Reminders for the returns still owed: one standard e-mail file (.eml, RFC 5322 with MIME) per
//! theme that owes anything after its due date, addressed to the theme's contacts, saying what
//! is missing indicator by indicator and area by area, with the return form pre-filled with what
//! is still owed attached. `laa` sends nothing: an officer opens the file in a mail client.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::assess::cycle::{ReturnRow, ReturnState};
use crate::domain::catalogue::Catalogue;
use crate::domain::mailbox::Mailbox;
use crate::workspace::Workspace;
use crate::workspace::template::{self, TemplateRow};

#[derive(Debug, thiserror::Error)]
pub enum RemindError {
    #[error("{0}: cannot write: {1}")]
    Write(String, std::io::Error),
    #[error("the return form for {0}: {1}")]
    Template(String, rust_xlsxwriter::XlsxError),
}

/// A reminder written.
#[derive(Debug, Clone)]
pub struct Written {
    pub theme: String,
    pub path: PathBuf,
    /// Whom it is addressed to; empty when the theme has no contacts.
    pub to: Vec<Mailbox>,
    /// The quarters it chases.
    pub quarters: usize,
}

/// Write one reminder per theme that owes anything into `dir`, as `<theme>-reminder.eml`; a
/// theme that owes nothing gets none.
pub fn write_reminders(
    ws: &Workspace,
    cat: &Catalogue,
    rows: &[ReturnRow],
    on: NaiveDate,
    dir: &Path,
) -> Result<Vec<Written>, RemindError> {
    let mut out = Vec::new();
    for t in &ws.settings.themes {
        let mine: Vec<&ReturnRow> = rows.iter().filter(|r| r.owes() && r.theme == t.code).collect();
        if mine.is_empty() {
            continue;
        }
        let to: Vec<Mailbox> = t.contacts.iter().filter_map(|c| Mailbox::parse(c)).collect();
        let bytes = message(ws, cat, &mine, &to, on)?;
        std::fs::create_dir_all(dir).map_err(|e| RemindError::Write(dir.display().to_string(), e))?;
        let path = dir.join(format!("{}-reminder.eml", crate::report::chart_stem(&t.code)));
        template::write_atomic(&path, &bytes).map_err(|e| RemindError::Write(path.display().to_string(), e))?;
        out.push(Written { theme: t.code.clone(), path, to, quarters: mine.len() });
    }
    Ok(out)
}

/// One theme's reminder as the bytes of an .eml file.
fn message(
    ws: &Workspace,
    cat: &Catalogue,
    rows: &[&ReturnRow],
    to: &[Mailbox],
    on: NaiveDate,
) -> Result<Vec<u8>, RemindError> {
    let first = rows[0];
    let from = ws.settings.returns.from.as_deref().and_then(Mailbox::parse);
    let quarters: Vec<String> = rows.iter().map(|r| r.period.to_string()).collect();
    let subject = format!(
        "Overdue Local Area Agreement return: {}, {} (due {})",
        first.partnership,
        quarters.join(" and "),
        first.due.format("%-d %B %Y")
    );
    let mut m = mail_builder::MessageBuilder::new()
        .subject(subject)
        .date(on.and_hms_opt(9, 0, 0).expect("a time").and_utc().timestamp())
        .message_id(format!("laa-reminder-{}-{}@{}", first.theme, on, "laa.invalid"))
        .header("X-Unsent", mail_builder::headers::raw::Raw::new("1"))
        .text_body(body(ws, cat, rows, from.as_ref()));
    if let Some(f) = &from {
        m = m.from((f.name.clone().unwrap_or_default(), f.address.clone()));
    }
    if !to.is_empty() {
        let list: Vec<(String, String)> =
            to.iter().map(|t| (t.name.clone().unwrap_or_default(), t.address.clone())).collect();
        m = m.to(list);
    }
    for r in rows {
        let owed: Vec<TemplateRow> = r
            .missing
            .iter()
            .map(|o| TemplateRow { indicator: &o.indicator, area: &o.area_name, period: o.period })
            .collect();
        let form = template::return_template(ws, cat, &r.theme, r.period, &owed)
            .map_err(|e| RemindError::Template(r.period.to_string(), e))?;
        m = m.attachment(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{}-{}.xlsx", r.theme, r.period.slug()),
            form,
        );
    }
    m.write_to_vec().map_err(|e| RemindError::Write("the reminder".into(), e))
}

/// The reminder's words: each quarter owed with its due date and how late it is, then what is
/// missing, indicator by indicator with its areas.
fn body(ws: &Workspace, cat: &Catalogue, rows: &[&ReturnRow], from: Option<&Mailbox>) -> String {
    let mut text = String::from("Dear colleagues,\n\n");
    for r in rows {
        text += &format!(
            "The {}'s Local Area Agreement return for {} was due on {} and is {} day{} overdue. {}:\n\n",
            r.partnership,
            r.period,
            r.due.format("%-d %B %Y"),
            r.days_overdue,
            if r.days_overdue == 1 { "" } else { "s" },
            if r.state == ReturnState::Partial {
                "Part of it has arrived; these values have not"
            } else {
                "None of it has arrived yet; it owes"
            }
        );
        let mut codes: Vec<&str> = Vec::new();
        for o in &r.missing {
            if !codes.contains(&o.indicator.as_str()) {
                codes.push(&o.indicator);
            }
        }
        for code in codes {
            let of_it: Vec<&crate::assess::cycle::Owed> = r.missing.iter().filter(|o| o.indicator == code).collect();
            let areas: Vec<&str> = of_it.iter().map(|o| o.area_name.as_str()).collect();
            let title = cat.get(code).map_or("", |i| i.title.as_str());
            text += &format!("  {code} {title} ({}): {}\n", of_it[0].period, areas.join(", "));
        }
        text += "\n";
    }
    text += "The return form attached lists what is still owed. Please fill it in, write today's date in its \
             \"Date completed\" cell, and send it back as soon as you can.\n\n";
    text += "Thank you,\n";
    if let Some(f) = from {
        text += &format!("{}\n", f.name.as_deref().unwrap_or(&f.address));
    }
    text += &format!("{}\n", ws.settings.name);
    text
}
