"""Benchmark dataset steps, run in a subprocess against the bench database.

    python -m bench.dataset load --size 30000   # time regions-only (baseline) and the demo load
    python -m bench.dataset credentials         # API token, session cookie and page paths

The environment (DJANGO_SETTINGS_MODULE, DATABASE_URL, PRIMA_VAR_DIR) is set by bench.run.
Each command prints one JSON object on its last line of output.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def _table_rows() -> int:
    """Rows in the tables the demo writes (what a load has to insert)."""
    from prima.core.models import Institution, Membership, Person, Region, ServiceUnit
    from prima.innovations.models import AwardRecord, Innovation, ReplicationLink

    models: list[Any] = [
        Region,
        Institution,
        ServiceUnit,
        Person,
        Membership,
        Innovation,
        Innovation.categories.through,
        AwardRecord,
        ReplicationLink,
    ]
    return sum(model.objects.count() for model in models)


def load(size: int, repeats: int) -> dict[str, Any]:
    """Time the regions-only load (median of `repeats`, rolled back) and the demo load."""
    from django.db import transaction

    from prima.core.demo.loader import load_demo
    from prima.core.domain.registry import load_regions

    region_times = []
    region_rows = 0
    for _ in range(repeats):
        with transaction.atomic():
            began = time.perf_counter()
            result = load_regions(actor=None)
            region_times.append(time.perf_counter() - began)
            region_rows = result.total
            transaction.set_rollback(True)
    began = time.perf_counter()
    demo = load_demo(actor=None, size=size, force=True)
    demo_seconds = time.perf_counter() - began
    if not demo.created:
        raise SystemExit("the bench database already held the demo; start from an empty one")
    rows = _table_rows()
    regions_seconds = statistics.median(region_times)
    return {
        "size": size,
        "regions_seconds": round(regions_seconds, 4),
        "regions_rows": region_rows,
        "demo_seconds": round(demo_seconds, 3),
        "demo_rows": rows,
        "counts": demo.counts,
    }


def credentials() -> dict[str, Any]:
    """A token for the national viewer, a session for the secretariat, and the paths to measure."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from prima.core.domain.tokens import create_api_token
    from prima.core.models import Person

    viewer = Person.objects.get(username="pemantau")
    _, key = create_api_token(actor=viewer, name=f"bench {time.strftime('%Y-%m-%d %H:%M:%S')}")
    client = Client()
    client.force_login(Person.objects.get(username="sekretariat"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {
        "token": key,
        "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
        "paths": {
            "baseline": reverse("bench_ping"),
            "innovation_list": reverse("innovation_list"),
            "public_innovation_list": reverse("public_innovation_list"),
            "api_public": "/api/v1/innovations/public",
            "api_token": "/api/v1/innovations",
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dataset")
    sub = parser.add_subparsers(dest="command", required=True)
    load_parser = sub.add_parser("load")
    load_parser.add_argument("--size", type=int, default=30_000)
    load_parser.add_argument("--repeats", type=int, default=5)
    sub.add_parser("credentials")
    args = parser.parse_args(argv)
    _setup()
    output = load(args.size, args.repeats) if args.command == "load" else credentials()
    sys.stdout.write(json.dumps(output) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
