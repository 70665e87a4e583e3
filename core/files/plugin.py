"""Attachments, registered like any plugin: the tables, the upload and download routes, the API. Modules let their
records have files with `crm_register_attachment_targets`."""

from __future__ import annotations

from crm.declarations import SCOPED_GRANTS, GraphQLContribution, HttpRoute, Resource
from crm.files import models, routes
from crm.files.schema import AttachmentMutation, AttachmentQuery
from crm.hookspecs import hookimpl


@hookimpl
def crm_register_models():
    return [models.Attachment, models.AttachmentVersion]


@hookimpl
def crm_register_permissions():
    # Files are read and written with their record (its owner is theirs); this grant comes on top, so that a role may
    # see contracts without their documents.
    return [Resource("document", "Files attached to records (a contract's signed copy).", default_grants=SCOPED_GRANTS)]


@hookimpl
def crm_register_routes():
    return [HttpRoute("/files/{resource}/{record_id}/{name}", routes.upload, methods=("PUT",)),
            HttpRoute("/files/{attachment_id}", routes.download, methods=("GET",)),
            HttpRoute("/files/{attachment_id}/versions/{number}", routes.download, methods=("GET",))]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[AttachmentQuery], mutation=[AttachmentMutation])
