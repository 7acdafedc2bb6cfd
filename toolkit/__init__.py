"""contract-toolkit: contract-first APIs from one OpenAPI document."""

from importlib.metadata import PackageNotFoundError, version

from toolkit.errors import Diagnostic, Location, Severity, ToolkitError

try:
    __version__ = version("contract-toolkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["Diagnostic", "Location", "Severity", "ToolkitError", "__version__"]
