"""Masking of secrets for printing and logging: the value never leaves, its shape does."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_URL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def mask_secret(value: str) -> str:
    """Hide a secret; for URLs keep scheme, host and path so the reader knows where it points.

    >>> mask_secret("postgresql://app:hunter2@db:5432/prices")
    'postgresql://***@db:5432/prices'
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
    userinfo = "***@" if parts.username or parts.password else ""
    query = "?***" if parts.query else ""
    path = re.sub(r"/[^/]{16,}", "/***", parts.path)  # long path segments are usually tokens
    return f"{parts.scheme}://{userinfo}{host}{port}{path}{query}"
