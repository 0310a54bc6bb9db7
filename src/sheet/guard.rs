//! Limits checked before a spreadsheet is read: the file's real type against its name, the zip
//! directory (parts, sizes, ratios), xls records and ods content scanned before calamine
//! allocates, and a reader's panic turned into an error.

use std::path::Path;

use super::*;

/// Every check a file passes before its reader runs, in one place: a regular file, within the
/// size limit, really what its name says, and its container (zip directory, ods content, xlsb
/// records, xls compound file) within the limits before anything is decompressed or allocated.
pub(super) fn check(path: &Path, label: &str, ext: &str, limits: &Limits) -> Result<(), SheetError> {
    let meta = std::fs::metadata(path).map_err(|source| SheetError::Io { file: label.into(), source })?;
    if meta.is_dir() {
        return Err(SheetError::Io {
            file: label.into(),
            source: std::io::Error::other("a folder, not a file (its name ends like a spreadsheet's)"),
        });
    }
    if !meta.is_file() {
        // a pipe or a device would block a read for ever
        return Err(SheetError::Io { file: label.into(), source: std::io::Error::other("not a regular file") });
    }
    if meta.len() > limits.file_mb * 1_000_000 {
        return Err(SheetError::Limit {
            file: label.into(),
            what: format!("the file is {}", mb(meta.len())),
            limit: format!("{} MB", limits.file_mb),
            setting: "file_mb",
        });
    }
    if let Some(detail) = disguised(path, ext) {
        return Err(SheetError::Disguised { file: label.into(), detail });
    }
    match ext {
        "xlsx" | "xlsm" => check_zip(path, label, ext, limits),
        "ods" => {
            check_zip(path, label, ext, limits)?;
            check_ods(path, label, limits)
        }
        "xlsb" => {
            check_zip(path, label, ext, limits)?;
            check_xlsb(path, label)
        }
        "xls" => check_xls(path, label, limits),
        _ => Ok(()),
    }
}

/// What a file really is when its first bytes say it is not what its extension claims: a
/// sentence saying so and what to do, or `None` when the bytes may match the name.
pub(super) fn disguised(path: &Path, ext: &str) -> Option<String> {
    use std::io::Read;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path).ok()?.take(4096).read_to_end(&mut head).ok()?;
    if head.is_empty() {
        return Some("the file is empty".into());
    }
    let body = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head);
    let text = String::from_utf8_lossy(&body[..body.len().min(512)]).trim_start().to_ascii_lowercase();
    let wide = text_without_bom_is_utf16(&head);
    if let Some(what) = known_text_format(&text) {
        return Some(what);
    }
    if wide.is_some() && !matches!(ext, "csv" | "tsv" | "txt") {
        return Some(format!(
            "it is UTF-16 text (Excel's \"Unicode text\") named as .{ext}; rename it .txt, or save it from Excel as .xlsx"
        ));
    }
    let zip = head.starts_with(b"PK\x03\x04");
    let ole = head.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1");
    let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    match ext {
        "xlsx" | "xlsm" if ole && contains(&utf16("EncryptionInfo")) => Some(
            "it is encrypted with a password; save a copy without one (File > Info > Protect Workbook) and import that"
                .into(),
        ),
        "xlsx" | "xlsm" if ole => Some("it is an Excel 97-2003 workbook named as .xlsx; rename it .xls".into()),
        "xlsx" | "xlsm" if zip && contains(b"application/vnd.oasis.opendocument.spreadsheet") => {
            Some("it is an OpenDocument spreadsheet named as .xlsx; rename it .ods".into())
        }
        "ods" if zip && contains(b"[Content_Types].xml") => {
            Some("it is an Excel workbook named as .ods; rename it .xlsx".into())
        }
        "xls" if zip => Some("it is an .xlsx (or .ods) workbook named as .xls; rename it".into()),
        "csv" | "tsv" | "txt" if zip => Some("it is a workbook (.xlsx or .ods) named as .csv; rename it".into()),
        "csv" | "tsv" | "txt" if ole => Some("it is an Excel 97-2003 workbook named as .csv; rename it .xls".into()),
        "csv" | "tsv" | "txt"
            if wide.is_none()
                && !head.starts_with(b"\xff\xfe")
                && !head.starts_with(b"\xfe\xff")
                && head.iter().filter(|b| (**b < 0x20 && !b"\r\n\t".contains(b)) || **b == 0x7f).count() * 20
                    > head.len() =>
        {
            Some("it is binary data, not csv text".into())
        }
        _ if text.starts_with("%pdf") => Some("it is a PDF, not a spreadsheet; ask for the spreadsheet itself".into()),
        "xlsx" | "xlsm" | "ods"
            if !zip && !ole && head.iter().take(512).all(|b| b.is_ascii() && (*b >= 0x20 || b"\r\n\t".contains(b))) =>
        {
            Some(format!("it is plain text (csv?) named as .{ext}; rename it .csv"))
        }
        _ => None,
    }
}

