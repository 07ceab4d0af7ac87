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

"""The API server of ``congress-server --api``: the paste pipeline served
by cheroot's thread pool."""

import os
import socket
import threading

from cheroot import wsgi as cheroot_wsgi
from oslo_log import log as logging

from congress.api import app as app_mod
from congress import conf

CONF = conf.CONF
LOG = logging.getLogger(__name__)


class _Gateway(cheroot_wsgi.Gateway_10):
    """cheroot's WSGI 1.0 gateway, which closes the connection after an
    answer given before the whole request body was read (an error, or a
    body that never fully arrived): cheroot would otherwise read the rest
    first, wait for a client that sends no more, and answer nothing."""

    def start_response(self, status, headers, exc_info=None):
        if getattr(self.req.rfile, 'remaining', 0):
            self.req.close_connection = True
        return super().start_response(status, headers, exc_info)


class _Server(cheroot_wsgi.Server):
    """cheroot's server, on a socket bound and listening already when it
    has one (``listening``: the port a parent process bound once for all
    its API processes)."""

    listening = None

    def bind(self, family, type, proto=0):
        if self.listening is None:
            return super().bind(family, type, proto)
        if self.nodelay:
            # as cheroot sets it on a socket it binds (accepted sockets
            # inherit it): without it, small answers waited for the
            # client's delayed ACK, 40 ms each
            self.listening.setsockopt(socket.IPPROTO_TCP,
                                      socket.TCP_NODELAY, 1)
        self.socket = self.listening
        self.bind_addr = self.listening.getsockname()[:2]
        return self.socket


def listen():
    """A socket bound to ``[api] bind_host``:``bind_port`` and listening,
    for the API processes forked after (each serves it)."""
    info = socket.getaddrinfo(CONF.api.bind_host, CONF.api.bind_port,
                              socket.AF_UNSPEC, socket.SOCK_STREAM, 0,
                              socket.AI_PASSIVE)
    family, _type, _proto, _name, address = info[0]
    return socket.create_server(address, family=family,
                                backlog=CONF.api.backlog)


def worker_node_id():
    """The bus node id of one API process of several on a host (forked by
    congress-server or by a WSGI server)."""
    return '%s-api-%d' % (CONF.node_id, os.getpid())


class ApiServer(object):
    """Serves the REST API on ``[api] bind_host``:``bind_port``.

    ``manager`` is the DataSourceManager of this process, if it runs the
    data sources too: data sources created or deleted through the API then
    start or stop here at once instead of at the next periodic sync.
    ``listening`` is a socket bound and listening already (see
    ``listen``), served instead of binding one.
    """

    def __init__(self, node, manager=None, runtime=None, host=None,
                 port=None, listening=None):
        self.node = node
        self.backends = app_mod.Backends(node, runtime=runtime,
                                         manager=manager)
        self.app = app_mod.load_app(self.backends)
        self.host = host or CONF.api.bind_host
        self.requested_port = CONF.api.bind_port if port is None else port
        self._server = _Server(
            (self.host, self.requested_port), self.app,
            numthreads=CONF.api.threads, server_name='congress-api')
        self._server.listening = listening
        # cheroot's own default is 5: a burst of new connections overflows it
        self._server.request_queue_size = CONF.api.backlog
        self._server.gateway = _Gateway
        self._server.shutdown_timeout = CONF.shutdown_timeout
        self._server.timeout = CONF.api.client_socket_timeout
        self._thread = None

    @property
    def port(self):
        return self._server.bind_addr[1]

    def start(self):
        """Bind (errors surface here) and serve on a background thread."""
        self._server.prepare()
        self._thread = threading.Thread(target=self._serve,
                                        name='congress-api', daemon=True)
        self._thread.start()
        LOG.info('Congress API listening on http://%(host)s:%(port)s/ with '
                 '%(threads)d threads', {'host': self.host,
                                         'port': self.port,
                                         'threads': CONF.api.threads})

    def _serve(self):
        try:
            self._server.serve()
        except Exception:
            LOG.exception('The API server stopped on an error')

    def stop(self):
        """Stop accepting connections; requests in flight finish first
        (for up to ``shutdown_timeout`` seconds)."""
        LOG.info('Congress API stopping')
        self._server.stop()
        if self._thread is not None:
            self._thread.join(CONF.shutdown_timeout)

    def wait(self):
        if self._thread is not None:
            self._thread.join()
