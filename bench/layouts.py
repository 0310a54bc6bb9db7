#!/usr/bin/env python3
"""Read a folder of generated return forms (tests/fixtures/layouts/make_layouts.py) with laa and
check each against what its generator wrote: every value exact, every "no value" cell listed,
every number accounted for, every ambiguous form refused naming both readings.

Usage: python3 bench/layouts.py --laa target/release/laa --dir /tmp/layouts [--show 20]
Prints the pass rate, overall and by tool, by shape and by class of the reader's rules, and the
first failures.
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def demo_workspace():
    d = tempfile.mkdtemp()
    for f in ["partnership.toml", "agreement.xlsx", "priorities.xlsx"]:
        shutil.copy(os.path.join(REPO, "datasets", "demo", f), d)
    os.mkdir(os.path.join(d, "returns"))
    return d


def check(entry, got):
    name = entry["file"]
    if "error" in got:
        return [f"cannot be read: {got['error']}"]
    problems = got.get("problems", [])
    if entry.get("refused") == "no values":
        if not any("holds no values" in p for p in problems):
            return [f"holds no values, but not refused so: {problems[:2]}"]
        return []
    if entry.get("refused") == "two numbers":
        if not any("holds two numbers, not one value" in p for p in problems):
            return [f"a cell holds two numbers, but not refused so: {problems[:2]}"]
        return []
    if entry.get("refused"):
        if not any("two readings explain this table equally" in p for p in problems):
            return [f"ambiguous, but not refused naming both readings: {problems[:2]}"]
        return []
    if problems:
        return [f"refused: {problems[:3]}"]
    bad = []
    key = lambda v: (v["indicator"], v["area"], v["period"])
    read = {key(v): v for v in got["values"]}
    for e in entry["values"]:
        v = read.get(key(e))
        if v is None:
            bad.append(f"{key(e)} not read")
            continue
        if v["value"] != e["value"]:
            bad.append(f"{key(e)} read as {v['value']} (expected {e['value']})")
        for field in ["quality", "commentary", "self_rating"]:
            if v.get(field) != e.get(field):
                bad.append(f"{key(e)} {field} read as {v.get(field)!r} (expected {e.get(field)!r})")
    if len(got["values"]) != len(entry["values"]):
        bad.append(f"{len(got['values'])} values read, {len(entry['values'])} expected")
    if len(got["missing"]) != len(entry["missing"]):
        bad.append(f"{len(got['missing'])} cells said no value, {len(entry['missing'])} expected")
    if got["stored"] + len(got["accounted"]) != entry["numbers"]:
        bad.append(f"{entry['numbers']} numbers written, {got['stored']} stored + {len(got['accounted'])} accounted")
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--laa", default=os.path.join(REPO, "target", "release", "laa"))
    ap.add_argument("--dir", required=True)
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--json", help="write the summary here")
    args = ap.parse_args()
    manifest = json.load(open(os.path.join(args.dir, "expected.json"), encoding="utf-8"))
    ws = demo_workspace()
    groups = collections.defaultdict(list)
    for e in manifest["files"]:
        o = e["options"]
        groups[(o.get("period", ""), o.get("area", ""))].append(e)
    results = {}
    for (period, area), entries in groups.items():
        for chunk in range(0, len(entries), 500):
            batch = entries[chunk:chunk + 500]
            cmd = [args.laa, "--workspace", ws, "import", "--explain", "--format", "json"]
            if period:
                cmd += ["--period", period]
            if area:
                cmd += ["--area", area]
            cmd += [os.path.join(args.dir, e["file"]) for e in batch]
            out = subprocess.run(cmd, capture_output=True, text=True)
            try:
                got = {os.path.basename(f["file"]): f for f in json.loads(out.stdout)}
            except json.JSONDecodeError:
                print(out.stderr[:2000], file=sys.stderr)
                raise
            for e in batch:
                g = got.get(e["file"])
                results[e["file"]] = (e, ["not in the output"] if g is None else check(e, g))
    total = len(results)
    passed = sum(1 for e, b in results.values() if not b)
    print(f"{passed} of {total} files read exactly ({100.0 * passed / total:.1f}%)")
    for field in ["tool", "shape"]:
        by = collections.defaultdict(lambda: [0, 0])
        for e, b in results.values():
            by[e[field]][0] += not b
            by[e[field]][1] += 1
        print(f"by {field}: " + ", ".join(f"{k} {p}/{n}" for k, (p, n) in sorted(by.items())))
    # the reader's classes (a form may hold several; one holding none counts as "plain")
    by = collections.defaultdict(lambda: [0, 0])
    for e, b in results.values():
        for c in e.get("classes") or ["plain"]:
            by[c][0] += not b
            by[c][1] += 1
    print("by class: " + ", ".join(f"{k} {p}/{n}" for k, (p, n) in sorted(by.items())))
    shown = 0
    for name, (e, b) in sorted(results.items()):
        if b and shown < args.show:
            print(f"{name} ({e['tool']}, {e['shape']}, fixed {e['fixed']}): {b[0]}" + (f" (+{len(b) - 1} more)" if len(b) > 1 else ""))
            shown += 1
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"files": total, "passed": passed}, f)
    shutil.rmtree(ws)


if __name__ == "__main__":
    main()
