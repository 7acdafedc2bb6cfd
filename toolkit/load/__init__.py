"""Stage 1: bytes -> a checked `Document` (safe parsing, bounds, `$ref` policy, bundling)."""

from toolkit.config import LoadOptions
from toolkit.load.bundle import bundle_document
from toolkit.load.document import Document, load_document
from toolkit.load.refs import RefResolver, Target
from toolkit.load.source import SourceFile
from toolkit.load.version import SpecVersion

__all__ = [
    "Document",
    "LoadOptions",
    "RefResolver",
    "SourceFile",
    "SpecVersion",
    "Target",
    "bundle_document",
    "load_document",
]
