//! Tables for people (aligned text) and machines (csv, json with snake_case fields).

use std::io::Write;

use comfy_table::{ContentArrangement, Table as Comfy, presets::UTF8_FULL_CONDENSED};
use serde_json::Value;

pub use crate::domain::numbers::{format_number, group_digits, money};

/// How a command prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Table,
    Csv,
    Json,
}

/// Rows of named fields; the same data prints as a table, csv or json.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// snake_case field names (json keys, csv header).
    pub fields: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
    /// Columns holding a rating name, coloured in the table view on a terminal.
    pub rating_columns: Vec<&'static str>,
}

impl Table {
    pub fn new(fields: &[&'static str]) -> Table {
        Table { fields: fields.to_vec(), rows: Vec::new(), rating_columns: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.fields.len());
        self.rows.push(row);
    }

    /// Render to bytes in the given format.
    /// The same rows with only `fields`, in that order (unknown names are skipped).
    pub fn select(self, fields: &[&'static str]) -> Table {
        let idx: Vec<(usize, &'static str)> =
            fields.iter().filter_map(|f| self.fields.iter().position(|x| x == f).map(|i| (i, *f))).collect();
        Table {
            fields: idx.iter().map(|x| x.1).collect(),
            rows: self.rows.into_iter().map(|r| idx.iter().map(|(i, _)| r[*i].clone()).collect()).collect(),
            rating_columns: self.rating_columns,
        }
    }

    pub fn render(&self, format: Format) -> Vec<u8> {
        match format {
            Format::Table => self.text().into_bytes(),
            Format::Csv => self.csv(),
            Format::Json => self.json(),
        }
    }

    fn text(&self) -> String {
        let mut t = Comfy::new();
        t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
        t.set_header(self.fields.iter().map(|f| f.replace('_', " ")));
        let colour = colour_enabled();
        let rating_cols: Vec<usize> =
            self.fields.iter().enumerate().filter(|(_, f)| self.rating_columns.contains(f)).map(|(i, _)| i).collect();
        for r in &self.rows {
            t.add_row(r.iter().enumerate().map(|(i, v)| {
                let text = cell_text(v);
                // text from a return never acts on the terminal (an escape sequence, a reversal)
                let cell = comfy_table::Cell::new(crate::domain::text::for_terminal(&text));
                match rating_cols.contains(&i).then(|| rating_colour(&text)).flatten() {
                    Some(c) if colour => cell.fg(c),
                    _ => cell,
                }
            }));
        }
        format!("{t}\n")
    }

    fn csv(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_rows(&self.fields, Format::Csv, self.rows.iter().map(|r| r.as_slice()), &mut out)
            .expect("write to memory");
        out
    }

    /// A json array with one object per line (streamed: no intermediate maps).
    fn json(&self) -> Vec<u8> {
        let mut out = Vec::new();
        write_rows(&self.fields, Format::Json, self.rows.iter().map(|r| r.as_slice()), &mut out)
            .expect("write to memory");
        out
    }
}

/// One field of a row, borrowed from what it describes until it is written.
pub enum Field<'a> {
    Null,
    /// Text (empty text is written as null).
    Text(std::borrow::Cow<'a, str>),
    /// A number (not finite: null).
    Num(Option<f64>),
    /// A count or rank.
    Int(Option<usize>),
    Bool(bool),
    /// A list of texts (a json array; in csv, the array's json).
    Texts(&'a [String]),
    Json(&'a Value),
    /// A value written as text as it displays itself (a period: no string made for it).
    Shown(&'a dyn std::fmt::Display),
}

impl Field<'_> {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            Field::Text(t) if !t.is_empty() => json_str(t, out),
            Field::Num(Some(f)) if f.is_finite() => serde_json::to_writer(out, f),
            Field::Int(Some(n)) => serde_json::to_writer(out, n),
            Field::Bool(b) => {
                out.extend_from_slice(if *b { b"true" } else { b"false" });
                Ok(())
            }
            Field::Texts(t) => {
                out.push(b'[');
                for (i, s) in t.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    json_str(s, out)?;
                }
                out.push(b']');
                Ok(())
            }
            Field::Json(v) => serde_json::to_writer(out, v),
            Field::Shown(d) => {
                use std::io::Write as _;
                let start = out.len();
                out.push(b'"');
                write!(out, "{d}").map_err(serde_json::Error::io)?;
                if out.len() == start + 1 {
                    // displays as nothing: null, as empty text is
                    out.truncate(start);
                    out.extend_from_slice(b"null");
                } else if needs_escape(&out[start + 1..]) {
                    let text = String::from_utf8_lossy(&out[start + 1..]).into_owned();
                    out.truncate(start);
                    json_str(&text, out)?;
                } else {
                    out.push(b'"');
                }
                Ok(())
            }
            // nothing, empty text or a number that is not finite
            Field::Null | Field::Text(_) | Field::Num(_) | Field::Int(None) => {
                out.extend_from_slice(b"null");
                Ok(())
            }
        }
    }

    fn csv_text(&self) -> String {
        match self {
            Field::Null => String::new(),
            Field::Text(t) => crate::report::csv_safe(t).into_owned(),
            Field::Num(Some(f)) if f.is_finite() => format!("{f}"),
            Field::Num(_) | Field::Int(None) => String::new(),
            Field::Int(Some(n)) => n.to_string(),
            Field::Bool(b) => b.to_string(),
            Field::Texts(t) => serde_json::to_string(t).unwrap_or_default(),
            Field::Json(v) => cell_text(v),
            Field::Shown(d) => crate::report::csv_safe(&d.to_string()).into_owned(),
        }
    }
}

/// A string as json, as serde_json writes it: most texts need no escape (no quote, backslash or
/// control character) and are copied whole.
fn json_str(s: &str, out: &mut Vec<u8>) -> serde_json::Result<()> {
    if needs_escape(s.as_bytes()) {
        return serde_json::to_writer(out, s);
    }
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

/// Whether any byte is one json escapes (a control character, a quote or a backslash), eight
/// bytes at a time (the text of a national listing is most of its 100 MB).
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // a byte of `w` below `n` (n ≤ 0x80), or equal to `b`: exact for "any byte", never for which
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH != 0;
    let equal = |w: u64, b: u8| below(w ^ (ONES * u64::from(b)), 1);
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let w = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
        if below(w, 0x20) || equal(w, b'"') || equal(w, b'\\') {
            return true;
        }
    }
    words.remainder().iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// Rows of named fields written as csv or json while they are made, so that a long listing is
/// never held whole.
pub fn write_rows<'a>(
    fields: &[&str],
    format: Format,
    rows: impl Iterator<Item = &'a [Value]>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    write_fields(fields, format, rows.map(|r| r.iter().map(Field::Json).collect::<Vec<_>>()), out)
}

/// [`write_rows`] of rows of borrowed [`Field`]s.
pub fn write_fields<'a>(
    fields: &[&str],
    format: Format,
    rows: impl Iterator<Item = Vec<Field<'a>>>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let keys = json_keys(fields);
    start(fields, format, out)?;
    write_chunk(&keys, format, 0, rows, out)?;
    end(format, out)
}

