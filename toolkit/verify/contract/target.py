"""The provider to verify: an ASGI app (`--app`), the generated app around an
implementation (`--impl`, with `--verifier` for its security), or a running server (`--url`,
loopback unless `--allow-host`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit._imports import import_object
from toolkit.config import Config
from toolkit.errors import UsageError
from toolkit.verify.apps import NO_LIMITS, impl_app
from toolkit.verify.contract.options import ContractOptions
from toolkit.verify.urls import check_url


@dataclass(frozen=True)
class Provider:
    kind: str  # app | impl | url
    name: str  # what the user gave
    app: Any | None  # the ASGI app, served in-process with the state endpoint
    url: str | None  # the running server's base URL

    def describe(self) -> str:
        return f"--{self.kind} {self.name}"


def resolve_provider(options: ContractOptions, config: Config) -> Provider:
    if options.url:
        return Provider(
            "url",
            options.url,
            None,
            check_url(
                options.url,
                options.allow_hosts,
                why="verification replays the pacts' requests on it, deletes included",
                instead="verify it in-process with --app/--impl",
            ),
        )
    if options.app:
        app = import_object(options.app, "--app")
        kind, name = "app", options.app
    elif options.impl:
        spec = impl_spec(options.spec, config)
        app = impl_app(
            spec,
            options.impl,
            options.package,
            config,
            validate_responses=False,
            verifier=options.verifier,
            rate_limit=NO_LIMITS,  # verification checks the contract, not the throttle
        )
        kind, name = "impl", options.impl
    else:
        raise UsageError("give exactly one of --app, --impl or --url")
    if not callable(app):
        raise UsageError(f"--{kind} {name} is not an ASGI application (not callable)")
    return Provider(kind, name, app, None)


def impl_spec(spec: Path | None, config: Config) -> Path:
    """`--spec`, else `[tool.ctk.fuzz] spec`, else the one `[tool.ctk.generate]` target."""
    if spec is not None:
        chosen = spec
    elif config.fuzz.spec is not None:
        chosen = config.fuzz.spec
    elif len(config.generate.targets) == 1:
        chosen = config.generate.targets[0].spec
    else:
        raise UsageError(
            "--impl needs the spec its generated package was made from",
            hint="pass --spec, or set `spec` in [tool.ctk.fuzz] or one [tool.ctk.generate] target",
        )
    if not chosen.is_file():
        raise UsageError(f"no such spec: {chosen}")
    return chosen
