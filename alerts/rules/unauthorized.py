"""Unauthorized seller: not in the reseller list, known unauthorized, or off its authorized platforms."""

from __future__ import annotations

from alerts.rules.base import Reading, Rule, RuleContext
from oneprice.domain.alert import Severity, Violation
from oneprice.domain.catalog import Product


class UnauthorizedSellerRule(Rule):
    """A catalog product sold by a seller the brand has not authorized on this platform.

    The brand's own stores (`own_store: true`) are always authorized. A page that named no
    seller is not judged: an unknown seller is not evidence of an unauthorized one.
    """

    name = "unauthorized_seller"

    def check(self, obs: Reading, product: Product, ctx: RuleContext) -> Violation | None:
        if not obs.seller_name and not obs.reseller_id:
            return None
        reseller = ctx.resellers.get(obs.reseller_id or "")
        if reseller is None:
            why = f"seller {obs.seller_name!r} is not in the reseller list"
        elif reseller.own_store:
            return None
        elif not reseller.authorized:
            why = f"{reseller.name} ({reseller.id}) is not an authorized reseller"
        elif not reseller.authorized_on(obs.platform):
            allowed = ", ".join(reseller.platforms)
            why = f"{reseller.name} ({reseller.id}) is authorized on {allowed}, not on {obs.platform}"
        else:
            return None
        return self.violation(obs, product, severity=Severity.WARNING, message=f"{why}; sells {product.sku}")
