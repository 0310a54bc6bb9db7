//! The report page's inline stylesheet (screen and A4 print) and its one small script.

pub(crate) const CSS: &str = r#"
:root { --ink: #222; --muted: #555; --rule: #ccc; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; line-height: 1.4; font-size: 11pt; }
h1 { font-size: 1.6rem; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.25rem; border-bottom: 2px solid var(--ink); padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.4rem; }
.meta { color: var(--muted); margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.6rem 0 1rem; font-size: 0.92em; }
th, td { border: 1px solid var(--rule); padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; }
th { background: #eef1f6; }
td.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
thead { display: table-header-group; }
.rag { display: inline-block; min-width: 4.6em; padding: 0.05rem 0.35rem; border-radius: 0.25rem; color: #fff; font-weight: bold; text-align: center; }
.rag-red { background: #D55E00; } .rag-amber { background: #E69F00; color: #000; } .rag-green { background: #009E73; } .rag-grey { background: #999; color: #000; }
.reward { display: inline-block; padding: 0 0.35rem; border: 2px solid; border-radius: 0.8rem; font-size: 0.85em; white-space: nowrap; }
.reward-red { border-color: #D55E00; } .reward-amber { border-color: #E69F00; } .reward-green { border-color: #009E73; } .reward-grey { border-color: #999; }
.headline { display: flex; gap: 0.8rem; flex-wrap: wrap; margin: 0.8rem 0; }
.tile { border: 1px solid var(--rule); border-radius: 0.4rem; padding: 0.5rem 0.9rem; min-width: 7rem; }
.tile .n { font-size: 1.8rem; font-weight: bold; display: block; }
.panel { border: 1px solid var(--rule); border-radius: 0.4rem; padding: 0.8rem; margin: 0.8rem 0; break-inside: avoid; page-break-inside: avoid; }
.panel .figs { width: auto; }
.chart svg { width: 100%; height: auto; }
.src { color: var(--muted); font-size: 0.85em; word-break: break-all; }
.note { color: var(--muted); }
/* widths follow the content: text wraps at spaces only, never inside a word */
table.exceptions { table-layout: auto; }
table.exceptions td { overflow-wrap: normal; word-break: normal; hyphens: manual; }
details summary { cursor: pointer; color: var(--muted); font-size: 0.9em; }
details ul { margin: 0.2rem 0 0.2rem 1rem; padding: 0; }
th[aria-sort] { cursor: pointer; }
th[aria-sort="ascending"]::after { content: " \25B2"; } th[aria-sort="descending"]::after { content: " \25BC"; }
.filters { display: flex; gap: 1rem; align-items: center; margin: 0.6rem 0; padding: 0.4rem 0.6rem; background: #f6f7f9; border-radius: 0.3rem; }
[hidden] { display: none !important; }
@page { size: A4 portrait; margin: 15mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  section.major { break-before: page; page-break-before: always; }
  section.first { break-before: auto; page-break-before: auto; }
  tr, .tile { break-inside: avoid; page-break-inside: avoid; }
  /* a heading stays with what follows; a short table or a panel's figures move whole rather
     than leave a row alone on a page */
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  #changes table, #themes table, table.figs, .panel table { break-inside: avoid; page-break-inside: avoid; }
  .rag { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  th, .tile, .panel { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .filters { display: none; }
}
"#;

/// Sorting and filtering, inline (no network, nothing stored). Without it every table and panel
/// shows in the report's order, and the filters never appear.
pub(crate) const SCRIPT: &str = r#"
(function () {
  function key(cell) {
    var t = (cell.getAttribute('data-sort') || cell.textContent).trim();
    var n = parseFloat(t.replace(/[£,%\s]/g, ''));
    return isNaN(n) || !/^[-(£\d.,%\s]/.test(t) ? t.toLowerCase() : n;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.setAttribute('aria-sort', 'none');
      th.addEventListener('click', function () {
        var asc = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.filter.call(body.rows, function (r) { return !r.classList.contains('total'); });
        var totals = Array.prototype.filter.call(body.rows, function (r) { return r.classList.contains('total'); });
        rows.sort(function (a, b) {
          var x = key(a.cells[col]), y = key(b.cells[col]);
          if (typeof x !== typeof y) { x = String(x); y = String(y); }
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.concat(totals).forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  var items = document.querySelectorAll('[data-theme][data-rating]');
  if (!items.length) { return; }
  var bar = document.createElement('div');
  bar.className = 'filters';
  function select(label, attr) {
    var seen = {}, s = document.createElement('select');
    s.innerHTML = '<option value="">all</option>';
    items.forEach(function (e) {
      var v = e.getAttribute(attr), text = e.getAttribute(attr + '-name') || v;
      if (!seen[v]) { seen[v] = 1; var o = document.createElement('option'); o.value = v; o.textContent = text; s.appendChild(o); }
    });
    var l = document.createElement('label');
    l.textContent = label + ' ';
    l.appendChild(s);
    bar.appendChild(l);
    return s;
  }
  var theme = select('Theme', 'data-theme'), rating = select('Rating', 'data-rating');
  function apply() {
    items.forEach(function (e) {
      e.hidden = (theme.value && e.getAttribute('data-theme') !== theme.value) ||
        (rating.value && e.getAttribute('data-rating') !== rating.value);
    });
  }
  theme.addEventListener('change', apply);
  rating.addEventListener('change', apply);
  var first = document.getElementById('exceptions') || document.getElementById('indicators');
  first.parentNode.insertBefore(bar, first);
})();
"#;
