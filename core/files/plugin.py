"""Attachments, registered like any plugin: the tables, the upload and download routes, the API. Modules let their
records have files with `crm_register_attachment_targets`."""

from __future__ import annotations

from crm.declarations import GraphQLContribution, HttpRoute
from crm.files import models, routes
from crm.files.schema import AttachmentMutation, AttachmentQuery
from crm.hookspecs import hookimpl


@hookimpl
def crm_register_models():
    return [models.Attachment, models.AttachmentVersion]


@hookimpl
def crm_register_routes():
    return [HttpRoute("/files/{resource}/{record_id}/{name}", routes.upload, methods=("PUT",)),
            HttpRoute("/files/{attachment_id}", routes.download, methods=("GET",)),
            HttpRoute("/files/{attachment_id}/versions/{number}", routes.download, methods=("GET",))]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(query=[AttachmentQuery], mutation=[AttachmentMutation])
