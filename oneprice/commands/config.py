"""`oneprice config check` and `oneprice db upgrade`."""

from __future__ import annotations

import typer
import yaml

from oneprice import app as composition
from oneprice.app import console
from oneprice.commands.common import ConfigOpt, config_file, load
from oneprice.settings import load_config, mask_secret, masked
from oneprice.settings.secrets import scrub

config_app = typer.Typer(help="Check and show the configuration.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@config_app.command("check")
def config_check(config: ConfigOpt = None) -> None:
    """Validate the config and its catalog; print the resolved config with secrets masked.

    Also parses the notice templates and asks Apprise whether each route URL is usable.

    Example: oneprice config check -c config/demo.yaml
    """
    from adapters import channel_validators

    loaded = load_config(
        composition.config_path(config_file(config)), channel_validators=channel_validators(), thorough=True
    )
    doc = masked(loaded.settings)
    doc["database"]["url_resolved"] = scrub(mask_secret(loaded.database_url()))
    console.print(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), markup=False, highlight=False)
    s = loaded.settings
    console.print(
        f"OK: {loaded.path}: {len(loaded.catalog.products)} products, {len(s.channels)} channels, "
        f"{len(s.resellers)} resellers, {len(s.watch)} watch targets",
        markup=False,
    )


@db_app.command("upgrade")
def db_upgrade(config: ConfigOpt = None) -> None:
    """Apply database migrations (also done automatically on first use).

    Example: oneprice -c config/demo.yaml db upgrade
    """
    from oneprice.storage import Database

    loaded = load(config)
    db = Database.open(loaded.database_url())
    console.print(f"database {mask_secret(db.url)} at revision {db.current_revision()}", markup=False)