/// Each field name as a json string.
fn json_keys(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| serde_json::to_string(f).expect("json of a str")).collect()
}

/// What comes before the rows: csv's header, json's opening bracket.
fn start(fields: &[&str], format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Csv | Format::Table => {
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
            w.write_record(fields)?;
            w.flush()
        }
        Format::Json => out.write_all(b"["),
    }
}

/// What comes after the rows.
fn end(format: Format, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Csv | Format::Table => Ok(()),
        Format::Json => out.write_all(b"\n]\n"),
    }
}

/// Rows as csv or json, the first of them row `first` of the listing (counted from 0).
fn write_chunk<'a>(
    keys: &[String],
    format: Format,
    first: usize,
    rows: impl Iterator<Item = Vec<Field<'a>>>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        Format::Csv | Format::Table => {
            let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(out);
            for r in rows {
                w.write_record(r.iter().map(Field::csv_text))?;
            }
            w.flush()
        }
        Format::Json => {
            let mut line = Vec::new();
            for (i, row) in rows.enumerate() {
                line.clear();
                json_object(keys, first + i, &row, &mut line)?;
                out.write_all(&line)?;
            }
            Ok(())
        }
    }
}

/// Row `n` of a listing (counted from 0) as a json object on a line of its own, after a comma
/// unless it is the first.
fn json_object(keys: &[String], n: usize, row: &[Field], out: &mut Vec<u8>) -> serde_json::Result<()> {
    out.extend_from_slice(if n == 0 { b"\n{" } else { b",\n{" });
    for (j, (k, v)) in keys.iter().zip(row).enumerate() {
        if j > 0 {
            out.push(b',');
        }
        out.extend_from_slice(k.as_bytes());
        out.push(b':');
        v.write_json(out)?;
    }
    out.push(b'}');
    Ok(())
}

