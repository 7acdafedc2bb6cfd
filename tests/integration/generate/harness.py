"""End-to-end check of `ctk generate` on one OpenAPI document.

    ctk generate -> import -> ruff -> mypy --strict -> example service -> create_app
    -> schemathesis (in process, ASGI, validate_responses on)

* generate: `python -m toolkit generate SPEC --out WORKDIR/pkg_<n>`, from WORKDIR.
* import: the package, its `app` and `models` (WORKDIR on sys.path; one spec per
  interpreter, so the package names never clash).
* ruff: `ruff check --isolated`; mypy: `mypy --strict -p pkg_<n>` with MYPYPATH=WORKDIR:REPO
  (mypy cannot see setuptools' editable-install hook).
* app: `create_app(example service, Settings(validate_responses=True, verifier=AcceptAll))`
  (harness_service.py).
* schemathesis: harness_fuzz.py.

Every problem becomes a `Problem`; classify.py gives each a class and a reason. Run one
spec per interpreter, from a scratch cwd (schemathesis and hypothesis write there):

    python tests/integration/generate/harness.py SPEC --workdir DIR [--index N] [--json OUT]

`--json` is rewritten after every stage, so a run killed by a timeout still says how far it
got. tests/integration/generate/test_corpus_apps.py and bench/generate_corpus.py drive this.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import subprocess
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the sibling modules, when imported from elsewhere
    sys.path.insert(0, str(HERE))

from harness_results import STAGES, Problem, SpecResult, clip  # noqa: E402

REPO = HERE.parents[2]
__all__ = ["REPO", "STAGES", "Problem", "SpecResult", "classify_result", "run_pipeline"]


def _run(args: list[str], cwd: Path, env: Mapping[str, str] | None = None) -> tuple[int, str]:
    done = subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, env=dict(env or os.environ), check=False
    )
    return done.returncode, done.stdout + done.stderr


# Workaround for the generator bug `gen-security-wrap` (classify.REASONS), used only to get
# an app for the app/schemathesis stages after the measured stages failed on it: `ctk
# generate` with generate/app.py::_wrapped replaced by "one line, however long".
_UNWRAPPED = (
    "import sys\n"
    "import toolkit.generate.app as rendering\n"
    "rendering._wrapped = lambda key, value, indent: f'{indent}{key}={value},'\n"
    "from toolkit.cli import main\n"
    "sys.argv[0] = 'ctk'\n"
    "main()\n"
)


def generate(spec: Path, out: Path, *, unwrapped: bool = False) -> list[Problem]:
    ctk = ["-c", _UNWRAPPED] if unwrapped else ["-m", "toolkit"]
    code, output = _run(
        [sys.executable, *ctk, "generate", str(spec), "--out", str(out), "--force"], out.parent
    )
    if code == 0:
        return []
    lines = [ln for ln in output.splitlines() if ln.startswith("error:")] or output.splitlines()
    message = lines[0].split(": ", 2)[-1] if lines else f"exit {code}"
    return [Problem("generate", f"exit {code}", clip(message), detail=clip(output, 3000))]


def ruff(package_dir: Path) -> list[Problem]:
    return ruff_many([package_dir])[package_dir.name]


def ruff_many(package_dirs: list[Path]) -> dict[str, list[Problem]]:
    """`ruff check --isolated` over packages at once; problems per package name."""
    found_by: dict[str, dict[tuple[str, str], Problem]] = {d.name: {} for d in package_dirs}
    if not package_dirs:
        return {}
    code, output = _run(
        [
            *(sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache"),
            *("--output-format", "json", *map(str, package_dirs)),
        ],
        package_dirs[0].parent,
    )
    try:
        found = json.loads(output[output.index("[") :]) if code else []
    except ValueError:
        return {d.name: [Problem("ruff", f"exit {code}", clip(output))] for d in package_dirs}
    for item in found:
        path = Path(item["filename"])
        problems = found_by.get(path.parent.name)
        if problems is None:
            continue
        kind = item.get("code") or "invalid-syntax"
        key = (kind, f"{path.name}: {item['message']}")
        if key in problems:
            problems[key].count += 1
        else:
            where = f"{path.name}:{item['location']['row']}"
            problems[key] = Problem("ruff", kind, clip(key[1]), detail=where)
    return {name: list(problems.values()) for name, problems in found_by.items()}


_MYPY = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<msg>.*?)(  \[(?P<code>[\w-]+)\])?$")


def mypy(workdir: Path, package: str) -> list[Problem]:
    return mypy_many({package: workdir})[package]


def mypy_many(packages: dict[str, Path]) -> dict[str, list[Problem]]:
    """One `mypy --strict` run over packages (name -> the folder holding it): mypy analyses
    pydantic and toolkit once, not once per package."""
    if not packages:
        return {}
    roots = list(dict.fromkeys(str(folder) for folder in packages.values()))
    env = {**os.environ, "MYPYPATH": os.pathsep.join([*roots, str(REPO)])}
    code, output = _run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull]
        + ["--hide-error-context", "--no-error-summary"]
        + [arg for name in packages for arg in ("-p", name)],
        Path(roots[0]),
        env,
    )
    found_by: dict[str, dict[tuple[str, str], Problem]] = {name: {} for name in packages}
    for line in output.splitlines():
        match = _MYPY.match(line)
        if match is None:
            continue
        path = Path(match["file"])
        problems = found_by.get(path.parent.name)
        if problems is None:
            continue
        kind = match["code"] or "error"
        shape = re.sub(r'"[A-Z]\w*"', '"…"', match["msg"])  # fold by shape, not class name
        if (kind, shape) in problems:
            problems[kind, shape].count += 1
        else:
            where = f"{path.name}:{match['line']}: {match['msg']}"
            problems[kind, shape] = Problem("mypy", kind, clip(shape), detail=clip(where))
    result = {name: list(problems.values()) for name, problems in found_by.items()}
    if code and not any(result.values()):
        return {name: [Problem("mypy", f"exit {code}", clip(output))] for name in packages}
    return result


def _exception(stage: str, error: BaseException, prefix: str = "") -> Problem:
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    tail = "".join(traceback.format_exception(error)[-6:])
    return Problem(
        stage,
        type(error).__name__,
        clip(f"{prefix}{error}"),
        detail=clip(f"at {where}\n{tail}", 3000),
    )


def run_pipeline(
    spec: Path,
    workdir: Path,
    index: int,
    *,
    check_types: bool = True,
    fuzz: bool = True,
    max_examples: int = 25,
    stateful: bool = False,
    deadline: float | None = None,
    checkpoint: Callable[[SpecResult], None] = lambda _: None,
    mock: bool = False,
) -> SpecResult:
    """Every stage for one spec; `deadline` (time.monotonic) bounds the schemathesis run.
    `mock`: fuzz `ctk mock SPEC` (toolkit.mock) instead of a generated app."""
    import harness_fuzz
    import harness_service

    package = f"pkg_{index}"
    out = workdir / package
    result = SpecResult(spec=str(spec), package=package)
    if mock:
        return _run_mock(spec, out, result, max_examples, stateful, deadline, checkpoint)

    def stage(name: str, problems: list[Problem], started: float) -> bool:
        result.seconds[name] = round(time.perf_counter() - started, 2)
        result.problems.extend(problems)
        result.stages[name] = "failed" if problems else "ok"
        checkpoint(result)
        return not problems

    started = time.perf_counter()
    if not stage("generate", generate(spec, out), started):
        return result
    document = json.loads((out / "openapi.json").read_text(encoding="utf-8"))
    result.openapi = str(document.get("openapi", ""))

    started = time.perf_counter()
    if str(workdir) not in sys.path:
        sys.path.insert(0, str(workdir))
    try:
        pkg, operations = _import(package)
    except Exception as error:
        stage("import", [_exception("import", error)], started)
        pkg = None
    else:
        stage("import", [], started)

    if check_types:
        started = time.perf_counter()
        stage("ruff", ruff(out), started)
        started = time.perf_counter()
        stage("mypy", mypy(workdir, package), started)
    if pkg is None and _wrapped_security(out):
        # The measured stages failed on it; the app is built from the work-around's output,
        # a second copy of the package (same name) under WORKDIR/unwrapped.
        alt = workdir / "unwrapped"
        alt.mkdir(exist_ok=True)
        if not generate(spec, alt / package, unwrapped=True):
            sys.path.insert(0, str(alt))
            try:
                pkg, operations = _import(package)
                result.workarounds.append("gen-security-wrap: app.py regenerated unwrapped")
            except Exception:
                pkg = None
    if pkg is None:
        return result
    result.operations = len(operations)
    result.op_ids = {op.id: f"{op.method.upper()} {op.path}" for op in operations}

    started = time.perf_counter()
    problems: list[Problem] = []
    try:
        examples = harness_service.Examples(document)
        service, plans = harness_service.build_service(operations, document, examples)
    except Exception as error:
        stage("app", [_exception("app", error, "building the example service: ")], started)
        return result
    result.spec_defects.extend(dict.fromkeys(examples.defects))
    skip = []
    for label, plan in plans.items():
        if isinstance(plan, str):
            skip.append(label)
            problems.append(Problem("example", "no example", plan, operation=label))
        result.examples[label] = plan if isinstance(plan, str) else plan.source
    used = {
        pair[0]
        for op in operations
        for alt in op.security or ()
        for pair in alt
        if isinstance(pair, tuple) and pair
    }  # tolerant: a mis-rendered `security` literal is create_app's to report
    _, unsupported = harness_service.auth_config(document)
    for scheme in unsupported:
        if scheme.split(" ", 1)[0] in used:
            message = f"schemathesis cannot send credentials for the security scheme {scheme}"
            problems.append(Problem("app", "auth", message))
    from toolkit.runtime import Settings

    settings = Settings(
        validate_responses=True,
        verifier=harness_service.AcceptAll(harness_service.all_scopes(document)),
        access_log=False,
        metrics=False,
        docs=False,
    )
    try:
        app = pkg.create_app(service, settings=settings)
    except Exception as error:
        result.problems.extend(problems)
        stage("app", [_exception("app", error, "create_app: ")], started)
        return result
    stage("app", [], started)
    if not fuzz:
        result.problems.extend(problems)
        return result

    started = time.perf_counter()
    found: list[Problem] = problems  # untestable operations fail this stage too
    with harness_fuzz.runtime_log() as log, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found += harness_fuzz.run(
                document,
                app,
                skip,
                result,
                max_examples=max_examples,
                stateful=stateful,
                deadline=deadline,
            )
        except Exception as error:
            found.append(_exception("schemathesis", error, "the run crashed: "))
    stage("schemathesis", found, started)
    result.problems.extend(log)
    checkpoint(result)
    return result


def _run_mock(
    spec: Path,
    out: Path,
    result: SpecResult,
    max_examples: int,
    stateful: bool,
    deadline: float | None,
    checkpoint: Callable[[SpecResult], None],
) -> SpecResult:
    """The mock's stages: build (`ctk mock`'s own startup), then schemathesis against it,
    with the harness' credential among the ones the mock accepts."""
    import harness_fuzz
    import harness_service

    from toolkit.load import load_document
    from toolkit.mock import MockOptions, build_mock
    from toolkit.model import build_api

    started = time.perf_counter()
    try:
        document = load_document(spec)
        options = MockOptions(
            credentials=(harness_service.TOKEN, harness_service.PASSWORD),
            stateful=stateful,
            access_log=False,
        )
        built = build_mock(document, options)
    except Exception as error:
        result.problems.append(_exception("mock", error, "build_mock: "))
        result.stages["mock"] = "failed"
        return result
    result.stages["mock"] = "ok"
    result.seconds["mock"] = round(time.perf_counter() - started, 2)
    out.mkdir(parents=True, exist_ok=True)
    (out / "openapi.json").write_text(json.dumps(built.document), encoding="utf-8")
    result.openapi = str(built.document.get("openapi", ""))
    result.operations = built.operations
    result.op_ids = {
        op.operation_id: f"{op.method.upper()} {op.path}" for op in build_api(document).operations
    }
    result.spec_defects.extend(d.message for d in built.diagnostics)
    started = time.perf_counter()
    found: list[Problem] = [  # operations the mock leaves out, with its reason
        Problem("app", "OperationError", d.message, operation=d.message.split(" is not", 1)[0])
        for d in built.diagnostics
        if d.rule == "oas-structure"
    ]
    with harness_fuzz.runtime_log() as log, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found += harness_fuzz.run(
                built.document,
                built.app,
                list(built.skipped),
                result,
                max_examples=max_examples,
                stateful=stateful,
                deadline=deadline,
            )
        except Exception as error:
            found.append(_exception("schemathesis", error, "the run crashed: "))
    result.seconds["schemathesis"] = round(time.perf_counter() - started, 2)
    result.problems.extend(found)
    result.stages["schemathesis"] = "failed" if found else "ok"
    result.problems.extend(log)
    checkpoint(result)
    return result


