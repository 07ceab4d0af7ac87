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

"""Tests of the share-of-table limit: a rule may act on at most a share
of the rows of the table its action's first argument comes from, per
change and per hour."""

import testtools

from congress.policy import enforcement
from congress.tests.unit.policy import fakes

PAUSE_ERRORS = ('execute[nova:servers.pause(x)] :- nova:servers(id=x, '
                'status="ERROR")')
# the first argument comes from nova:servers through a policy table
PAUSE_BROKEN = ['broken(x) :- nova:servers(id=x, status="ERROR")',
                'execute[nova:servers.pause(x)] :- broken(x)']


class ShareLimitTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.engine, self.sink = fakes.new_engine(max_actions=None)
        self.engine.max_table_share_percent = 50
        self.engine.table_share_min_actions = 1
        self.engine.create_policy('p')
        # 6 healthy servers
        self.engine.receive_delta(
            'nova', 'servers', [fakes.server('ok%d' % i) for i in range(6)],
            [])

    def errors(self, *ids):
        self.engine.receive_delta(
            'nova', 'servers', [fakes.server(i, status='ERROR')
                                for i in ids], [])

    def test_a_change_over_the_share_is_refused_whole(self):
        rule = self.engine.insert_rule('p', PAUSE_ERRORS)
        # 5 of 11 rows: within 50 %
        self.errors('a', 'b', 'c', 'd', 'e')
        self.assertEqual(5, len(self.sink.fired))
        self.sink.clear()
        # 13 at once of 24 rows: over 50 %
        self.errors(*['x%d' % i for i in range(13)])
        self.assertEqual([], self.sink.fired)
        self.assertEqual(13, len(self.sink.rejected))
        status = self.engine.policy_status('p')
        self.assertEqual(rule['id'], status['last_rejected']['rule_id'])
        self.assertIn('nova:servers, which has 24 rows',
                      status['last_rejected']['reason'])
        self.assertIn('share limit of 50', status['last_rejected']['reason'])

    def test_the_table_is_found_through_policy_tables(self):
        for text in PAUSE_BROKEN:
            self.engine.insert_rule('p', text)
        self.errors(*['x%d' % i for i in range(7)])
        # 7 of 13 servers: the broken table (7 rows) is not the measure
        self.assertEqual(7, len(self.sink.rejected))
        self.assertIn('nova:servers', self.sink.reasons[0])

    def test_the_policy_sets_its_own_share(self):
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.engine.set_table_share('p', 90.0)
        self.errors(*['x%d' % i for i in range(7)])
        self.assertEqual(7, len(self.sink.fired))
        self.engine.set_table_share('p', 0)
        self.errors(*['y%d' % i for i in range(30)])
        self.assertEqual(37, len(self.sink.fired))

    def test_small_tables_get_the_minimum(self):
        engine, sink = fakes.new_engine(max_actions=None)
        engine.max_table_share_percent = 10
        engine.table_share_min_actions = 2
        engine.create_policy('p')
        engine.insert_rule('p', PAUSE_ERRORS)
        engine.receive_delta('nova', 'servers',
                             [fakes.server('a', status='ERROR'),
                              fakes.server('b', status='ERROR')], [])
        self.assertEqual(2, len(sink.fired))

    def test_the_last_hour_counts(self):
        recent = {}
        self.engine.recent_actions = lambda policy, rule_id: recent.get(
            rule_id, 0)
        rule = self.engine.insert_rule('p', PAUSE_ERRORS)
        self.errors('a', 'b', 'c')
        self.assertEqual(3, len(self.sink.fired))
        # the records say the rule fired 4 within the hour: 4 + 3 > 50 %
        # of 12 rows
        recent[rule['id']] = 4
        self.errors('d', 'e', 'f')
        self.assertEqual(3, len(self.sink.fired))
        self.assertEqual(3, len(self.sink.rejected))
        self.assertIn('after 4 in the last hour', self.sink.reasons[0])
        # an hour later the count is back to what is recent
        recent[rule['id']] = 0
        self.errors('g')
        self.assertEqual(4, len(self.sink.fired))

    def test_a_replica_that_does_not_fire_reads_no_count(self):
        self.engine.recent_actions = lambda policy, rule_id: None
        self.engine.insert_rule('p', PAUSE_ERRORS)
        self.errors('a', 'b')
        self.assertEqual(2, len(self.sink.fired))

    def test_no_share_without_a_table(self):
        self.engine.insert_rule('p', 'execute[nova:servers.pause("a")] :- '
                                     'nova:servers(status="ERROR")')
        self.errors(*['x%d' % i for i in range(10)])
        self.assertEqual(1, len(self.sink.fired))


class ShareArithmeticTest(testtools.TestCase):

    def batch(self, count, rows):
        return enforcement.Batch('p', 'r', [None] * count,
                                 table=('nova', 'servers'), table_rows=rows)

    def test_allowed(self):
        self.assertEqual(5, enforcement.share_allowed(10, 50, 1))
        self.assertEqual(3, enforcement.share_allowed(10, 10, 3))
        self.assertEqual(0, enforcement.share_allowed(3, 10, 0))

    def test_within_and_beyond(self):
        self.assertIsNone(enforcement.limit_share(self.batch(5, 10), 50, 1))
        self.assertIsNotNone(enforcement.limit_share(self.batch(6, 10), 50,
                                                     1))
        self.assertIsNone(enforcement.limit_share(self.batch(60, 10), 0, 1))
        self.assertIsNotNone(enforcement.limit_share(self.batch(1, 10), 50,
                                                     1, recent=5))
