"""`oneprice serve` (the web dashboard) and `oneprice users ...` (its accounts)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, load
from oneprice.errors import UserError

users_app = typer.Typer(help="Dashboard users: add, change passwords, disable, list.", no_args_is_help=True)


class RoleOpt(StrEnum):
    viewer = "viewer"
    brand_manager = "brand_manager"
    channel_ops = "channel_ops"
    admin = "admin"


class LanguageOpt(StrEnum):
    zh = "zh-CN"
    en = "en"


def serve_cmd(
    config: ConfigOpt = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: web.host, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (default: web.port, 8800).")] = None,
) -> None:
    """Serve the web dashboard over the configured database.

    Example: ONEPRICE_SECRET_KEY=$(openssl rand -hex 32) oneprice -c config/oneprice.yaml serve --port 8800
    """
    import uvicorn

    from oneprice.web.app import create_app, secret_key_of

    loaded = load(config)
    secret_key_of(loaded)  # refuse before touching the database
    db = composition.open_database(loaded)
    app = create_app(loaded, db, reload_config=lambda: load(config))
    web = loaded.settings.web
    host, port = host or web.host, port or web.port
    console.print(f"oneprice dashboard on http://{host}:{port}/ (Ctrl+C stops it)", markup=False, highlight=False)
    uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False, server_header=False)


def _password(password_stdin: bool, confirm: bool = True) -> str:
    from oneprice.web.security import MIN_PASSWORD_LENGTH

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=confirm)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    return password


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin (scripts).")
]


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="Login name.")],
    role: Annotated[RoleOpt, typer.Option(help="viewer, brand_manager, channel_ops or admin.")] = RoleOpt.viewer,
    language: Annotated[LanguageOpt, typer.Option(help="zh-CN or en.")] = LanguageOpt.zh,
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
    password_stdin: PasswordStdin = False,
    config: ConfigOpt = None,
) -> None:
    """Add a dashboard user (asks for the password twice).

    Example: oneprice -c config/demo.yaml users add li.wei --role brand_manager --language zh-CN
    """
    from oneprice.storage.users import Role, UserRepository
    from oneprice.web.security import hash_password

    if not username.strip() or len(username) > 64 or any(c.isspace() for c in username):
        raise UserError("a user name is 1-64 characters without spaces")
    db = composition.open_database(load(config))
    user = UserRepository(db).add(
        username, hash_password(_password(password_stdin)), Role(role.value), language=language.value, display_name=name
    )
    console.print(f"added user {user.username} ({user.role.value})", markup=False, highlight=False)


@users_app.command("passwd")
def users_passwd(
    username: Annotated[str, typer.Argument(help="Login name.")],
    password_stdin: PasswordStdin = False,
    config: ConfigOpt = None,
) -> None:
    """Set a user's password; their open sessions end.

    Example: oneprice -c config/demo.yaml users passwd li.wei
    """
    from oneprice.storage.users import UserRepository
    from oneprice.web.security import hash_password

    db = composition.open_database(load(config))
    UserRepository(db).set_password(username, hash_password(_password(password_stdin)))
    console.print(f"password of {username} changed; their sessions ended", markup=False, highlight=False)


@users_app.command("disable")
def users_disable(
    username: Annotated[str, typer.Argument(help="Login name.")],
    enable: Annotated[bool, typer.Option("--enable", help="Enable the user again instead.")] = False,
    config: ConfigOpt = None,
) -> None:
    """Disable a user (they can no longer log in; their sessions end), or enable them again.

    Example: oneprice -c config/demo.yaml users disable li.wei
    """
    from oneprice.storage.users import UserRepository

    db = composition.open_database(load(config))
    UserRepository(db).set_active(username, enable)
    console.print(f"{username} {'enabled' if enable else 'disabled'}", markup=False, highlight=False)


@users_app.command("list")
def users_list(config: ConfigOpt = None) -> None:
    """List dashboard users.

    Example: oneprice -c config/demo.yaml users list
    """
    from oneprice.storage.users import UserRepository

    db = composition.open_database(load(config))
    table = Table(title="Dashboard users")
    for col in ("user", "name", "role", "language", "active", "created"):
        table.add_column(col)
    for u in UserRepository(db).list():
        table.add_row(
            Text(u.username),
            Text(u.display_name or ""),
            u.role.value,
            u.language,
            "yes" if u.active else "no",
            u.created_at.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_cmd)
    app.add_typer(users_app, name="users")
