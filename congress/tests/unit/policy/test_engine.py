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

"""Tests of the PolicyEngine API: policies, rules, simulation, status."""

import dataclasses
import threading

import testtools

from congress import exception
from congress.policy import engine as engine_mod
from congress.policy import errors
from congress.policy import modes
from congress.tests.unit.policy import fakes


class PolicyManagementTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, self.sink = fakes.new_engine()

    def test_builtin_policies_exist_and_cannot_be_deleted(self):
        self.assertEqual(['classification', 'action'],
                         self.engine.policy_names())
        self.assertEqual('action', self.engine.get_policy('action')['kind'])
        for name in ('classification', 'action'):
            error = self.assertRaises(errors.BuiltinPolicy,
                                      self.engine.delete_policy, name)
            self.assertEqual(403, error.code)

    def test_create_get_delete(self):
        created = self.engine.create_policy('p', kind='materialized',
                                            description='d',
                                            owner_id='alice')
        self.assertEqual({'id', 'name', 'kind', 'abbreviation',
                          'description', 'owner_id', 'enforcement'},
                         set(created))
        self.assertEqual('enforce', created['enforcement'])
        self.assertEqual(('p', 'materialized', 'p', 'd', 'alice'),
                         (created['name'], created['kind'],
                          created['abbreviation'], created['description'],
                          created['owner_id']))
        self.assertEqual(created, self.engine.get_policy(created['id']))
        self.engine.delete_policy(created['id'])
        self.assertRaises(errors.PolicyNotFound, self.engine.get_policy, 'p')

    def test_default_kind_and_abbreviation(self):
        created = self.engine.create_policy('security_checks')
        self.assertEqual(('nonrecursive', 'secur'),
                         (created['kind'], created['abbreviation']))

    def test_given_policy_id_is_kept(self):
        created = self.engine.create_policy('p', policy_id='fixed-id')
        self.assertEqual('fixed-id', created['id'])

    def test_invalid_policies(self):
        self.assertRaises(exception.PolicyException,
                          self.engine.create_policy, 'p', kind='fancy')
        self.assertRaises(exception.PolicyException,
                          self.engine.create_policy, 'has space')
        self.assertRaises(exception.PolicyException,
                          self.engine.create_policy, 'builtin')
        self.assertRaises(exception.PolicyException,
                          self.engine.create_policy, 'p',
                          abbreviation='toolong')
        self.engine.create_policy('p')
        error = self.assertRaises(errors.PolicyExists,
                                  self.engine.create_policy, 'p')
        self.assertEqual(409, error.code)

    def test_hyphenated_policy_can_be_referenced(self):
        self.engine.create_policy('test_policy-123')
        self.engine.insert_rule('test_policy-123', 'a(1)')
        self.engine.insert_rule('classification',
                                'b(x) :- test_policy-123:a(x)')
        self.assertEqual([(1,)],
                         self.engine.select('classification', 'b')[0])

    def test_data_cannot_target_a_policy(self):
        self.assertRaises(exception.PolicyException,
                          self.engine.receive_delta, 'classification', 'a',
                          [(1,)], [])

    def test_deleting_policy_retracts_its_rows(self):
        self.engine.create_policy('p')
        self.engine.insert_rule('p', 'a(1)')
        self.engine.insert_rule('classification', 'b(x) :- p:a(x)')
        self.engine.delete_policy('p')
        self.assertEqual([], self.engine.select('classification', 'b')[0])


class EnforcementModeTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, self.sink = fakes.new_engine()

    def test_the_origin_of_a_rule_has_the_mode_and_who_made_it(self):
        self.engine.create_policy('gate', owner_id='owner',
                                  enforcement=modes.APPROVE)
        rule = self.engine.insert_rule('gate', 'p(x) :- q(x)',
                                       user_id='alice', project_id='p1')
        self.assertEqual(
            {'enforcement': modes.APPROVE, 'owner_id': 'owner',
             'user_id': 'alice', 'project_id': 'p1'},
            self.engine.action_origin('gate', rule['id']))
        self.engine.set_enforcement('gate', modes.AUDIT)
        self.assertEqual(modes.AUDIT,
                         self.engine.get_policy('gate')['enforcement'])
        self.assertEqual(modes.AUDIT,
                         self.engine.policy_status('gate')['enforcement'])
        self.assertEqual(modes.AUDIT, self.engine.action_origin(
            'gate', rule['id'])['enforcement'])
        self.assertIsNone(self.engine.action_origin('gone', rule['id']))

    def test_new_policies_enforce(self):
        self.engine.create_policy('plain')
        self.assertEqual(modes.ENFORCE,
                         self.engine.get_policy('plain')['enforcement'])


class RuleManagementTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, self.sink = fakes.new_engine()
        self.engine.create_policy('p')

    def test_insert_returns_rule(self):
        rule = self.engine.insert_rule('p', 'q(x) :- r(x)', name='n',
                                       comment='c')
        self.assertEqual({'id', 'rule', 'name', 'comment', 'status',
                          'status_reason'}, set(rule))
        self.assertEqual(('enabled', None),
                         (rule['status'], rule['status_reason']))
        self.assertEqual(('q(x) :- r(x)', 'n', 'c'),
                         (rule['rule'], rule['name'], rule['comment']))
        self.assertEqual([rule], self.engine.rules('p'))
        self.assertEqual(rule, self.engine.get_rule('p', rule['id']))

    def test_given_rule_id_is_kept_and_unique(self):
        rule = self.engine.insert_rule('p', 'a(1)', rule_id='r1')
        self.assertEqual('r1', rule['id'])
        self.assertRaises(exception.Conflict, self.engine.insert_rule, 'p',
                          'a(2)', rule_id='r1')

    def test_delete_rule(self):
        rule = self.engine.insert_rule('p', 'a(1)')
        self.assertEqual(rule, self.engine.delete_rule('p', rule['id']))
        self.assertEqual([], self.engine.rules('p'))
        error = self.assertRaises(errors.RuleNotFound,
                                  self.engine.delete_rule, 'p', rule['id'])
        self.assertEqual(404, error.code)

    def test_unknown_policy(self):
        self.assertRaises(errors.PolicyNotFound, self.engine.insert_rule,
                          'nope', 'a(1)')

    def test_rules_keep_insertion_order(self):
        texts = ['c(1)', 'a(1)', 'b(x) :- a(x)']
        for text in texts:
            self.engine.insert_rule('p', text)
        self.assertEqual(texts, [r['rule'] for r in self.engine.rules('p')])

    def test_status(self):
        self.engine.insert_rule('p', 'a(1)')
        status = self.engine.policy_status('p')
        self.assertEqual(('p', 1, 0, 0, None),
                         (status['name'], status['rules'],
                          status['actions_fired'],
                          status['actions_rejected'],
                          status['last_rejected']))

    def test_concurrent_inserts(self):
        def insert(start):
            for i in range(start, start + 50):
                self.engine.insert_rule('p', 'a(%d)' % i)
        threads = [threading.Thread(target=insert, args=(n * 50,))
                   for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(200, len(self.engine.select('p', 'a')[0]))


class SimulateTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, self.sink = fakes.new_engine()
        self.engine.create_policy('p')
        self.engine.insert_rule('p', 'error(x) :- nova:servers(id=x, '
                                     'status="ERROR"), not ok(x)')
        self.engine.insert_rule('p', 'execute[nova:servers.pause(x)] :- '
                                     'error(x)')
        self.engine.initialize_table('nova', 'servers', [
            fakes.server('a', status='ERROR')])
        self.sink.clear()

    def snapshot(self):
        return {table: self.engine.select('p', table)[0]
                for table in self.engine.tables('p')}

    def test_updates_are_rolled_back(self):
        before = self.snapshot()
        error_row = fakes.server('b', status='ERROR')
        result = self.engine.simulate(
            'p', 'error(x)',
            'nova:servers+(%s) ok+("a")' % ', '.join(
                '"%s"' % value for value in error_row), None)
        self.assertEqual({'result': ['error("b")'], 'trace': None}, result)
        self.assertEqual(before, self.snapshot())
        self.assertEqual([], self.sink.fired)

    def test_delta(self):
        result = self.engine.simulate('p', 'error(x)', 'ok+("a")', None,
                                      delta=True)
        self.assertEqual(['error-("a")'], result['result'])
        self.assertEqual([('a',)], self.engine.select('p', 'error')[0])

    def test_delete_of_existing_fact_is_rolled_back(self):
        self.engine.insert_rule('p', 'ok("a")')
        result = self.engine.simulate('p', 'error(x)', 'ok-("a")', None)
        self.assertEqual(['error("a")'], result['result'])
        self.assertEqual([], self.engine.select('p', 'error')[0])
        self.assertEqual(3, len(self.engine.rules('p')))
        self.assertEqual([], self.sink.fired)

    def test_actions_from_action_policy(self):
        self.engine.insert_rule('action', 'action("repair")')
        self.engine.insert_rule('action', 'ok+(x) :- repair(x)')
        result = self.engine.simulate('p', 'error(x)', 'repair("a")',
                                      'action', trace=True)
        self.assertEqual([], result['result'])
        self.assertIn('action repair("a")', result['trace'])
        self.assertIn('insert ok("a")', result['trace'])
        self.assertEqual([('a',)], self.engine.select('p', 'error')[0])
        self.assertEqual([], self.engine.select('action', 'ok+')[0])

    def test_action_changing_data_source(self):
        self.engine.insert_rule('action', 'action("reset")')
        self.engine.insert_rule(
            'action', 'nova:servers-(x, n, h, "ERROR", t, u, i, f, z, hn, '
                      'c) :- reset(x), nova:servers(x, n, h, "ERROR", t, u, '
                      'i, f, z, hn, c)')
        result = self.engine.simulate('p', 'error(x)', 'reset("a")',
                                      'action')
        self.assertEqual([], result['result'])
        self.assertEqual(1, len(self.engine.select('p', 'nova:servers')[0]))

    def test_unknown_action(self):
        self.assertRaises(exception.PolicyException, self.engine.simulate,
                          'p', 'error(x)', 'frobnicate("a")', 'action')

    def test_failure_still_rolls_back(self):
        before = self.snapshot()
        self.assertRaises(exception.PolicyException, self.engine.simulate,
                          'p', 'error(x)', 'ok+("a") ok+(y)', None)
        self.assertEqual(before, self.snapshot())

    def test_delta_needs_single_literal(self):
        self.assertRaises(exception.PolicyException, self.engine.simulate,
                          'p', 'error(x), ok(x)', '', None, delta=True)


class ActionRequestTest(testtools.TestCase):

    def test_request_is_frozen_data(self):
        request = engine_mod.ActionRequest('nova', 'servers.pause', ('a',),
                                           'p', 'r1', {})
        self.assertRaises(dataclasses.FrozenInstanceError, setattr, request,
                          'service', 'x')
        self.assertEqual(request, engine_mod.ActionRequest(
            'nova', 'servers.pause', ('a',), 'p', 'r1', {}))


class SchemaChangeTest(testtools.TestCase):
    """A data source recreated with another schema while its rows and the
    rules over them are held."""

    def setUp(self):
        super().setUp()
        self.schemas = {'late': {'things': ['id', 'name', 'status']}}
        self.engine = engine_mod.PolicyEngine(
            action_sink=fakes.RecordingSink(),
            schema_lookup=lambda service: self.schemas.get(service))
        self.engine.create_policy('ops')
        self.rule = self.engine.insert_rule(
            'ops', 'active(id) :- late:things(id=id, status="ACTIVE")')

    def test_rows_of_the_old_width_go_and_the_new_ones_fit(self):
        self.engine.initialize_table('late', 'things',
                                     [('a', 'x', 'ACTIVE'),
                                      ('b', 'y', 'DOWN')])
        self.assertEqual([('a',)], self.engine.select('ops', 'active')[0])
        self.schemas['late'] = {'things': ['id', 'name']}
        self.engine.schemas_changed({'late'})
        rule = self.engine.get_rule('ops', self.rule['id'])
        self.assertEqual('disabled', rule['status'])
        self.assertEqual([], self.engine.select('ops', 'active')[0])
        # the new data source's snapshot, of two columns, is taken whole
        self.engine.initialize_table('late', 'things', [('c', 'z')])
        self.assertEqual([('c', 'z')],
                         self.engine.evaluator.rows(('late', 'things')))
        error = self.assertRaises(
            exception.SchemaMismatch, self.engine.receive_delta,
            'late', 'things', [('d', 'w', 'ACTIVE')], [])
        self.assertIn('have 3 columns, not 2', str(error))
        # and the schema coming back enables the rule over fresh rows
        self.schemas['late'] = {'things': ['id', 'name', 'status']}
        self.engine.schemas_changed({'late'})
        self.assertEqual([], self.engine.evaluator.rows(('late', 'things')))
        self.engine.initialize_table('late', 'things',
                                     [('e', 'v', 'ACTIVE')])
        self.assertEqual([('e',)], self.engine.select('ops', 'active')[0])
