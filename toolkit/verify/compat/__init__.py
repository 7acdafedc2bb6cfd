"""Offline compatibility of consumer pacts with the provider's OpenAPI document (the
bi-directional check): is every consumer expectation something the spec promises?"""

from toolkit.verify.compat.findings import RULES
from toolkit.verify.compat.run import TOOL, check_contracts, check_pact
from toolkit.verify.compat.spec import ContractSpec

__all__ = ["RULES", "TOOL", "ContractSpec", "check_contracts", "check_pact"]
