"""The declarative base and the mixins every business record is made of."""

from crm.models.base import Model, metadata
from crm.models.mixins import BusinessRecord, Owned, SoftDeletable, Timestamped, Versioned
from crm.models.types import JSONType, Money, UTCDateTime, id_column, utcnow

__all__ = [
    "BusinessRecord",
    "JSONType",
    "Model",
    "Money",
    "Owned",
    "SoftDeletable",
    "Timestamped",
    "UTCDateTime",
    "Versioned",
    "id_column",
    "metadata",
    "utcnow",
]
