"""Composition root helpers: find and load the config, open the database, set up logging."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.logging import RichHandler

from oneprice.settings.loader import LoadedConfig, load_config
from oneprice.settings.watch import store_catalog
from oneprice.storage import Database

DEFAULT_CONFIG = Path("config/oneprice.yaml")

# Piped output (CI logs, `make demo | tee`) gets room for the tables instead of Rich's 80 columns.
_WIDTH = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 140
console = Console(width=_WIDTH)
err_console = Console(stderr=True, width=_WIDTH)


def config_path(explicit: Path | None) -> Path:
    """-c FILE, else $ONEPRICE_CONFIG, else config/oneprice.yaml."""
    if explicit is not None:
        return explicit
    env = os.environ.get("ONEPRICE_CONFIG")
    return Path(env) if env else DEFAULT_CONFIG


def load(path: Path | None) -> LoadedConfig:
    """Load and validate the config, checking each channel against its adapter kind."""
    from adapters import channel_validators

    return load_config(config_path(path), channel_validators=channel_validators())


def open_database(config: LoadedConfig, *, mirror: bool = True) -> Database:
    """Open (and migrate) the configured database; `mirror` copies the catalog into it first.

    Commands that only read (runs, status, lists) pass mirror=False.
    """
    db = Database.open(config.database_url(), echo=config.settings.database.echo)
    if mirror:
        store_catalog(config, db)
    return db


class JsonFormatter(logging.Formatter):
    """One JSON object per line (for journald, Loki, ELK): time, level, logger, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        doc = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            doc["exception"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


def setup_logging(level: str = "INFO") -> None:
    """Rich log lines on stderr (markup off: arguments may carry scraped text), or JSON lines
    when ONEPRICE_LOG_FORMAT=json."""
    handler: logging.Handler
    if os.environ.get("ONEPRICE_LOG_FORMAT", "").lower() == "json":
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
    else:
        handler = RichHandler(console=err_console, show_path=False, markup=False, rich_tracebacks=False)
    handler.addFilter(_scrub_record)
    logging.basicConfig(level=level.upper(), handlers=[handler], format="%(message)s", force=True)
    for noisy in ("scrapy", "twisted", "urllib3", "alembic", "filelock"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))


def _scrub_record(record: logging.LogRecord) -> bool:
    """Hide remembered secrets (config values from the environment) in every log line."""
    from oneprice.settings.secrets import scrub

    message = record.getMessage()
    if record.exc_info:  # the traceback's exception text may quote a secret too
        message += "\n" + logging.Formatter().formatException(record.exc_info)
        record.exc_info, record.exc_text = None, None
    clean = scrub(message)
    if clean != record.msg or record.args:
        record.msg, record.args = clean, None
    return True


def masked_database(config: LoadedConfig) -> str:
    from oneprice.settings import mask_secret

    return mask_secret(config.database_url())
