"""Idempotency fingerprints: same request → same hash; anything that changes it → another."""

from __future__ import annotations

from examples.prompt_library.idempotency import fingerprint


def test_key_order_and_formatting_do_not_matter() -> None:
    a = fingerprint("createPrompt", "/prompts", {"name": "x", "tags": ["a", "b"]})
    b = fingerprint("createPrompt", "/prompts", {"tags": ["a", "b"], "name": "x"})
    assert a == b
    assert len(a) == 64


def test_body_operation_and_target_all_count() -> None:
    base = fingerprint("createPromptVersion", "/prompts/A/versions", {"template": "t"})
    assert base != fingerprint("createPromptVersion", "/prompts/A/versions", {"template": "u"})
    assert base != fingerprint("createPromptVersion", "/prompts/B/versions", {"template": "t"})
    assert base != fingerprint("createPrompt", "/prompts/A/versions", {"template": "t"})
    # Order inside arrays is meaningful.
    assert fingerprint("o", "/", {"tags": ["a", "b"]}) != fingerprint(
        "o", "/", {"tags": ["b", "a"]}
    )


def test_types_are_distinguished() -> None:
    assert fingerprint("o", "/", {"v": 1}) != fingerprint("o", "/", {"v": "1"})
    assert fingerprint("o", "/", {"v": None}) != fingerprint("o", "/", {})


def test_lone_surrogates_hash() -> None:
    # JSON bodies may carry unpaired surrogates ("\\ud800"); hashing must not crash.
    assert fingerprint("o", "/", {"v": "\ud800"}) != fingerprint("o", "/", {"v": "\ud801"})
