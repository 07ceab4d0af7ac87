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

"""The cheroot server of congress-server --api and the WSGI entry
module."""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from unittest import mock
import urllib.error
import urllib.request

from congress.api import app as app_mod
from congress.api import server as server_mod
from congress.api import wsgi
from congress.cloudservices import fake_driver
from congress.dse import datasource_service
from congress.tests.unit.api import base


def _request(url, method='GET', body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method,
        headers={'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(
                response.read() or b'null')
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), json.loads(err.read())


class ApiServerTestCase(base.ApiTestCase):

    def start_server(self):
        self.config(threads=4, group='api')
        server = server_mod.ApiServer(self.node, manager=self.manager,
                                      host='127.0.0.1', port=0)
        server.start()
        self.addCleanup(server.stop)
        return server, 'http://127.0.0.1:%d' % server.port

    @staticmethod
    def listen_backlog(port):
        """The backlog of the socket listening on ``port`` as the kernel
        has it (``ss`` shows it as the Send-Q of a listening socket)."""
        out = subprocess.check_output(
            ['ss', '-Hltn', 'sport = :%d' % port], text=True)
        return int(out.split()[2])

    def test_listen_backlog_is_the_configured_one(self):
        # cheroot's default of 5 reset connections of a burst of callers
        self.config(backlog=300, group='api')
        server, _url = self.start_server()
        self.assertEqual(300, self.listen_backlog(server.port))
        self.config(bind_port=0, group='api')
        shared = server_mod.listen()
        self.addCleanup(shared.close)
        self.assertEqual(300, self.listen_backlog(shared.getsockname()[1]))

    def test_shared_listening_socket_serves_without_nagle(self):
        # the API processes of [api] workers serve a socket their parent
        # bound: its accepted connections must not wait for delayed ACKs
        self.config(bind_port=0, group='api')
        listening = server_mod.listen()
        self.addCleanup(listening.close)
        self.assertEqual(0, listening.getsockopt(socket.IPPROTO_TCP,
                                                 socket.TCP_NODELAY))
        server = server_mod.ApiServer(self.node, manager=self.manager,
                                      listening=listening)
        server.start()
        self.addCleanup(server.stop)
        self.assertNotEqual(0, listening.getsockopt(socket.IPPROTO_TCP,
                                                    socket.TCP_NODELAY))
        status, _headers, _body = _request(
            'http://127.0.0.1:%d/' % server.port)
        self.assertEqual(200, status)

    def test_serves_the_pipeline(self):
        server, url = self.start_server()
        status, _headers, body = _request(url + '/')
        self.assertEqual(200, status)
        self.assertEqual('v1', body['versions'][0]['id'])
        self.assertEqual(url + '/v1/', body['versions'][0]['links'][0][
            'href'])
        status, headers, body = _request(url + '/v1/data-sources', 'POST',
                                         {'name': 'fake', 'driver': 'fake'})
        self.assertEqual(201, status)
        self.assertEqual(url + '/v1/data-sources/' + body['id'],
                         headers['Location'])
        status, _headers, body = _request(url + '/v1/nope')
        self.assertEqual(404, status)
        self.assertEqual(1002, body['error']['error_code'])

    def test_stop_lets_requests_in_flight_finish(self):
        node = self.node
        driver = fake_driver.FakeDriver('slow', {})
        node.add_service(datasource_service.DataSourceService(
            'slow', driver, node, poll_time=60))
        server, url = self.start_server()
        answers = []

        def get_slowly():
            answers.append(_request(url + '/v1/data-sources/slow/status'))

        original = driver.get_status

        def slow_status():
            time.sleep(1.0)
            return original()
        with mock.patch.object(driver, 'get_status', slow_status):
            thread = threading.Thread(target=get_slowly)
            thread.start()
            time.sleep(0.3)
            server.stop()
            thread.join(10)
        self.assertEqual(200, answers[0][0])
        self.assertEqual('None', answers[0][2]['last_error'])

    def test_answer_before_the_body_closes_the_connection(self):
        # as auth_token refuses a request without a token: at once, and
        # without reading its body
        def refuse(environ, start_response):
            start_response('401 Unauthorized',
                           [('Content-Type', 'application/json'),
                            ('Content-Length', '13')])
            return [b'{"error": {}}']
        with mock.patch.object(app_mod, 'load_app', return_value=refuse):
            server, url = self.start_server()
        took, status, body = self._post_short_body(url, close_write=False)
        self.assertEqual(b'HTTP/1.1 401 Unauthorized', status)
        self.assertEqual({'error': {}}, body)
        self.assertLess(took, 2.0)

    def _post_short_body(self, url, close_write):
        """POST 10 of the 100 bytes a Content-Length announces; returns
        (seconds to the answer, status line, body)."""
        host, port = url.rsplit('/', 1)[1].split(':')
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            sock.sendall(b'POST /v1/data-sources HTTP/1.1\r\n'
                         b'Host: localhost\r\n'
                         b'Content-Type: application/json\r\n'
                         b'Content-Length: 100\r\n\r\n{"name": "')
            started = time.monotonic()
            if close_write:
                sock.shutdown(socket.SHUT_WR)
            answer = b''
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                answer += data
        took = time.monotonic() - started
        head, _sep, body = answer.partition(b'\r\n\r\n')
        return took, head.split(b'\r\n')[0], json.loads(body)

    def test_body_shorter_than_its_content_length(self):
        self.config(client_socket_timeout=0.5, group='api')
        server, url = self.start_server()
        for close_write, expected in ((True, 'shorter than'),
                                      (False, 'did not arrive')):
            took, status, body = self._post_short_body(url, close_write)
            self.assertEqual(b'HTTP/1.1 400 Bad Request', status)
            self.assertEqual(1001, body['error']['error_code'])
            self.assertIn(expected, body['error']['message'])
            self.assertLess(took, 3.0)
        # nothing was half-written and the server still answers
        self.assertEqual((200, []), (
            _request(url + '/v1/data-sources')[0],
            _request(url + '/v1/data-sources')[2]['results']))


