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

"""Table publishing: snapshot, deltas in sequence, resync after a gap."""

from unittest import mock

from oslo_db import exception as db_exc

from congress.dse import subscriber as subscriber_mod
from congress.tests import base


class SubscriberTestCase(base.FakeServiceTestCase):

    POLL_TIME = 0.1

    def setUp(self):
        super().setUp()
        self.rows = set()
        self.calls = []
        self.subscriber = subscriber_mod.TableSubscriber(
            self.node, self.on_snapshot, self.on_delta, resync_delay=0.2)
        self.addCleanup(self.subscriber.stop)

    def on_snapshot(self, service, table, rows, version):
        self.calls.append(('snapshot', version))
        self.rows = set(rows)

    def on_delta(self, service, table, added, removed, version):
        self.calls.append(('delta', version))
        self.rows = (self.rows - set(removed)) | set(added)

    def things(self):
        return {(t['id'], t['name'], t['status'])
                for t in self.driver.things.list()}

    def test_snapshot_then_deltas_keep_the_copy_equal(self):
        base.wait_for(lambda: self.service.seq.get('things'))
        self.subscriber.subscribe('fake', 'things')
        self.assertEqual('snapshot', self.calls[0][0])
        self.assertEqual(self.things(), self.rows)
        thing = self.driver.things.create('new')
        self.driver.things.set_status(self.driver.things.list()[0]['id'],
                                      'PAUSED')
        base.wait_for(lambda: self.rows == self.things())
        self.driver.things.delete(thing['id'])
        base.wait_for(lambda: self.rows == self.things())
        deltas = [version for kind, version in self.calls
                  if kind == 'delta']
        self.assertTrue(deltas)
        seqs = [seq for _epoch, seq in deltas]
        self.assertEqual(list(range(seqs[0], seqs[0] + len(seqs))), seqs)

    def test_a_missed_delta_makes_it_resynchronise(self):
        base.wait_for(lambda: self.service.seq.get('things'))
        self.subscriber.subscribe('fake', 'things')
        receive = self.subscriber.receive
        dropped = []

        def lossy(service, table, epoch, seq, added, removed):
            if not dropped:
                dropped.append(seq)
                return
            receive(service, table, epoch, seq, added, removed)
        self.subscriber.receive = lossy
        self.driver.things.create('lost')
        base.wait_for(lambda: dropped)
        self.driver.things.create('after-gap')

        def resynchronised():
            self.subscriber.check_gaps()
            return self.rows == self.things()
        base.wait_for(resynchronised, message='resynchronised after a gap')
        snapshots = [c for c in self.calls if c[0] == 'snapshot']
        self.assertEqual(2, len(snapshots))
        self.assertGreater(snapshots[1][1][1], dropped[0])

    def test_a_new_publisher_epoch_makes_it_resynchronise(self):
        base.wait_for(lambda: self.service.seq.get('things'))
        self.subscriber.subscribe('fake', 'things')
        self.subscriber.receive('fake', 'things', 'another-epoch', 1,
                                [['x', 'x', 'x']], [])
        self.assertEqual(2, len([c for c in self.calls
                                 if c[0] == 'snapshot']))
        self.assertEqual(self.things(), self.rows)

    def test_a_directory_fault_delays_the_snapshot(self):
        base.wait_for(lambda: self.service.seq.get('things'))
        with mock.patch.object(self.node.directory, 'leader',
                               side_effect=db_exc.DBConnectionError('down')):
            self.subscriber.subscribe('fake', 'things')
            self.assertEqual([], self.calls)
        self.subscriber.check_gaps()
        self.assertEqual(['snapshot'], [kind for kind, _v in self.calls])
        self.assertEqual(self.things(), self.rows)

    def test_a_refused_snapshot_is_asked_for_again(self):
        base.wait_for(lambda: self.service.seq.get('things'))
        refusals = []

        def refuse_once(service, table, rows, version):
            if not refusals:
                refusals.append(version)
                raise ValueError('rows that do not fit')
            self.on_snapshot(service, table, rows, version)
        self.subscriber.on_snapshot = refuse_once
        self.subscriber.subscribe('fake', 'things')
        self.assertEqual(1, len(refusals))
        # a poll's delta may already be asking for the snapshot again
        self.driver.things.create('meanwhile')

        def loaded():
            self.subscriber.check_gaps()
            return self.rows == self.things()
        base.wait_for(loaded, message='the snapshot taken again')
        self.assertTrue(self.subscriber.ready())