/// Formats recognised by their first characters whatever their name: Excel 2003 XML
/// (SpreadsheetML), other XML, and a web page. A sentence saying what the file is and what to
/// save it as, or `None`.
fn known_text_format(text: &str) -> Option<String> {
    let save = "open it in Excel or LibreOffice and save it as .xlsx";
    if text.starts_with("<?xml") || text.starts_with("<workbook") || text.starts_with("<ss:workbook") {
        if text.contains("urn:schemas-microsoft-com:office:spreadsheet")
            || text.contains("<?mso-application progid=\"excel.sheet\"?>")
            || text.contains("<workbook")
            || text.contains("<ss:workbook")
        {
            return Some(format!(
                "it is an Excel 2003 XML Spreadsheet (SpreadsheetML), a format laa does not read: {save}"
            ));
        }
        if text.contains("<html") {
            return Some(format!("it is a web page (XHTML) saved under a spreadsheet's name: {save}"));
        }
        return Some(format!("it is an XML file, not a spreadsheet laa reads: {save}"));
    }
    if text.starts_with("<html") || text.starts_with("<!doctype html") || text.starts_with("<table") {
        return Some(format!(
            "it is a web page (HTML) saved under a spreadsheet's name, as some systems' \"export to Excel\" does; {save}"
        ));
    }
    None
}

/// Whether bytes with no byte-order mark are UTF-16 text (every other byte zero across the
/// head, as plain text in UTF-16 is): `Some(true)` for little-endian, `Some(false)` for big.
pub(super) fn text_without_bom_is_utf16(head: &[u8]) -> Option<bool> {
    if head.starts_with(b"\xff\xfe") || head.starts_with(b"\xfe\xff") || head.len() < 8 {
        return None;
    }
    let n = head.len().min(512) & !1;
    let pairs = &head[..n];
    let zeros = |offset: usize| pairs.iter().skip(offset).step_by(2).filter(|b| **b == 0).count();
    let (even, odd) = (zeros(0), zeros(1));
    let half = n / 2;
    // text: one byte of each pair zero nearly always, the other almost never
    if odd * 10 >= half * 9 && even * 10 < half {
        Some(true)
    } else if even * 10 >= half * 9 && odd * 10 < half {
        Some(false)
    } else {
        None
    }
}

