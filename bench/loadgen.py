"""A bounded HTTP load generator: a fixed number of GET requests at a fixed concurrency.

Each of `concurrency` threads keeps one keep-alive connection (http.client) and sends
its share of the requests back to back; latencies are measured per request. Every
response must be 200, or the run fails: a benchmark of error pages measures nothing.
"""

from __future__ import annotations

import http.client
import math
import statistics
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any


class LoadError(RuntimeError):
    """The server answered something other than 200."""


@dataclass(frozen=True)
class LoadResult:
    path: str
    requests: int
    concurrency: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    mean_ms: float
    bytes_per_response: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0 < q ≤ 100) by the nearest-rank method."""
    if not values:
        raise ValueError("no values")
    if not 0 < q <= 100:
        raise ValueError("q must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(q / 100 * len(ordered))
    return ordered[max(rank, 1) - 1]


def _get(
    connection: http.client.HTTPConnection, path: str, headers: Mapping[str, str]
) -> tuple[int, bytes]:
    connection.request("GET", path, headers=dict(headers))
    response = connection.getresponse()
    body = response.read()
    return response.status, body


def _get_with_reconnect(
    connection: http.client.HTTPConnection, path: str, headers: Mapping[str, str]
) -> tuple[int, bytes]:
    try:
        return _get(connection, path, headers)
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        # The server closed an idle keep-alive connection: open a new one and retry once.
        connection.close()
        return _get(connection, path, headers)


def _check(status: int, body: bytes, path: str) -> None:
    if status != 200:
        snippet = body[:300].decode("utf-8", "replace")
        raise LoadError(f"GET {path} answered {status}: {snippet}")


def run_load(
    host: str,
    port: int,
    path: str,
    *,
    headers: Mapping[str, str] | None = None,
    requests: int = 2000,
    concurrency: int = 8,
    warmup: int = 50,
    timeout: float = 60.0,
) -> LoadResult:
    """Send `requests` GETs of `path` from `concurrency` threads; return throughput and latency."""
    if requests < concurrency or concurrency < 1:
        raise ValueError("need at least one request per thread")
    headers = dict(headers or {})
    warm = http.client.HTTPConnection(host, port, timeout=timeout)
    size = 0
    for _ in range(warmup):
        status, body = _get_with_reconnect(warm, path, headers)
        _check(status, body, path)
        size = len(body)
    warm.close()

    def send(connection: http.client.HTTPConnection, _n: int) -> None:
        status, body = _get_with_reconnect(connection, path, headers)
        _check(status, body, path)

    return drive(
        host,
        port,
        path,
        send,
        requests=requests,
        concurrency=concurrency,
        timeout=timeout,
        bytes_per_response=size,
    )


def drive(
    host: str,
    port: int,
    path: str,
    send: Callable[[http.client.HTTPConnection, int], None],
    *,
    requests: int,
    concurrency: int,
    timeout: float = 60.0,
    first: int = 0,
    bytes_per_response: int = 0,
) -> LoadResult:
    """Call `send(connection, n)` for n = first … first+requests−1 from `concurrency` threads,
    each on its own keep-alive connection, all starting together; time each call."""
    shares = [
        requests // concurrency + (1 if i < requests % concurrency else 0)
        for i in range(concurrency)
    ]
    offsets = [first + sum(shares[:i]) for i in range(concurrency)]
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    failures: list[BaseException] = []
    start = threading.Barrier(concurrency + 1)
    finished_at = [0.0] * concurrency

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        mine = latencies[index]
        try:
            start.wait()
            for k in range(shares[index]):
                began = time.perf_counter()
                send(connection, offsets[index] + k)
                mine.append(time.perf_counter() - began)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            finished_at[index] = time.perf_counter()
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    if failures:
        raise LoadError(str(failures[0])) from failures[0]
    elapsed = max(finished_at) - began
    flat = [value for chunk in latencies for value in chunk]
    return LoadResult(
        path=path,
        requests=len(flat),
        concurrency=concurrency,
        seconds=round(elapsed, 3),
        rps=round(len(flat) / elapsed, 1),
        p50_ms=round(percentile(flat, 50) * 1000, 2),
        p99_ms=round(percentile(flat, 99) * 1000, 2),
        mean_ms=round(statistics.fmean(flat) * 1000, 2),
        bytes_per_response=bytes_per_response,
    )
