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

"""``[api] workers``: how many API processes congress-server forks, and
the API server on a socket its parent bound."""

import http.client
import threading
from unittest import mock

from oslo_messaging import conffixture

from congress.api import server as api_server
from congress.cmd import server
from congress import conf
from congress.tests import base


RABBIT_URL = 'rabbit://guest:guest@127.0.0.1:5672/'


class WorkersOptionTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        # the embedded default's in-process transport is one process
        self.messaging = self.useFixture(conffixture.ConfFixture(conf.CONF))
        self.messaging.transport_url = RABBIT_URL

    def test_unset_is_the_number_of_cpus(self):
        with mock.patch('os.cpu_count', return_value=3):
            self.assertEqual(3, server.api_workers())
        self.config(workers=5, group='api')
        with mock.patch('os.cpu_count', return_value=3):
            self.assertEqual(5, server.api_workers())

    def test_one_on_the_in_process_transport(self):
        self.messaging.transport_url = 'fake:///'
        with mock.patch('os.cpu_count', return_value=4):
            self.assertEqual(1, server.api_workers())
        self.config(workers=3, group='api')
        self.assertEqual(1, server.api_workers())
        self.messaging.transport_url = RABBIT_URL
        self.assertEqual(3, server.api_workers())

    def _main(self, workers, *roles):
        conf = mock.Mock(run_api='api' in roles,
                         run_policy_engine='engine' in roles,
                         run_datasources='datasources' in roles)
        conf.api.workers = workers
        with mock.patch.object(server.common, 'prepare'), \
                mock.patch.object(server, 'CONF', conf), \
                mock.patch.object(server, 'serve_with_workers',
                                  return_value=0) as forked, \
                mock.patch.object(server, 'serve', return_value=0) as alone, \
                mock.patch.object(server, 'Server') as server_class:
            self.assertEqual(0, server.main([]))
        return forked, alone, server_class

    def test_several_workers_fork_for_every_role_given(self):
        forked, alone, _ = self._main(2, 'api')
        forked.assert_called_once_with([True, False, False], 2)
        self.assertFalse(alone.called)
        forked, alone, _ = self._main(2)  # no role: all three
        forked.assert_called_once_with([True, True, True], 2)

    def test_one_worker_or_no_api_stays_in_one_process(self):
        forked, alone, server_class = self._main(1, 'api')
        self.assertFalse(forked.called)
        server_class.assert_called_once_with(True, False, False)
        forked, alone, server_class = self._main(4, 'datasources')
        self.assertFalse(forked.called)
        server_class.assert_called_once_with(False, False, True)


class ListeningSocketTestCase(base.TestCase):

    def test_the_server_serves_the_socket_bound_before(self):
        self.config(bind_host='127.0.0.1', bind_port=0, group='api')
        listening = api_server.listen()
        self.addCleanup(listening.close)
        port = listening.getsockname()[1]

        def app(environ, start_response):
            start_response('200 OK', [('Content-Type', 'text/plain')])
            return [b'pong']
        cheroot = api_server._Server(('127.0.0.1', 0), app)
        cheroot.listening = listening
        cheroot.prepare()
        thread = threading.Thread(target=cheroot.serve, daemon=True)
        thread.start()
        self.addCleanup(cheroot.stop)
        self.assertEqual(port, cheroot.bind_addr[1])
        connection = http.client.HTTPConnection('127.0.0.1', port,
                                                timeout=10)
        connection.request('GET', '/')
        self.assertEqual(b'pong', connection.getresponse().read())
        connection.close()
