"""The dashboard reads an edited catalog while it runs: product pages and notices state the new unified price."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_files import copy_demo, edit_later
from fastapi.testclient import TestClient
from web_client import BASE, SECRET, login

import oneprice.web.context as web_context
from oneprice.app import load
from oneprice.storage import Database
from oneprice.web.app import create_app

SKU = "SY-JK01-BLK-M"


def test_an_edited_unified_price_reaches_the_product_page(
    web_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(web_context, "CONFIG_CHECK_SECONDS", 0.0)
    path = copy_demo(tmp_path)
    app = create_app(load(path), web_db, secret_key=SECRET, reload_config=lambda: load(path))
    client = login(TestClient(app, base_url=BASE, follow_redirects=False), "manager")
    assert "1,299.00 CNY" in client.get(f"/products/{SKU}").text
    catalog = path.parent / "catalog.csv"
    row = next(line for line in catalog.read_text(encoding="utf-8").splitlines() if line.startswith(f"{SKU},"))
    edit_later(catalog, row, row.replace("1299.00", "1199.00"))
    client.get("/alerts")  # the edit is seen; it is read once the file stays as it is
    body = client.get(f"/products/{SKU}").text
    assert "1,199.00 CNY" in body and "1,299.00 CNY" not in body
    assert app.state.ctx.products[SKU].unified_price.amount == 1199

    edit_later(path, "retention_days: 90", "retention_days: ninety")  # a broken edit changes nothing
    client.get("/alerts")
    assert client.get(f"/products/{SKU}").status_code == 200
    assert "configuration not reloaded" in caplog.text and "retention_days" in caplog.text
    assert app.state.ctx.products[SKU].unified_price.amount == 1199
