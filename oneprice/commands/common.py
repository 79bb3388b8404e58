"""Shared pieces of the command modules: the -c option, output formats, the root options."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from oneprice import app as composition
from oneprice.settings.loader import LoadedConfig

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "-c",
        "--config",
        help="Config file (default: $ONEPRICE_CONFIG, then config/oneprice.yaml).",
        show_default=False,
    ),
]


class Fmt(StrEnum):
    table = "table"
    json = "json"


class ListFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


ROOT: dict[str, Any] = {"config": None}


def config_file(explicit: Path | None) -> Path | None:
    """The command's -c, else the root's -c (`oneprice -c FILE cmd`), else None (defaults apply)."""
    return explicit if explicit is not None else ROOT["config"]


def load(explicit: Path | None) -> LoadedConfig:
    return composition.load(config_file(explicit))
