"""Pinduoduo request signing: MD5(client_secret + sorted `key+value` pairs + client_secret), uppercase hex.

Pure; object parameters are signed as the exact JSON strings that are sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def sign_base(params: Mapping[str, str]) -> str:
    """Every parameter except `sign`, sorted by name, as `key+value` with no separators."""
    return "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign")


def pdd_sign(params: Mapping[str, str], client_secret: str) -> str:
    """The `sign` parameter of a Pinduoduo open platform call."""
    key = client_secret.encode("utf-8")
    return hashlib.md5(key + sign_base(params).encode("utf-8") + key).hexdigest().upper()  # noqa: S324 - the platform signs with MD5
