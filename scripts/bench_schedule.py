#!/usr/bin/env python3
"""Runs the scheduler benchmark (see scripts/bench-schedule.sh) and prints the table."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import schedule_instances  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROADSHOW = os.path.join(HERE, "..", "target", "release", "roadshow")
EXACT = {"small", "medium", "scarce"}  # HiGHS proves these within its limit here
LIMIT_MS = int(os.environ.get("SCHEDULE_LIMIT_MS", "9500"))


def run_ours(path):
    """Our solver as a user runs it; the peak memory is this process's own (wait4)."""
    out = path + ".out.json"
    child = subprocess.Popen([ROADSHOW, "schedule", "--instance", path, "--out", out,
                              "--time-limit-ms", str(LIMIT_MS)], stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"roadshow schedule failed on {path}")
    with open(out) as f:
        result = json.load(f)
    return result, usage.ru_maxrss


def run_highs(path):
    proc = subprocess.run([sys.executable, os.path.join(HERE, "schedule_highs.py"), path, "600"],
                          check=True, capture_output=True, text=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in ["small", "medium", "scarce", "large"]:
            instance = schedule_instances.generate(name)
            path = os.path.join(tmp, f"{name}.json")
            with open(path, "w") as f:
                json.dump(instance, f)
            ours, peak = run_ours(path)
            greedy, greedy_s = schedule_instances.greedy(instance)
            highs = run_highs(path) if name in EXACT else None
            optimum = highs["objective"] if highs and highs["status"] == "Optimal" else None
            gap = 100.0 * (ours["upper_bound"] - ours["objective"]) / max(ours["upper_bound"], 1)
            share = lambda v: f"{100.0 * v / optimum:.2f} %" if optimum else "–"
            c, h, s, _, _ = schedule_instances.SIZES[name]
            rows.append(
                f"| {name} ({c} companies, {h} hosts, {s} slots, {len(instance['requests'])} requests) "
                f"| {ours['objective']} | {ours['upper_bound']} | {gap:.3f} % | {'yes' if ours['optimal'] else 'no'} "
                f"| {ours['seconds']:.3f} s | {peak / 1024:.0f} MB "
                f"| {optimum if optimum is not None else '–'} | {highs['seconds']:.2f} s |".replace("| {highs", "|")
                if highs else
                f"| {name} ({c} companies, {h} hosts, {s} slots, {len(instance['requests'])} requests) "
                f"| {ours['objective']} | {ours['upper_bound']} | {gap:.3f} % | {'yes' if ours['optimal'] else 'no'} "
                f"| {ours['seconds']:.3f} s | {peak / 1024:.0f} MB | – | – |"
            )
            rows[-1] += f" {share(ours['objective'])} | {greedy} ({share(greedy)}, {greedy_s:.2f} s) |"
            print(rows[-1], file=sys.stderr)
    print("| instance | objective | upper bound | gap | proven optimal | time | peak RSS "
          "| HiGHS optimum | HiGHS time | ours / optimum | greedy (share, time) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)


if __name__ == "__main__":
    main()
