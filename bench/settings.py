"""Settings for benchmark servers: Prima's own, plus a bare baseline view (bench/ping/)."""

from prima.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"
