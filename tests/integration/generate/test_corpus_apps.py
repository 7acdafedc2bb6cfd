"""`ctk generate` end to end on the shared corpus (`<repo>/../shared/corpus`, MANIFEST.tsv).

For every OpenAPI 3.0/3.1 document of the corpus, the whole pipeline of harness.py:
`ctk generate` succeeds, the package imports, `ruff check --isolated` and `mypy --strict`
pass on it, an app built from it (create_app around an example service, with
`validate_responses=True` and a verifier accepting the harness' credential) starts, and
schemathesis, run in process against that app (examples, coverage and fuzzing phases;
positive and negative data; every check; 25 examples per operation; deterministic), finds
nothing.

Cost, bounded: each document runs in its own interpreter, 2 at a time, with a time budget;
ruff and mypy run once over all generated packages together (one mypy process analyses
pydantic and toolkit once). All 22 documents take 75-100 s on 2 idle cores (about 165 s on
a busy machine), so every document gets the full pipeline; FUZZED is where to trim if the
corpus grows (bench/generate_corpus.py always runs everything).

Every failure is classified (classify.py). The ones we know and can explain are listed in
KNOWN (document -> reason id -> where it shows); a problem whose reason is not listed for
its document fails, and so does a listed reason that no longer occurs (a fix landed:
delete the entry). Reasons are explained in classify.REASONS. Should a generated app.py
again fail to import because of a mis-wrapped `security=` literal (`gen-security-wrap`,
fixed in ba6a110), the harness builds the app from a work-around copy (see harness.py) so
the runtime is still tested; the measured stages keep the failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import harness  # noqa: E402
from classify import REASONS  # noqa: E402
from harness_results import SpecResult  # noqa: E402

pytestmark = pytest.mark.corpus

REPO = HERE.parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
MANIFEST = CORPUS / "MANIFEST.tsv"
WORKERS = 2
TIMEOUT = 240  # per document, generous: the slowest (appveyor.com) takes ~25 s on 2 idle cores

if not MANIFEST.is_file():
    pytest.skip(
        f"shared corpus not found: {MANIFEST} does not exist (it lives next to the repo, "
        "in ../shared/corpus)",
        allow_module_level=True,
    )


def _corpus() -> list[str]:
    rows = [line.split("\t") for line in MANIFEST.read_text(encoding="utf-8").splitlines()[1:]]
    return sorted(row[0] for row in rows if len(row) > 3 and row[3].startswith(("3.0", "3.1")))


SPECS = _corpus()
FUZZED = frozenset(SPECS)

# document -> {reason id (classify.REASONS): where it shows in this document}
_NO_4XX = "operations documenting only 2xx answer negative requests with an undocumented 4xx"
KNOWN: dict[str, dict[str, str]] = {
    "examples/3.0-file-uploads.yaml": {
        "st-undocumented-error-status": _NO_4XX + " (invalid multipart parts -> 422)",
    },
    "examples/3.0-link-example.yaml": {
        "st-undocumented-error-status": _NO_4XX + " (pullrequests?state=AAA -> 400)",
    },
    "examples/3.0-parameters-style.yaml": {
        "st-ambiguous-multipart": "`{}` for an array of strings is one text part: ['{}']",
        "st-undocumented-error-status": _NO_4XX,
        "st-ambiguous-style": "label/matrix path values like `.AAA` are valid arrays too",
        "st-spacedelimited-object": "spaceDelimited/pipeDelimited `object` sent as object=name&...",
        "st-nested-style": "matrix/simple `object` holding nested Python reprs",
    },
    "examples/3.0-petstore.yaml": {
        "spec-no-acceptable-response": "POST /pet documents only 405, PUT /pet only 400/404/405",
        "st-undocumented-error-status": _NO_4XX + " (POST /pet without body -> 400)",
    },
    "examples/3.0-schema-additional-properties.yaml": {
        "st-undocumented-error-status": _NO_4XX,
    },
    "examples/3.0-schema-enums.yaml": {
        "st-undocumented-error-status": _NO_4XX,
    },
    "examples/3.1-parameters-style.yaml": {
        "st-no-responses": "no operation documents responses: a 200 or 400 is 'undocumented'",
        "st-ambiguous-multipart": "`{}` for an array of strings is one text part: ['{}']",
        "st-ambiguous-style": "label/matrix path values like `.AAA` are valid arrays too",
        "st-spacedelimited-object": "spaceDelimited/pipeDelimited `object` sent as object=name&...",
        "st-nested-style": "matrix/simple `object` holding nested Python reprs",
        "spec-fragment-paths": "/cookies#formExploded and #formNonExploded are the URL /cookies",
    },
    "examples/3.1-schema-validation-top-level.yaml": {
        "spec-invalid-schema": "a 3.1 schema with `exclusiveMaximum: true` (2020-12 wants a number)",
    },
    "examples/3.1-petstore.yaml": {
        "spec-no-acceptable-response": "POST /pet documents only 405, PUT /pet only 400/404/405",
        "st-undocumented-error-status": _NO_4XX + " (POST /pet without body -> 400)",
    },
    "real/api.video.json": {
        "spec-invalid-schema": "video-thumbnail-pick-payload has `pattern: 0` (must be a string)",
    },
    "real/codat.io__banking.json": {
        "st-undocumented-error-status": _NO_4XX,
    },
    "real/hubapi.com__files.json": {
        "spec-identical-templates": "/files/v3/folders/{folderId} and /{folderPath} collide",
    },
    "real/instagram.com.json": {
        "st-undocumented-error-status": _NO_4XX,
    },
    "real/twilio.com__twilio_insights_v1.json": {
        "st-undocumented-error-status": _NO_4XX + " (401 when the credential is left out)",
    },
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SpecResult]]:
    scratch = tmp_path_factory.mktemp("corpus_apps")
    found: dict[str, SpecResult] = {}

    def one(index: int) -> None:
        name = SPECS[index]
        workdir = scratch / f"w{index}"
        out = scratch / f"r{index}.json"
        command = [sys.executable, str(HERE / "harness.py"), str(CORPUS / name)]
        command += ["--workdir", str(workdir), "--index", str(index), "--json", str(out)]
        command += ["--no-types", "--budget", str(TIMEOUT - 20)]
        if name not in FUZZED:
            command.append("--no-fuzz")
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            pass
        if out.is_file():
            found[name] = SpecResult.from_json(json.loads(out.read_text(encoding="utf-8")))
        else:
            found[name] = SpecResult(spec=name, package=f"pkg_{index}")
            found[name].problems.append(
                harness.Problem("harness", "crash", f"no result (see {workdir})")
            )

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(one, range(len(SPECS))))

    # ruff and mypy once over every generated package
    generated = {
        name: scratch / f"w{i}" / f"pkg_{i}"
        for i, name in enumerate(SPECS)
        if found[name].stages["generate"] == "ok"
    }
    linted = harness.ruff_many(list(generated.values()))
    typed = harness.mypy_many({path.name: path.parent for path in generated.values()})
    for name, path in generated.items():
        result = found[name]
        for stage, problems in (("ruff", linted[path.name]), ("mypy", typed[path.name])):
            result.problems.extend(problems)
            result.stages[stage] = "failed" if problems else "ok"
        harness.classify_result(result, path.parent)
    dump = os.environ.get("CTK_CORPUS_APPS_JSON")  # to review or update KNOWN
    if dump:
        Path(dump).write_text(
            json.dumps({name: r.to_json() for name, r in found.items()}, indent=1), encoding="utf-8"
        )
    yield found


def _describe(result: SpecResult, reasons: set[str]) -> str:
    lines = []
    for p in result.problems:
        if p.reason in reasons:
            where = f" {p.operation}" if p.operation else ""
            lines.append(f"  [{p.klass}] {p.reason}: {p.stage} {p.kind}{where}: {p.message[:300]}")
            if p.detail:
                lines.append("      " + p.detail[:600].replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("name", SPECS)
def test_generated_app(name: str, results: dict[str, SpecResult]) -> None:
    result = results[name]
    found = {p.reason for p in result.failures}
    known = KNOWN.get(name, {})
    assert all(reason in REASONS and reason != "unexplained" for reason in known)
    new = found - set(known)
    assert not new, f"{name}: unexpected failures:\n{_describe(result, new)}"
    stale = set(known) - found
    assert not stale, f"{name}: listed in KNOWN but no longer failing (delete): {sorted(stale)}"
    stages = {s: v for s, v in result.stages.items() if s != "schemathesis" or name in FUZZED}
    failed = {s for s, v in stages.items() if v != "ok"}
    assert not failed or known, f"{name}: stages not ok without a known reason: {failed}"


def test_fuzzed_subset_is_in_the_corpus() -> None:
    assert set(FUZZED) <= set(SPECS)
    assert set(KNOWN) <= set(SPECS)
