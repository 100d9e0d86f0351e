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
# ROADSHOW_SCHEDULE_TOOL measures another build the same way (e.g. one before a change).
ROADSHOW = os.environ.get("ROADSHOW_SCHEDULE_TOOL") or os.path.join(HERE, "..", "target", "release", "roadshow")
EXACT = {"small", "medium", "scarce", "dense"}  # HiGHS proves these within its limit here
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


# Seeded instances per shape: the first seed of each is the instance earlier runs reported.
SEEDS = {
    "small": [schedule_instances.SEED, 1, 2, 3, 4],
    "medium": [schedule_instances.SEED, 1, 2, 3],
    "scarce": [schedule_instances.SEED, 1, 2, 3, 4, 5],
    "dense": [schedule_instances.SEED, 1, 2, 3, 4, 5],
    "large": [schedule_instances.SEED],
}


def main():
    only = set(os.environ.get("SCHEDULE_SHAPES", "").split(",")) - {""}
    rows = []
    solved = []  # (shape, proven optimal, ours seconds, HiGHS seconds or None)
    with tempfile.TemporaryDirectory() as tmp:
        for name, seeds in SEEDS.items():
            if only and name not in only:
                continue
            for seed in seeds:
                instance = schedule_instances.generate(name, seed)
                path = os.path.join(tmp, f"{name}-{seed}.json")
                with open(path, "w") as f:
                    json.dump(instance, f)
                ours, peak = run_ours(path)
                greedy, greedy_s = schedule_instances.greedy(instance)
                highs = run_highs(path) if name in EXACT else None
                optimum = highs["objective"] if highs and highs["status"] == "Optimal" else None
                gap = 100.0 * (ours["upper_bound"] - ours["objective"]) / max(ours["upper_bound"], 1)
                share = lambda v: f"{100.0 * v / optimum:.2f} %" if optimum else "–"
                c, h, s, _, _ = schedule_instances.SIZES[name]
                label = "" if seed == schedule_instances.SEED else f" seed {seed}"
                highs_cells = (f"{optimum if optimum is not None else '–'} | {highs['seconds']:.2f} s"
                               if highs else "– | –")
                rows.append(
                    f"| {name}{label} ({c} companies, {h} hosts, {s} slots, {len(instance['requests'])} requests) "
                    f"| {ours['objective']} | {ours['upper_bound']} | {gap:.3f} % | {'yes' if ours['optimal'] else 'no'} "
                    f"| {ours['seconds']:.3f} s | {peak / 1024:.0f} MB | {highs_cells} "
                    f"| {share(ours['objective'])} | {greedy} ({share(greedy)}, {greedy_s:.2f} s) |"
                )
                solved.append((name, ours["optimal"], ours["seconds"], highs["seconds"] if optimum else None))
                print(rows[-1], file=sys.stderr)
    print("| instance | objective | upper bound | gap | proven optimal | time | peak RSS "
          "| HiGHS optimum | HiGHS time | ours / optimum | greedy (share, time) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    print()
    print("| shape | instances | proven optimal | faster than HiGHS | our time (median) | HiGHS time (median) |")
    print("|---|---|---|---|---|---|")
    for name in SEEDS:
        runs = [r for r in solved if r[0] == name]
        if not runs:
            continue
        timed = [r for r in runs if r[3] is not None]
        faster = sum(1 for r in timed if r[1] and r[2] < r[3])
        median = lambda xs: sorted(xs)[len(xs) // 2] if xs else None
        ours_m = median([r[2] for r in runs])
        highs_m = median([r[3] for r in timed])
        print(f"| {name} | {len(runs)} | {sum(1 for r in runs if r[1])} of {len(runs)} "
              f"| {f'{faster} of {len(timed)}' if timed else '–'} | {ours_m:.3f} s "
              f"| {f'{highs_m:.2f} s' if highs_m is not None else '–'} |")


if __name__ == "__main__":
    main()
