"""The catalogue plugin's hooks: everything it adds to the CRM is declared here."""

from __future__ import annotations

from crm import READ_ALL_GRANTS, DemoData, GraphQLContribution, Resource, hookimpl
from crm.plugins.catalogue import models
from crm.plugins.catalogue.schema.products import CatalogueMutation, CatalogueQuery
from crm.plugins.catalogue.schema.types import Line, Product


@hookimpl
def crm_register_models():
    return [models.Product, models.PriceList, models.PriceListItem]


@hookimpl
def crm_register_permissions():
    return [Resource("product", "Products and price lists.", default_grants=READ_ALL_GRANTS, owned=False)]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[CatalogueQuery], mutation=[CatalogueMutation], types={"LineItem": Line, "Product": Product})


@hookimpl
def crm_register_demo_data():
    from crm.plugins.catalogue.demo import load

    return [DemoData("catalogue", load, order=150)]
