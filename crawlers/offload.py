"""Read the `watch` spider's pages in worker processes, so the crawl's own process keeps fetching.

Extraction (parse, structured data, page profiles, text readers) is CPU work of several
milliseconds per page; on the reactor thread it holds up every request in flight, and threads
do not help (the GIL). `crawl.extract_workers` processes are started once per crawl (default:
one per CPU, at most 4, none on a single CPU; 0 reads pages in the crawl's process).

`ExtractionOffloadMiddleware` is a downloader middleware that sits closest to the engine, so it
sees the page the spider will see (after redirects, decompression and a 304 rebuilt from its
evidence). For a watch target's page it hands the very call the spider would make
(`WatchSpider.page_read` and `WatchSpider.read_options`) to a worker and waits for it through a
Deferred, without blocking the reactor; the spider then finds the `Extraction` in
`response.meta[EXTRACTION_META]` and does not read the page again. When a worker fails (killed,
out of memory), the page is left to the spider, which reads it in-process as it always could.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred
from twisted.internet.protocol import Factory, Protocol
from twisted.python.failure import Failure

from crawlers.extraction import extract
from crawlers.meta import EXTRACTION_META, PAGE_META, TARGET_META

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

log = logging.getLogger(__name__)

ORDER = 20  # in DOWNLOADER_MIDDLEWARES: below every built-in one, so its process_response runs last
STATS_PREFIX = "oneprice/extract_workers"
MAX_DEFAULT_WORKERS = 4
_HEADER = 4  # bytes of a frame's length, big-endian
_PROTOCOL = pickle.HIGHEST_PROTOCOL


def default_workers(cpus: int | None = None) -> int:
    """Worker processes when `crawl.extract_workers` is not set: one per CPU, at most 4; none on one CPU.

    The crawl's own process is mostly waiting on the network and on its workers, so on two CPUs
    two workers read more pages per second than one (bench/README.md, "crawl").

    >>> default_workers(1), default_workers(2), default_workers(16)
    (0, 2, 4)
    """
    cpus = cpus if cpus is not None else (os.cpu_count() or 1)
    return 0 if cpus < 2 else min(MAX_DEFAULT_WORKERS, cpus)


class WorkerLost(RuntimeError):
    """A worker process ended (or its connection did) before it answered."""


# -- the worker process -----------------------------------------------------------------------------


def _read_exact(stream: Any, size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def serve(sock: socket.socket) -> None:
    """A worker's loop: read (job id, function, args, kwargs) frames, answer (job id, ok, value) frames.

    Ends when the crawl's process closes its end of the connection.
    """
    with sock, sock.makefile("rb") as reader, sock.makefile("wb") as writer:
        while (header := _read_exact(reader, _HEADER)) is not None:
            payload = _read_exact(reader, int.from_bytes(header, "big"))
            if payload is None:
                break
            job, fn, args, kwargs = pickle.loads(payload)  # noqa: S301 (the crawl's own process wrote it)
            try:
                answer = pickle.dumps((job, True, fn(*args, **kwargs)), _PROTOCOL)
            except Exception as e:  # the job's own error, sent back as text (it may not pickle)
                answer = pickle.dumps((job, False, f"{type(e).__name__}: {e}"), _PROTOCOL)
            writer.write(len(answer).to_bytes(_HEADER, "big"))
            writer.write(answer)
            writer.flush()


def _worker_main(sock: socket.socket, inherited: Sequence[socket.socket] = ()) -> None:
    # A forked worker holds copies of the crawl's ends of every connection made so far, its own
    # included: closed here, so a crawl that dies (SIGKILL, the OOM killer) leaves the worker reading
    # an end of file, and it exits instead of waiting forever.
    for other in inherited:
        other.close()
    # Ctrl-C reaches the whole process group; the crawl's process decides how to stop, not its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the host's log handlers (a Rich console, whose lock another thread
    # may have held at the fork): its own records go plainly to stderr.
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    plain = logging.StreamHandler()
    plain.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    root.addHandler(plain)
    serve(sock)


# -- the crawl's side -------------------------------------------------------------------------------


class _Channel(Protocol):
    """The reactor's end of one worker's connection: frames out, answers back to their Deferreds."""

    def __init__(self) -> None:
        self.pending: dict[int, Deferred[Any]] = {}
        self.buffer = bytearray()
        self.lost = False

    def dataReceived(self, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= _HEADER:
            size = int.from_bytes(self.buffer[:_HEADER], "big")
            if len(self.buffer) < _HEADER + size:
                return
            job, ok, value = pickle.loads(bytes(self.buffer[_HEADER : _HEADER + size]))  # noqa: S301 (our worker)
            del self.buffer[: _HEADER + size]
            done = self.pending.pop(job, None)
            if done is not None:
                done.callback(value) if ok else done.errback(RuntimeError(value))

    def connectionLost(self, reason: Failure | None = None) -> None:
        self.lost = True
        pending, self.pending = self.pending, {}
        for done in pending.values():
            done.errback(WorkerLost("an extraction worker process ended"))


class _OneChannel(Factory):
    """Hands the reactor the worker's own `_Channel` for its adopted connection."""

    def __init__(self, channel: _Channel) -> None:
        self.channel = channel

    def buildProtocol(self, addr: Any) -> _Channel:
        self.channel.factory = self
        return self.channel


