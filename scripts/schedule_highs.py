#!/usr/bin/env python3
"""Solves a 1:1 meeting scheduling instance (the JSON of `roadshow schedule`) exactly with
HiGHS as a MILP, for the benchmark's reference optimum.

x[r,s] = 1 when request r meets in slot s (both available). Maximise the total weight
subject to: each request at most once; each company at most one meeting per slot and at
most its maximum; each host at most its capacity per slot.

usage: schedule_highs.py INSTANCE.json [TIME_LIMIT_S]   prints objective, bound, seconds
"""
import json
import sys
import time

import highspy
import numpy as np


def main():
    with open(sys.argv[1]) as f:
        inst = json.load(f)
    limit = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    started = time.perf_counter()
    slot_index = {s: i for i, s in enumerate(inst["slots"])}
    cap = {h["id"]: h["capacity"] for h in inst["hosts"]}
    host_av = {h["id"]: {slot_index[s] for s in h["available"]} for h in inst["hosts"]}
    comp_av = {c["id"]: {slot_index[s] for s in c["available"]} for c in inst["companies"]}
    max_m = {c["id"]: c["max_meetings"] for c in inst["companies"]}

    cols = []  # (request, slot)
    for r, req in enumerate(inst["requests"]):
        for s in sorted(host_av[req["host"]] & comp_av[req["company"]]):
            cols.append((r, s))
    rows = {}
    row_upper = []

    def row(key, upper):
        if key not in rows:
            rows[key] = len(row_upper)
            row_upper.append(upper)
        return rows[key]

    starts, index, value = [], [], []
    costs = []
    for r, s in cols:
        req = inst["requests"][r]
        c, h = req["company"], req["host"]
        starts.append(len(index))
        for key, upper in ((("r", r), 1), (("cs", c, s), 1), (("hs", h, s), cap[h]), (("c", c), max_m[c])):
            index.append(row(key, upper))
            value.append(1.0)
        costs.append(float(req["weight"]))

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("time_limit", limit)
    highs.setOptionValue("mip_rel_gap", 0.0)
    lp = highspy.HighsLp()
    n, m = len(cols), len(row_upper)
    lp.num_col_ = n
    lp.num_row_ = m
    lp.col_cost_ = np.array(costs)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.ones(n)
    lp.row_lower_ = np.full(m, -highspy.kHighsInf)
    lp.row_upper_ = np.array(row_upper, dtype=float)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts + [len(index)], dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(value)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    highs.passModel(lp)
    built = time.perf_counter()
    highs.run()
    info = highs.getInfo()
    print(json.dumps({
        "objective": round(info.objective_function_value),
        "bound": info.mip_dual_bound,
        "status": highs.modelStatusToString(highs.getModelStatus()),
        "seconds": time.perf_counter() - built,
        "build_seconds": built - started,
    }))


if __name__ == "__main__":
    main()
