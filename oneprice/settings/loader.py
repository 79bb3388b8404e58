"""Load YAML (+ ${ENV} placeholders) and the catalog CSV into frozen models.

Every problem found is reported at once as `FILE:LINE: field.path: message`.
YAML floats are read as strings, so `price: 12.30` reaches Decimal exactly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, SecretStr, ValidationError

from oneprice.domain.catalog import Catalog, Product
from oneprice.errors import ConfigError, Problem
from oneprice.settings.crosscheck import check_route_urls, check_settings, check_templates_dir
from oneprice.settings.models import Settings
from oneprice.settings.secrets import SECRET_NAME, remember, scrub

Loc = tuple[str | int, ...]
ChannelValidator = Callable[[Mapping[str, Any]], list[tuple[Loc, str]]]

_FLOAT_TAG = "tag:yaml.org,2002:float"


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps floats as strings (money must never pass through float)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _FLOAT_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_ENV_RE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-(.*?))?\}")


def format_loc(loc: Loc) -> str:
    """('channels', 0, 'kind') -> 'channels[0].kind'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class LoadedConfig:
    """A validated configuration: the settings, the catalog, and where they came from."""

    path: Path
    settings: Settings
    catalog: Catalog

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def resolve_path(self, value: str) -> Path:
        return _resolved(self.base_dir, value)

    @property
    def sources(self) -> tuple[Path, ...]:
        """The files this configuration was read from: the config file and its catalog."""
        return (self.path, self.resolve_path(self.settings.catalog.file))

    def database_url(self) -> str:
        """The SQLAlchemy URL; `ONEPRICE_DATABASE_URL` wins, relative SQLite paths follow the config."""
        url = os.environ.get("ONEPRICE_DATABASE_URL") or self.settings.database.url.get_secret_value()
        remember(url)
        prefix = "sqlite:///"
        if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
            url = prefix + str(self.resolve_path(url[len(prefix) :]))
        return url


def _resolved(base_dir: Path, value: str) -> Path:
    p = Path(value)
    return p if p.is_absolute() else (base_dir / p).resolve()


