"""`python -m toolkit` and the `ctk` script.

A deployment installs only the runtime (`pip install contract-toolkit`), without the
command-line tools; there `ctk` says what to install instead of failing with a traceback.
"""

from __future__ import annotations

import sys

_CLI_EXTRA = "contract-toolkit[cli]"


def refuse_missing_extra(exc: ModuleNotFoundError) -> None:
    """Exit 2 saying what to install when a command-line dependency is missing; re-raise
    anything else (a missing toolkit module is a bug, not an install problem)."""
    missing = (exc.name or "").split(".")[0]
    if not missing or missing == "toolkit":
        raise exc
    sys.stderr.write(
        f"error: ctk needs its command-line tools, and {missing} is not installed\n"
        f"  hint: pip install '{_CLI_EXTRA}' (a deployed app needs only the runtime)\n"
    )
    raise SystemExit(2) from None


def main() -> None:
    try:
        from toolkit.cli import main as cli_main
    except ModuleNotFoundError as exc:
        refuse_missing_extra(exc)
    cli_main()


if __name__ == "__main__":
    main()