/// [`write_fields`] of `items`, each made into its fields by `make`: rows are formatted in
/// parallel a few thousand at a time and written in order (formatting was a fifth of
/// `rate --area all`, on one core), so no more than a slice of the listing is held as text.
pub fn write_fields_par<'a, T: Sync>(
    fields: &[&str],
    format: Format,
    items: &'a [T],
    make: &(dyn Fn(&'a T) -> Vec<Field<'a>> + Sync),
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    const ROWS: usize = 1024;
    let keys = json_keys(fields);
    start(fields, format, out)?;
    // each chunk's text sized from the rows so far (json: the longest row; csv: the longest
    // chunk's mean row): a buffer grown by doubling copied the national listing's 100 MB again
    // and faulted in its pages twice
    let mut per_row = 0usize;
    for (group, slice) in items.chunks(ROWS * 4).enumerate() {
        let texts: Vec<std::io::Result<(Vec<u8>, usize)>> = slice
            .par_chunks(ROWS)
            .enumerate()
            .map(|(c, chunk)| {
                let first = group * ROWS * 4 + c * ROWS;
                let mut buf = Vec::with_capacity(chunk.len() * per_row);
                let mut longest = 0;
                if format == Format::Json {
                    for (i, item) in chunk.iter().enumerate() {
                        let before = buf.len();
                        json_object(&keys, first + i, &make(item), &mut buf)?;
                        longest = longest.max(buf.len() - before);
                    }
                } else {
                    write_chunk(&keys, format, first, chunk.iter().map(make), &mut buf)?;
                    longest = buf.len().div_ceil(chunk.len().max(1));
                }
                Ok((buf, longest))
            })
            .collect();
        for t in texts {
            let (text, longest) = t?;
            per_row = per_row.max(longest);
            out.write_all(&text)?;
        }
    }
    end(format, out)
}

/// [`write_fields_par`] to stdout; a closed pipe (`laa … | head`) is not an error.
pub fn print_fields_par<'a, T: Sync>(
    fields: &[&str],
    format: Format,
    items: &'a [T],
    make: &(dyn Fn(&'a T) -> Vec<Field<'a>> + Sync),
) -> std::io::Result<()> {
    to_stdout(&mut |out| write_fields_par(fields, format, items, make, out))
}

/// [`write_fields`] to stdout; a closed pipe (`laa … | head`) is not an error.
pub fn print_fields<'a>(
    fields: &[&str],
    format: Format,
    rows: impl Iterator<Item = Vec<Field<'a>>>,
) -> std::io::Result<()> {
    let mut rows = Some(rows);
    to_stdout(&mut |out| write_fields(fields, format, rows.take().expect("written once"), out))
}

/// Run a writer to stdout: on a terminal, written whole and then shown with control characters
/// escaped; else buffered, and a closed pipe is not an error.
fn to_stdout(write: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>) -> std::io::Result<()> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        let mut buf = Vec::new();
        write(&mut buf)?;
        return print(&buf);
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Colour on a terminal unless `NO_COLOR` is set.
fn colour_enabled() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

fn rating_colour(text: &str) -> Option<comfy_table::Color> {
    let word = text.split(' ').nth(1).unwrap_or(text);
    match word {
        "red" => Some(comfy_table::Color::Red),
        "amber" => Some(comfy_table::Color::Yellow),
        "green" => Some(comfy_table::Color::Green),
        "grey" => Some(comfy_table::Color::DarkGrey),
        _ => None,
    }
}

fn cell_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        // text from a spreadsheet never runs as a formula when the csv is opened in Excel
        Value::String(s) => crate::report::csv_safe(s).into_owned(),
        // full precision (the shortest text that reads back as the same number): csv is for machines
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => format!("{f}"),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

/// A serde value (such as a unit-like enum) as json.
pub fn json_of<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// An optional number as json.
pub fn num(v: Option<f64>) -> Value {
    v.and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
}

/// Text as json (empty → null).
pub fn text(s: impl Into<String>) -> Value {
    let s = s.into();
    if s.is_empty() { Value::Null } else { Value::String(s) }
}

