"""A fake Pact Broker on 127.0.0.1 (http.server in a thread): just the HAL pact's verifier
walks — the index, pacts for verification, one pact, the provider, publishing — serving
`pacts/passing` and recording every request, so the broker options can be tested on pact's
real verifier without a broker."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.integration.verify.contract import PACTS

PACT = PACTS / "passing" / "items-web-items-service.json"


@dataclass
class Broker:
    url: str = ""
    requests: list[tuple[str, str, Any]] = field(default_factory=list)  # method, path, body
    publishable: bool = True  # False: the broker refuses the results (400)

    def bodies(self, method: str, suffix: str) -> list[Any]:
        return [body for m, path, body in self.requests if m == method and path.endswith(suffix)]


@contextmanager
def fake_broker(*, publishable: bool = True) -> Iterator[Broker]:
    broker = Broker(publishable=publishable)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(broker))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    broker.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield broker
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _handler(broker: Broker) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            broker.requests.append(("GET", self.path, self.headers.get("Authorization")))
            base, path = broker.url, self.path
            if path == "/":
                template = f"{base}/pacts/provider/{{provider}}/for-verification"
                self._send(200, {"_links": {"pb:provider-pacts-for-verification": _link(template)}})
            elif path.endswith("/for-verification"):
                self._send(200, {"_links": {"self": _link(base + path)}})
            elif path == "/pacts/1":
                links = {
                    "pb:publish-verification-results": _link(f"{base}/pacts/1/results"),
                    "pb:provider": _link(f"{base}/pacticipants/items-service"),
                }
                pact = json.loads(PACT.read_text(encoding="utf-8"))
                self._send(200, {**pact, "_links": links})
            elif path == "/pacticipants/items-service":
                versions = f"{base}/pacticipants/items-service/branches/{{branch}}/versions"
                self._send(200, {"_links": {"pb:branch-version": _link(versions + "/{version}")}})
            else:
                self._send(404, {})

        def do_POST(self) -> None:
            broker.requests.append(("POST", self.path, self._body()))
            if self.path.endswith("/for-verification"):
                pact = {
                    "shortDescription": "latest from main",
                    "verificationProperties": {
                        "pending": False,
                        "notices": [{"when": "before_verification", "text": "chosen: main"}],
                    },
                    "_links": {"self": _link(f"{broker.url}/pacts/1")},
                }
                self._send(200, {"_embedded": {"pacts": [pact]}})
            elif broker.publishable:
                self._send(201, {})
            else:
                self._send(400, {"errors": {"providerApplicationVersion": ["is taken"]}})

        def do_PUT(self) -> None:
            broker.requests.append(("PUT", self.path, self._body()))
            self._send(200, {})

        def _body(self) -> Any:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"null")

        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/hal+json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _link(href: str) -> dict[str, Any]:
    return {"href": href, "templated": "{" in href}
