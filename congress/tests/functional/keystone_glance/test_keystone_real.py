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

"""keystonev3 against the REAL keystone of the test bed: every table
equals what Keystone lists (computed here with python-keystoneclient), and
actions change Keystone (the next GET shows it)."""

from keystoneclient import exceptions as ks_exceptions
from keystoneclient.v3 import client as keystone_client

from congress.cloudservices import keystone_driver
from congress.execution import status
from congress.tests.functional.keystone_glance import base

TABLES = ('users', 'roles', 'projects', 'domains', 'groups',
          'project_tags', 'role_assignments', 'effective_role_assignments')


def _id(obj, *path):
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def assignment_row(a, effective):
    """A role assignment as keystoneclient lists it, as a row."""
    scope = getattr(a, 'scope', {}) or {}
    system = scope.get('system')
    system = ','.join(sorted(k for k, v in system.items() if v)) \
        if system else None
    role = _id(a.role, 'id')
    user = _id(getattr(a, 'user', None), 'id')
    project = _id(scope, 'project', 'id')
    domain = _id(scope, 'domain', 'id')
    if effective:
        return (role, user, project, domain, system)
    return (role, user, _id(getattr(a, 'group', None), 'id'), project,
            domain, system, 'OS-INHERIT:inherited_to' in scope)


class RealKeystoneTestCase(base.RealServiceTestCase):

    DRIVER = keystone_driver.KeystoneDriver
    NAME = 'keystonev3'

    def setUp(self):
        super().setUp()
        self.ks = keystone_client.Client(session=self.tb.session('admin'),
                                         region_name=self.tb.region)

    def expected(self):
        ks = self.ks
        projects = ks.projects.list()
        return {
            'users': {(u.id, u.name, u.enabled,
                       getattr(u, 'default_project_id', None), u.domain_id)
                      for u in ks.users.list()},
            'roles': {(r.id, r.name) for r in ks.roles.list()},
            'projects': {(p.enabled, p.description, p.name, p.domain_id,
                          p.id) for p in projects},
            'domains': {(d.enabled, d.description, d.name, d.id)
                        for d in ks.domains.list()},
            'groups': {(g.id, g.name, getattr(g, 'description', None),
                        g.domain_id) for g in ks.groups.list()},
            'project_tags': {(p.id, t) for p in projects
                             for t in getattr(p, 'tags', [])},
            'role_assignments': {assignment_row(a, False)
                                 for a in ks.role_assignments.list()},
            'effective_role_assignments': {
                assignment_row(a, True)
                for a in ks.role_assignments.list(effective=True)},
        }

    def make_user(self, **kwargs):
        user = self.ks.users.create(name='%s-user' % self.prefix,
                                    domain='default', **kwargs)
        self.addCleanup(self._ignore_missing, self.ks.users.delete, user.id)
        return user

    def _ignore_missing(self, fn, *args):
        try:
            fn(*args)
        except ks_exceptions.NotFound:
            pass

    def test_every_table_matches_keystone(self):
        project = self.ks.projects.create(
            '%s-project' % self.prefix, 'default', description='a test',
            tags=['congress', 'kg'])
        self.addCleanup(self._ignore_missing, self.ks.projects.delete,
                        project.id)
        group = self.ks.groups.create('%s-group' % self.prefix,
                                      domain='default',
                                      description='testers')
        self.addCleanup(self._ignore_missing, self.ks.groups.delete,
                        group.id)
        user = self.make_user(default_project=project.id)
        member = self.ks.roles.find(name='member')
        self.ks.roles.grant(member, group=group, project=project)
        self.ks.users.add_to_group(user, group)
        state = self.assert_tables_match(self.expected, TABLES)
        # what the test made is there, in the reference's positions
        self.assertIn((user.id, user.name, True, project.id, 'default'),
                      state['users'])
        self.assertIn((True, 'a test', project.name, 'default', project.id),
                      state['projects'])
        self.assertIn((project.id, 'kg'), state['project_tags'])
        self.assertIn((member.id, None, group.id, project.id, None, None,
                       False), state['role_assignments'])
        # the group grant reaches the user in the effective table
        self.assertIn((member.id, user.id, project.id, None, None),
                      state['effective_role_assignments'])

    def test_disable_user_through_execute(self):
        user = self.make_user()
        final = self.execute('users_disable', [user.id])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertFalse(self.ks.users.get(user.id).enabled)
        self.refresh()
        self.assertIn((user.id, user.name, False, None, 'default'),
                      self.driver.state['users'])
        # the manager method itself, with a named argument
        final = self.execute('users.update', [user.id], {'enabled': True,
                                                         'email': 'x@y.z'})
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        again = self.ks.users.get(user.id)
        self.assertEqual((True, 'x@y.z'), (again.enabled, again.email))
        self.assertEqual(user.id, final['result']['id'])

    def test_project_update_and_role_grant(self):
        project = self.ks.projects.create('%s-p' % self.prefix, 'default')
        self.addCleanup(self._ignore_missing, self.ks.projects.delete,
                        project.id)
        final = self.execute('projects.update', [project.id],
                             {'description': 'set by congress'})
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual('set by congress',
                         self.ks.projects.get(project.id).description)
        user = self.make_user()
        reader = self.ks.roles.find(name='reader')
        final = self.execute('roles_grant_on_project',
                             [reader.id, user.id, project.id])
        self.assertEqual(status.SUCCEEDED, final['status'], final)
        self.assertEqual(
            [reader.id], [a.role['id'] for a in self.ks.role_assignments.list(
                user=user.id, project=project.id)])

    def test_failure_carries_keystones_message(self):
        final = self.execute('users_disable', ['no-such-user'])
        self.assertEqual(status.FAILED, final['status'], final)
        self.assertIn('no-such-user', final['error'])
        self.assertIn('404', final['error'])