class _Source:
    """One YAML document with a line number for every key path."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.file = str(path)
        self.lines: dict[Loc, int] = {}
        self.problems = problems
        self.data: Any = None
        self.env_failed: set[str] = set()  # paths whose ${VAR} had no value
        self.env_problems: set[int] = set()
        self.env_values: set[str] = set()  # values taken from the environment
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except OSError as e:
            problems.append(Problem(self.file, None, "", f"cannot read: {e.strerror or e}"))
            return
        except UnicodeDecodeError as e:
            at = raw[: e.start].count(b"\n") + 1
            problems.append(Problem(self.file, at, "", f"not UTF-8 text ({e.reason}); save it as UTF-8"))
            return
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                problems.append(Problem(self.file, 1, "", "the file is empty"))
                return
            self._index(node, ())
            self.data = loader.construct_document(node)
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            line = mark.line + 1 if mark else None
            problems.append(Problem(self.file, line, "", f"invalid YAML: {e.problem or e.context}"))
        finally:
            loader.dispose()

    def _index(self, node: yaml.Node, loc: Loc) -> None:
        self.lines[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                line = key_node.start_mark.line + 1
                if key in seen:
                    self.add((*loc, key), f"duplicate key (first on line {seen[key]})", line)
                seen[key] = line
                self.lines[(*loc, key)] = line
                self._index(value_node, (*loc, key))
                self.lines[(*loc, key)] = line
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self._index(item, (*loc, i))

    def line_for(self, loc: Loc) -> tuple[Loc, int | None]:
        """The longest prefix of `loc` that exists in the file, and its line."""
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return loc[:n], self.lines[loc[:n]]
        return (), None

    def add(self, loc: Loc, message: str, line: int | None = None) -> None:
        if line is None:
            _, line = self.line_for(loc)
        self.problems.append(Problem(self.file, line, format_loc(loc), message))

    def interpolate(self, value: Any, loc: Loc = ()) -> Any:
        """Replace ${VAR} and ${VAR:-default} in every string; `$$` is a literal `$`."""
        if isinstance(value, dict):
            return {k: self.interpolate(v, (*loc, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.interpolate(v, (*loc, i)) for i, v in enumerate(value)]
        if not isinstance(value, str) or "$" not in value:
            return value

        def sub(m: re.Match[str]) -> str:
            if m.group(0) == "$$":
                return "$"
            name, default = m.group(1), m.group(2)
            found = os.environ.get(name)
            if found is None or found == "":
                if default is not None:
                    return default
                state = "is not set" if found is None else "is set but empty"
                self.add(loc, f"environment variable {name} {state} (write ${{{name}:-default}})")
                self.env_failed.add(format_loc(loc))
                self.env_problems.add(id(self.problems[-1]))
                return ""
            if SECRET_NAME.search(name):
                remember(found)
            self.env_values.add(found)
            return found

        return _ENV_RE.sub(sub, value)


def _clean_message(err: Mapping[str, Any]) -> str:
    if err["type"] == "extra_forbidden":
        return "unknown key"
    if err["type"] == "missing":
        return "required key is missing"
    if err["type"] in ("too_short", "string_too_short") and (err.get("ctx") or {}).get("min_length") == 1:
        return "must not be empty"
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg


def report_validation(error: ValidationError, add: Callable[[Loc, str], None], base: Loc = ()) -> None:
    for err in error.errors():
        loc = tuple(p for p in err["loc"] if isinstance(p, int) or not str(p).startswith(("function-", "lax-")))
        add((*base, *loc), _clean_message(err))


CATALOG_COLUMNS = (
    "sku",
    "parent_sku",
    "name",
    "gtin",
    "model",
    "color",
    "size",
    "product_line",
    "unified_price",
    "currency",
    "stock",
    "status",
    "channels",
)
_PLAIN_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")


def price_problem(raw: str, currency: str) -> str | None:
    """Why `raw` is not a price as a catalog writes one (plain digits, no more decimals than the
    currency has, trailing zeros aside), or None. What would be rounded is refused, never guessed."""
    from oneprice.domain.money import CURRENCY_EXPONENTS

    if raw.startswith("-") and _PLAIN_DECIMAL.match(raw[1:]):
        return f"must not be negative (got {raw})"
    if not _PLAIN_DECIMAL.match(raw):
        return f"{raw!r} is not a number as a price is written: digits and an optional decimal point, e.g. 1299.00"
    fraction = raw.partition(".")[2]
    places = len(fraction.rstrip("0"))
    allowed = CURRENCY_EXPONENTS.get(currency.upper())
    if allowed is not None and places > allowed:
        plural = "" if places == 1 else "s"
        return f"{raw!r} has {places} decimal place{plural}; {currency.upper()} has {allowed} (it would be rounded)"
    return None


def _read_catalog(path: Path, default_currency: str, channel_names: set[str], problems: list[Problem]) -> list[Product]:
    from oneprice.settings.csvfile import read_csv

    file = str(path)
    columns = set(CATALOG_COLUMNS)
    products: list[Product] = []
    before = len(problems)
    read = read_csv(path, problems, what="catalog")
    if read is None:
        return products
    header, rows = read
    header_problems = len(problems)
    for col in header:
        if col and col not in columns:
            problems.append(Problem(file, 1, col, f"unknown column (known: {', '.join(sorted(columns))})"))
    for col in ("sku", "name", "unified_price"):
        if col not in header:
            problems.append(Problem(file, 1, col, "required column is missing"))
    if len(problems) > header_problems:
        return products
    first_line: dict[str, int] = {}
    first_gtin: dict[str, int] = {}
    for row in rows:
        line = row.line
        sku = row.fields.get("sku", "")
        where = f"products[{sku or line}]"
        fields: dict[str, Any] = {k: v for k, v in row.fields.items() if v != ""}
        raw_channels = fields.pop("channels", "")
        channels = tuple(c.strip() for c in raw_channels.split(";") if c.strip())
        for c in channels:
            if c not in channel_names:
                problems.append(Problem(file, line, f"{where}.channels", f"undefined channel {c!r}"))
        price = fields.pop("unified_price", None)
        currency = fields.pop("currency", default_currency)
        data: dict[str, Any] = {**fields, "channels": channels}
        if price is None:
            problems.append(Problem(file, line, f"{where}.unified_price", "empty: every product needs a unified price"))
            continue
        why = price_problem(price, currency)
        if why is None and Decimal(price) == 0:
            why = "0 would sell the product for nothing on every channel"
        if why is not None:
            problems.append(Problem(file, line, f"{where}.unified_price", why))
            continue
        data["unified_price"] = {"amount": price, "currency": currency}
        try:
            product = Product.model_validate(data)
        except ValidationError as e:

            def add(loc: Loc, msg: str, line: int = line, where: str = where) -> None:
                column = str(loc[0]) if loc else ""
                if loc[-1:] == ("currency",):
                    column = "currency"
                problems.append(Problem(file, line, f"{where}.{column}", msg))

            report_validation(e, add)
            continue
        if sku in first_line:
            problems.append(Problem(file, line, f"{where}.sku", f"duplicate SKU (first on line {first_line[sku]})"))
            continue
        first_line[sku] = line
        if product.gtin:
            if product.gtin in first_gtin:
                problems.append(
                    Problem(
                        file,
                        line,
                        f"{where}.gtin",
                        f"duplicate GTIN (first on line {first_gtin[product.gtin]})",
                    )
                )
            first_gtin[product.gtin] = line
        products.append(product)
    if not products and not any(p.file == file for p in problems[before:]):
        problems.append(Problem(file, None, "", "the catalog has no products"))
    return products


def _unique(src: _Source, data: Mapping[str, Any], section: str, key: str) -> None:
    items = data.get(section)
    if not isinstance(items, list):
        return
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        if isinstance(item, dict) and key in item:
            value = item[key]
            if value in seen:
                src.add((section, i, key), f"duplicate {key} {value!r} (also {section}[{seen[value]}])")
            else:
                seen[value] = i


def load_config(
    path: str | os.PathLike[str],
    channel_validators: Mapping[str, ChannelValidator] | None = None,
    *,
    thorough: bool = False,
) -> LoadedConfig:
    """Read, interpolate and validate a config file and its catalog, or raise ConfigError.

    `channel_validators` maps each known channel kind to a function that checks one
    channel's mapping and returns (loc, message) pairs; an unknown kind is a problem.
    `thorough` (`oneprice config check`) also parses the notice templates and asks Apprise
    whether each route URL is usable, which takes a second or so.
    """
    config_path = Path(path)
    problems: list[Problem] = []
    src = _Source(config_path, problems)
    if problems:
        raise ConfigError(problems)
    if not isinstance(src.data, dict):
        src.add((), "the top level must be a mapping of sections (brand:, catalog:, ...)")
        raise ConfigError(problems)
    data = src.interpolate(src.data)
    for section, key in (("channels", "name"), ("resellers", "id"), ("watch", "id"), ("watch", "url")):
        _unique(src, data, section, key)
    if channel_validators is not None and isinstance(data.get("channels"), list):
        for i, ch in enumerate(data["channels"]):
            if not isinstance(ch, dict) or "kind" not in ch:
                continue
            check = channel_validators.get(ch["kind"])
            if check is None:
                src.add(
                    ("channels", i, "kind"),
                    f"unknown channel kind {ch['kind']!r} (known: {', '.join(sorted(channel_validators))})",
                )
            else:
                for loc, msg in check(ch):
                    src.add(("channels", i, *loc), msg)
    settings: Settings | None = None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as e:
        report_validation(e, src.add)

    products: list[Product] = []
    if settings is not None:
        catalog_path = _resolved(config_path.parent, settings.catalog.file)
        names = {c.name for c in settings.channels}
        before = len(problems)
        products = _read_catalog(catalog_path, settings.brand.currency, names, problems)
        catalog_ok = not any(p.file == str(catalog_path) for p in problems[before:])
        _remember_secrets(settings, src.env_values)
        check_settings(settings, Catalog(products=tuple(products)) if catalog_ok else None, src.add)
        templates = settings.alerts.notices.templates
        if thorough:  # commands that draft no notices need not stop for their templates
            if templates:
                directory = Path(templates) if Path(templates).is_absolute() else config_path.parent / templates
                check_templates_dir(directory, src.add)
            check_route_urls(settings, src.add)
    if src.env_failed:  # a ${VAR} without a value: its own problem says so, the follow-ups only confuse
        problems[:] = [
            p for p in problems if id(p) in src.env_problems or p.file != src.file or p.path not in src.env_failed
        ]
    if problems or settings is None:
        raise ConfigError(problems)
    return LoadedConfig(path=config_path.resolve(), settings=settings, catalog=Catalog(products=tuple(products)))


def _remember_secrets(settings: BaseModel, env_values: set[str]) -> None:
    """Environment values that went into a secret field go to the scrubber, so they never show,
    whatever else they are written into. (Values written in the file itself are no secret from
    whoever reads the output, and scrubbing a demo password such as "sandbox" would blank words.)"""

    def walk(value: Any) -> None:
        if isinstance(value, BaseModel):
            for k in type(value).model_fields:
                walk(getattr(value, k))
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
        elif isinstance(value, SecretStr):
            secret = value.get_secret_value()
            for env in env_values:
                if env and env in secret:
                    remember(env)

    walk(settings)


def masked(model: BaseModel) -> Any:
    """A plain dict of the settings, with every secret shown as '***' (URLs keep scheme and host)."""
    from oneprice.settings.secrets import mask_secret

    def walk(value: Any) -> Any:
        if isinstance(value, BaseModel):
            return {k: walk(getattr(value, k)) for k in type(value).model_fields}
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v) for v in value]
        if type(value).__name__ == "SecretStr":
            return scrub(mask_secret(value.get_secret_value()))  # a token can be the host (dingtalk://TOKEN)
        if hasattr(value, "is_finite"):  # Decimal: print exactly
            return str(value)
        if isinstance(value, str):  # a secret from the environment put in a field that is not one
            return scrub(value)
        return value

    return walk(model)
