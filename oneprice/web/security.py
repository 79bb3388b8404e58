"""Passwords (argon2), session tokens, CSRF tokens and the security headers of every response."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, Signer

_hasher = PasswordHasher()

# No inline script anywhere: the dashboard's little JavaScript is a static file.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
# Scraped pages: nothing loads, nothing runs, and the document is sandboxed even when opened directly.
# base-uri and form-action do not fall back to default-src: they are named.
EVIDENCE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'self'; sandbox"
)

PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
EVIDENCE_HEADERS = {
    **PAGE_HEADERS,
    "Content-Security-Policy": EVIDENCE_CSP,
    "X-Frame-Options": "SAMEORIGIN",
    "Cache-Control": "private, no-store",
}

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return False


# Verifying against this keeps a login for an unknown user as slow as one for a known user.
DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Tokens:
    """Signs session cookies and derives CSRF tokens from one secret key."""

    def __init__(self, secret_key: str) -> None:
        self._key = secret_key.encode()
        self._cookie = Signer(secret_key, salt="oneprice.session")

    def sign_session(self, token: str) -> str:
        return self._cookie.sign(token).decode()

    def unsign_session(self, value: str) -> str | None:
        try:
            return self._cookie.unsign(value).decode()
        except BadSignature:
            return None

    def csrf_for(self, purpose: str, token: str) -> str:
        """A CSRF token bound to a session (or the login page's pre-session nonce)."""
        return hmac.new(self._key, f"csrf:{purpose}:{token}".encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, purpose: str, token: str, submitted: str | None) -> bool:
        return bool(submitted) and hmac.compare_digest(self.csrf_for(purpose, token), submitted or "")
