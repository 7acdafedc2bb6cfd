"""Stage 4: model -> code. Renders packages as {path: text}; `write` is the only disk access."""

from toolkit.generate.models import GenerateError
from toolkit.generate.package import MANIFEST, Package, fingerprint, render_package
from toolkit.generate.write import (
    compare,
    module_name,
    unchanged_inputs,
    write_package,
    write_scaffold,
)

__all__ = [
    "MANIFEST",
    "GenerateError",
    "Package",
    "compare",
    "fingerprint",
    "module_name",
    "render_package",
    "unchanged_inputs",
    "write_package",
    "write_scaffold",
]
