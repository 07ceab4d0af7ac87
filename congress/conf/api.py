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

"""Options of the REST API ([api] group)."""

from oslo_config import cfg

from congress.i18n import _

GROUP = cfg.OptGroup('api', title=_('REST API options'))

OPTS = [
    cfg.HostAddressOpt('bind_host', default='127.0.0.1',
                       help=_('Address the API server listens on.')),
    cfg.PortOpt('bind_port', default=1789,
                help=_('Port the API server listens on.')),
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone', _('Validate tokens with keystone '
                                       'auth_token middleware.')),
                        ('noauth', _('No authentication: every caller is an '
                                     'admin. For the embedded default and '
                                     'tests only.'))],
               help=_('How API callers are authenticated.')),
    cfg.StrOpt('api_paste_config', default='api-paste.ini',
               help=_('Paste deployment file for the API pipeline; a '
                      'relative name is looked up next to the config '
                      'files.')),
    cfg.IntOpt('threads', default=16, min=1,
               help=_('Worker threads of the in-process API server.')),
    cfg.IntOpt('backlog', default=4096, min=1,
               help=_('Connections the kernel queues for the API server '
                      'before it accepts them (the listen backlog, capped '
                      'by net.core.somaxconn). Connections beyond it wait '
                      'for a TCP retransmission, a second or more, or are '
                      'reset.')),
    cfg.IntOpt('max_limit', default=1000, min=1,
               help=_('The largest page a collection answers with.')),
    cfg.IntOpt('max_request_body_size', default=1048576, min=1024,
               help=_('Request bodies larger than this many bytes are '
                      'refused with 413.')),
    cfg.FloatOpt('client_socket_timeout', default=5.0, min=0.1,
                 help=_('Seconds the API server waits for more of a '
                        'request, or for the next request on a kept-alive '
                        'connection. A body that stops short of its '
                        'Content-Length is answered 400 after this long.')),
    cfg.IntOpt('workers', min=1, sample_default='<number of CPUs>',
               help=_('API processes of congress-server: the port is bound '
                      'once and served by this many forked processes, each '
                      'with its own bus connection and database pool. '
                      'Unset: the number of CPUs. With more than one, the '
                      'other roles of the process (policy engine, data '
                      'sources) run in one more process of their own. A '
                      'WSGI server (uwsgi) forks its own processes and '
                      'ignores this option.')),
]
