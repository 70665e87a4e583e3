"""The inventory plugin's hooks: everything it adds to the CRM is declared here."""

from __future__ import annotations

from crm import READ_ALL_GRANTS, BenchData, ConsolePage, DemoData, GraphQLContribution, Resource, hookimpl
from crm.plugins.inventory import models, orders
from crm.plugins.inventory.schema.extensions import OrderStockFields, OrderWarehouseMutation, ProductStock
from crm.plugins.inventory.schema.stock import StockMutation, StockQuery
from crm.plugins.inventory.schema.warehouses import WarehouseMutation, WarehouseQuery


@hookimpl
def crm_register_models():
    return [models.Warehouse, models.StockLevel, models.StockMovement, models.StockRule, models.OrderWarehouse, models.OrderStock]


@hookimpl
def crm_register_permissions():
    # Stock has no owners: whoever may read it sees every warehouse's. A warehouse role needs only these two (and
    # product read), not customers: it moves goods without seeing who bought them.
    return [
        Resource("warehouse", "Warehouses.", default_grants=READ_ALL_GRANTS, owned=False),
        Resource("stock", "Stock levels, the stock ledger and its movements, stock rules, valuation.", default_grants=READ_ALL_GRANTS,
                 owned=False),
    ]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[WarehouseQuery, StockQuery], mutation=[WarehouseMutation, StockMutation, OrderWarehouseMutation],
                               extends={"Product": [ProductStock], "Order": [OrderStockFields]})


@hookimpl
def crm_register_error_codes():
    return {"INSUFFICIENT_STOCK": "Not enough stock is available for the movement or the order: the message says how much there is."}


@hookimpl
async def crm_on_order_confirmed(session, order):
    await orders.reserve(session, order)


@hookimpl
async def crm_on_order_cancelled(session, order):
    await orders.release(session, order)


@hookimpl
async def crm_on_order_fulfilled(session, order):
    await orders.ship(session, order)


@hookimpl
def crm_register_commands(cli):
    from crm.plugins.inventory import commands

    commands.register(cli)


@hookimpl
def crm_register_demo_data():
    from crm.plugins.inventory.demo import load

    return [DemoData("inventory", load, order=300)]


@hookimpl
def crm_register_bench_data():
    from crm.plugins.inventory import bench

    return [BenchData("inventory", bench.TABLES, bench.generate, order=300, prepare=bench.prepare, finish=bench.finish)]


@hookimpl
def crm_register_console_pages():
    return [ConsolePage("/stock", "Stock", "stock")]