def _import(package: str) -> tuple[Any, Any]:
    for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
        del sys.modules[name]  # a failed import can leave `models` behind
    pkg = importlib.import_module(package)
    importlib.import_module(f"{package}.models")
    return pkg, importlib.import_module(f"{package}.app").OPERATIONS


def _wrapped_security(out: Path) -> bool:
    try:
        text = (out / "app.py").read_text(encoding="utf-8")
    except OSError:
        return False
    return re.search(r"^ +security=\(\n +\(\('", text, re.MULTILINE) is not None


def classify_result(result: SpecResult, workdir: Path) -> SpecResult:
    """Give every problem its class and reason (classify.py)."""
    from classify import Context, classify_problems

    package_dir = workdir / result.package
    spec_file = package_dir / "openapi.json"
    document = json.loads(spec_file.read_text(encoding="utf-8")) if spec_file.is_file() else None
    if document is None and Path(result.spec).is_file():  # generate failed: read the source
        import yaml

        document = yaml.safe_load(Path(result.spec).read_text(encoding="utf-8"))
    context = Context(document, package_dir if package_dir.is_dir() else None, result.op_ids)
    classify_problems(result.problems, context)
    result.spec_defects = list(dict.fromkeys([*result.spec_defects, *context.proofs]))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--index", type=int, default=0)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--no-types", action="store_true", help="skip ruff and mypy")
    parser.add_argument("--no-fuzz", action="store_true", help="skip schemathesis")
    parser.add_argument("--stateful", action="store_true")
    parser.add_argument("--mock", action="store_true", help="fuzz `ctk mock SPEC` instead")
    parser.add_argument(
        "--budget", type=float, help="seconds for the whole run (schemathesis stops)"
    )
    parser.add_argument("--json", type=Path, help="write the result here (default: stdout)")
    parser.add_argument("--reclassify", type=Path, help="classify an earlier result (JSON) again")
    args = parser.parse_args(argv)
    workdir = args.workdir.resolve()
    if args.reclassify:
        old = SpecResult.from_json(json.loads(args.reclassify.read_text(encoding="utf-8")))
        text = json.dumps(classify_result(old, workdir).to_json(), indent=1)
        (args.json or args.reclassify).write_text(text, encoding="utf-8")
        return 0
    spec = args.spec.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    os.chdir(workdir)  # schemathesis and hypothesis write into the cwd
    deadline = time.monotonic() + args.budget if args.budget else None

    def write(result: SpecResult) -> None:
        if args.json:
            args.json.write_text(json.dumps(result.to_json(), indent=1), encoding="utf-8")

    result = run_pipeline(
        spec,
        workdir,
        args.index,
        check_types=not args.no_types,
        fuzz=not args.no_fuzz,
        max_examples=args.max_examples,
        stateful=args.stateful,
        deadline=deadline,
        checkpoint=lambda r: write(classify_result(r, workdir)),
        mock=args.mock,
    )
    classify_result(result, workdir)
    write(result)
    if not args.json:
        print(json.dumps(result.to_json(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
