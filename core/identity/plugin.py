"""The identity part of the core, registered like any plugin."""

from crm.declarations import READ_ALL_GRANTS, GraphQLContribution, Resource
from crm.hookspecs import hookimpl
from crm.identity import models
from crm.identity.schema.mutations import IdentityMutation
from crm.identity.schema.queries import IdentityQuery
from crm.identity.schema.types import RoleType, TeamType, UserType



@hookimpl
def crm_register_models():
    return [models.User, models.Team, models.TeamMember, models.Role, models.CasbinRule, models.Token, models.ApiKey, models.LoginThrottle]


@hookimpl
def crm_register_permissions():
    return [
        Resource("user", "People who log in. Scope own is yourself, team your teams' members.", default_grants=READ_ALL_GRANTS),
        Resource("team", "Teams and their members.", default_grants=READ_ALL_GRANTS, owned=False),
        Resource("role", "Roles and their grants; explainAccess.", owned=False),
        Resource("api_key", "Keys for integrations.", owned=False),
    ]


@hookimpl
def crm_register_graphql():
    return GraphQLContribution(
        query=[IdentityQuery],
        mutation=[IdentityMutation],
        types={"User": UserType, "Role": RoleType, "Team": TeamType},
        nodes={"User": "user"},
    )
