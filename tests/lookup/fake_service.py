"""A real HTTP server on 127.0.0.1 that plays scripted replies, standing in for NDL Search
and openBD. Each path has a list of Reply; each request takes the next one (the last one
repeats). Requests are recorded with their query and arrival time."""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> bytes:
    """A fixture's bytes by its path under tests/lookup/fixtures."""
    return (FIXTURES / name).read_bytes()


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str | None = "application/xml; charset=utf-8"
    delay: float = 0.0           # before the status line: a slow or hanging server
    truncate_to: int | None = None  # send only this many body bytes, then close
    headers: dict = field(default_factory=dict)
    trickle: float = 0.0         # seconds between single body bytes


@dataclass
class Seen:
    path: str
    query: dict
    at: float


class FakeService:
    def __init__(self):
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Seen] = []
        self.release = threading.Event()  # set at stop: frees handlers that are hanging
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                url = urlsplit(self.path)
                service.requests.append(Seen(url.path, parse_qs(url.query), time.monotonic()))
                replies = service.routes.get(url.path) or [Reply(b"not here", 404, "text/plain")]
                reply = replies.pop(0) if len(replies) > 1 else replies[0]
                if reply.delay and service.release.wait(reply.delay):
                    return
                self.send_response(reply.status)
                if reply.content_type:
                    self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                body = reply.body
                if reply.truncate_to is not None:
                    body = body[: reply.truncate_to]
                    self.close_connection = True
                    self.send_header("Connection", "close")
                self.end_headers()
                try:
                    if reply.trickle:
                        for index in range(len(body)):
                            if service.release.wait(reply.trickle):
                                return
                            self.wfile.write(body[index:index + 1])
                            self.wfile.flush()
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def count(self, path: str) -> int:
        return sum(1 for seen in self.requests if seen.path == path)

    def start(self) -> "FakeService":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
