"""CSV import and export of customers through GraphQL (the CLI has the same, without the size limits)."""

from __future__ import annotations

import csv
import enum
import io
from typing import Annotated

import strawberry

from crm.api.access import requires
from crm.api.errors import Invalid, UserError
from crm.customers.csv_io import Importer, export_rows, read_csv, resolve_mapping
from crm.customers.models import Customer
from crm.customers.schema.queries import CustomerFilter, customer_filter

MAX_EXPORT_ROWS = 50_000


@strawberry.input(description="Read the CSV column `column` into the customer field `field` (or `custom:<key>`).")
class ColumnMapping:
    column: str = strawberry.field(description="The file's column.")
    field: str = strawberry.field(description="The customer field it fills; null when it is not imported.")


@strawberry.enum(description="How an import finds the existing customer a row changes.")
class ImportMatch(enum.Enum):
    ID = "id"
    EMAIL = "email"


@strawberry.input
class ImportCustomersInput:
    csv: str = strawberry.field(description="The file's text, with a header row; separated by commas, semicolons or tabs.")
    mapping: list[ColumnMapping] | None = strawberry.field(default=None, description="Columns not mapped are matched by header.")
    dry_run: bool = strawberry.field(default=False, description="Validate every row and report; import nothing.")
    allow_duplicates: bool = strawberry.field(default=False, description="Import rows that look like existing customers.")
    update_by: ImportMatch | None = strawberry.field(default=None, description="Rows whose id (an export's `id` column) or first "
                                                     "email matches an existing customer change it: filled cells replace values, empty "
                                                     "ones keep them, a `version` column refuses rows changed since the export (CONFLICT). "
                                                     "Other rows are new customers.")


@strawberry.type(description="A row that was not imported, and why. Rows count as a spreadsheet shows them: the header is row 1.")
class RejectedRow:
    row: int = strawberry.field(description="The row's number in the file (the header is row 1).")
    errors: list[UserError]


@strawberry.type
class ImportCustomersPayload:
    imported: int = strawberry.field(default=0, description="New customers (or, in a dry run, that would be).")
    updated: int = strawberry.field(default=0, description="Existing customers changed by rows that matched them (updateBy).")
    rejected: list[RejectedRow] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list, description="Problems with the whole file; nothing was imported.")


@strawberry.type(description="Customers as a CSV file (UTF-8), with the columns an import reads back.")
class CsvExport:
    filename: str = strawberry.field(description="A file name to save it under.")
    row_count: int = strawberry.field(description="How many customers it holds.")
    truncated: bool = strawberry.field(description=f"More than {MAX_EXPORT_ROWS} rows matched; use `crm export customers` for all.")
    csv: str = strawberry.field(description="The file's text.")


@strawberry.type
class CustomerCsvQuery:
    @strawberry.field(description="The customers matching `filter` that the caller may read, as CSV.")
    @requires("customer", "read")
    async def export_customers(self, info: strawberry.Info, filter: CustomerFilter | None = None,
                               excel: Annotated[bool, strawberry.argument(description="Start with a UTF-8 byte order mark, so that "
                                                                          "Excel shows accented letters right.")] = False) -> CsvExport:
        ctx = info.context
        conditions = [ctx.access.filter(Customer, "customer"), *await customer_filter(info, filter)]
        out = io.StringIO()
        writer = csv.writer(out)
        count = -1
        async for row in export_rows(ctx.db, conditions, limit=MAX_EXPORT_ROWS + 1):
            count += 1
            if count <= MAX_EXPORT_ROWS:
                writer.writerow(row)
        text = ("\ufeff" if excel else "") + out.getvalue()
        return CsvExport(filename="customers.csv", row_count=min(count, MAX_EXPORT_ROWS), truncated=count > MAX_EXPORT_ROWS, csv=text)


@strawberry.type
class CustomerCsvMutation:
    @strawberry.mutation(description="Import customers from CSV. Each row is imported whole or rejected with its reasons.")
    @requires("customer", "write")
    async def import_customers(self, info: strawberry.Info, input: ImportCustomersInput) -> ImportCustomersPayload:
        ctx = info.context
        # The request body limit (max_body_bytes) bounds the text; this bounds the work. The CLI has neither.
        limit = ctx.settings.import_max_rows
        try:
            headers, rows = read_csv(input.csv)
            if len(rows) > limit:
                return ImportCustomersPayload(errors=[UserError(field="csv", code="TOO_LARGE",
                                                                message=f"{len(rows)} rows; at most {limit} per request, or use `crm import customers`")])
            update_by = input.update_by.value if input.update_by else None
            mapping = resolve_mapping(headers, {m.column: m.field for m in input.mapping or []}, update_by)
        except csv.Error as exc:
            return ImportCustomersPayload(errors=[UserError(field="csv", code="INVALID", message=f"not a CSV file: {exc}")])
        except Invalid as exc:
            return ImportCustomersPayload(errors=exc.errors)
        importer = Importer(ctx.db, ctx.runtime, ctx.access, allow_duplicates=input.allow_duplicates, dry_run=input.dry_run,
                            update_by=update_by)
        report = await importer.run(rows, mapping)
        return ImportCustomersPayload(imported=report.imported, updated=report.updated, rejected=[RejectedRow(row=r.row, errors=r.errors) for r in report.rejected])
