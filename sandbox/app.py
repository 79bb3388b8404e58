"""The sandbox as one object: emulated WooCommerce stores and storefront pages behind one HTTP server.

Seeded from a loaded configuration (one store per `woocommerce` channel) and an offers file.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from oneprice.domain.catalog import Catalog
from oneprice.errors import ConfigError
from oneprice.settings.loader import LoadedConfig
from sandbox.emulations import EMULATIONS, ChannelEmulation, WooCommerceEmulation
from sandbox.seed import Offer, SeedFile, default_offers_file, load_offers
from sandbox.server import BackgroundServer, Request, Response, Router, SandboxHTTPServer
from sandbox.storefront import Storefront
from sandbox.woocommerce import WooError, WooStore

logger = logging.getLogger(__name__)

ROBOTS_TXT = "User-agent: *\nAllow: /\n"


class Sandbox:
    """A local marketplace emulator.

    >>> sandbox = Sandbox.from_config(load_config("config/demo.yaml"))
    >>> with sandbox.running() as url:          # port 0: a free port
    ...     requests.get(url + "/healthz").text
    'ok'
    """

    def __init__(
        self,
        brand: str,
        catalog: Catalog,
        offers: Sequence[Offer],
        stores: Mapping[str, WooStore],
        emulations: Mapping[str, ChannelEmulation] | None = None,
    ) -> None:
        self.offers = tuple(offers)
        self.stores = dict(stores)
        woo = WooCommerceEmulation(self.stores)
        self.emulations: dict[str, ChannelEmulation] = {woo.kind: woo, **(emulations or {})}
        self.storefront = Storefront(brand, catalog, self.offers, self.stores)
        self.router = self._build_router()
        self._server: BackgroundServer | None = None

    @classmethod
    def from_config(cls, config: LoadedConfig, offers_file: Path | None = None) -> Sandbox:
        """One store per `woocommerce` channel (credentials from the channel), pages from the offers file.

        Listings under the file's `stores:` section are created in those stores up front.
        """
        settings = config.settings
        emulations = {
            kind: cls.from_channels([c for c in settings.channels if c.kind == kind])
            for kind, cls in EMULATIONS.items()
        }
        woo = emulations.pop(WooCommerceEmulation.kind)
        assert isinstance(woo, WooCommerceEmulation)
        stores = woo.stores
        path = offers_file or default_offers_file()
        seed = load_offers(path)
        problems = seed.check_against(config.catalog, set(stores), str(path))
        if problems:
            raise ConfigError(problems)
        sandbox = cls(settings.brand.name, config.catalog, (*seed.offers, *seed.discoverable), stores, emulations)
        for emulation in emulations.values():
            emulation.seed_catalog(config.catalog)
        sandbox.seed_stores(seed, config.catalog)
        return sandbox

    def seed_stores(self, seed: SeedFile, catalog: Catalog) -> None:
        """Create the seed file's store listings (not counted as API requests)."""
        names = {p.sku: p.name for p in catalog.products}
        for store_name, listings in seed.stores.items():
            store = self.woo_store(store_name)
            try:
                store.seed(listing.to_payload(names) for listing in listings)
            except WooError as e:
                raise ValueError(f"cannot seed store {store_name!r}: {e}") from e
            logger.info("sandbox: seeded store %s with %d products", store_name, len(listings))

    def _build_router(self) -> Router:
        router = Router(fallback=self.storefront.not_found)
        router.add(("GET", "HEAD"), r"/healthz", lambda request: Response.text("ok"))
        router.add(("GET", "HEAD"), r"/robots\.txt", lambda request: Response.text(ROBOTS_TXT))
        router.add(("GET", "HEAD"), r"/", self.storefront.index_page)
        router.add(
            ("GET", "HEAD"),
            r"/shop/(?P<platform>[a-z0-9_-]+)/item/(?P<offer_id>[^/]+)",
            self.storefront.item_page,
        )
        router.add(
            ("GET", "HEAD"),
            r"/woo/(?P<store>[^/]+)/product/(?P<sku>[^/]+)",
            self.storefront.store_product_page,
        )
        self.storefront.install(router)
        for emulation in self.emulations.values():
            emulation.install(router)
        return router

    def handle(self, request: Request) -> Response:
        """Answer one request without a server (for tests of the routing)."""
        return self.router.dispatch(request)

    # -- lifecycle ---------------------------------------------------------------

    def woo_store(self, name: str) -> WooStore:
        try:
            return self.stores[name]
        except KeyError:
            known = ", ".join(sorted(self.stores)) or "none"
            raise KeyError(f"no emulated WooCommerce store {name!r} (known: {known})") from None

    @property
    def url(self) -> str:
        """Base URL of the running sandbox, e.g. `http://127.0.0.1:8700`."""
        if self._server is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self._server.url

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on a background thread; port 0 picks a free port. Returns the base URL."""
        if self._server is not None:
            raise RuntimeError(f"the sandbox is already running at {self._server.url}")
        self._server = BackgroundServer(self.router, host, port)
        self._set_public_urls(self._server.url)
        return self._server.start()

    def stop(self) -> None:
        """Stop serving (no-op when not running)."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    @contextlib.contextmanager
    def running(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve for the duration of a `with` block; yields the base URL."""
        url = self.start(host, port)
        try:
            yield url
        finally:
            self.stop()

    def serve_forever(self, host: str = "127.0.0.1", port: int = 8700) -> None:
        """Serve in the foreground until Ctrl-C."""
        httpd = SandboxHTTPServer((host, port), self.router)
        self._set_public_urls(httpd.url)
        logger.info("sandbox: serving on %s (Ctrl-C stops)", httpd.url)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            logger.info("sandbox: interrupted, stopping")
        finally:
            httpd.server_close()

    def emulation(self, kind: str) -> ChannelEmulation:
        """The emulation serving channels of `kind` (e.g. to inject faults in a test)."""
        try:
            return self.emulations[kind]
        except KeyError:
            raise KeyError(f"no emulation for channel kind {kind!r} (known: {', '.join(self.emulations)})") from None

    def _set_public_urls(self, base: str) -> None:
        for emulation in self.emulations.values():
            emulation.set_public_url(base)
