"""Turns bench/run.sh's measurements into bench/RESULTS.md (printed to stdout).

    python3 bench/results.py OUT AREAS ROUNDS
"""

import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

out, areas, rounds = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
growth = int(sys.argv[4]) if len(sys.argv) > 4 else 0
growth_rounds = int(sys.argv[5]) if len(sys.argv) > 5 else rounds

walls = {}
for r in range(1, rounds + 1):
    for res in json.load(open(out / f"round-{r}.json"))["results"]:
        walls.setdefault(res["command"], []).extend(res["times"])
for res in json.load(open(out / "demo.json"))["results"]:
    walls.setdefault(res["command"], []).extend(res["times"])


def peak_mib(name):
    p = out / f"mem-{name}.txt"
    if not p.exists():
        return None
    kib = [int(line.split(",")[1]) for line in p.read_text().splitlines() if "," in line]
    return max(kib) / 1024 if kib else None


def med(name):
    return statistics.median(walls[name]) if name in walls else None


def fmt_s(v):
    return "–" if v is None else f"{v:.2f} s"


def fmt_m(v):
    return "–" if v is None else f"{v:,.0f} MiB"


cpu = "unknown"
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
try:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
except OSError:
    commit = "?"

laa, pc, po, cal = med("laa"), med("pandas+calamine"), med("pandas+openpyxl"), med("calamine-read")
cal_all = med("calamine-read-all")
imp, rate, demo = med("laa-import"), med("laa-rate"), med("demo-report")
values = (areas + 1) * 198 * 12


def timed(path):
    """(median wall, peak MiB) of /usr/bin/time's "wall,maxrss" lines, or None."""
    if not path.exists():
        return None
    rows = [line.split(",") for line in path.read_text().splitlines() if "," in line]
    if not rows:
        return None
    return statistics.median(float(r[0]) for r in rows), max(int(r[1]) for r in rows) / 1024


def growth_table():
    if not growth:
        return ""
    big = (areas * growth + 1) * 198 * 12
    lines = [
        f"## Growth: 1× and {growth}× the data",
        "",
        f"The same job at {areas} areas ({values:,} values) and at {areas * growth} areas ({big:,} values, "
        f"{big / values:.2f}× as many), alternating sizes in each of {growth_rounds} rounds; wall time is the median, "
        "memory the largest peak resident set (`/usr/bin/time`). Each import starts from an empty store; "
        f"the report at {growth}× is checked to have written every output.",
        "",
        f"| command | 1× wall | 1× peak | {growth}× wall | {growth}× peak | time grows | memory grows | "
        f"under 1 GiB, time ≤ ×{growth * 1.1:.1f} |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, what in [("import", "`laa import` (empty store)"), ("rate", "`laa rate --area all --format json`"),
                       ("changes", "`laa rate --area all --changes --with-revisions --format json`"),
                       ("report", "`laa report`"), ("reward", "`laa reward --format json`"),
                       ("status", "`laa status`"), ("verify", "`laa store verify`"),
                       ("history", "`laa history 'NI 1' --format csv`")]:
        one, many = timed(out / f"growth-1-{name}.txt"), timed(out / f"growth-{growth}-{name}.txt")
        if not one or not many:
            continue
        t, m = many[0] / one[0], many[1] / one[1]
        ok = many[1] < 1024 and t <= growth * 1.1
        lines.append(f"| {what} | {fmt_s(one[0])} | {fmt_m(one[1])} | {fmt_s(many[0])} | {fmt_m(many[1])} | "
                     f"×{t:.2f} | ×{m:.2f} | {'yes' if ok else 'no'} |")
    return "\n".join(lines) + "\n"

