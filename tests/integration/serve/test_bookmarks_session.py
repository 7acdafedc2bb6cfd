"""Issue 11's acceptance session: a small spec of our own (a shared read-only `id`, an aliased
field, OAuth scopes on bearer JWTs, a discriminated `oneOf`) generated, then served by
`ctk serve --impl` with a configured verifier, driven over real HTTP on loopback as a user
would: create, get, list, unauthorised, forbidden, preflight, HEAD, rate-limited. Its
settings come from a `[tool.ctk.serve]` table (verifier, response validation, CORS, a rate
limit over the spec's). `validate-responses` turns any answer that breaks the spec into a
500, so every 2xx/4xx below also says "the answer matches the spec"."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
from click.testing import CliRunner

from tests.conftest import free_port
from toolkit.cli import cli

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SPEC = HERE / "bookmarks.yaml"
SECRET = "bookmarks-test-secret-of-32-bytes-or-more"
APP_ORIGIN = "https://app.example"


def _token(*scopes: str) -> str:
    claims = {"sub": "ada", "exp": int(time.time()) + 300, "scope": " ".join(scopes)}
    return jwt.encode(claims, SECRET, algorithm="HS256", headers={"kid": "k1"})


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("bookmarks")
    no_config = str(ROOT / "tests" / "cli" / "no_ctk_config.toml")
    made = CliRunner().invoke(
        cli, ["generate", str(SPEC), "--out", str(work / "bookmarks_api"), "--config", no_config]
    )
    assert made.exit_code == 0, made.output
    hmac = json.loads(jwt.algorithms.HMACAlgorithm.to_jwk(SECRET.encode()))
    (work / "jwks.json").write_text(json.dumps({"keys": [{**hmac, "kid": "k1"}]}))
    port = free_port()
    (work / "serve.toml").write_text(
        f"""[tool.ctk.serve]
spec = {json.dumps(str(SPEC))}
impl = "tests.integration.serve.bookmarks_impl:Bookmarks"
package = "bookmarks_api"
verifier = "toolkit.runtime.verifiers:from_environment"
validate-responses = true
port = {port}
[tool.ctk.serve.cors]
origins = ["{APP_ORIGIN}"]
[tool.ctk.serve.rate-limit]
operations = {{ getBookmark = "100/minute" }}
""",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(work), str(ROOT)]),
        "CTK_JWKS_FILE": str(work / "jwks.json"),
    }
    env.pop("CTK_API_KEYS", None)
    command = [sys.executable, "-m", "toolkit", "serve", "--config", str(work / "serve.toml")]
    process = subprocess.Popen(
        command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    process.kill()
                    raise AssertionError(process.communicate()[1][-3000:]) from None
                time.sleep(0.1)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=20)  # reaps it and closes its pipes


NOTE = {"title": "Remember", "target": {"kind": "note", "text": "milk"}}


def test_a_user_session_over_http(base: str) -> None:
    # minted here, not at import: the suite runs longer than a token lives
    WRITE = {"Authorization": f"Bearer {_token('bookmarks:read', 'bookmarks:write')}"}  # noqa: N806
    READ = {"Authorization": f"Bearer {_token('bookmarks:read')}"}  # noqa: N806
    with httpx.Client(base_url=base, timeout=10) as client:
        # create: no `id`, no `created-at` (read-only, server-owned); the oneOf by its kind
        created = client.post("/bookmarks", json=NOTE, headers=WRITE)
        assert created.status_code == 201, created.text
        body = created.json()
        assert body["id"] == "b1" and body["target"] == {"kind": "note", "text": "milk"}
        assert "created-at" in body  # written under its wire name (an aliased field)
        # a read-only value sent is accepted and ignored: the server assigns the id
        link = {"id": "mine", "title": "Docs", "target": {"kind": "link", "url": "https://d.ex/"}}
        second = client.post("/bookmarks", json=link, headers=WRITE)
        assert second.status_code == 201 and second.json()["id"] == "b2"
        # get and list
        got = client.get("/bookmarks/b1", headers=READ)
        assert got.status_code == 200 and got.json() == body
        listed = client.get("/bookmarks", headers=READ)
        assert listed.status_code == 200
        assert [b["id"] for b in listed.json()] == ["b1", "b2"]
        assert client.get("/bookmarks/nope", headers=READ).status_code == 404
        # unauthorised, forbidden, invalid
        anonymous = client.get("/bookmarks")
        assert anonymous.status_code == 401 and "www-authenticate" in anonymous.headers
        assert client.post("/bookmarks", json=NOTE, headers=READ).status_code == 403
        expired = jwt.encode({"sub": "x", "exp": 1}, SECRET, algorithm="HS256")
        assert (
            client.get("/bookmarks", headers={"Authorization": f"Bearer {expired}"}).status_code
            == 401
        )
        wrong_kind = {"title": "x", "target": {"kind": "note", "url": "https://x"}}
        assert client.post("/bookmarks", json=wrong_kind, headers=WRITE).status_code == 422
        # a browser's preflight, and HEAD
        preflight = client.options(
            "/bookmarks",
            headers={
                "Origin": APP_ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == APP_ORIGIN
        assert "POST" in preflight.headers["access-control-allow-methods"]
        head = client.head("/bookmarks", headers=READ)
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == listed.headers["content-length"]
        # rate limits: the spec's 5/minute on creates (two creates and the 422 took three
        # tokens; the 403 took none), the config's 100/minute on reads by id
        assert got.headers["ratelimit-policy"] == '"getBookmark";q=100;w=60'
        assert "ratelimit" not in listed.headers  # not limited
        statuses = [client.post("/bookmarks", json=NOTE, headers=WRITE) for _ in range(3)]
        assert [r.status_code for r in statuses] == [201, 201, 429]
        limited = statuses[-1]
        assert limited.headers["ratelimit-policy"] == '"createBookmark";q=5;w=60'
        assert (
            limited.headers["ratelimit"]
            == f'"createBookmark";r=0;t={limited.headers["retry-after"]}'
        )
        assert 1 <= int(limited.headers["retry-after"]) <= 12  # a token every 12 s
        assert limited.json()["status"] == 429
