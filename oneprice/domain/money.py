"""Money as Decimal with an ISO 4217 currency; never float.

Amounts are quantized to the currency's minor unit (CNY 2, JPY 0, KWD 3).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, getcontext, localcontext
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict

# ISO 4217 active codes with their minor-unit exponent (2 unless listed otherwise).
_EXPONENT_0 = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_EXPONENT_3 = "BHD IQD JOD KWD LYD OMR TND"
_EXPONENT_4 = "CLF UYW"
_EXPONENT_2 = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL "
    "GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD "
    "LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN "
    "PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL "
    "THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD YER ZAR ZMW ZWL"
)
CURRENCY_EXPONENTS: dict[str, int] = {
    **{c: 2 for c in _EXPONENT_2.split()},
    **{c: 0 for c in _EXPONENT_0.split()},
    **{c: 3 for c in _EXPONENT_3.split()},
    **{c: 4 for c in _EXPONENT_4.split()},
}


def check_currency(code: str) -> str:
    """Return the upper-cased ISO 4217 code, or raise ValueError naming it."""
    if not isinstance(code, str) or code.upper() not in CURRENCY_EXPONENTS:
        raise ValueError(f"unknown currency {code!r} (expected an ISO 4217 code such as CNY, USD)")
    return code.upper()


def to_decimal(value: Any) -> Decimal:
    """Convert a str/int/Decimal to Decimal exactly; floats are refused (they lose cents)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"{value!r} is a float; write money as a string or integer")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)  # exact, and no str(): past 4300 digits that raises its own ValueError
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{_shown(value)!r} is not a number") from None
    else:
        raise ValueError(f"{value!r} is not a number")
    if not result.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return result


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round half-up to the currency's minor unit; ValueError naming the amount when it cannot be.

    Decimal raises its own InvalidOperation (an ArithmeticError, not a ValueError) for an amount with
    more digits than its context holds once quantized (`1e30` yuan is 33 digits with its fen).
    """
    exp = CURRENCY_EXPONENTS.get(currency)
    if exp is None:
        currency = check_currency(currency)
        exp = CURRENCY_EXPONENTS[currency]
    try:
        return amount.quantize(Decimal(1).scaleb(-exp), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        if not amount.is_finite():
            raise ValueError(f"{amount} {currency} is not a finite number") from None
        raise ValueError(
            f"{_shown(amount)} {currency} is too large to be a price "
            f"(more than {getcontext().prec} digits with {exp} decimal places)"
        ) from None


_HUNDREDTH = Decimal("0.01")


def _shown(value: Decimal | str) -> str:
    """`value` as text short enough for a message: a long number by its leading digits and exponent."""
    text = str(value)
    if len(text) <= 40:
        return text
    if isinstance(value, Decimal) and value.is_finite():
        return f"{value:.6E}"
    return text[:37] + "..."


def _non_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError(f"must not be negative (got {value})")
    return value


Currency = Annotated[str, AfterValidator(check_currency)]
DecimalValue = Annotated[Decimal, BeforeValidator(to_decimal)]
NonNegativeDecimal = Annotated[Decimal, BeforeValidator(to_decimal), AfterValidator(_non_negative)]


class Money(BaseModel):
    """An amount in one currency, quantized to its minor unit.

    >>> Money.of("1299", "cny")
    Money(amount=Decimal('1299.00'), currency='CNY')
    """

    model_config = ConfigDict(frozen=True)

    amount: NonNegativeDecimal
    currency: Currency

    def model_post_init(self, __context: Any) -> None:
        object.__setattr__(self, "amount", quantize(self.amount, self.currency))

    @classmethod
    def of(cls, amount: Any, currency: str) -> Money:
        return cls(amount=amount, currency=currency)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def __repr__(self) -> str:
        return f"Money(amount={self.amount!r}, currency={self.currency!r})"

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise ValueError(f"cannot compare {self.currency} with {other.currency}")

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def gap_percent(self, reference: Money) -> Decimal:
        """How far below `reference` this amount is, in percent (positive = cheaper)."""
        self._same(reference)
        if reference.amount == 0:
            return Decimal(0)
        gap = (reference.amount - self.amount) / reference.amount * 100
        try:
            return gap.quantize(_HUNDREDTH)
        except InvalidOperation:
            # Far above a small reference (1e25 against 0.01) the percent has more digits than the context.
            with localcontext() as ctx:
                ctx.prec = gap.adjusted() + 3
                return gap.quantize(_HUNDREDTH)