thread_local! {
    /// Set while a third-party reader runs on this thread: a panic there is the file's fault,
    /// answered as an error, and the panic hook stays quiet.
    static IN_READER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a panic on this thread happens inside a guarded read (see [`guarded`]).
pub fn in_guarded_read() -> bool {
    IN_READER.with(std::cell::Cell::get)
}

/// Run a reader of untrusted bytes, turning a panic inside it (a parser's overflow on a
/// hostile file) into an error naming the file.
pub(super) fn guarded<T>(label: &str, ext: &str, f: impl FnOnce() -> Result<T, SheetError>) -> Result<T, SheetError> {
    let was = IN_READER.with(|g| g.replace(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_READER.with(|g| g.set(was));
    r.unwrap_or_else(|payload| {
        let why = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no detail".into());
        Err(SheetError::Format {
            file: label.into(),
            kind: ext.to_string(),
            detail: format!("the {ext} reader failed on it: {why}"),
        })
    })
}

pub(super) fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// A workbook's zip directory, checked before any entry is decompressed: the number of entries,
/// each entry's and the total decompressed size, and the compression ratio of large entries.
pub(super) fn check_zip(path: &Path, label: &str, ext: &str, limits: &Limits) -> Result<(), SheetError> {
    let file = std::fs::File::open(path).map_err(|source| SheetError::Io { file: label.into(), source })?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| SheetError::Format {
        file: label.into(),
        kind: ext.to_string(),
        detail: format!("not a zip package: {e}"),
    })?;
    let limit = |what: String, limit: String, setting| SheetError::Limit { file: label.into(), what, limit, setting };
    if zip.len() > limits.zip_entries {
        return Err(limit(
            format!("the workbook has {} parts", zip.len()),
            format!("{} parts", limits.zip_entries),
            "zip_entries",
        ));
    }
    let cap = limits.uncompressed_mb * 1_000_000;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        // the central directory only: nothing is decompressed here
        let entry = zip.by_index_raw(i).map_err(|e| SheetError::Format {
            file: label.into(),
            kind: ext.to_string(),
            detail: format!("a damaged zip entry: {e}"),
        })?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        let name = entry.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("part {}", i + 1));
        total = total.saturating_add(size);
        if size > cap || total > cap {
            return Err(limit(
                format!("the workbook would decompress to more than {} ({name} alone is {})", mb(cap), mb(size)),
                format!("{} MB", limits.uncompressed_mb),
                "uncompressed_mb",
            ));
        }
        if size > 1_000_000 && size / packed > limits.compression_ratio {
            return Err(limit(
                format!("{name} is compressed {}:1, as a zip bomb is", size / packed),
                format!("{}:1", limits.compression_ratio),
                "compression_ratio",
            ));
        }
    }
    Ok(())
}

/// An xlsb workbook's record streams, walked before calamine reads them: each record states its
/// own length (up to 256 MB), and calamine sizes its buffer to that length before reading, so a
/// record longer than what is left of its part is refused here. The parts' total size is
/// already bounded by [`check_zip`]; cells are checked against the limits as they are read.
pub(super) fn check_xlsb(path: &Path, label: &str) -> Result<(), SheetError> {
    use std::io::Read;
    let damaged = |detail: String| SheetError::Format { file: label.into(), kind: "xlsb".into(), detail };
    let file = std::fs::File::open(path).map_err(|source| SheetError::Io { file: label.into(), source })?;
    let mut zip =
        zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| damaged(format!("not a zip package: {e}")))?;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|e| damaged(format!("a damaged zip entry: {e}")))?;
        let name = entry.name().map(|n| n.to_string()).unwrap_or_else(|_| format!("part {}", i + 1));
        let lower = name.to_ascii_lowercase();
        // the record streams calamine reads (a VBA project or printer settings are other formats)
        if !lower.ends_with(".bin") || lower.contains("vbaproject") || lower.contains("printersettings") {
            continue;
        }
        let size = entry.size();
        let mut r = std::io::BufReader::new(&mut entry);
        let mut at: u64 = 0;
        let byte = |r: &mut std::io::BufReader<&mut zip::read::ZipFile<'_, _>>, at: &mut u64| -> Option<u64> {
            let mut b = [0u8; 1];
            r.read_exact(&mut b).ok()?;
            *at += 1;
            Some(u64::from(b[0]))
        };
        // the record type: one or two bytes, seven bits each
        'records: while let Some(t) = byte(&mut r, &mut at) {
            if t & 0x80 != 0 && byte(&mut r, &mut at).is_none() {
                break;
            }
            // the record length: up to four bytes, seven bits each
            let mut len: u64 = 0;
            for k in 0..4 {
                let Some(b) = byte(&mut r, &mut at) else { break 'records };
                len |= (b & 0x7F) << (7 * k);
                if b & 0x80 == 0 {
                    break;
                }
            }
            if len > size.saturating_sub(at) {
                return Err(damaged(format!(
                    "a record in {name} at byte {at} says it is {} long, more than the {} left of the part; open it in Excel and save it again",
                    mb(len),
                    mb(size.saturating_sub(at))
                )));
            }
            let skipped = std::io::copy(&mut (&mut r).take(len), &mut std::io::sink()).unwrap_or(0);
            at += skipped;
            if skipped < len {
                break;
            }
        }
    }
    Ok(())
}

