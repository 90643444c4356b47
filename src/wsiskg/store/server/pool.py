"""A bounded pool of query worker processes.

Each worker holds the store open read-only and runs one job at a time. A job
that runs past the timeout gets its worker killed (so its CPU stops at once)
and a fresh worker started in its place; a request that finds every worker busy
waits in a bounded queue, and beyond it is refused at once (the server answers
503 rather than piling work up).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from wsiskg.store.server import worker


class BusyError(Exception):
    """Every worker is busy and the queue is full."""


class QueryTimeoutError(Exception):
    """The job ran past the timeout; its worker was killed."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection


class WorkerPool:
    """``size`` worker processes over the store at ``store_path``."""

    def __init__(self, store_path: str, size: int, queue: int, timeout: float) -> None:
        self.store_path = store_path
        self.size = size
        self.queue = queue
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] | None = None
        self._waiting = 0
        self._all: set[_Worker] = set()
        # one blocking recv per busy worker, plus spawning replacements
        self._threads = ThreadPoolExecutor(max_workers=size + 2, thread_name_prefix="wsiskg-pool")

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=worker.main,
            args=(child, self.store_path),
            daemon=True,
            name="wsiskg-query-worker",
        )
        process.start()
        child.close()
        started = _Worker(process, parent)
        self._all.add(started)
        return started

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(
            *(loop.run_in_executor(self._threads, self._spawn) for _ in range(self.size))
        )
        for started in workers:
            self._idle.put_nowait(started)

    def pids(self) -> list[int]:
        return [w.process.pid for w in self._all if w.process.pid is not None]

    async def run(self, kind: str, payload: Any) -> Any:
        """The worker's reply to one job, within the timeout (waiting included)."""
        assert self._idle is not None, "start() the pool first"
        if self._idle.empty() and self._waiting >= self.queue:
            raise BusyError(
                f"all {self.size} query workers are busy and {self.queue} "
                "requests are waiting; try again shortly"
            )
        deadline = time.monotonic() + self.timeout
        self._waiting += 1
        try:
            chosen = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise BusyError(f"no query worker became free within {self.timeout:g} s") from None
        finally:
            self._waiting -= 1
        loop = asyncio.get_running_loop()
        try:
            chosen.connection.send((kind, payload))
            reply = await asyncio.wait_for(
                loop.run_in_executor(self._threads, chosen.connection.recv),
                max(0.05, deadline - time.monotonic()),
            )
        except (TimeoutError, asyncio.CancelledError, EOFError, OSError, BrokenPipeError) as exc:
            self._kill(chosen)
            replacement = await loop.run_in_executor(self._threads, self._spawn)
            self._idle.put_nowait(replacement)
            if isinstance(exc, TimeoutError):
                raise QueryTimeoutError(
                    f"the query ran longer than {self.timeout:g} s and was stopped"
                ) from None
            raise
        self._idle.put_nowait(chosen)
        return reply

    def _kill(self, victim: _Worker) -> None:
        self._all.discard(victim)
        victim.process.kill()
        victim.process.join(5)
        victim.connection.close()

    async def close(self) -> None:
        for each in list(self._all):
            self._kill(each)
        self._threads.shutdown(wait=False, cancel_futures=True)