/// Write bytes to stdout; a closed pipe (`laa … | head`) is not an error.
/// On a terminal, text from returns is shown with its control characters escaped.
pub fn print(bytes: &[u8]) -> std::io::Result<()> {
    use std::io::IsTerminal;
    let mut out = std::io::stdout().lock();
    let safe;
    let bytes = if out.is_terminal() {
        safe = crate::domain::text::for_terminal(&String::from_utf8_lossy(bytes)).into_owned();
        safe.as_bytes()
    } else {
        bytes
    };
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let mut t = Table::new(&["indicator", "value"]);
        t.push(vec![text("NI 154"), num(Some(12.5))]);
        t.push(vec![text("L01"), num(None)]);
        assert_eq!(String::from_utf8(t.render(Format::Csv)).unwrap(), "indicator,value\nNI 154,12.5\nL01,\n");
        let j: Value = serde_json::from_slice(&t.render(Format::Json)).unwrap();
        assert_eq!(j[0]["value"], 12.5);
        assert_eq!(j[1]["value"], Value::Null);
        assert!(String::from_utf8(t.render(Format::Table)).unwrap().contains("NI 154"));
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(61.23456), "61.2346");
    }

    #[test]
    fn borrowed_fields_write_as_values_do() {
        let sources = vec!["returns/a.xlsx: Q2!D5".to_string()];
        let row = || {
            vec![
                Field::Text("=cmd|' /c calc'!A1".into()),
                Field::Text("".into()),
                Field::Num(Some(12.5)),
                Field::Num(Some(f64::NAN)),
                Field::Bool(true),
                Field::Texts(&sources),
            ]
        };
        let fields = ["a", "b", "c", "d", "e", "f"];
        let mut json = Vec::new();
        write_fields(&fields, Format::Json, std::iter::once(row()), &mut json).unwrap();
        let j: Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(j[0]["a"], "=cmd|' /c calc'!A1");
        assert_eq!((j[0]["b"].clone(), j[0]["d"].clone()), (Value::Null, Value::Null));
        assert_eq!((j[0]["c"].as_f64(), j[0]["e"].as_bool()), (Some(12.5), Some(true)));
        assert_eq!(j[0]["f"][0], "returns/a.xlsx: Q2!D5");
        let mut csv = Vec::new();
        write_fields(&fields, Format::Csv, std::iter::once(row()), &mut csv).unwrap();
        let text = String::from_utf8(csv).unwrap();
        let line = text.lines().nth(1).unwrap();
        assert!(line.starts_with("'=cmd") || line.starts_with("\"'=cmd"), "a formula stays text in csv: {line}");
        assert!(line.contains(",,12.5,,true,"), "{line}");
    }

    #[test]
    fn strings_and_lists_are_written_as_serde_json_writes_them() {
        let texts = [
            "plain",
            "",
            "a \"quote\"",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "\u{1}\u{1f}\u{7f}",
            "£3,095,333.33 – “curly” é",
            "</script>",
            "ends with \\",
            "eight b\"",
            "sixteen bytes ok",
            "\u{1f}fifteen bytes",
            "fifteen bytes\u{1f}",
            "twenty-three bytes long\\",
            "¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÀÁÂÃÄÅÆ\u{8}",
        ];
        for t in texts {
            let mut out = Vec::new();
            json_str(t, &mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(t).unwrap(), "{t:?}");
        }
        let list: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        for l in [&list[..], &list[..1], &[]] {
            let mut out = Vec::new();
            Field::Texts(l).write_json(&mut out).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(l).unwrap());
        }
    }

    #[test]
    fn the_escape_test_finds_every_byte_json_escapes_wherever_it_lies() {
        for len in [1, 7, 8, 9, 16, 17, 23] {
            for at in 0..len {
                for b in 0..=255u8 {
                    for fill in [b'a', 0xc3, 0x7f, 0x21] {
                        let mut bytes = vec![fill; len];
                        bytes[at] = b;
                        let naive = bytes.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\');
                        assert_eq!(needs_escape(&bytes), naive, "{bytes:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_listing_written_in_parallel_is_the_listing_written_in_turn() {
        // rows of very different lengths, more than one group of chunks, as json and csv
        struct Row(String);
        let items: Vec<Row> = (0..9_000).map(|i| Row("x\"y".repeat(i % 37) + &i.to_string())).collect();
        fn make(r: &Row) -> Vec<Field<'_>> {
            vec![Field::Text(r.0.as_str().into()), Field::Int(Some(r.0.len()))]
        }
        for format in [Format::Json, Format::Csv] {
            let (mut par, mut seq) = (Vec::new(), Vec::new());
            write_fields_par(&["t", "n"], format, &items, &make, &mut par).unwrap();
            write_fields(&["t", "n"], format, items.iter().map(make), &mut seq).unwrap();
            assert!(par == seq, "{format:?}");
        }
    }
}
