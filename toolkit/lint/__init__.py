"""Stage 2: structural validation and design rules -> diagnostics."""

from toolkit.lint.engine import lint_document, lint_files, rule_catalog
from toolkit.lint.registry import RULES, Finding, Rule

__all__ = ["RULES", "Finding", "Rule", "lint_document", "lint_files", "rule_catalog"]
