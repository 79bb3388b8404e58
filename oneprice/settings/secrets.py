"""Masking of secrets for printing and logging: the value never leaves, its shape does."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def _is_host_name(host: str) -> bool:
    """A real host (db.example.com, 127.0.0.1, ::1, db), not a long token in the host's place."""
    return "." in host or ":" in host or len(host) < 16


def mask_secret(value: str) -> str:
    """Hide a secret; for URLs keep scheme, host and path so the reader knows where it points.

    >>> mask_secret("postgresql://app:hunter2@db:5432/prices")
    'postgresql://***@db:5432/prices'
    >>> mask_secret("dingtalk://0123456789abcdef0123456789abcdef/")
    'dingtalk://***/'
    >>> mask_secret("cs_live_0123456789")
    '***'
    """
    if not _URL_RE.match(value):
        return "***"
    if value.startswith("sqlite"):  # a file path, no credentials
        return value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "***"
    if host and not _is_host_name(host):  # dingtalk://TOKEN/, wecombot://KEY: the "host" is the secret
        host = "***"
    userinfo = "***@" if parts.username or parts.password else ""
    query = "?***" if parts.query else ""
    path = re.sub(r"/[^/]{16,}", "/***", parts.path)  # long path segments are usually tokens
    return f"{parts.scheme}://{userinfo}{host}{port}{path}{query}"


# Environment variables whose values are secrets by their name (the config's `${NAME}` placeholders).
SECRET_NAME = re.compile(
    r"SECRET|TOKEN|PASSW|PASS$|PWD|KEY|CREDENTIAL|AUTH|PRIVATE|SESSION|COOKIE|DATABASE_URL|DSN", re.IGNORECASE
)
_MIN_LENGTH = 6  # shorter values would blank out ordinary words
_known: set[str] = set()


def remember(value: str) -> None:
    """Note a secret value (and the password inside a URL) so `scrub` hides it wherever it shows up."""
    if not value or value.startswith("sqlite"):  # a database file's path is no secret
        return
    if not _URL_RE.match(value):
        if len(value) >= _MIN_LENGTH:
            _known.add(value)
        return
    # A URL: the parts mask_secret hides are the secrets (password, query, long path segments,
    # a token in the host's place); the rest is where it points, which errors should still say.
    try:
        parts = urlsplit(value)
        pieces = [parts.password or "", parts.query]
        pieces += [s for s in parts.path.split("/") if len(s) >= 16]
        if parts.hostname and not _is_host_name(parts.hostname):
            pieces.append(parts.hostname)
    except ValueError:
        pieces = [value]
    _known.update(p for p in pieces if len(p) >= _MIN_LENGTH)


def scrub(text: str) -> str:
    """`text` with every remembered secret replaced by '***' (error messages, printed config, logs)."""
    for secret in sorted(_known, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, "***")
    return text
