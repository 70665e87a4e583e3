"""Every hook the core calls. Plugins implement them with `@crm.hookimpl`.

Families (as in datasette and pytest):
- `crm_register_*` returns declarations; the core collects and checks them at start-up.
- `crm_on_*` reacts to a domain event published by the module that owns it.
- `crm_startup` / `crm_shutdown` are the application's lifecycle.
A plugin may publish hooks of its own through `crm_add_hookspecs` (sales publishes
`crm_on_order_confirmed`, for example). Every hook here is documented in docs/plugins.md; a test checks it.
"""

import pluggy

hookspec = pluggy.HookspecMarker("crm")
hookimpl = pluggy.HookimplMarker("crm")


@hookspec
def crm_add_hookspecs(pm):
    """Add hook specifications that this plugin publishes for others: call `pm.add_hookspecs(module)`.

    Called once, after every enabled plugin is registered and before any other hook runs.
    """


@hookspec
def crm_register_models():
    """Return the SQLAlchemy model classes this plugin owns (subclasses of `crm.Model`).

    Their tables must carry the plugin's prefix; the migration check compares them with the plugin's migrations.
    """


@hookspec
def crm_register_permissions():
    """Return a list of `crm.Resource`: the kinds of record this plugin guards, with default grants per built-in role.

    Default grants are written once, when the plugin is first enabled; admins may change them after.
    """


@hookspec
def crm_register_graphql():
    """Return a `crm.GraphQLContribution`: root query and mutation classes, types this plugin owns,
    and fragments that add fields to types owned by other modules, named by type (`{"Customer": [CustomerSales]}`)."""


@hookspec
def crm_register_activity_kinds():
    """Return a list of activity kinds this plugin adds to call, email, meeting, visit, note and task."""


@hookspec
def crm_register_timeline_sources():
    """Return a list of `crm.TimelineSource`: SQL selects of entries for a customer's timeline.

    The core unions them in SQL, so the timeline is one paginated, chronological stream; a source whose resource
    the caller may not read is left out.
    """


@hookspec
def crm_register_customer_references():
    """Return a list of `crm.CustomerReference`: columns in this plugin's tables that point at a customer.

    Merging customers moves every such row from the merged customers to the target, and counts them for a dry run.
    """


@hookspec
def crm_register_value_sources():
    """Return a list of `crm.ValueSource`: dated events with an amount that count towards a customer's value
    (recency, frequency, monetary) and churn risk. The core contributes activities; sales its won deals and the
    confirmed orders not made from one.
    """


@hookspec
def crm_register_change_rules():
    """Return a list of `crm.ChangeRule`: work that follows a change of one of this plugin's rows in the same
    transaction (keeping a denormalised copy in step). The core runs them from its one flush listener; a plugin
    never registers a SQLAlchemy event listener of its own."""


@hookspec
def crm_register_assignment_targets():
    """Return a list of `crm.AssignmentTarget`: kinds of records this plugin lets assignment rules give an owner.
    Admins write the rules (`createAssignmentRule`); the plugin calls `crm.assign` when a record needs an owner."""


@hookspec
def crm_register_approval_targets():
    """Return `crm.ApprovalTarget`s: kinds of record that approval chains may apply to (contracts, quotes)."""


@hookspec
def crm_register_attachment_targets():
    """Return `crm.AttachmentTarget`s: kinds of record that may have files (contracts; tickets)."""


@hookspec
def crm_register_bulk_targets():
    """Return a list of `crm.BulkTarget`: work on many records at once that a mutation of this plugin starts as a bulk
    job (`crm.start_bulk_job`), done in batches that resume after a restart, followed with `bulkJob(id)`."""


@hookspec
def crm_register_saved_lists():
    """Return a list of `crm.SavedList`: lists of this plugin's records that users may save named views of (a filter and
    an order, shareable with a team), by the GraphQL input types of the list's `filter` and `orderBy`."""


@hookspec
def crm_register_routes():
    """Return a list of `crm.HttpRoute`: HTTP endpoints besides /graphql (public forms, webhooks). Served while the
    plugin is enabled; keep them few: front-ends talk GraphQL."""


@hookspec
def crm_register_console_pages():
    """Return a list of `crm.ConsolePage`: the web console's pages this plugin brings and their navigation entries.
    The console shows an entry only while the plugin is enabled and to those who may read its resource."""


@hookspec
def crm_register_error_codes():
    """Return `{code: meaning}`: the `UserError.code`s this plugin's mutations may return besides the core's
    (`crm.CORE_ERROR_CODES`). Reuse a core code where it means the same."""


@hookspec
def crm_register_commands(cli):
    """Add commands to the `crm` command line: `cli` is the root typer application."""


@hookspec
def crm_register_jobs():
    """Return a list of `crm.Job`: work the scheduler runs every `interval` (one worker at a time, leased in the database)."""


@hookspec
def crm_register_demo_data():
    """Return a list of `crm.DemoData`: loaders that add this plugin's records to the demo data set (`crm demo`)."""


@hookspec
def crm_register_bench_data():
    """Return a list of `crm.BenchData`: generators of realistic rows at scale for `crm bench generate`."""


@hookspec
def crm_prepare_context(context):
    """Add to the per-request GraphQL context (`info.context`) before execution, e.g. `context.extras["x"] = ...`.

    Set keys rather than append: when another plugin raises here, that plugin is left out of the request and the
    others run again. A plugin that raises is named in the log and in `/readyz`; the request goes on without it."""


@hookspec
def crm_on_customer_created(session, customer):
    """A customer was created, inside the creating transaction (`session`). Raise to refuse it."""


@hookspec
def crm_on_activity_logged(session, activity):
    """An activity was logged (`logActivity`), inside the logging transaction, after its flush: `activity.record_type`
    and `activity.record_id` name the record it is about, if any. Raise to refuse it."""


@hookspec
def crm_on_approval_submitted(session, request, record):
    """`record` was submitted for approval (`request.status` pending, or approved at once when no step applies), inside
    the submitting transaction: move the record to its waiting state. Raise to refuse the submission."""


@hookspec
def crm_on_approval_decided(session, request, record):
    """An approval request ended: `request.status` is approved (every step that applies approved), rejected (with the
    approver's comment in its history) or withdrawn; inside the deciding transaction. Move the record on."""


@hookspec
def crm_on_phone_rules_changed(session):
    """The normal form of phone numbers changed (`crm db renormalise-phones` after a new CRM_PHONE_REGION): compute
    yours again with `crm.normalise_phone`, inside the given transaction, as the core does for customers' numbers."""


@hookspec
def crm_on_customers_merged(session, target, source_ids):
    """Customers `source_ids` were merged into `target`, inside the merging transaction."""


@hookspec
def crm_startup(app):
    """The application started: `app` is the `crm.api.app.Runtime` (database, settings, plugin manager)."""


@hookspec
def crm_shutdown(app):
    """The application is stopping."""
