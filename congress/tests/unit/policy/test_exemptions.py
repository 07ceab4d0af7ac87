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

"""Tests of what exemptions match, and of their expiry."""

import datetime

from oslo_utils import timeutils
import testtools

from congress.db import exemptions as exemptions_db
from congress.policy import enforcement
from congress.policy import exemptions
from congress.tests import base


def request(*args, policy='p', rule_id='r1', service='nova',
            action='servers.pause'):
    return enforcement.ActionRequest(service, action, tuple(args), policy,
                                     rule_id, {})


def exemption(policy='p', rule_id=None, action=None, **args):
    return {'id': 'e', 'policy': policy, 'rule_id': rule_id,
            'action': action, 'args': args}


class MatchTest(testtools.TestCase):

    def assertMatches(self, expected, found, req):
        self.assertEqual(expected, exemptions.matches(found, req),
                         (found, req))

    def test_policy_and_rule(self):
        self.assertMatches(True, exemption(), request('a'))
        self.assertMatches(False, exemption(policy='q'), request('a'))
        self.assertMatches(True, exemption(rule_id='r1'), request('a'))
        self.assertMatches(False, exemption(rule_id='r2'), request('a'))

    def test_action_exact_or_glob(self):
        self.assertMatches(True, exemption(action='nova:servers.pause'),
                           request('a'))
        self.assertMatches(True, exemption(action='nova:servers.*'),
                           request('a'))
        self.assertMatches(False, exemption(action='nova:servers.stop'),
                           request('a'))
        self.assertMatches(False, exemption(action='neutron:*'),
                           request('a'))

    def test_positional_arguments(self):
        self.assertMatches(True, exemption(**{'0': 'srv-1'}),
                           request('srv-1'))
        self.assertMatches(False, exemption(**{'0': 'srv-1'}),
                           request('srv-10'))
        self.assertMatches(True, exemption(**{'0': 'srv-*'}),
                           request('srv-10'))
        self.assertMatches(True, exemption(**{'0': 'srv-*', '1': 'x'}),
                           request('srv-10', 'x'))
        self.assertMatches(False, exemption(**{'0': 'srv-*', '1': 'x'}),
                           request('srv-10', 'y'))
        # beyond the arguments given
        self.assertMatches(False, exemption(**{'2': '*'}),
                           request('srv-10', 'y'))

    def test_values_that_are_not_strings(self):
        self.assertMatches(True, exemption(**{'0': 3}), request(3))
        self.assertMatches(False, exemption(**{'0': 3}), request('3'))
        self.assertMatches(False, exemption(**{'0': True}), request(1))
        self.assertMatches(True, exemption(**{'0': '3*'}), request(30))
        self.assertMatches(False, exemption(**{'0': '*'}), request(None))
        self.assertMatches(True, exemption(**{'0': None}), request(None))


class ExpiryTest(base.DbTestCase):

    def add(self, expires_at, **values):
        values = dict({'policy': 'p', 'rule_id': None, 'action': None,
                       'args': {}, 'reason': 'why', 'user_id': 'u',
                       'project_id': 'pr', 'expires_at': expires_at},
                      **values)
        return exemptions_db.create(values)

    def test_an_expired_exemption_stops_matching(self):
        now = timeutils.utcnow()
        found = self.add(now + datetime.timedelta(minutes=5),
                         args={'0': 'a*'})
        kept, exempted = exemptions.split([request('ab'), request('b')],
                                          now=now)
        self.assertEqual([request('b')], kept)
        self.assertEqual([(request('ab'), found['id'])],
                         [(r, e['id']) for r, e in exempted])
        later = now + datetime.timedelta(minutes=6)
        kept, exempted = exemptions.split([request('ab')], now=later)
        self.assertEqual(([request('ab')], []), (kept, exempted))
        # the table policies read follows
        self.assertEqual(1, len(exemptions.rows(now=now)))
        self.assertEqual([], exemptions.rows(now=later))

    def test_the_oldest_matching_exemption_is_named(self):
        now = timeutils.utcnow()
        first = self.add(now + datetime.timedelta(minutes=5))
        self.add(now + datetime.timedelta(minutes=5))
        _kept, exempted = exemptions.split([request('a')], now=now)
        self.assertEqual(first['id'], exempted[0][1]['id'])
        self.assertIn(first['id'], exemptions.reason(exempted[0][1]))

    def test_only_the_policies_asked_for_are_read(self):
        now = timeutils.utcnow()
        self.add(now + datetime.timedelta(minutes=5), policy='q')
        self.assertEqual([], exemptions_db.active(['p'], now=now))
        self.assertEqual([], exemptions_db.active([], now=now))
        self.assertEqual(1, len(exemptions_db.active(now=now)))

    def test_rows_of_the_table(self):
        now = timeutils.utcnow()
        found = self.add(now + datetime.timedelta(minutes=5),
                         rule_id='r1', action='nova:*',
                         args={'0': 'srv-*', '1': 2})
        self.assertEqual(
            [(found['id'], 'p', 'r1', 'nova:*', 'srv-*',
              '{"0": "srv-*", "1": 2}', 'why',
              found['expires_at'].isoformat() + 'Z')],
            exemptions.rows(now=now))
        self.assertEqual(len(exemptions.COLUMNS), len(exemptions.rows()[0]))
