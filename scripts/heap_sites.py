#!/usr/bin/env python3
"""What holds the memory, from a dhat heap profile (dhat-heap.json): the allocation sites
with the most bytes live at the heap's peak and at the end of the run, each named by the
first frame of Roadshow's own code on its stack (and the frame that allocated)."""
import json
import re
import sys

profile = json.load(open(sys.argv[1]))
frames = profile["ftbl"]


def name(frame):
    # "0x1234: crate::path::fn (src/file.rs:12:5)" -> "crate::path::fn (file.rs:12)"
    text = frame.split(": ", 1)[-1]
    fn, _, where = text.partition(" (")
    where = where.rstrip(")")
    parts = where.rsplit(":", 2)
    short = "/".join(parts[0].split("/")[-2:]) + (":" + parts[1] if len(parts) > 1 else "")
    return f"{fn} ({short})" if where else fn


CRATE = re.compile(r"(?:^|[ (/])([A-Za-z0-9_-]+)-[0-9]+\.[0-9]+\.[0-9]+[^/ ]*/src/")
OURS = re.compile(r"roadshow\w*(?:::\w+)+")


def site(pp):
    stack = [frames[i] for i in pp["fs"]]
    ours = next((f for f in stack if "roadshow_" in f and "dhat" not in f), None)
    # The first library on the stack below the allocator, for what Roadshow's own code
    # does not name (a dependency's start-up, the runtime).
    library = next(
        (m.group(1) for f in stack if (m := CRATE.search(f)) and m.group(1) != "dhat"),
        None,
    )
    # The innermost of Roadshow's paths the frame names (a frame of generic code names
    # its types and closures too).
    where = (OURS.findall(ours) or [name(ours)])[-1] if ours else "(no Roadshow frame)"
    return f"{where} — in {library}" if library else where


pps = profile["pps"]
for key, title in (("gb", "at the heap's peak"), ("eb", "at the end of the run")):
    total = sum(p.get(key, 0) for p in pps)
    # One line per Roadshow frame: many stacks end in the same place of our code.
    by_site = {}
    for p in pps:
        s = site(p)
        b, n = by_site.get(s, (0, 0))
        by_site[s] = (b + p.get(key, 0), n + p.get(key + "k", 0))
    print(f"Heap {title}: {total / 1e6:.1f} MB live")
    print()
    print("| MB | blocks | where (first Roadshow frame on the stack) |")
    print("| --- | --- | --- |")
    for s, (b, n) in sorted(by_site.items(), key=lambda kv: -kv[1][0])[:12]:
        print(f"| {b / 1e6:.2f} | {n} | `{s}` |")
    print()
print(f"Allocated over the run: {sum(p['tb'] for p in pps) / 1e9:.2f} GB in {sum(p['tbk'] for p in pps)} blocks")
