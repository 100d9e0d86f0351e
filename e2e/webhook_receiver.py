"""A webhook receiver that trusts nothing it cannot verify: each request is checked with
the Standard Webhooks specification's own Python library (`standardwebhooks` from PyPI),
answered 204 when the signature holds and 400 when it does not, and reported as one JSON
line on stdout. Usage: webhook_receiver.py PORT SECRET"""

import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT = int(sys.argv[1])
VERIFIER = Webhook(sys.argv[2])


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            payload = VERIFIER.verify(body, headers)
            report = {"ok": True, "id": headers.get("webhook-id"), "type": payload.get("type"), "data": payload.get("data")}
            self.send_response(204)
        except WebhookVerificationError as e:
            report = {"ok": False, "id": headers.get("webhook-id"), "error": str(e)}
            self.send_response(400)
        self.end_headers()
        print(json.dumps(report), flush=True)

    def log_message(self, *args):
        pass


HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
