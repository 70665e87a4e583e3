"""Pipelines and their stages: several per company, edited by admins."""

from __future__ import annotations

import strawberry
from sqlalchemy import func, select, update

import crm
from crm import DeletePayload, IdInput, Invalid, UserError, fetch_for_write, mutation, parse_id, requires, utcnow
from crm.plugins.sales.models import Pipeline, Stage, StageVisit
from crm.plugins.sales.schema import types as t
from crm.plugins.sales.schema.enums import OpportunityStatus



@strawberry.input(description="A stage, in pipeline order. Give `id` to keep an existing stage (its opportunities stay in it).")
class StageInput:
    id: strawberry.ID | None = None
    name: str
    probability: int
    kind: OpportunityStatus = OpportunityStatus.OPEN


@strawberry.input
class CreatePipelineInput:
    name: str
    stages: list[StageInput]
    is_default: bool = False


@strawberry.input
class UpdatePipelineInput:
    id: strawberry.ID
    version: int
    name: str | None = None
    is_default: bool | None = None
    stages: list[StageInput] | None = strawberry.field(default=None, description="The full new list; stages left out are removed.")


def _check_stages(stages: list[StageInput]) -> None:
    errors = []
    for i, s in enumerate(stages):
        if not s.name.strip() or len(s.name) > 100:
            errors.append(UserError(field=f"stages.{i}.name", code="REQUIRED", message="a stage needs a name of at most 100 characters"))
        if not 0 <= s.probability <= 100:
            errors.append(UserError(field=f"stages.{i}.probability", code="INVALID", message="probability is 0 to 100"))
    kinds = [s.kind for s in stages]
    if kinds.count("open") < 1 or kinds.count("won") != 1 or kinds.count("lost") != 1:
        errors.append(UserError(field="stages", code="INVALID", message="a pipeline has open stages, one won stage and one lost stage"))
    elif "open" in kinds[next(i for i, k in enumerate(kinds) if k != "open"):]:
        errors.append(UserError(field="stages", code="INVALID", message="won and lost stages come after the open ones"))
    if errors:
        raise Invalid(*errors)


async def _only_default(session, pipeline: Pipeline) -> None:
    await session.execute(update(Pipeline).where(Pipeline.id != pipeline.id, Pipeline.is_default.is_(True)).values(is_default=False))


async def _replace_stages(session, pipeline: Pipeline, stages: list[StageInput]) -> None:
    existing = {s.id: s for s in (await session.scalars(select(Stage).where(Stage.pipeline_id == pipeline.id))).all()}
    kept = set()
    for i, s in enumerate(stages):
        if s.id is not None:
            stage_id = parse_id(s.id, f"stages.{i}.id")
            if stage_id not in existing:
                raise Invalid.one(f"stages.{i}.id", "NOT_FOUND", "no such stage in this pipeline")
            if existing[stage_id].kind != s.kind and await _in_use(session, stage_id):
                raise Invalid.one(f"stages.{i}.kind", "INVALID", "a stage that opportunities have been in cannot change its kind")
            kept.add(stage_id)
    for stage_id, stage in existing.items():
        if stage_id not in kept and await _in_use(session, stage_id):
            raise Invalid.one("stages", "IN_USE", f"opportunities have been in stage {stage.name}: it stays in their history; rename it instead")
    for stage in existing.values():  # park positions first: (pipeline, position) is unique
        stage.position = -stage.id
    await session.flush()
    for stage_id in set(existing) - kept:
        await session.delete(existing[stage_id])
    for i, s in enumerate(stages):
        values = {"name": s.name.strip(), "probability": s.probability, "kind": s.kind.value, "position": i + 1}
        if s.id is not None:
            for key, value in values.items():
                setattr(existing[parse_id(s.id)], key, value)
        else:
            session.add(Stage(pipeline_id=pipeline.id, **values))
    await session.flush()


async def _in_use(session, stage_id: int) -> bool:
    """A stage any opportunity is in, or ever was in (its history and the funnel refer to it)."""
    return bool(await session.scalar(select(func.count()).select_from(StageVisit).where(StageVisit.stage_id == stage_id)))


@strawberry.type
class PipelineQuery:
    @strawberry.field(description="Pipelines with their stages, the default first.")
    @requires("pipeline", "read")
    async def pipelines(self, info: strawberry.Info) -> list[t.Pipeline]:
        async with info.context.db.read() as session:
            stmt = select(Pipeline).where(Pipeline.deleted_at.is_(None)).order_by(Pipeline.is_default.desc(), Pipeline.position, Pipeline.id)
            return list((await session.scalars(stmt)).all())


@strawberry.type
class PipelineMutation:
    @strawberry.mutation(description="Add a pipeline with its stages.")
    @requires("pipeline", "write")
    async def create_pipeline(self, info: strawberry.Info, input: CreatePipelineInput) -> t.PipelinePayload:
        async def work(session):
            if not input.name.strip():
                raise Invalid.one("name", "REQUIRED", "a pipeline needs a name")
            _check_stages(input.stages)
            if any(s.id is not None for s in input.stages):
                raise Invalid.one("stages", "INVALID", "new pipelines have new stages: leave out their ids")
            pipeline = Pipeline(name=input.name.strip(), is_default=input.is_default, position=0)
            session.add(pipeline)
            await session.flush()
            if input.is_default:
                await _only_default(session, pipeline)
            await _replace_stages(session, pipeline, input.stages)
            return t.PipelinePayload(pipeline=pipeline)

        return await mutation(info, t.PipelinePayload, work)

    @strawberry.mutation(description="Rename a pipeline or set its stages, in order; a stage deals have been in cannot be removed (IN_USE).")
    @requires("pipeline", "write")
    async def update_pipeline(self, info: strawberry.Info, input: UpdatePipelineInput) -> t.PipelinePayload:
        async def work(session):
            pipeline = await fetch_for_write(session, info, Pipeline, input.id, resource="pipeline", version=input.version)
            if input.name is not None:
                if not input.name.strip():
                    raise Invalid.one("name", "REQUIRED", "a pipeline needs a name")
                pipeline.name = input.name.strip()
            if input.is_default:
                pipeline.is_default = True
                await _only_default(session, pipeline)
            elif input.is_default is False and pipeline.is_default:
                raise Invalid.one("isDefault", "INVALID", "make another pipeline the default instead")
            if input.stages is not None:
                _check_stages(input.stages)
                await _replace_stages(session, pipeline, input.stages)
            pipeline.updated_at = utcnow()
            return t.PipelinePayload(pipeline=pipeline)

        return await mutation(info, t.PipelinePayload, work)

    @strawberry.mutation(description="Soft delete a pipeline that is not the default; its opportunities keep it.")
    @requires("pipeline", "write")
    async def delete_pipeline(self, info: strawberry.Info, input: IdInput) -> DeletePayload:
        async def work(session):
            pipeline = await fetch_for_write(session, info, Pipeline, input.id, resource="pipeline")
            if pipeline.is_default:
                raise Invalid.one("id", "INVALID", "the default pipeline cannot be deleted; make another the default first")
            pipeline.deleted_at = utcnow()
            return DeletePayload()

        return await mutation(info, DeletePayload, work)

    @strawberry.mutation(description="Bring a deleted pipeline back.")
    @requires("pipeline", "write")
    async def restore_pipeline(self, info: strawberry.Info, input: IdInput) -> t.PipelinePayload:
        return await crm.restore(info, Pipeline, input.id, resource="pipeline", payload=t.PipelinePayload, field="pipeline")
