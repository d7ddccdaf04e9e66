"""Settings for the SKM benchmark server: bench.settings plus a bare POST view.

Rate limits are left as Prima sets them. The load generator sends each submission as a
new respondent: a fresh browser (no one-response cookie) from its own address, given in
X-Forwarded-For, which Prima reads when BEHIND_PROXY=1 (set by bench/skm.py for the server
it starts, as in production behind a reverse proxy).
"""

from bench.settings import *  # noqa: F403

ROOT_URLCONF = "bench.skm_urls"
