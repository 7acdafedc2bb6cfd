"""`ctk mock` on the shared corpus: schemathesis finds nothing the mock causes (issue 12).

For every OpenAPI 3.0/3.1 document of `../shared/corpus`, the stateless mock is built
(`toolkit.mock.build_mock`, as `ctk mock SPEC` builds it) and fuzzed in process by the corpus
harness (`tests/integration/generate/harness.py --mock`): examples, coverage and fuzzing
phases, positive and negative data, every check, 10 examples per operation (25 and 50 more
real documents in `bench/mock.py --corpus`), deterministic.
Every failure is classified by the harness' classifier (classify.py, the same evidence the
generated apps' corpus test uses). A failure is acceptable only when it is a contract defect
(class c) or a schemathesis limitation (class d); a runtime bug (b), a harness problem (e)
or an unexplained one fails, and so does a mock that cannot be built. A document with no
failure at all is reported as such; there is no per-document allow-list.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

GENERATE = Path(__file__).resolve().parents[1] / "generate"
sys.path.insert(0, str(GENERATE))

from classify import REASONS  # noqa: E402
from harness_results import SpecResult  # noqa: E402

pytestmark = pytest.mark.corpus

REPO = GENERATE.parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
MANIFEST = CORPUS / "MANIFEST.tsv"
TIMEOUT = 240
ACCEPTABLE = {"c", "d"}  # contract defects, schemathesis limitations

if not MANIFEST.is_file():
    pytest.skip(f"shared corpus not found: {MANIFEST} does not exist", allow_module_level=True)


def _specs() -> list[str]:
    rows = MANIFEST.read_text(encoding="utf-8").splitlines()[1:]
    return [r.split("\t")[0] for r in rows if r.split("\t")[3].startswith("3.")]


SPECS = _specs()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, SpecResult]]:
    scratch = tmp_path_factory.mktemp("corpus_mock")
    found: dict[str, SpecResult] = {}

    def one(index: int) -> None:
        name = SPECS[index]
        out = scratch / f"r{index}.json"
        command = [sys.executable, str(GENERATE / "harness.py"), str(CORPUS / name), "--mock"]
        command += ["--workdir", str(scratch / f"w{index}"), "--index", str(index)]
        command += ["--json", str(out), "--budget", str(TIMEOUT - 20), "--max-examples", "10"]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            pass
        if out.is_file():
            found[name] = SpecResult.from_json(json.loads(out.read_text(encoding="utf-8")))
        else:
            found[name] = SpecResult(spec=name, package=f"pkg_{index}")

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(one, range(len(SPECS))))
    yield found


def test_the_corpus_has_3x_documents() -> None:
    assert len(SPECS) >= 15, SPECS


@pytest.mark.parametrize("name", SPECS)
def test_mock_survives_schemathesis(name: str, results: dict[str, SpecResult]) -> None:
    result = results[name]
    assert result.stages.get("mock") == "ok", f"{name}: the mock was not built: {result.problems}"
    assert result.stages.get("schemathesis") in ("ok", "failed"), (
        f"{name}: schemathesis did not run"
    )
    assert result.cases > 0 or result.operations == 0, f"{name}: no case was sent"
    caused = [p for p in result.problems if p.klass not in ACCEPTABLE]
    lines = [
        f"  [{p.klass}] {p.reason}: {p.stage} {p.kind} {p.operation}: {p.message[:300]}"
        f"\n      {p.detail[:600]}"
        for p in caused
    ]
    assert not caused, f"{name}: failures the mock causes:\n" + "\n".join(lines)
    for p in result.problems:
        assert p.reason in REASONS, p
