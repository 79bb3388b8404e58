"""The `web:` section: the dashboard's listen address, session secret, cookies and login limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator

from oneprice.settings.base import Strict


class WebSettings(Strict):
    """`secret_key` signs session cookies and CSRF tokens; `oneprice serve` refuses to start without it."""

    host: str = "127.0.0.1"
    port: int = Field(default=8800, ge=1, le=65535)
    secret_key: SecretStr | None = None
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    # Set true when the dashboard is served over HTTPS (it should be, beyond localhost).
    cookie_secure: bool = False
    cookie_samesite: Literal["lax", "strict"] = "lax"
    login_max_failures: int = Field(default=5, ge=1)
    login_window_minutes: int = Field(default=15, ge=1)
    default_language: Literal["zh-CN", "en"] = "zh-CN"
    page_size: int = Field(default=50, ge=10, le=500)

    @field_validator("secret_key")
    @classmethod
    def _long_enough(cls, v: SecretStr | None) -> SecretStr | None:
        if v is None or v.get_secret_value() == "":
            return None  # `${ONEPRICE_SECRET_KEY:-}` left empty: `oneprice serve` says what to do
        if len(v.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters (e.g. `openssl rand -hex 32`)")
        return v
