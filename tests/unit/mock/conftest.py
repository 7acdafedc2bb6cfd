from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from toolkit.load import bundle_document, load_document
from toolkit.load.document import Document

THINGS = Path(__file__).with_name("things.yaml")


@pytest.fixture(scope="module")
def things() -> Document:
    return load_document(THINGS)


@pytest.fixture(scope="module")
def things_data(things: Document) -> dict[str, Any]:
    data: dict[str, Any] = bundle_document(things).data
    return data
