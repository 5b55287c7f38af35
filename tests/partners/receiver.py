"""A local webhook receiver on 127.0.0.1: answers from a script (status codes, then 200), records every request."""

import http.server
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Received:
    headers: dict
    body: bytes
    status: int


@dataclass
class Receiver:
    script: list = field(default_factory=list)  # (status, headers, delay) answered in order; then 200
    requests: list = field(default_factory=list)
    server: http.server.ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def delivered_ids(self) -> list[str]:
        return [r.headers["webhook-id"] for r in self.requests if 200 <= r.status < 300]


def start(receiver: Receiver) -> Receiver:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            status, headers, delay = receiver.script.pop(0) if receiver.script else (200, {}, 0)
            if delay:
                time.sleep(delay)
            receiver.requests.append(Received({k.lower(): v for k, v in self.headers.items()}, body, status))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    receiver.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    return receiver
