//! The folder scan: which files of a returns folder are read, and for every other file the one
//! reason it is not (an unsupported format with what to save it as, an Office lock file, a
//! hidden file, a link to a folder). Nothing in the folder is passed over silently.

use std::path::{Path, PathBuf};

/// The formats a return may come in, by extension.
pub const RETURN_EXTENSIONS: [&str; 8] = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "tsv", "txt"];

/// A file (or folder) of the returns folder that is not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PassedOver {
    pub path: PathBuf,
    pub reason: String,
    /// Whether the partner's figures may be in it (an unsupported format), as opposed to a
    /// lock file or a hidden file that never holds a return.
    pub may_hold_values: bool,
}

/// What a scan of a returns folder found.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// The files to read, sorted.
    pub files: Vec<PathBuf>,
    /// Everything else, sorted by path, each with its reason.
    pub passed_over: Vec<PassedOver>,
}

/// Scan a folder and its subfolders. Symbolic links to folders are not followed (a link back up
/// the tree would never end) but listed; a link to a file is read like the file.
pub fn scan(dir: &Path) -> std::io::Result<Scan> {
    let mut out = Scan::default();
    if dir.exists() {
        walk(dir, &mut out)?;
    }
    out.files.sort();
    out.passed_over.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn walk(dir: &Path, out: &mut Scan) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let kind = entry.file_type()?;
        let skip = |reason: &str, may_hold_values: bool| PassedOver {
            path: path.clone(),
            reason: reason.to_string(),
            may_hold_values,
        };
        if name.starts_with("~$") {
            out.passed_over
                .push(skip("an Office lock file (the workbook is open somewhere; it holds no values)", false));
        } else if name.starts_with('.') {
            let what = if kind.is_dir() { "a hidden folder" } else { "a hidden file" };
            out.passed_over.push(skip(&format!("{what} (names starting with '.' are not read)"), false));
        } else if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_symlink() && path.is_dir() {
            out.passed_over.push(skip("a link to a folder (not followed; put the returns themselves here)", true));
        } else if is_return(&path) {
            out.files.push(path);
        } else {
            out.passed_over.push(skip(&unsupported_reason(&path), true));
        }
    }
    Ok(())
}

/// Whether a file's name says it is a format `laa` reads.
pub fn is_return(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    RETURN_EXTENSIONS.contains(&ext.as_str())
}

/// Why a file of another format is not read, and what to save it as.
pub fn unsupported_reason(path: &Path) -> String {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let save = "open it in Excel or LibreOffice and save it as .xlsx";
    match ext.as_str() {
        "xml" => format!("an XML file (often an Excel 2003 XML Spreadsheet, or another system's export): {save}"),
        "numbers" => "an Apple Numbers file: in Numbers, use File > Export To > Excel and put the .xlsx here".into(),
        "pdf" => "a PDF, which holds no cells to read: ask the partner for the spreadsheet itself".into(),
        "htm" | "html" | "mht" | "mhtml" => format!("a web page: {save}"),
        "doc" | "docx" | "odt" | "rtf" => {
            "a word-processor document: ask for the return as a spreadsheet (.xlsx)".into()
        }
        "zip" | "7z" | "rar" | "gz" => "an archive: extract the returns in it into this folder".into(),
        "xlt" | "xltx" | "xltm" | "ots" => format!("a spreadsheet template: {save}"),
        "xlam" | "xla" => "an Excel add-in, not a return".into(),
        "msg" | "eml" => "an e-mail: save the return attached to it into this folder".into(),
        "" => format!("a file with no extension, so its format is unknown: {save}"),
        other => format!(
            "a .{other} file, not a format laa reads (.xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv or .txt): {save}"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_read_or_listed_with_its_reason() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::create_dir(d.join(".git")).unwrap();
        for name in
            ["a.xlsx", "b.XLSB", "sub/c.csv", "d.pdf", "e.xml", "f.numbers", "~$a.xlsx", ".DS_Store", "noext", "g.docx"]
        {
            std::fs::write(d.join(name), b"x").unwrap();
        }
        let s = scan(d).unwrap();
        let names = |v: Vec<&PathBuf>| -> Vec<String> {
            v.iter().map(|p| p.strip_prefix(d).unwrap().to_string_lossy().into_owned()).collect()
        };
        assert_eq!(names(s.files.iter().collect()), ["a.xlsx", "b.XLSB", "sub/c.csv"]);
        assert_eq!(
            names(s.passed_over.iter().map(|p| &p.path).collect()),
            [".DS_Store", ".git", "d.pdf", "e.xml", "f.numbers", "g.docx", "noext", "~$a.xlsx"]
        );
        // ten files and the hidden folder, each once: read or listed
        assert_eq!(s.files.len() + s.passed_over.len(), 11);
        let reason = |n: &str| s.passed_over.iter().find(|p| p.path.ends_with(n)).unwrap().reason.clone();
        assert!(reason("e.xml").contains("save it as .xlsx"));
        assert!(reason("f.numbers").contains("Export To > Excel"));
        assert!(reason("~$a.xlsx").contains("lock file"));
        assert!(reason(".DS_Store").contains("hidden file"));
        assert!(s.passed_over.iter().filter(|p| p.may_hold_values).count() == 5);
    }
}
