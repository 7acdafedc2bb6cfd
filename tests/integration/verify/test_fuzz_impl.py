"""`ctk fuzz --impl`: the generated app built around an implementation, as `ctk serve` does."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

SPEC = Path(__file__).parent / "buggy" / "spec.yaml"
IMPL = '''
import uuid

from things_gen import models
from toolkit.runtime import HTTPProblem, Reply


class Service:
    """The Things API on a dict; `Buggy` divides by the size."""

    def __init__(self) -> None:
        self.things: dict[uuid.UUID, models.Thing] = {}

    async def list_things(self, *, limit=20, context):
        return models.ThingList(items=list(self.things.values())[:limit])

    async def create_thing(self, *, body, context):
        size = 0 if isinstance(body.size, type(models.MISSING)) else body.size.root
        self.check(size)
        thing = models.Thing(id=uuid.uuid4(), name=body.name, size=size)
        self.things[thing.id] = thing
        headers = {"Location": f"/things/{thing.id}", "X-Request-Id": str(uuid.uuid4())}
        return Reply(201, thing, headers=headers)

    async def get_thing(self, *, thing_id, context):
        if thing_id not in self.things:
            raise HTTPProblem(404, detail="no such thing")
        return self.things[thing_id]

    async def delete_thing(self, *, thing_id, context):
        if self.things.pop(thing_id, None) is None:
            raise HTTPProblem(404, detail="no such thing")
        return None

    def check(self, size):
        pass


class Buggy(Service):
    def check(self, size):
        1000 // size
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    generated = CliRunner().invoke(cli, ["generate", str(SPEC), "--out", "things_gen"])
    assert generated.exit_code == 0, generated.output
    (tmp_path / "things_impl.py").write_text(textwrap.dedent(IMPL), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(("impl", "code"), [("Service", 0), ("Buggy", 1)])
def test_impl_is_served_by_the_generated_app(project: Path, impl: str, code: int) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "fuzz",
            str(SPEC),
            "--impl",
            f"things_impl:{impl}",
            "--package",
            "things_gen",
            "--max-examples",
            "20",
            "--seed",
            "1",
            "--report",
            "json",
        ],
    )
    assert result.exit_code == code, result.output
    report = json.loads((project / ".ctk" / "fuzz" / "report.json").read_text(encoding="utf-8"))
    assert report["target"] == f"--impl things_impl:{impl}"
    checks = {f["check"] for f in report["findings"] if f["verdict"] == "implementation-bug"}
    assert checks == (set() if code == 0 else {"not_a_server_error"})
