"""Uploads returns to a running `laa serve` and times each, from the first byte sent to the last
byte of the answer: 200 in sequence, then 20 at once. Prints a markdown table and the server's
memory (from /proc) after them.

    python3 bench/serve_load.py --url http://127.0.0.1:PORT/l/TOKEN --pid PID --template FILE

Each upload is the health theme's 2009/10 Q1 return (the demo's CSV) with NI 123's figure changed,
so each is a real revision: read, checked, and written to the store under its lock.
"""

import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse
from pathlib import Path


def body_of(template: str, n: int) -> tuple[bytes, str]:
    """The template with NI 123's figure made unique to upload n, as a multipart body."""
    lines = template.splitlines()
    out = []
    for line in lines:
        if line.startswith("NI 123,"):
            cells = line.split(",")
            cells[2] = str(1000 + n)
            line = ",".join(cells)
        out.append(line)
    data = ("\r\n".join(out) + "\r\n").encode()
    boundary = f"laa-bench-{n:06d}"
    body = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="period"\r\n\r\n2009/10 Q1\r\n'
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="health-{n}.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def send(url: str, body: bytes, ctype: str) -> tuple[float, int, str]:
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=300)
    start = time.perf_counter()
    conn.request("POST", u.path + "/upload", body, {"Content-Type": ctype, "Accept": "application/json"})
    r = conn.getresponse()
    answer = r.read()
    took = time.perf_counter() - start
    conn.close()
    state = ""
    try:
        state = json.loads(answer).get("state", "")
    except ValueError:
        pass
    return took, r.status, state


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    # nearest rank
    k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def memory(pid: int) -> tuple[int, int]:
    """The server's resident set now and at its peak, in KiB."""
    rss = hwm = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        if line.startswith("VmHWM:"):
            hwm = int(line.split()[1])
    return rss, hwm


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--template", required=True)
    ap.add_argument("--sequence", type=int, default=200)
    ap.add_argument("--at-once", type=int, default=20)
    a = ap.parse_args()
    template = Path(a.template).read_text()
    rss0, _ = memory(a.pid)

    seq, states = [], {}
    for n in range(a.sequence):
        took, status, state = send(a.url, *body_of(template, n))
        seq.append(took)
        states[(status, state)] = states.get((status, state), 0) + 1
    rss_seq, _ = memory(a.pid)

    conc, lock = [], threading.Lock()
    bodies = [body_of(template, a.sequence + n) for n in range(a.at_once)]
    go = threading.Barrier(a.at_once)

    def one(b):
        go.wait()
        took, status, state = send(a.url, *b)
        with lock:
            conc.append(took)
            states[(status, state)] = states.get((status, state), 0) + 1

    threads = [threading.Thread(target=one, args=(b,)) for b in bodies]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    rss_end, hwm = memory(a.pid)

    ms = lambda s: f"{s * 1000:.0f} ms"
    print("| uploads | p50 | p99 | slowest | all done in |")
    print("|---|---|---|---|---|")
    print(f"| {a.sequence} in sequence | {ms(statistics.median(seq))} | {ms(pct(seq, 99))} | {ms(max(seq))} | {sum(seq):.1f} s |")
    print(f"| {a.at_once} at once | {ms(statistics.median(conc))} | {ms(pct(conc, 99))} | {ms(max(conc))} | {wall:.1f} s |")
    print()
    answers = ", ".join(f"{n} × {s} {st or '(no state)'}" for (s, st), n in sorted(states.items()))
    print(f"Answers: {answers}.")
    print()
    mib = lambda k: f"{k / 1024:.0f} MiB"
    print(f"Server memory (resident): {mib(rss0)} before, {mib(rss_seq)} after the sequence, "
          f"{mib(rss_end)} after the {a.at_once} at once; peak {mib(hwm)}.")


if __name__ == "__main__":
    main()
