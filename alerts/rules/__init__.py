"""Alert rules, one module each; RULES maps a per-observation rule's name to its class.

`coverage_gap` judges targets rather than observations (alerts/rules/coverage.py), and
`own_channel_drift` episodes come from the sync check (sync engine → AlertRepository.apply).
"""

from alerts.rules.base import Rule, RuleContext
from alerts.rules.coverage import CoverageGapRule
from alerts.rules.drift import DriftRule
from alerts.rules.unauthorized import UnauthorizedSellerRule
from alerts.rules.undercut import UndercutRule

RULES: dict[str, type[Rule]] = {rule.name: rule for rule in (UndercutRule, UnauthorizedSellerRule, DriftRule)}

__all__ = [
    "RULES",
    "CoverageGapRule",
    "DriftRule",
    "Rule",
    "RuleContext",
    "UnauthorizedSellerRule",
    "UndercutRule",
]
