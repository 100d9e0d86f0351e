#!/usr/bin/env python3
"""Seeded generator of 1:1 meeting scheduling instances in the JSON form of
`roadshow schedule --instance` (docs/MEETINGS.md), and a plain greedy baseline.

Instances look like a brokerage day after a promotion: hosts differ in popularity (a few
departments and parks are asked by many), companies are available in a block of the day
that depends on their time zone, hosts have 1-3 tables, weights are the priorities
(must 3, want 2, nice 1) plus 2 where the host asked for the company too.

Shapes: small and medium (availability wide, the transport bound exact), scarce (companies
free a third of the day: their own slots bind), dense (many requests per company for few
hosts with few tables: the hosts' seats bind), large. SEED varies the instance within a
shape; the benchmark runs several seeds of each.

usage: schedule_instances.py generate NAME OUT.json [SEED]   (NAME: see SIZES)
       schedule_instances.py greedy INSTANCE.json             (prints objective and seconds)
"""
import json
import random
import sys
import time

SIZES = {
    # name: companies, hosts, slots, requests per company (mean), availability
    "small": (200, 20, 8, 6, 0.75),
    "medium": (1000, 50, 16, 8, 0.7),
    "large": (5000, 200, 24, 8, 0.7),
    "scarce": (150, 40, 12, 20, 0.35),
    "dense": (240, 24, 10, 12, 0.8),
}
SEED = 20261130


def generate(name, seed=SEED):
    companies_n, hosts_n, slots_n, per_company, availability = SIZES[name]
    rng = random.Random(f"{seed}-{name}")
    slots = [f"s{i}" for i in range(slots_n)]
    hosts = []
    popularity = []
    for h in range(hosts_n):
        available = [s for s in slots if rng.random() < 0.85]
        hosts.append({"id": f"h{h}", "capacity": rng.choice([1, 1, 2, 2, 3]), "available": available})
        popularity.append(1.0 / (1 + h) ** 0.6)
    companies = []
    requests = []
    for c in range(companies_n):
        # A block of the day (their morning or afternoon), with holes.
        start = rng.randrange(0, slots_n)
        length = max(2, int(slots_n * rng.uniform(availability - 0.2, availability + 0.2)))
        block = {(start + k) % slots_n for k in range(length)}
        available = [s for i, s in enumerate(slots) if i in block and rng.random() < 0.9]
        companies.append({"id": f"c{c}", "available": available, "max_meetings": rng.choice([3, 4, 4, 5, 6])})
        k = min(hosts_n, max(1, int(rng.gauss(per_company, per_company / 3))))
        chosen = set()
        while len(chosen) < k:
            chosen.add(rng.choices(range(hosts_n), weights=popularity)[0])
        for h in sorted(chosen):
            weight = rng.choice([3, 2, 2, 1, 1])
            if rng.random() < 0.1:
                weight += 2
            requests.append({"company": f"c{c}", "host": f"h{h}", "weight": weight})
    return {"slots": slots, "hosts": hosts, "companies": companies, "requests": requests}


def greedy(instance):
    """Heaviest request first, into the first slot both sides have free."""
    started = time.perf_counter()
    cap = {h["id"]: h["capacity"] for h in instance["hosts"]}
    host_av = {h["id"]: set(h["available"]) for h in instance["hosts"]}
    comp_av = {c["id"]: set(c["available"]) for c in instance["companies"]}
    max_m = {c["id"]: c["max_meetings"] for c in instance["companies"]}
    load, busy, count = {}, set(), {}
    total = 0
    order = sorted(range(len(instance["requests"])), key=lambda i: -instance["requests"][i]["weight"])
    for i in order:
        r = instance["requests"][i]
        c, h = r["company"], r["host"]
        if count.get(c, 0) >= max_m[c]:
            continue
        for s in instance["slots"]:
            if s in host_av[h] and s in comp_av[c] and (c, s) not in busy and load.get((h, s), 0) < cap[h]:
                busy.add((c, s))
                load[(h, s)] = load.get((h, s), 0) + 1
                count[c] = count.get(c, 0) + 1
                total += r["weight"]
                break
    return total, time.perf_counter() - started


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == "generate":
        seed = int(sys.argv[4]) if len(sys.argv) == 5 else SEED
        with open(sys.argv[3], "w") as f:
            json.dump(generate(sys.argv[2], seed), f)
    elif len(sys.argv) == 3 and sys.argv[1] == "greedy":
        with open(sys.argv[2]) as f:
            total, seconds = greedy(json.load(f))
        print(json.dumps({"objective": total, "seconds": seconds}))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
