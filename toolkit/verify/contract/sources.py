"""Where the pacts come from: files, folders (default `contracts/`), http(s) URLs (loopback
unless `--allow-host`) and a broker.

Local and URL pacts are read here first, with the parser `ctk contract check` uses
(`toolkit.load.pact`), so a missing, empty or malformed source is a located exit 2 instead
of a verifier that silently verifies nothing (pact skips a folder's pacts for another
provider name, and panics on some malformed files), and so the provider name can default to
the one the pacts give. The verifier is then handed the files one by one.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from toolkit.config import LoadOptions
from toolkit.errors import LoadError, Location, UsageError
from toolkit.load.pact import PACT_MAX_BYTES, PactFile, load_pact, pact_from_data, pact_paths
from toolkit.load.parse import decode, parse
from toolkit.verify.contract.options import ContractOptions
from toolkit.verify.urls import allowed_host

DEFAULT_FOLDER = Path("contracts")

Interaction = tuple[str, tuple[str, ...]]  # (description, provider state names)


@dataclass(frozen=True, slots=True)
class Pact:
    """One pact as the run needs it: where it is (a file or a URL), who, and what it holds."""

    source: str
    consumer: str
    provider: str
    interactions: tuple[Interaction, ...]
    messages: int = 0  # message interactions among them


@dataclass(frozen=True, slots=True)
class PactSources:
    pacts: tuple[Pact, ...]
    provider: str
    broker: str | None  # the broker's URL, when pacts come from one too
    notes: tuple[str, ...] = ()

    def source_of(self, consumer: str) -> str:
        found = [p.source for p in self.pacts if p.consumer == consumer]
        return ", ".join(found) if found else self.broker or ""


def find_pacts(options: ContractOptions, load: LoadOptions) -> PactSources:
    broker = options.broker is not None
    broker_url = options.broker.url if options.broker is not None else None
    if not options.sources and not broker and not DEFAULT_FOLDER.is_dir():
        raise UsageError(
            f"no pacts to verify: there is no {DEFAULT_FOLDER}/ folder here",
            hint="pass PACT_SOURCE (a pact file, a folder of them or a URL), or --broker-url",
        )
    given = options.sources or (() if broker else (str(DEFAULT_FOLDER),))
    bounds = LoadOptions(max_bytes=PACT_MAX_BYTES, max_nodes=load.max_nodes)
    pacts: list[Pact] = []
    named: set[str] = set()  # pacts named one by one, not found in a folder
    urls = [source for source in given if "://" in source]
    for url in urls:
        pacts.append(_summary(_read_url(url, options.allow_hosts, bounds), url))
        named.add(url)
    local = [Path(source) for source in given if "://" not in source]
    for path in pact_paths(local):
        pacts.append(_summary(load_pact(path, bounds), str(path)))
    named.update(str(path) for path in local if path.is_file())
    provider = options.provider or _only_provider(pacts, broker, given)
    chosen: list[Pact] = []
    notes: list[str] = []
    for pact in pacts:
        if pact.provider == provider:
            chosen.append(pact)
            if pact.messages:
                notes.append(
                    f"{pact.source}: {pact.messages} message interaction(s); ctk serves no "
                    "message producer, so pact's verifier fails them"
                )
        elif pact.source in named:  # named on the command line: a mistake, not a skip
            raise UsageError(
                f"{pact.source} is a pact for provider {pact.provider!r}, not {provider!r}",
                Location(pact.source),
                hint="pass --provider with the name the pact gives, or leave it out",
            )
        else:
            notes.append(f"skipped {pact.source}: a pact for provider {pact.provider!r}")
    if not chosen and not broker:
        providers = sorted({p.provider for p in pacts})
        raise UsageError(
            f"no pact for provider {provider!r} in {', '.join(given)}",
            notes=[f"providers found: {', '.join(providers)}"] if providers else [],
            hint="check --provider",
        )
    return PactSources(tuple(chosen), provider, broker_url, tuple(notes))


def _only_provider(pacts: list[Pact], broker: bool, given: tuple[str, ...]) -> str:
    names = sorted({p.provider for p in pacts})
    if broker and not names:
        raise UsageError(
            "--broker-url needs --provider NAME", hint="the broker serves pacts per provider"
        )
    if len(names) == 1:
        return names[0]
    raise UsageError(
        f"the pacts in {', '.join(given)} name {len(names)} providers: {', '.join(names)}",
        hint="pick one with --provider NAME",
    )


def _read_url(url: str, allow_hosts: tuple[str, ...], load: LoadOptions) -> PactFile:
    allowed_host(url, allow_hosts, label="the pact", why="ctk reaches no other host unasked")
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (checked above)
            data = response.read(load.max_bytes + 1)
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise UsageError(f"cannot fetch the pact at {url}: {reason}") from None
    if len(data) > load.max_bytes:
        raise LoadError(f"the pact is over {load.max_bytes:,} bytes", Location(url))
    text = decode(data, url)
    return pact_from_data(parse(text, url, "json", max_nodes=load.max_nodes), text, url)


def _summary(pact: PactFile, source: str) -> Pact:
    """Every interaction, messages included: pact's verifier is handed those too."""
    http: list[tuple[int, str, tuple[str, ...]]] = [
        (i.index, i.description, tuple(s.name for s in i.states)) for i in pact.interactions
    ]
    other: list[tuple[int, str, tuple[str, ...]]] = [
        (s.index, s.description, ()) for s in pact.skipped
    ]
    ordered = sorted(http + other, key=lambda entry: entry[0])
    interactions = tuple((description, states) for _, description, states in ordered)
    return Pact(source, pact.consumer, pact.provider, interactions, len(pact.skipped))
