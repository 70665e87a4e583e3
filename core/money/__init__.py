"""Money in many currencies: ISO 4217 codes and their decimals, dated exchange rates, conversion in SQL and in Python.

Plugins reach it through the public surface: `crm.currency_code`, `crm.round_money`, `crm.Conversion`,
`crm.convert_amount`, `crm.UnconvertedAmount`.
"""
