"""Fixtures for the sandbox tests: the demo config and one sandbox served on 127.0.0.1, port 0."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from oneprice.settings import LoadedConfig, load_config
from sandbox import Sandbox, WooStore

REPO = Path(__file__).resolve().parents[3]
DEMO_CONFIG = REPO / "config" / "demo.yaml"


@pytest.fixture(scope="session")
def demo_config() -> LoadedConfig:
    return load_config(DEMO_CONFIG)


@pytest.fixture(scope="module")
def sandbox(demo_config: LoadedConfig) -> Iterator[Sandbox]:
    box = Sandbox.from_config(demo_config)
    with box.running(port=0):
        yield box


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


@pytest.fixture
def official(sandbox: Sandbox) -> Iterator[WooStore]:
    """The `official` store, emptied before and after the test."""
    store = sandbox.woo_store("official")
    store.reset()
    yield store
    store.reset()


@pytest.fixture(scope="session")
def official_auth(demo_config: LoadedConfig) -> tuple[str, str]:
    """The consumer key and secret of the `official` channel, as the config resolves them."""
    creds = demo_config.settings.channel("official").credentials
    return creds["consumer_key"].get_secret_value(), creds["consumer_secret"].get_secret_value()
