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

import re

from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib import decorators
from tempest.lib import exceptions as lib_exc

from congress_tempest_tests.tests import base

CONF = config.CONF

#: ``service:table(`` in a rule: the data sources (or policies) it reads
_ATOM = re.compile(r'\b([A-Za-z_][\w.-]*):[A-Za-z_][\w.]*\(')


class LibraryPoliciesTest(base.BaseCongressTest):

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.congress_feature_enabled.library_policies:
            raise cls.skipException('library policies are not enabled')

    def create_library_policy(self, **fields):
        body = {'name': data_utils.rand_name('tempest_lib').replace('-',
                                                                    '_'),
                'description': 'a tempest library policy',
                'rules': [{'rule': 'p(x) :- q(x)', 'name': 'copy',
                           'comment': ''}]}
        body.update(fields)
        created = self.admin.library.create_library_policy(body)
        self.addCleanup(self._delete_quietly,
                        self.admin.library.delete_library_policy,
                        created['id'])
        return body, created

    @decorators.idempotent_id('6f506205-c253-40c3-9f96-b18e527f6001')
    def test_create_show_list_update_delete(self):
        body, created = self.create_library_policy()
        # the posted document plus its id, no extra keys
        self.assertEqual(set(body) | {'id'}, set(created))
        lib = self.admin.library
        shown = lib.show_library_policy(created['id'])
        self.assertEqual(body['name'], shown['name'])
        self.assertEqual(1, len(shown['rules']))
        bare = lib.show_library_policy(created['id'], include_rules='false')
        self.assertNotIn('rules', bare)
        by_name = self.member.library.list_library_policies(
            name=body['name'])['results']
        self.assertEqual([created['id']], [p['id'] for p in by_name])
        updated = dict(body, description='changed')
        lib.update_library_policy(created['id'], updated)
        self.assertEqual('changed',
                         lib.show_library_policy(created['id'])['description'])
        lib.delete_library_policy(created['id'])
        self.assert_error(lib_exc.NotFound, lib.show_library_policy,
                          created['id'])

    @decorators.idempotent_id('6f506205-c253-40c3-9f96-b18e527f6002')
    def test_policy_from_library(self):
        body, created = self.create_library_policy()
        policy = self.admin.policies.create_policy(
            library_policy=created['id'])
        self.addCleanup(self._delete_quietly,
                        self.admin.policies.delete_policy, policy['id'])
        self.assertEqual(201, policy.response.status)
        self.assertEqual(body['name'], policy['name'])
        rules = self.admin.rules.list_policy_rules(policy['name'])['results']
        self.assertEqual(1, len(rules))

    @decorators.idempotent_id('6f506205-c253-40c3-9f96-b18e527f6003')
    def test_errors(self):
        lib = self.admin.library
        self.assert_error(lib_exc.NotFound, lib.show_library_policy,
                          'no-such-library-policy')
        self.assert_error(lib_exc.BadRequest, lib.create_library_policy,
                          {'description': 'no name'})
        body, created = self.create_library_policy()
        self.assert_error(lib_exc.Conflict, lib.create_library_policy,
                          {'name': body['name'], 'rules': []})
        self.assert_error(lib_exc.Forbidden,
                          self.member.library.create_library_policy,
                          {'name': 'x', 'rules': []})


class ShippedLibraryTest(base.BaseCongressTest):
    """The library the deployment ships: not empty at start, and each of
    its policies activates (201) when the data sources it reads exist."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.congress_feature_enabled.library_policies:
            raise cls.skipException('library policies are not enabled')

    def shipped(self):
        """The library policies not made by tempest, with the data sources
        each one reads that do not exist."""
        library = [p for p in self.admin.library.list_library_policies()[
            'results'] if not p['name'].startswith('tempest')]
        names = {p['name'] for p in library}
        existing = {d['name'] for d in
                    self.admin.datasources.list_datasources()['results']}
        return [(p, sorted({m.group(1) for rule in p.get('rules') or ()
                            for m in _ATOM.finditer(rule['rule'])}
                           - names - existing - {'execute', 'builtin'}))
                for p in library]

    @decorators.idempotent_id('6f506205-c253-40c3-9f96-b18e527f6010')
    def test_every_shipped_policy_activates(self):
        shipped = self.shipped()
        self.assertNotEqual([], shipped, 'the shipped library is empty')
        policies = self.admin.policies
        for library_policy, missing in shipped:
            # one at a time: a companion that acts (pause, delete) reads
            # the policy it acts on, which is not active meanwhile, so it
            # changes nothing in the cloud
            policy = policies.create_policy(
                library_policy=library_policy['id'])
            self.addCleanup(self._delete_quietly, policies.delete_policy,
                            policy['id'])
            self.assertEqual(201, policy.response.status)
            self.assertEqual(library_policy['name'], policy['name'])
            rules = self.admin.rules.list_policy_rules(
                policy['id'])['results']
            self.assertEqual(len(library_policy['rules']), len(rules),
                             library_policy['name'])
            waiting = [r for r in rules if r.get('status') == 'disabled']
            if missing:
                # over a data source not created here: its rules wait,
                # saying why, until the data source's schema arrives
                self.assertNotEqual([], waiting, library_policy['name'])
                for rule in waiting:
                    self.assertTrue(rule.get('status_reason'), rule)
            else:
                self.assertEqual([], waiting, library_policy['name'])
            policies.delete_policy(policy['id'])