@dataclass
class _Worker:
    process: Any
    sock: socket.socket  # the crawl's end (the reactor reads and writes a duplicate of it)
    channel: _Channel = field(default_factory=_Channel)


def _start_method() -> str:
    """fork while this process has one thread (nothing to inherit half-done), else forkserver or spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


class ExtractorPool:
    """Worker processes started once, each on a socket pair the reactor reads and writes itself.

    No thread of the crawl's process takes part (no GIL hand-overs on the reactor thread): a job
    is pickled and written by the reactor, a worker answers on the same connection and the
    job's Deferred fires on the reactor thread. A job goes to the worker with the fewest waiting.
    Workers are started when the pool is made, before the reactor runs: forked (no second import
    of the extractors) when this process has no other thread (a progress bar's, say), else from a
    fork server that imported the extractors once, or spawned.
    """

    def __init__(self, workers: int) -> None:
        if workers < 1:
            raise ValueError("an extractor pool needs at least one worker")
        context: Any = multiprocessing.get_context(_start_method())
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(["crawlers.extraction"])
        self.workers: list[_Worker] = []
        self._jobs = 0
        self._connected = False
        forked = context.get_start_method() == "fork"
        for _ in range(workers):
            ours, theirs = socket.socketpair()
            # Only a forked worker inherits these; a spawned one would be handed copies of them.
            inherited = [*(w.sock for w in self.workers), ours] if forked else []
            process = context.Process(
                target=_worker_main, args=(theirs, inherited), name="oneprice-extract", daemon=True
            )
            process.start()
            theirs.close()
            self.workers.append(_Worker(process, ours))

    def _connect(self) -> None:
        from twisted.internet import reactor

        adopt: Any = reactor.adoptStreamConnection
        for worker in self.workers:
            adopt(worker.sock.fileno(), socket.AF_UNIX, _OneChannel(worker.channel))
        self._connected = True

    @property
    def alive(self) -> bool:
        return any(not w.channel.lost for w in self.workers)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Deferred[Any]:
        """Run `fn(*args, **kwargs)` in a worker (all picklable); the Deferred fires with its result."""
        if not self._connected:
            self._connect()
        live = [w for w in self.workers if not w.channel.lost and w.channel.transport is not None]
        if not live:
            raise WorkerLost("no extraction worker process is left")
        channel = min(live, key=lambda w: len(w.channel.pending)).channel
        self._jobs += 1
        done: Deferred[Any] = Deferred()
        channel.pending[self._jobs] = done
        payload = pickle.dumps((self._jobs, fn, args, kwargs), _PROTOCOL)
        transport: Any = channel.transport
        transport.writeSequence([len(payload).to_bytes(_HEADER, "big"), payload])
        return done

    def close(self, timeout: float = 5.0) -> None:
        """End every worker: its connection is shut, it reads the end of it and exits."""
        for worker in self.workers:
            try:
                worker.sock.shutdown(socket.SHUT_RDWR)  # the reactor's duplicate sees it too
            except OSError:
                pass
            worker.sock.close()
            transport: Any = worker.channel.transport
            if transport is not None:
                transport.loseConnection()
        for worker in self.workers:
            worker.process.join(timeout)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join(1.0)


class ExtractionOffloadMiddleware:
    """Reads watch target pages in an `ExtractorPool` (see the module docstring)."""

    def __init__(self, pool: ExtractorPool, crawler: Crawler | None = None) -> None:
        self.pool = pool
        self.crawler = crawler
        self.failed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        spider = crawler.spider
        config = getattr(spider, "oneprice_config", None)
        if config is None or not hasattr(spider, "page_read") or not hasattr(spider, "read_options"):
            # Only the watch spider's pages are read in worker processes; raised without a message,
            # since Scrapy logs a message as a warning in every discover run.
            raise NotConfigured()
        workers = config.settings.crawl.extract_workers
        workers = default_workers() if workers is None else workers
        if workers == 0:
            raise NotConfigured("crawl.extract_workers is 0: pages are read in the crawl's process")
        middleware = cls(ExtractorPool(workers), crawler)
        crawler.signals.connect(middleware.close, signal=signals.engine_stopped)
        if crawler.stats is not None:
            crawler.stats.set_value(STATS_PREFIX, workers)
        return middleware

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        meta = request.meta
        if self.failed or TARGET_META not in meta or PAGE_META in meta or EXTRACTION_META in meta:
            return response
        owner = spider if spider is not None else getattr(self.crawler, "spider", None)
        if owner is None:
            return response
        html, url, status = owner.page_read(response)
        try:
            extraction = await maybe_deferred_to_future(
                self.pool.submit(extract, html, url, status=status, **owner.read_options())
            )
        except Exception as e:
            # The spider reads this page itself; with no worker left, every page from now on.
            if self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.inc_value(f"{STATS_PREFIX}/failed")
            if not self.pool.alive:
                self.failed = True
                log.error("no extraction worker left (%s): pages are read in the crawl's process", e)
            else:
                log.warning("%s: an extraction worker failed (%s); the page is read in the crawl's process", url, e)
            return response
        meta[EXTRACTION_META] = extraction
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{STATS_PREFIX}/pages")
        return response

    def close(self) -> None:
        self.pool.close()
