"""`ctk contract verify`: pact provider verification on pact's own engine (the FFI), with
provider states written as Python functions.

A states module marks its functions with `provider_state`:

    from toolkit.verify.contract import provider_state

    @provider_state("a prompt with id {id} exists")
    async def prompt_exists(id: str, name: str = "greeting") -> AsyncIterator[None]:
        ...  # set up
        yield  # the interaction runs here
        ...  # tear down

This module imports nothing heavy (no pact, no server), so a states module stays cheap to
import.
"""

from __future__ import annotations

from toolkit.verify.contract.states import provider_state

__all__ = ["provider_state"]
