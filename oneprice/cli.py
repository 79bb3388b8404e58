"""The `oneprice` command line; each area's commands live in oneprice/commands/.

Errors the user can fix print one line per problem and exit 2, without a traceback.
"""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer

from oneprice import app as composition
from oneprice.app import err_console
from oneprice.commands import alerts, crawl, daemon, sandbox, web
from oneprice.commands.common import ROOT, ConfigOpt
from oneprice.commands.config import config_app, db_app
from oneprice.commands.sync import sync_app
from oneprice.errors import ConfigError, OnepriceError, UserError

log = logging.getLogger(__name__)

app = typer.Typer(
    help="oneprice: one product, one price on every channel.\n\n"
    "Sync the brand's listings to its own stores, crawl resellers, alert on undercutting.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.callback()
def root(
    config: ConfigOpt = None,
    log_level: Annotated[str, typer.Option("--log-level", envvar="ONEPRICE_LOG_LEVEL")] = "INFO",
) -> None:
    """Options here apply to every command: `oneprice -c config/demo.yaml alerts list`."""
    ROOT["config"] = config
    composition.setup_logging(log_level)


app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")
app.add_typer(sync_app, name="sync")
crawl.register(app)
alerts.register(app)
sandbox.register(app)
daemon.register(app)
web.register(app)


def main() -> None:
    """Console entry point: user errors exit 2 with one line per problem, no traceback."""
    try:
        app()
    except ConfigError as e:
        for problem in e.problems:
            err_console.print(str(problem), markup=False, highlight=False)
        sys.exit(2)
    except UserError as e:
        err_console.print(f"error: {e}", markup=False, highlight=False)
        sys.exit(2)
    except OnepriceError as e:
        log.debug("failed", exc_info=True)
        err_console.print(f"error: {e}", markup=False, highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
