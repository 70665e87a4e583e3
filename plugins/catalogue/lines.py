"""Line items and document totals, computed exactly: Decimal arithmetic, each line rounded half-even to the smallest
unit of the document's currency (cents for EUR, whole yen for JPY, fils for KWD)."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from crm import Invalid, UserError, parse_id, round_money
from crm.plugins.catalogue.models import Product

HUNDRED = Decimal(100)


@strawberry.input(description="A line: a product (its price applies unless `unitPrice` is given) or free text.")
class LineInput:
    product_id: strawberry.ID | None = None
    description: str | None = strawberry.field(default=None, description="What is sold, in words; the product's name when left out.")
    quantity: Decimal = strawberry.field(default=Decimal(1), description="How many.")
    unit_price: Decimal | None = strawberry.field(default=None, description="The price of one; the product's price (or its price list's) when left out.")
    discount_percent: Decimal = strawberry.field(default=Decimal(0), description="A discount, in percent.")
    tax_percent: Decimal = strawberry.field(default=Decimal(0), description="The tax rate, in percent.")


def line_amounts(quantity: Decimal, unit_price: Decimal, discount_percent: Decimal, tax_percent: Decimal, currency: str) -> tuple[Decimal, Decimal]:
    """(net, tax) of one line: net = quantity x price less discount; tax on the net; both rounded to the currency's unit."""
    gross = quantity * unit_price
    net = round_money(gross - gross * discount_percent / HUNDRED, currency)
    tax = round_money(net * tax_percent / HUNDRED, currency)
    return net, tax


def check_line(line: LineInput, i: int) -> list[UserError]:
    errors = []
    field = f"lines.{i}"
    if line.quantity <= 0:
        errors.append(UserError(field=f"{field}.quantity", code="INVALID", message="quantity must be above 0"))
    if line.unit_price is not None and line.unit_price < 0:
        errors.append(UserError(field=f"{field}.unitPrice", code="INVALID", message="a price cannot be negative"))
    if not 0 <= line.discount_percent <= 100:
        errors.append(UserError(field=f"{field}.discountPercent", code="INVALID", message="a discount is 0 to 100 percent"))
    if not 0 <= line.tax_percent <= 100:
        errors.append(UserError(field=f"{field}.taxPercent", code="INVALID", message="a tax rate is 0 to 100 percent"))
    if line.product_id is None and not (line.description or "").strip():
        errors.append(UserError(field=f"{field}.description", code="REQUIRED", message="a line without a product needs a description"))
    if line.product_id is None and line.unit_price is None:
        errors.append(UserError(field=f"{field}.unitPrice", code="REQUIRED", message="a line without a product needs a unit price"))
    return errors


async def build_lines(session, line_class, inputs: list[LineInput], price_for, currency: str, **owner) -> list:
    """Validated line records in `currency`. `price_for(product)` gives the product's price for this document (price lists)."""
    errors = [e for i, line in enumerate(inputs) for e in check_line(line, i)]
    if errors:
        raise Invalid(*errors)
    lines = []
    for i, item in enumerate(inputs):
        product = None
        if item.product_id is not None:
            product = await session.get(Product, parse_id(item.product_id, f"lines.{i}.productId"))
            if product is None or product.deleted_at is not None:
                raise Invalid.one(f"lines.{i}.productId", "NOT_FOUND", "product not found")
            if not product.active:
                raise Invalid.one(f"lines.{i}.productId", "INVALID", f"{product.name} is no longer sold")
        unit_price = item.unit_price if item.unit_price is not None else await price_for(product)
        net, tax = line_amounts(item.quantity, unit_price, item.discount_percent, item.tax_percent, currency)
        lines.append(line_class(
            position=i, product_id=product.id if product else None,
            description=(item.description or "").strip() or product.name, quantity=item.quantity, unit_price=unit_price,
            discount_percent=item.discount_percent, tax_percent=item.tax_percent, net=net, tax=tax, **owner,
        ))
    return lines


def totals(lines) -> tuple[Decimal, Decimal, Decimal]:
    subtotal = sum((line.net for line in lines), Decimal(0))
    tax = sum((line.tax for line in lines), Decimal(0))
    return subtotal, tax, subtotal + tax
