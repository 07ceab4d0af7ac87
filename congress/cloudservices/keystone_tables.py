#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""Tables of the keystonev3 driver: how Keystone's JSON becomes rows.

``users``, ``roles``, ``projects`` and ``domains`` have the reference's
columns in the reference's order (``projects`` and ``domains`` put ``id``
last). The other tables are this driver's own:

``role_assignments(role_id, user_id, group_id, project_id, domain_id,
system, inherited)``
    The assignments as they are stored (``GET /v3/role_assignments``): one
    row per grant of a role to a user *or* a group (the other column is
    None) on a project, a domain or the system (``system`` is ``all`` for
    a system-scoped grant, else None). ``inherited`` is True when the grant
    is inherited by the projects below its domain or project
    (``OS-INHERIT``), else False.
``effective_role_assignments(role_id, user_id, project_id, domain_id,
system)``
    What users actually hold (``?effective``): group grants expanded to
    the group's members, inherited grants to the projects they reach,
    implied roles added. The table to ask "does this user have a role on
    any project".
``groups(id, name, description, domain_id)``
``project_tags(project_id, tag)``
    One row per tag of a project.

Missing fields are None, as everywhere.
"""

from congress.cloudservices import translators

USERS = 'users'
ROLES = 'roles'
PROJECTS = 'projects'
DOMAINS = 'domains'
GROUPS = 'groups'
ROLE_ASSIGNMENTS = 'role_assignments'
EFFECTIVE_ROLE_ASSIGNMENTS = 'effective_role_assignments'
PROJECT_TAGS = 'project_tags'


def _get(obj, key):
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def _ref(*path):
    """The ``id`` at ``path`` in a role assignment, e.g. ``('scope',
    'project')``."""
    def value(assignment):
        obj = assignment
        for key in path:
            obj = _get(obj, key)
            if obj is None:
                return None
        return _get(obj, 'id')
    return value


def _system(assignment):
    """``all`` for a system-scoped grant (Keystone's ``{"all": true}``),
    else None."""
    system = _get(_get(assignment, 'scope'), 'system')
    if not system:
        return None
    names = sorted(k for k, v in system.items() if v) if isinstance(
        system, dict) else [str(system)]
    return ','.join(names) or None


def _inherited(assignment):
    return _get(_get(assignment, 'scope'), 'OS-INHERIT:inherited_to') \
        is not None


USERS_TABLE = translators.Table(
    USERS,
    (translators.Column('id', 'ID of the user'),
     translators.Column('name', 'Name of the user'),
     translators.Column('enabled', 'Whether the user may log in'),
     translators.Column('default_project_id', 'ID of the project the user '
                        'logs in to by default'),
     translators.Column('domain_id', 'ID of the domain the user belongs '
                        'to')),
    description='Users of every domain')

ROLES_TABLE = translators.Table(
    ROLES,
    (translators.Column('id', 'ID of the role'),
     translators.Column('name', 'Name of the role')),
    description='Roles')

PROJECT_TAGS_TABLE = translators.ChildTable(
    PROJECT_TAGS,
    translators.Column('project_id', 'ID of the project', path='id'),
    lambda project: _get(project, 'tags'),
    (translators.Column('tag', 'A tag of the project', fn=lambda t: t),),
    description='Tags of the projects')

PROJECTS_TABLE = translators.Table(
    PROJECTS,
    (translators.Column('enabled', 'Whether the project is enabled'),
     translators.Column('description', 'Description of the project'),
     translators.Column('name', 'Name of the project'),
     translators.Column('domain_id', 'ID of the domain of the project'),
     translators.Column('id', 'ID of the project')),
    description='Projects of every domain',
    children=(PROJECT_TAGS_TABLE,))

DOMAINS_TABLE = translators.Table(
    DOMAINS,
    (translators.Column('enabled', 'Whether the domain is enabled'),
     translators.Column('description', 'Description of the domain'),
     translators.Column('name', 'Name of the domain'),
     translators.Column('id', 'ID of the domain')),
    description='Domains')

GROUPS_TABLE = translators.Table(
    GROUPS,
    (translators.Column('id', 'ID of the group'),
     translators.Column('name', 'Name of the group'),
     translators.Column('description', 'Description of the group'),
     translators.Column('domain_id', 'ID of the domain of the group')),
    description='User groups of every domain')

_ROLE = translators.Column('role_id', 'ID of the role granted',
                           fn=_ref('role'))
_USER = translators.Column('user_id', 'ID of the user (None for a grant '
                           'to a group)', fn=_ref('user'))
_PROJECT = translators.Column('project_id', 'ID of the project the role '
                              'is held on (None for a domain or system '
                              'grant)', fn=_ref('scope', 'project'))
_DOMAIN = translators.Column('domain_id', 'ID of the domain the role is '
                             'held on (None for a project or system '
                             'grant)', fn=_ref('scope', 'domain'))
_SYSTEM = translators.Column('system', '"all" for a system-scoped grant, '
                             'else None', fn=_system)

ROLE_ASSIGNMENTS_TABLE = translators.Table(
    ROLE_ASSIGNMENTS,
    (_ROLE, _USER,
     translators.Column('group_id', 'ID of the group (None for a grant to '
                        'a user)', fn=_ref('group')),
     _PROJECT, _DOMAIN, _SYSTEM,
     translators.Column('inherited', 'True when the grant is inherited by '
                        'the projects below its domain or project',
                        fn=_inherited)),
    description='Role grants as stored: to users or groups, on projects, '
                'domains or the system')

EFFECTIVE_ROLE_ASSIGNMENTS_TABLE = translators.Table(
    EFFECTIVE_ROLE_ASSIGNMENTS,
    (_ROLE, _USER, _PROJECT, _DOMAIN, _SYSTEM),
    description='Roles users actually hold: group grants expanded to '
                'members, inherited grants to projects, implied roles '
                'added')

TABLES = (USERS_TABLE, ROLES_TABLE, PROJECTS_TABLE, DOMAINS_TABLE,
          GROUPS_TABLE, ROLE_ASSIGNMENTS_TABLE,
          EFFECTIVE_ROLE_ASSIGNMENTS_TABLE)