class WsgiModuleTestCase(base.ApiTestCase):

    def test_application_from_the_config_files(self):
        config = os.path.join(self.state_dir, 'congress.conf')
        with open(config, 'w') as handle:
            handle.write('[DEFAULT]\ntransport_url = fake:/\n'
                         'state_path = %s\n'
                         '[api]\nauth_strategy = noauth\n'
                         '[database]\nconnection = %s\n'
                         % (self.state_dir, self.database_url()))
        started = []
        with mock.patch.dict(os.environ,
                             {'OS_CONGRESS_CONFIG_FILES': config}), \
                mock.patch.object(sys, 'argv',
                                  ['uwsgi', '--http', ':1789', '--bogus']), \
                mock.patch.object(wsgi.node_mod.DseNode, 'start',
                                  lambda node: started.append(node)), \
                mock.patch.object(wsgi.logging, 'register_options'), \
                mock.patch.object(wsgi.logging, 'setup'), \
                mock.patch.object(wsgi.heap, 'freeze_started_process') \
                as freeze, \
                mock.patch.object(wsgi, '_APPLICATION', None):
            application = wsgi.application
            self.assertIs(application, wsgi.initialize_application())
        # the app's start is kept out of later collections, once
        freeze.assert_called_once_with()
        self.assertEqual(1, len(started))
        self.assertIn('-api-%d' % os.getpid(), started[0].node_id)
        import webtest
        response = webtest.TestApp(application).get('/v1/data-sources')
        self.assertEqual({'results': []}, response.json)

    def test_unknown_attribute(self):
        self.assertRaises(AttributeError, getattr, wsgi, 'nothing')


class PasteConfigTestCase(base.ApiTestCase):

    def test_found_next_to_the_config_files(self):
        self.config(api_paste_config='/nowhere/api-paste.ini', group='api')
        self.assertRaises(FileNotFoundError, app_mod.find_paste_config)
        self.config(api_paste_config='api-paste.ini', group='api')
        self.assertTrue(app_mod.find_paste_config().endswith(
            os.path.join('etc', 'congress', 'api-paste.ini')))
        with mock.patch.object(app_mod.CONF, 'find_file',
                               return_value='/etc/x/api-paste.ini'):
            self.assertEqual('/etc/x/api-paste.ini',
                             app_mod.find_paste_config())

    def test_unknown_auth_strategy_pipeline(self):
        loader = mock.Mock()
        self.assertRaises(ValueError, app_mod.pipeline_factory, loader, {},
                          keystone='authtoken congressapp')
