#!/usr/bin/env python3
"""Seeds the demo event for `scripts/bench overload` through the public API: 100
participants ask 50 questions each (5,000), and the organiser approves and answers
2,000 of them. Standard library only; 16 requests at a time.

Usage: overload_seed.py BASE_URL ORGANISER_TOKEN
"""
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor

BASE, TOKEN = sys.argv[1], sys.argv[2]
SLUG = "two-zones-germany"
TOPICS = [
    "Welche Förderung gibt es für Forschung und Entwicklung in Yizhuang?",
    "How long does the registration of a WFOE take in the Daxing free trade zone?",
    "Quelles sont les conditions du taux d'impôt réduit de 15 % ?",
    "Can our engineers get a work permit faster under the Two Zones policy?",
    "Gibt es Zuschüsse für die Miete in einem Industriepark in Shunyi?",
]


def call(method, path, body=None, token=None, retries=50):
    data = None if body is None else json.dumps(body).encode()
    for _ in range(retries):
        request = urllib.request.Request(BASE + path, data=data, method=method)
        request.add_header("content-type", "application/json")
        if token:
            request.add_header("authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as e:
            if e.code in (429, 503):
                continue
            raise SystemExit(f"{method} {path}: {e.code} {e.read()[:300]!r}")
    raise SystemExit(f"{method} {path}: still refused")


def participant(i):
    body = {
        "email": f"overload{i}@load.example", "name": f"Load {i}", "language": "de",
        "company": {"name": f"Last {i} GmbH", "country": "DE", "industry": "machinery", "size": "50-249"},
        "consent": True,
        "consents": {"cross_border": True, "contact": True},
    }
    return call("POST", f"/api/v1/events/{SLUG}/registrations", body)["token"]


def ask(args):
    token, n = args
    text = f"{TOPICS[n % len(TOPICS)]} ({n})"
    return call("POST", f"/api/v1/events/{SLUG}/questions", {"text": text}, token)["id"]


def answer(qid):
    call("POST", f"/api/v1/questions/{qid}/moderation", {"action": "approve"}, TOKEN)
    body = {"body": "Ja. Die Einzelheiten stehen in der Richtlinie; wir senden Ihnen die Unterlagen gern zu.", "live": True}
    call("POST", f"/api/v1/questions/{qid}/answers", body, TOKEN)


with ThreadPoolExecutor(16) as pool:
    tokens = list(pool.map(participant, range(100)))
    ids = list(pool.map(ask, [(tokens[n % 100], n) for n in range(5000)]))
    list(pool.map(answer, ids[:2000]))
print(f"seeded {len(ids)} questions, 2000 answered", file=sys.stderr)
