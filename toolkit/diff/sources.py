"""A side of `ctk diff`: a file, or `git:REF:path` read from the local repository.

The `git:` form never checks anything out and never reaches the network: `git archive`
writes the spec's folder as it was at REF into a scratch folder (so its relative `$ref`s
resolve as they did then), and findings name it `git:REF:path`.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

from toolkit.errors import LoadError, Location

PREFIX = "git:"


def materialize(spec: str, scratch: Path) -> Path:
    """The local file to load for `spec`; LoadError (exit 2) when git cannot give it."""
    if not spec.startswith(PREFIX):
        return Path(spec)
    ref, sep, path = spec[len(PREFIX) :].partition(":")
    if not ref or not sep or not path:
        raise LoadError(
            f"{spec!r} is not of the form git:REF:path",
            Location(spec),
            hint="e.g. git:origin/main:specs/api.yaml (REF is any commit-ish)",
        )
    git = shutil.which("git")
    if git is None:
        raise LoadError("git is not installed", Location(spec), hint="give the file instead")
    prefix = _run([git, "rev-parse", "--show-prefix"], spec, "this is not a git repository")
    top = _run([git, "rev-parse", "--show-toplevel"], spec, "this is not a git repository")
    commit = _run(
        [git, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        spec,
        f"no commit {ref!r} in this repository",
    )
    relative = PurePosixPath(prefix.strip()) / path
    folder = relative.parent.as_posix()
    archive = subprocess.run(  # noqa: S603 - git with fixed arguments, no shell
        [git, "-C", top.strip(), "archive", "--format=tar", commit.strip(), "--", folder],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise LoadError(
            f"{path!r} does not exist at {ref}",
            Location(spec),
            hint=archive.stderr.decode("utf-8", "replace").strip()[:300],
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(scratch, filter="data")
    target = scratch / relative
    if not target.is_file():
        raise LoadError(f"{path!r} does not exist at {ref}", Location(spec))
    return target


def _run(command: list[str], spec: str, failure: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise LoadError(failure, Location(spec), hint=done.stderr.strip()[:300])
    return done.stdout
