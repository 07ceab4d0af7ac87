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

"""An answered request leaves its environ (and all it holds) to reference
counting, not to the garbage collector."""

import gc

from congress.tests.unit.api import base


class RequestGarbageTestCase(base.ApiTestCase):

    def setUp(self):
        super().setUp()
        self.create_fake()
        self.wait_on_bus('fake')
        gc.collect()
        self.addCleanup(gc.set_debug, gc.get_debug())
        self.addCleanup(gc.garbage.clear)
        # kept in gc.garbage instead of freed, to be looked at
        gc.set_debug(gc.DEBUG_SAVEALL)

    def environs_left(self):
        gc.collect()
        return [o for o in gc.garbage
                if isinstance(o, dict) and 'REQUEST_METHOD' in o]

    def test_reads_with_a_query_string_leave_no_environ_cycle(self):
        for _ in range(3):
            self.app.get('/v1/executions?status=succeeded')
            self.app.get('/v1/executions?service=fake&limit=2')
        self.assertEqual([], self.environs_left())

    def test_an_execute_and_an_error_leave_no_environ_cycle(self):
        response = self.app.post_json(
            '/v1/data-sources/fake?action=execute',
            {'name': 'things.list', 'dry_run': True})
        self.assertEqual(202, response.status_int)
        response = self.app.get('/v1/data-sources/nope', expect_errors=True)
        self.assertEqual(404, response.status_int)
        self.assertEqual([], self.environs_left())
