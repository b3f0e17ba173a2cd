"""``python -m flake8_importstyle``: the same as the ``flake8-importstyle`` command."""

from flake8_importstyle.cli import main

raise SystemExit(main())