print(f"""# Benchmark results

Written by `bash bench/run.sh` (this file is generated; edit `bench/results.py`). Commit {commit},
{os.cpu_count()} cores ({cpu}), {platform.platform()}.

**Data** (`examples/national_bench.rs`): {areas} area returns and a national one × all 198 national
indicators × 12 quarters (2008/09 Q1 – 2010/11 Q4) = {values:,} values in {areas + 1} `.xlsx`
workbooks; nine in ten *wide* (a column per quarter, below two title rows, one value in 23 typed
as text), one in ten *long*. The agreement rates every indicator as a quarterly snapshot and
gives reward terms to every tenth higher-is-better one.

**Job**: read every return, rate every indicator in every area for the latest quarter, project
reward, one trend chart per indicator (PNG and SVG), an Excel workbook with every value beside it.
For `laa`: `laa import && laa report` from an empty store (the report also writes the HTML page
and the Word board paper). For the peer: `bench/peer/pipeline.py` (pandas; `requirements.txt`
pins it), with each Excel engine. Before anything is timed, `run.sh` checks that the peer and
`laa rate --area all` give the same rating for every indicator × area.

**Method**: hyperfine, {rounds} rounds, each running every command once in turn (alternating);
wall time is the median; peak memory is the largest maximum resident set of any run
(`/usr/bin/time`), for `laa` the larger of import and report.

| pipeline | wall (median) | peak memory | `laa` is faster by |
|---|---|---|---|
| `laa import` + `laa report` | {fmt_s(laa)} | {fmt_m(peak_mib("laa"))} | – |
| pandas + python-calamine + matplotlib | {fmt_s(pc)} | {fmt_m(peak_mib("pandas+calamine"))} | {pc / laa:.1f}× |
| pandas + openpyxl + matplotlib | {fmt_s(po)} | {fmt_m(peak_mib("pandas+openpyxl"))} | {po / laa:.1f}× |
| every cell read with calamine in Rust, one thread (`bench/calamine_read.rs`) | {fmt_s(cal)} | {fmt_m(peak_mib("calamine-read"))} | – |
| every cell read with calamine in Rust, every core (`--all-cores`) | {fmt_s(cal_all)} | {fmt_m(peak_mib("calamine-read-all"))} | – |

| step | wall (median) | peak memory |
|---|---|---|
| `laa import` (empty store) | {fmt_s(imp)} | {fmt_m(peak_mib("laa-import"))} |
| `laa rate --area all --format json` | {fmt_s(rate)} | {fmt_m(peak_mib("laa-rate"))} |
| the demo's whole report (`laa report`, default workspace) | {fmt_s(demo)} | {fmt_m(peak_mib("demo-report"))} |

| target (issues #10 and #20) | measured | met |
|---|---|---|
| end to end ≥ 15× faster than pandas + python-calamine (#20; 10× in #10) | {pc / laa:.1f}× | {"yes" if pc / laa >= 15 else "no"} |
| end to end ≥ 20× faster than pandas + openpyxl | {po / laa:.1f}× | {"yes" if po / laa >= 20 else "no"} |
| import within 1.5× of the bare calamine read, one thread (#20; 2× in #10) | {imp / cal:.1f}× | {"yes" if imp / cal <= 1.5 else "no"} |
| import within 1.5× of the bare calamine read, every core (#37: the fair floor for a parallel import) | {imp / (cal_all or cal):.1f}× | {"yes" if imp / (cal_all or cal) <= 1.5 else "no"} |
| peak memory under 500 MiB, import and report | {fmt_m(peak_mib("laa"))} | {"yes" if (peak_mib("laa") or 1e9) < 500 else "no"} |
| `laa rate` on the national store under 0.4 s (#20; 0.5 s in #10) | {fmt_s(rate)} | {"yes" if rate < 0.4 else "no"} |
| the demo's whole report under 0.5 s | {fmt_s(demo)} | {"yes" if demo < 0.5 else "no"} |

{growth_table()}""")
notes = Path(__file__).with_name("NOTES.md")
if notes.exists():
    print(notes.read_text())
# each other bench script's results, its title one level down: the reader's sweep
# (layouts.sh), comparison with other areas (benchmarks.sh), the server under load (serve.sh),
# hostile files (hostile.sh)
for name in ["LAYOUTS.md", "BENCHMARKS.md", "SERVE.md", "HOSTILE.md"]:
    part = Path(__file__).with_name(name)
    if part.exists():
        text = part.read_text()
        print(text.replace("# ", "## ", 1) if text.startswith("# ") else text)
