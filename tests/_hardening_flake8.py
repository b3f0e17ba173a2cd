"""Run flake8 in this process with or without flake8-importstyle, for test_scaling.py.

    python tests/_hardening_flake8.py with FLAKE8-ARGS...
    python tests/_hardening_flake8.py without FLAKE8-ARGS...

Both modes run the same flake8, the same other plugins and the same files in
the same interpreter; ``without`` only drops this project's entry point from
the plugins flake8 finds (``flake8.plugins.finder._find_importlib_plugins``,
flake8's one place that lists installed plugins), so the difference between
the two is the plugin's own cost.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator


def main(argv: list[str]) -> int:
    mode, *args = argv
    if mode not in ("with", "without"):
        raise SystemExit(f"usage: {sys.argv[0]} with|without FLAKE8-ARGS...")
    if mode == "without":
        from flake8.plugins import finder

        found = finder._find_importlib_plugins

        def without_importstyle() -> Iterator[finder.Plugin]:
            return (p for p in found() if not p.entry_point.value.startswith("flake8_importstyle."))

        finder._find_importlib_plugins = without_importstyle
    from flake8.main.cli import main as flake8_main

    return flake8_main(args)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
