"""Dashboard users, their login sessions, and login attempts (the rate limiter's memory).

Passwords arrive here already hashed (argon2, by the web layer); session tokens are stored
only as their SHA-256, so a copy of the database opens no session.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from oneprice.errors import UserError
from oneprice.storage.db import Database
from oneprice.storage.tables.web import LoginAttemptRow, SessionRow, UserRow


class Role(StrEnum):
    """What a user may do: viewers read; brand managers act on alerts; channel ops run sync; admins all."""

    VIEWER = "viewer"
    BRAND_MANAGER = "brand_manager"
    CHANNEL_OPS = "channel_ops"
    ADMIN = "admin"


LANGUAGES = ("zh-CN", "en")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    display_name: str | None
    role: Role
    language: str
    active: bool
    created_at: datetime
    password_changed_at: datetime

    def can_act_on_alerts(self) -> bool:
        return self.role in (Role.BRAND_MANAGER, Role.ADMIN)


def _to_user(r: UserRow) -> User:
    return User(
        id=r.id,
        username=r.username,
        display_name=r.display_name,
        role=Role(r.role),
        language=r.language,
        active=r.active,
        created_at=r.created_at,
        password_changed_at=r.password_changed_at,
    )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        username: str,
        password_hash: str,
        role: Role,
        *,
        language: str = "zh-CN",
        display_name: str | None = None,
    ) -> User:
        if language not in LANGUAGES:
            raise UserError(f"unknown language {language!r} (expected one of {', '.join(LANGUAGES)})")
        now = datetime.now(UTC)
        with self.db.session() as s:
            if s.scalar(select(UserRow.id).where(UserRow.username == username)) is not None:
                raise UserError(f"user {username!r} already exists")
            row = UserRow(
                username=username,
                display_name=display_name,
                password_hash=password_hash,
                role=role.value,
                language=language,
                active=True,
                created_at=now,
                password_changed_at=now,
            )
            s.add(row)
            s.flush()
            return _to_user(row)

    def get(self, user_id: int) -> User | None:
        with self.db.session() as s:
            row = s.get(UserRow, user_id)
            return _to_user(row) if row else None

    def by_username(self, username: str) -> tuple[User, str] | None:
        """The user and their password hash, or None."""
        with self.db.session() as s:
            row = s.scalar(select(UserRow).where(UserRow.username == username))
            return (_to_user(row), row.password_hash) if row else None

    def list(self) -> list[User]:
        with self.db.session() as s:
            return [_to_user(r) for r in s.scalars(select(UserRow).order_by(UserRow.username))]

    def _require(self, s: Session, username: str) -> UserRow:
        row = s.scalar(select(UserRow).where(UserRow.username == username))
        if row is None:
            raise UserError(f"no user {username!r}")
        return row

    def set_password(self, username: str, password_hash: str) -> None:
        """Change the hash and end every session of the user."""
        with self.db.session() as s:
            row = self._require(s, username)
            row.password_hash, row.password_changed_at = password_hash, datetime.now(UTC)
            s.execute(delete(SessionRow).where(SessionRow.user_id == row.id))

    def rehash(self, user_id: int, password_hash: str) -> None:
        """Store a stronger hash of the same password (argon2 parameters were raised)."""
        with self.db.session() as s:
            row = s.get_one(UserRow, user_id)
            row.password_hash = password_hash

    def set_active(self, username: str, active: bool) -> None:
        """Enable or disable a user; disabling ends every session."""
        with self.db.session() as s:
            row = self._require(s, username)
            row.active = active
            if not active:
                s.execute(delete(SessionRow).where(SessionRow.user_id == row.id))

    def set_language(self, user_id: int, language: str) -> None:
        if language not in LANGUAGES:
            raise UserError(f"unknown language {language!r}")
        with self.db.session() as s:
            s.get_one(UserRow, user_id).language = language


class SessionRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, user_id: int, token: str, lifetime: timedelta) -> None:
        now = datetime.now(UTC)
        with self.db.session() as s:
            s.execute(delete(SessionRow).where(SessionRow.expires_at < now))
            s.add(
                SessionRow(
                    token_sha256=token_digest(token),
                    user_id=user_id,
                    created_at=now,
                    expires_at=now + lifetime,
                )
            )

    def user_for(self, token: str) -> User | None:
        """The active user owning an unexpired session with this token, or None."""
        now = datetime.now(UTC)
        with self.db.session() as s:
            row = s.execute(
                select(UserRow, SessionRow.expires_at)
                .join(SessionRow, SessionRow.user_id == UserRow.id)
                .where(SessionRow.token_sha256 == token_digest(token))
            ).first()
            if row is None or row[1] <= now or not row[0].active:
                return None
            return _to_user(row[0])

    def end(self, token: str) -> None:
        with self.db.session() as s:
            s.execute(delete(SessionRow).where(SessionRow.token_sha256 == token_digest(token)))


class LoginAttemptRepository:
    """Failed logins per username and per client address, counted over a sliding window."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, username: str, client: str, success: bool, at: datetime | None = None) -> None:
        at = at or datetime.now(UTC)
        with self.db.session() as s:
            s.add(LoginAttemptRow(username=username[:64], client=client[:64], at=at, success=success))
            # Old attempts say nothing about the window any more.
            s.execute(delete(LoginAttemptRow).where(LoginAttemptRow.at < at - timedelta(days=1)))

    def failures(self, *, since: datetime, username: str | None = None, client: str | None = None) -> int:
        """Failures since `since` for a username (counted from its last success) or a client address.

        A client's count is not reset by a success, so logging into one's own account between
        guesses at another does not lift the limit.
        """
        with self.db.session() as s:
            q = (
                select(func.count())
                .select_from(LoginAttemptRow)
                .where(LoginAttemptRow.at >= since, LoginAttemptRow.success.is_(False))
            )
            if client is not None:
                q = q.where(LoginAttemptRow.client == client[:64])
            if username is not None:
                q = q.where(LoginAttemptRow.username == username[:64])
                ok_at = s.scalar(
                    select(func.max(LoginAttemptRow.at)).where(
                        LoginAttemptRow.username == username[:64], LoginAttemptRow.success.is_(True)
                    )
                )
                if ok_at is not None:
                    q = q.where(LoginAttemptRow.at > ok_at)
            return int(s.scalar(q) or 0)
