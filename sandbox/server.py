"""A tiny HTTP layer for the sandbox: request/response values, a regex router, a threaded server.

Built on the standard library only; every request is logged through `logging`.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

logger = logging.getLogger(__name__)

MAX_BODY = 16 * 1024 * 1024


@dataclass
class Request:
    """One HTTP request as the handlers see it; `params` holds the route's named groups."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: Mapping[str, str]
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)
    base_url: str = ""

    def arg(self, name: str) -> str | None:
        """The last value of a query-string parameter, or None."""
        values = self.query.get(name)
        return values[-1] if values else None

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None

    def json(self) -> Any:
        """The body parsed as JSON (ValueError when it is not JSON)."""
        if not self.body:
            return None
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Response:
    """What a handler answers; build it with `json`, `html` or `text`."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return cls(status, body, "application/json; charset=UTF-8", dict(headers or {}))

    @classmethod
    def html(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode("utf-8"), "text/html; charset=utf-8")

    @classmethod
    def text(cls, text: str, status: int = 200) -> Response:
        return cls(status, text.encode("utf-8"), "text/plain; charset=utf-8")


Handler = Callable[[Request], Response]


@dataclass(frozen=True)
class Route:
    methods: frozenset[str]
    pattern: re.Pattern[str]
    handler: Handler


class Router:
    """First route whose method set and full-path regex match wins; otherwise `fallback`."""

    def __init__(self, fallback: Handler | None = None) -> None:
        self.routes: list[Route] = []
        self.fallback: Handler = fallback or (lambda request: Response.text("not found\n", 404))

    def add(self, methods: str | Iterable[str], pattern: str, handler: Handler) -> None:
        names = [methods] if isinstance(methods, str) else list(methods)
        self.routes.append(Route(frozenset(m.upper() for m in names), re.compile(pattern), handler))

    def dispatch(self, request: Request) -> Response:
        for route in self.routes:
            m = route.pattern.fullmatch(request.path)
            if m and request.method in route.methods:
                request.params = {k: unquote(v) for k, v in m.groupdict().items() if v is not None}
                return route.handler(request)
        return self.fallback(request)


class _Handler(BaseHTTPRequestHandler):
    """Turns each HTTP request into a `Request` for the server's router."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms delayed-ACK stall
    server_version = "oneprice-sandbox/0.1"
    server: SandboxHTTPServer

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        try:
            body = self._read_body()
        except ValueError as e:
            self.close_connection = True  # the rest of the body is still on the wire
            self._send(Response.text(f"{e}\n", 413 if "too large" in str(e) else 400))
            return
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        request = Request(
            method=self.command,
            path=parts.path or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            headers=dict(self.headers.items()),
            body=body,
            base_url=f"http://{host}",
        )
        try:
            response = self.server.router.dispatch(request)
        except Exception:
            logger.exception("sandbox: %s %s failed", self.command, self.path)
            response = Response.json(
                {
                    "code": "internal_server_error",
                    "message": "Sandbox handler failed.",
                    "data": {"status": 500},
                },
                500,
            )
        self._send(response)

    def _read_body(self) -> bytes:
        """The request body, by Content-Length or chunked transfer coding; ValueError when unreadable."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks: list[bytes] = []
            total = 0
            while True:
                size = int(self.rfile.readline(1024).split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailer fields
                    return b"".join(chunks)
                total += size
                if total > MAX_BODY:
                    raise ValueError("request body too large")
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        raw = self.headers.get("Content-Length") or "0"
        if not raw.isdigit():
            raise ValueError("bad Content-Length")
        length = int(raw)
        if length > MAX_BODY:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length else b""

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve
    do_PATCH = _serve
    do_DELETE = _serve
    do_HEAD = _serve

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        status = code.value if isinstance(code, HTTPStatus) else code
        logger.info("sandbox: %s %s -> %s", self.command, re.sub(r"(token|secret)=[^&]*", r"\1=***", self.path), status)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("sandbox: " + format, *args)


class SandboxHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that hands every request to one `Router`."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], router: Router) -> None:
        self.router = router
        super().__init__(address, _Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class BackgroundServer:
    """Runs a `SandboxHTTPServer` on a daemon thread until `stop()`."""

    def __init__(self, router: Router, host: str, port: int) -> None:
        self.httpd = SandboxHTTPServer((host, port), router)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="oneprice-sandbox", daemon=True)

    @property
    def url(self) -> str:
        return self.httpd.url

    def start(self) -> str:
        self.thread.start()
        logger.info("sandbox: listening on %s", self.url)
        return self.url

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
        logger.info("sandbox: stopped %s", self.url)
