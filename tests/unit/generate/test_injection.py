"""Spec text must never become code: names, descriptions, enum values, schema names, paths."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from toolkit.cli import cli

EVIL = "x'); import os; os.system('touch PWNED') #\"\"\"\n\\"

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": EVIL, "version": EVIL, "description": EVIL},
    "paths": {
        "/a/{__import__('os')}": {
            "post": {
                "operationId": "__import__('os').system('touch PWNED')",
                "summary": '"""; import os #',
                "description": EVIL,
                "parameters": [
                    {
                        "name": "__import__('os')",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    },
                    {"name": "class", "in": "query", "schema": {"type": "string", "default": EVIL}},
                    {"name": "from", "in": "header", "schema": {"type": "integer", "default": 3}},
                    {"name": "context", "in": "query", "schema": {"type": "boolean"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/..~1..~1evil"}
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": EVIL,
                        "content": {
                            "application/json": {
                                "schema": {"type": "string", "enum": [EVIL, "a'b", 'c"d', "\\"]}
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "../../evil": {
                "type": "object",
                "description": EVIL,
                "properties": {
                    EVIL: {"type": "string", "description": EVIL},
                    "class": {"type": "integer"},
                },
            },
            "__init__": {"type": "string"},
            "BaseModel": {"type": "integer"},
        }
    },
}


def test_hostile_names_stay_data(tmp_path: Path) -> None:
    spec = tmp_path / "spec" / "api.json"
    spec.parent.mkdir()
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    out = tmp_path / "gen" / "evil_pkg"
    result = CliRunner().invoke(cli, ["generate", str(spec), "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert all(p.startswith(("gen/evil_pkg/", "spec/")) for p in written), written
    for path in out.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))  # valid Python
        calls = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert "__import__" not in calls, path
        imports = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        assert "os" not in imports, path
    # Importing the package runs nothing from the spec.
    check = subprocess.run(
        [sys.executable, "-c", "import evil_pkg.models, evil_pkg.service; print('ok')"],
        cwd=out.parent,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert not (out.parent / "PWNED").exists()
    assert not Path("PWNED").exists()
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", str(out)],
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout


def test_output_name_must_be_a_package_name(tmp_path: Path) -> None:
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    result = CliRunner().invoke(cli, ["generate", str(spec), "--out", str(tmp_path / "not-a-name")])
    assert result.exit_code == 2
    assert "not a valid Python package name" in result.output
