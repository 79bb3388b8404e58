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
from oneprice.settings.secrets import scrub

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


def _say(text: str) -> None:
    err_console.print(scrub(text), markup=False, highlight=False, soft_wrap=True)  # one line per problem


def main() -> None:
    """Console entry point: user errors exit 2 with one line per problem, no traceback.

    Anything else that goes wrong prints one line and exits 1; `--log-level DEBUG` logs where it
    happened. Secrets never show: remembered secret values are scrubbed from every message.
    """
    try:
        app()
    except ConfigError as e:
        for problem in e.problems:
            _say(str(problem))
        sys.exit(2)
    except UserError as e:
        _say(f"error: {e}")
        sys.exit(2)
    except OnepriceError as e:
        log.debug("failed", exc_info=True)
        _say(f"error: {e}")
        sys.exit(1)
    except OSError as e:  # a file or directory the command needs (output paths, database files)
        log.debug("failed", exc_info=True)
        where = f"{e.filename}: " if e.filename else ""
        _say(f"error: {where}{e.strerror or e}")
        sys.exit(1)
    except Exception as e:  # a fault of oneprice itself: one line; the traceback at --log-level DEBUG
        log.debug("failed", exc_info=True)
        _say(f"error: unexpected {type(e).__name__}: {e} (run with --log-level DEBUG to see where)")
        sys.exit(1)


if __name__ == "__main__":
    main()