/// An xls workbook's DIMENSIONS records, checked before calamine reads the file: it reserves
/// room for the declared rows × columns up front (a damaged or hostile record asked it for a
/// terabyte, which aborts the process rather than failing).
pub(super) fn check_xls(path: &Path, label: &str, limits: &Limits) -> Result<(), SheetError> {
    use std::io::Read;
    let mut doc = match cfb::open(path) {
        Ok(d) => d,
        // a compound file whose structure does not hold together: calamine's lenient reader
        // would go on and trust its records
        Err(e) if starts_as_ole(path) => {
            return Err(SheetError::Format {
                file: label.into(),
                kind: "xls".into(),
                detail: format!(
                    "its compound-file structure is damaged ({e}); open it in Excel or LibreOffice and save it again"
                ),
            });
        }
        // not a compound file at all: calamine says so in its own words
        Err(_) => return Ok(()),
    };
    let Some(name) = ["/Workbook", "/Book"].into_iter().find(|n| doc.is_stream(n)) else { return Ok(()) };
    let mut data = Vec::new();
    let Ok(mut stream) = doc.open_stream(name) else { return Ok(()) };
    if stream.read_to_end(&mut data).is_err() {
        return Ok(());
    }
    match xls_extent(&data, limits) {
        Ok(()) => Ok(()),
        Err(what) => Err(SheetError::Limit {
            file: label.into(),
            what,
            limit: format!(
                "{} cells spanned across the sheets",
                crate::domain::numbers::group_digits(&super::formats::span_limit(limits).to_string())
            ),
            setting: "cells",
        }),
    }
}

