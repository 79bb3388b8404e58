"""Fixtures of the browser tests (defined in browser_harness.py, which the tests import helpers from)."""

from browser_harness import browser, page, pytest_collection_modifyitems, server

__all__ = ["browser", "page", "pytest_collection_modifyitems", "server"]
