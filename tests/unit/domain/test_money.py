"""Money and quantize: an amount Decimal cannot hold once rounded is a ValueError naming it, not an ArithmeticError."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from oneprice.domain.listing import ListingState
from oneprice.domain.money import Money, quantize


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        ("1e30", "CNY", "1E+30 CNY"),
        ("1" + "0" * 30, "USD", "1000000000000000000000000000000 USD"),
        ("1e28", "JPY", "1E+28 JPY"),
        ("1e26", "KWD", "1E+26 KWD"),
        (10**5000, "CNY", "1.000000E+5000 CNY"),
    ],
    ids=["1e30 CNY", "31 digits USD", "1e28 JPY", "1e26 KWD", "5001-digit int"],
)
def test_an_amount_too_large_once_quantized_is_a_value_error_naming_it(
    amount: object, currency: str, shown: str
) -> None:
    # Before: decimal.InvalidOperation (not a ValueError) escaped Money.of; past 4300 digits an int gave
    # Python's "Exceeds the limit ... for integer string conversion".
    with pytest.raises(ValueError, match="too large to be a price") as info:
        Money.of(amount, currency)
    assert isinstance(info.value, ValidationError)
    assert f"{shown} is too large to be a price" in str(info.value)
    assert len(str(info.value)) < 600


def test_quantize_names_the_amount_and_currency() -> None:
    with pytest.raises(ValueError, match=r"^1E\+30 CNY is too large to be a price \(more than 28 digits"):
        quantize(Decimal("1e30"), "CNY")
    assert quantize(Decimal("1e25"), "CNY") == Decimal("10000000000000000000000000.00")


def test_quantize_of_an_infinite_amount_says_so() -> None:
    with pytest.raises(ValueError, match=r"^-Infinity USD is not a finite number$"):
        quantize(Decimal("-Infinity"), "USD")


def test_quantize_checks_the_currency() -> None:
    # Before: a KeyError for a code not written in capitals or not known.
    assert quantize(Decimal("1.005"), "cny") == Decimal("1.01")
    with pytest.raises(ValueError, match="unknown currency 'XYZ'"):
        quantize(Decimal(1), "XYZ")


def test_a_model_holding_a_huge_amount_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="1E\\+30 CNY is too large to be a price"):
        ListingState.model_validate(
            {"sku": "A", "name": "A", "price": {"amount": "1e30", "currency": "CNY"}, "stock": 1}
        )


def test_gap_percent_far_above_a_small_reference_is_a_number() -> None:
    # Before: the percent had more digits than the context once quantized: decimal.InvalidOperation.
    gap = Money.of("1e25", "CNY").gap_percent(Money.of("0.01", "CNY"))
    assert gap == Decimal("-99999999999999999999999999900.00")
    assert Money.of("90", "CNY").gap_percent(Money.of("100", "CNY")) == Decimal("10.00")
