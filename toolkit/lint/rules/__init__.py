"""Built-in rules; importing this package registers them all."""

from toolkit.lint.rules import (
    components,
    examples,
    operations,
    paths,
    ratelimits,
    responses,
    schemas,
    security,
)

__all__ = [
    "components",
    "examples",
    "operations",
    "paths",
    "ratelimits",
    "responses",
    "schemas",
    "security",
]
