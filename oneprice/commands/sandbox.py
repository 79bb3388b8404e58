"""`oneprice sandbox serve` and `oneprice demo`: the local marketplace and the whole cycle on it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from oneprice.app import console
from oneprice.commands.common import ConfigOpt, config_file, load
from oneprice.errors import UserError

sandbox_app = typer.Typer(help="The local marketplace emulator.", no_args_is_help=True)

DEMO_CONFIG = Path("config/demo.yaml")


@sandbox_app.command("serve")
def sandbox_serve(
    config: ConfigOpt = None,
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (the demo config expects 8700).")] = 8700,
) -> None:
    """Run the local marketplace (channel APIs + storefront pages) in the foreground.

    Example: oneprice -c config/demo.yaml sandbox serve --port 8700
    """
    from sandbox import Sandbox

    loaded = load(config_file(config) or DEMO_CONFIG)
    sb = Sandbox.from_config(loaded)
    console.print(f"sandbox on http://{host}:{port}/ (Ctrl-C stops)", markup=False)
    try:
        sb.serve_forever(host=host, port=port)
    except OSError as e:
        raise UserError(f"cannot serve the sandbox on {host}:{port}: {e.strerror or e} (try --port)") from None


def demo_cmd(config: ConfigOpt = None) -> None:
    """Start a sandbox on a free port, then sync apply, crawl and evaluate against it, and summarise.

    Example: oneprice -c config/demo.yaml demo
    """
    from oneprice.demo import run_demo

    run_demo(config_file(config) or DEMO_CONFIG)


def register(app: typer.Typer) -> None:
    app.add_typer(sandbox_app, name="sandbox")
    app.command("demo")(demo_cmd)
