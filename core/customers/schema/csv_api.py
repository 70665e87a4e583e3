"""CSV import and export of customers through GraphQL (the CLI has the same, without the size limits)."""

from __future__ import annotations

import csv
import io

import strawberry

from crm.api.access import requires
from crm.api.errors import Invalid, UserError
from crm.customers.csv_io import Importer, export_rows, read_csv, resolve_mapping
from crm.customers.models import Customer
from crm.customers.schema.queries import CustomerFilter, customer_filter

MAX_EXPORT_ROWS = 50_000


@strawberry.input(description="Read the CSV column `column` into the customer field `field` (or `custom:<key>`).")
class ColumnMapping:
    column: str
    field: str


@strawberry.input
class ImportCustomersInput:
    csv: str = strawberry.field(description="The file's text, with a header row.")
    mapping: list[ColumnMapping] | None = strawberry.field(default=None, description="Columns not mapped are matched by header.")
    dry_run: bool = strawberry.field(default=False, description="Validate every row and report; import nothing.")
    allow_duplicates: bool = strawberry.field(default=False, description="Import rows that look like existing customers.")


@strawberry.type(description="A row that was not imported, and why. Rows count as a spreadsheet shows them: the header is row 1.")
class RejectedRow:
    row: int
    errors: list[UserError]


@strawberry.type
class ImportCustomersPayload:
    imported: int = strawberry.field(default=0, description="Rows imported (or, in a dry run, that would be).")
    rejected: list[RejectedRow] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list, description="Problems with the whole file; nothing was imported.")


@strawberry.type
class CsvExport:
    filename: str
    row_count: int
    truncated: bool = strawberry.field(description=f"More than {MAX_EXPORT_ROWS} rows matched; use `crm export customers` for all.")
    csv: str


@strawberry.type
class CustomerCsvQuery:
    @strawberry.field(description="The customers matching `filter` that the caller may read, as CSV.")
    @requires("customer", "read")
    async def export_customers(self, info: strawberry.Info, filter: CustomerFilter | None = None) -> CsvExport:
        ctx = info.context
        conditions = [ctx.access.filter(Customer, "customer"), *await customer_filter(info, filter)]
        out = io.StringIO()
        writer = csv.writer(out)
        count = -1
        async for row in export_rows(ctx.db, conditions, limit=MAX_EXPORT_ROWS + 1):
            count += 1
            if count <= MAX_EXPORT_ROWS:
                writer.writerow(row)
        return CsvExport(filename="customers.csv", row_count=min(count, MAX_EXPORT_ROWS), truncated=count > MAX_EXPORT_ROWS, csv=out.getvalue())


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
            mapping = resolve_mapping(headers, {m.column: m.field for m in input.mapping or []})
        except csv.Error as exc:
            return ImportCustomersPayload(errors=[UserError(field="csv", code="INVALID", message=f"not a CSV file: {exc}")])
        except Invalid as exc:
            return ImportCustomersPayload(errors=exc.errors)
        importer = Importer(ctx.db, ctx.runtime, ctx.access, allow_duplicates=input.allow_duplicates, dry_run=input.dry_run)
        report = await importer.run(rows, mapping)
        return ImportCustomersPayload(imported=report.imported, rejected=[RejectedRow(row=r.row, errors=r.errors) for r in report.rejected])