/// The extent of each sheet's cells in an xls workbook stream, record by record; what is too
/// large when a sheet's cells span (or a DIMENSIONS record declares) more than the limits.
fn xls_extent(data: &[u8], limits: &Limits) -> Result<(), String> {
    let u16_at = |d: &[u8], i: usize| u16::from_le_bytes([d[i], d[i + 1]]) as u64;
    let u32_at = |d: &[u8], i: usize| u32::from_le_bytes([d[i], d[i + 1], d[i + 2], d[i + 3]]) as u64;
    let fail = |what: String| Err(what);
    // the cells' extent in the current sheet: calamine allocates the whole rectangle, for each
    // sheet, so the sheets before this one count too
    let mut extent: Option<(u64, u64, u64, u64)> = None;
    let spanned = |e: Option<(u64, u64, u64, u64)>| e.map_or(0, |e| (e.1 - e.0 + 1).saturating_mul(e.3 - e.2 + 1));
    let mut before = 0u64;
    let span_limit = super::formats::span_limit(limits) as u64;
    // the sheets' names by where their streams start, and the one being read
    let (mut names, mut sheet) = (Vec::<(u64, String)>::new(), None::<String>);
    let group = |n: u64| crate::domain::numbers::group_digits(&n.to_string());
    let mut i = 0;
    while i + 4 <= data.len() {
        let (typ, len) = (u16_at(data, i), u16_at(data, i + 2) as usize);
        let rec = &data[i + 4..(i + 4 + len).min(data.len())];
        let at = i as u64;
        i += 4 + len;
        match typ {
            // BOF: a new sheet (or substream) starts
            0x0809 => {
                before = before.saturating_add(spanned(extent));
                extent = None;
                sheet = names.iter().find(|(pos, _)| *pos == at).map(|(_, n)| n.clone());
            }
            // BoundSheet8 (in the globals): the sheets' names, in the order their streams follow
            0x0085 if rec.len() >= 8 => names.push((u32_at(rec, 0), bound_sheet_name(rec))),
            // Number, Label, BoolErr, RK, LabelSst, RString, Formula, MulRk: row and column first
            0x0203 | 0x0204 | 0x0205 | 0x027E | 0x00FD | 0x00D6 | 0x0006 | 0x00BD if rec.len() >= 4 => {
                let (row, col) = (u16_at(rec, 0), u16_at(rec, 2));
                let last = if typ == 0x00BD && rec.len() >= 6 { u16_at(rec, rec.len() - 2).max(col) } else { col };
                let (r0, r1, c0, c1) = extent.unwrap_or((row, row, col, col));
                let e = (r0.min(row), r1.max(row), c0.min(col), c1.max(last));
                let cells = (e.1 - e.0 + 1).saturating_mul(e.3 - e.2 + 1);
                if e.1 - e.0 + 1 > limits.rows as u64 || before.saturating_add(cells) > span_limit {
                    let others = if before > 0 {
                        format!(", and the sheets before it {} more", group(before))
                    } else {
                        String::new()
                    };
                    let sheet = sheet
                        .as_deref()
                        .map_or("a sheet".to_string(), |n| format!("sheet {:?}", crate::domain::text::for_terminal(n)));
                    return fail(format!(
                        "{sheet} has cells spanning {} rows × {} columns (a cell at {}{others})",
                        group(e.1 - e.0 + 1),
                        group(e.3 - e.2 + 1),
                        a1(row as usize, last as usize)
                    ));
                }
                extent = Some(e);
            }
            // Dimensions: first row, row after the last, first column, column after the last
            0x0200 => {
                let (rf, rl, cf, cl) = match rec.len() {
                    10 => (u16_at(rec, 0), u16_at(rec, 2), u16_at(rec, 4), u16_at(rec, 6)),
                    14 | 16 => (u32_at(rec, 0), u32_at(rec, 4), u16_at(rec, 8), u16_at(rec, 10)),
                    _ => continue,
                };
                let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                if rl == 0 || cl == 0 {
                    continue;
                }
                if rf >= rl {
                    return fail(format!("a sheet's dimensions record is damaged (rows {rf} to {rl})"));
                }
                let cells = (rl - rf).saturating_mul(cl - cf);
                if rl - rf > limits.rows as u64 || cl - cf > limits.columns as u64 || cells > span_limit {
                    return fail(format!("a sheet declares {} rows × {} columns", rl - rf, cl - cf));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A BoundSheet8 record's sheet name: its length, then Latin-1 bytes or UTF-16 units.
fn bound_sheet_name(rec: &[u8]) -> String {
    let (n, wide) = (rec[6] as usize, rec[7] & 1 == 1);
    if wide {
        let units: Vec<u16> = rec[8..].chunks_exact(2).take(n).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        rec[8..].iter().take(n).map(|&b| b as char).collect()
    }
}

/// An ods workbook's content scanned (streamed, bounded memory) before calamine reads it: it
/// allocates the rectangle up to the last cell with a value, and repeated empty rows and
/// columns ("number-rows-repeated") can push that cell a billion cells away in a 1 KB file.
pub(super) fn check_ods(path: &Path, label: &str, limits: &Limits) -> Result<(), SheetError> {
    use quick_xml::events::{BytesStart, Event};
    let Ok(file) = std::fs::File::open(path) else { return Ok(()) };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else { return Ok(()) };
    let Ok(content) = zip.by_name("content.xml") else { return Ok(()) };
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let attr = |e: &BytesStart, name: &str| -> Option<String> {
        e.attributes().flatten().find(|a| a.key.0 == name).map(|a| a.value.to_string())
    };
    let repeat = |e: &BytesStart, name: &str| attr(e, name).and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1);
    let (mut table, mut row, mut col, mut rows_here) = (String::new(), 0u64, 0u64, 1u64);
    let mut extent = (0u64, 0u64, false);
    // calamine allocates each sheet's rectangle (to its last value): the sum over the sheets
    // before this one, bounded with this one's
    let spanned = |e: (u64, u64, bool)| if e.2 { (e.0 + 1).saturating_mul(e.1 + 1) } else { 0 };
    let mut before = 0u64;
    let mut buf = Vec::new();
    loop {
        let event = match xml.read_event_into(&mut buf) {
            Ok(e) => e,
            // calamine reports a damaged xml in its own words
            Err(_) => return Ok(()),
        };
        let (e, open) = match &event {
            Event::Start(e) => (e.clone(), true),
            Event::Empty(e) => (e.clone(), false),
            Event::End(e) if e.name().0 == "table:table-row" => {
                row = row.saturating_add(rows_here);
                buf.clear();
                continue;
            }
            Event::Eof => break,
            _ => {
                buf.clear();
                continue;
            }
        };
        match e.name().0 {
            "table:table" => {
                before = before.saturating_add(spanned(extent));
                (table, row, col, extent) = (attr(&e, "table:name").unwrap_or_default(), 0, 0, (0, 0, false));
            }
            "table:table-row" => {
                rows_here = repeat(&e, "table:number-rows-repeated");
                col = 0;
                if !open {
                    row = row.saturating_add(rows_here);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = repeat(&e, "table:number-columns-repeated");
                if attr(&e, "office:value-type").is_some() || open {
                    let last_row = row.saturating_add(rows_here - 1);
                    let last_col = col.saturating_add(n - 1);
                    extent = (extent.0.max(last_row), extent.1.max(last_col), true);
                    let cells = before.saturating_add(spanned(extent));
                    if extent.0 >= limits.rows as u64
                        || extent.1 >= limits.columns as u64
                        || cells > super::formats::span_limit(limits) as u64
                    {
                        return Err(ods_limit(label, &table, (last_row, last_col), (extent, before), limits));
                    }
                }
                col = col.saturating_add(n);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// An ods sheet whose repeated empty rows and columns span more than the limits, alone or with
/// the sheets before it (`before` cells).
fn ods_limit(
    label: &str,
    table: &str,
    (last_row, last_col): (u64, u64),
    (extent, before): ((u64, u64, bool), u64),
    limits: &Limits,
) -> SheetError {
    let group = |n: u64| crate::domain::numbers::group_digits(&n.to_string());
    let with_others =
        if before > 0 { format!(", and the sheets before it {} more", group(before)) } else { String::new() };
    SheetError::Limit {
        file: label.into(),
        what: format!(
            "sheet {table:?} has a value at {} (its repeated empty rows and columns span {} rows × {} columns{with_others})",
            a1(last_row.min(usize::MAX as u64) as usize, last_col.min(usize::MAX as u64) as usize),
            group(extent.0 + 1),
            group(extent.1 + 1)
        ),
        limit: format!(
            "{} rows, {} columns and {} cells spanned across the sheets",
            group(limits.rows as u64),
            limits.columns,
            group(super::formats::span_limit(limits) as u64)
        ),
        setting: if extent.0 >= limits.rows as u64 {
            "rows"
        } else if extent.1 >= limits.columns as u64 {
            "columns"
        } else {
            "cells"
        },
    }
}

/// Whether a file starts as an OLE compound file does.
pub(super) fn starts_as_ole(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok()
        && head == *b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
}
