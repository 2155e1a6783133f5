"""All reconciliation rules. Importing this package registers every rule in RULES."""
from .registry import RULES, Rule, rule  # noqa: F401
from . import totals, staffing, projects, three_public, scoring, completeness, narrative, forms  # noqa: F401,E402
from . import quality, outline  # noqa: F401,E402  (issue 20: profile-driven checks)

__all__ = ["RULES", "Rule", "rule"]   # the registry, re-exported
