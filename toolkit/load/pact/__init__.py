"""Pact files (specification V1 to V4) as typed values, shared by `ctk contract` and
`ctk diff`."""

from toolkit.load.pact.model import Body, Interaction, PactFile, Request, Response, Skipped, State
from toolkit.load.pact.parse import PACT_MAX_BYTES, load_pact, pact_from_data
from toolkit.load.pact.rules import WILDCARD, Matcher, Rule, Rules, Token, parse_path
from toolkit.load.pact.sources import pact_paths

__all__ = [
    "PACT_MAX_BYTES",
    "WILDCARD",
    "Body",
    "Interaction",
    "Matcher",
    "PactFile",
    "Request",
    "Response",
    "Rule",
    "Rules",
    "Skipped",
    "State",
    "Token",
    "load_pact",
    "pact_from_data",
    "pact_paths",
    "parse_path",
]
