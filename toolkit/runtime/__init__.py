"""What generated servers import at run time: `build_app` turns a table of `Operation`s
(pointers into the shipped OpenAPI document) and a service object into a lean ASGI app that
routes, authenticates, validates (jsonschema-rs for the exact contract, pydantic for typed
values) and answers errors as RFC 9457 problems.

A leaf package: it imports nothing from the build-time stages (load, lint, model, generate,
report, cli), only the core's `toolkit.errors` (its one startup error) and `toolkit.pointer`
(the one JSON-pointer module).
"""

from ._asgi import ASGIApp
from ._errors import ErrorBody, ErrorShape
from ._multipart import UploadedFile
from .app import App, build_app
from .context import Reply, RequestContext
from .cors import CorsPolicy
from .operation import Body, Operation, OperationError, Param, ParamLocation, Requirement, Response
from .problem import HTTPProblem
from .ratelimit import Limit, RateLimits, RedisStore
from .security import Principal, StaticKeys, Verifier
from .server import running
from .settings import Settings

__all__ = [
    "ASGIApp",
    "App",
    "Body",
    "CorsPolicy",
    "ErrorBody",
    "ErrorShape",
    "HTTPProblem",
    "Limit",
    "Operation",
    "OperationError",
    "Param",
    "ParamLocation",
    "Principal",
    "RateLimits",
    "RedisStore",
    "Reply",
    "RequestContext",
    "Requirement",
    "Response",
    "Settings",
    "StaticKeys",
    "UploadedFile",
    "Verifier",
    "build_app",
    "running",
]
