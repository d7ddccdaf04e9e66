"""The `prima` command: every Django management command, plus `demo` and `serve`."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prima.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "prima"
    # `prima load-regions` reads better than `load_regions`; both work.
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    execute_from_command_line(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
