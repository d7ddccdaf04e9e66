"""The benchmark harness (bench/): load generator, baseline view, report recording."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import run
from bench.loadgen import LoadError, percentile, run_load


def test_percentile_uses_the_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([7.0], 99) == 7.0
    with pytest.raises(ValueError):
        percentile([], 50)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_GET(self):
        type(self).seen.append(self.path)
        status = 500 if self.path.startswith("/broken") else 200
        body = b"ok" if status == 200 else b"boom"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_load_generator_sends_exactly_the_requested_number(server):
    port = server.server_address[1]
    result = run_load("127.0.0.1", port, "/ping", requests=103, concurrency=4, warmup=5)
    assert result.requests == 103
    assert len(_Handler.seen) == 108  # warm-up included
    assert result.rps > 0 and 0 < result.p50_ms <= result.p99_ms
    assert result.bytes_per_response == 2


def test_load_generator_refuses_to_measure_error_pages(server):
    port = server.server_address[1]
    with pytest.raises(LoadError, match="500"):
        run_load("127.0.0.1", port, "/broken", requests=10, concurrency=2, warmup=1)


@pytest.mark.urls("bench.baseline_urls")
def test_baseline_view_answers_ok_next_to_prima_pages(client, db):
    response = client.get("/bench/ping/")
    assert response.status_code == 200 and response.content == b"ok"
    assert client.get("/inovasi/publik/").status_code == 200


def _report():
    row = {
        "label": "Katalog publik",
        "requests": 10,
        "concurrency": 2,
        "rps": 5.0,
        "p50_ms": 20.0,
        "p99_ms": 40.0,
        "rps_ratio": 0.01,
        "p50_ratio": 10.0,
        "p99_ratio": 4.0,
    }
    return {
        "date": "2025-06-30T10:00:00+07:00",
        "command": "python -m bench.run",
        "machine": {"nproc": "2", "python": "3.11.7", "platform": "Linux", "free_h": "Mem: 4Gi"},
        "server": {"workers": 2, "threads": 4, "database": "SQLite (WAL)"},
        "dataset": {
            "size": 30000,
            "regions_seconds": 0.01,
            "regions_rows": 552,
            "regions_rows_per_second": 55200,
            "demo_seconds": 10.0,
            "demo_rows": 100000,
            "rows_per_second": 10000,
            "time_ratio": 1000.0,
            "rows_per_second_ratio": 0.181,
            "counts": {"units": 33000},
        },
        "baseline": {
            "before": {"requests": 10, "concurrency": 2},
            "rps": 500.0,
            "p50_ms": 2.0,
            "p99_ms": 10.0,
        },
        "http": {"public_innovation_list": row},
    }


def test_runs_are_recorded_newest_first(tmp_path, monkeypatch):
    monkeypatch.setattr(run, "RESULTS", tmp_path / "RESULTS.md")
    monkeypatch.setattr(run, "OUT", tmp_path / "out" / "latest.json")
    (tmp_path / "RESULTS.md").write_text("# Benchmark results\n\nIntro.\n")
    first = _report()
    run.record(first)
    second = _report() | {"date": "2025-07-01T10:00:00+07:00"}
    run.record(second)
    text = (tmp_path / "RESULTS.md").read_text()
    assert text.startswith("# Benchmark results\n\nIntro.")
    assert text.index("2025-07-01") < text.index("2025-06-30")
    assert "| Katalog publik | 10 × 2 | 5.0 | 20.0 | 40.0 | 0.01 | 10.0 | 4.0 |" in text
    assert "Mem: 4Gi" in text
    assert (tmp_path / "out" / "latest.json").read_text().count("2025-07-01") == 1
