//! The board paper as it prints: the size its charts print at.

use crate::report::{read_zip, read_zip_bytes, reported};

/// Every chart in the board paper is printed no smaller than it is drawn: charts are drawn at
/// 150 dpi with text of 17 px or more, so at 153 dpi or fewer their labels and keys print at 8 pt
/// or more (a full-size chart shrunk to a third of the page printed its key at 3 pt).
#[test]
fn the_board_papers_charts_print_their_text_at_8_pt_or_more() {
    let (_ws, out) = reported();
    let path = out.join("board-paper.docx");
    let xml = read_zip(&path, "word/document.xml");
    let rels = read_zip(&path, "word/_rels/document.xml.rels");
    let rels = roxmltree::Document::parse(&rels).unwrap();
    let target = |id: &str| {
        rels.descendants()
            .find(|n| n.attribute("Id") == Some(id))
            .and_then(|n| n.attribute("Target"))
            .unwrap()
            .to_string()
    };
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let mut seen = 0;
    for inline in doc.descendants().filter(|n| n.tag_name().name() == "inline") {
        let cx: f64 = inline
            .children()
            .find(|n| n.tag_name().name() == "extent")
            .and_then(|n| n.attribute("cx"))
            .unwrap()
            .parse()
            .unwrap();
        let embed = inline.descendants().find(|n| n.tag_name().name() == "blip").unwrap();
        let id = embed.attributes().find(|a| a.name() == "embed").unwrap().value();
        let png = read_zip_bytes(&path, &format!("word/{}", target(id)));
        let px = u32::from_be_bytes(png[16..20].try_into().unwrap());
        let dpi = f64::from(px) / (cx / 914_400.0);
        assert!(dpi <= 153.0, "{id}: {px} px printed {:.2} in wide, {dpi:.0} dpi", cx / 914_400.0);
        seen += 1;
    }
    assert!(seen > 40, "{seen} charts");
}
