"""Alert rules, one module each; RULES maps a rule's name to its class."""

from alerts.rules.base import Rule, RuleContext
from alerts.rules.unauthorized import UnauthorizedSellerRule
from alerts.rules.undercut import UndercutRule

RULES: dict[str, type[Rule]] = {rule.name: rule for rule in (UndercutRule, UnauthorizedSellerRule)}

__all__ = ["RULES", "Rule", "RuleContext", "UnauthorizedSellerRule", "UndercutRule"]
