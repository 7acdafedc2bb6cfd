"""What every machine-readable report says about the tool that produced it."""

from __future__ import annotations

from importlib import metadata

TOOL_NAME = "ctk"
DISTRIBUTION = "contract-toolkit"


def tool_version() -> str:
    """The installed version; a source checkout that was never installed says so plainly."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"
