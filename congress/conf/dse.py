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

"""Options of the message bus ([dse] group)."""

from oslo_config import cfg

from congress.i18n import _

GROUP = cfg.OptGroup('dse', title=_('Message bus (DSE) options'))

OPTS = [
    cfg.StrOpt('bus_id', default='bus',
               help=_('Name of this deployment on the message broker. '
                      'Deployments sharing one broker must use different '
                      'names; every topic includes it.')),
    cfg.FloatOpt('heartbeat_interval', default=5.0, min=0.1,
                 help=_('Seconds between two heartbeats of a node in the '
                        'service directory.')),
    cfg.FloatOpt('service_down_time', default=20.0, min=0.3,
                 help=_('A node whose last heartbeat is older than this '
                        'many seconds is off the bus: its services are no '
                        'longer offered and its unfinished executions are '
                        'failed.')),
    cfg.FloatOpt('directory_cache_time', default=1.0, min=0.0,
                 help=_('Seconds a service directory lookup is reused '
                        'before the database is asked again.')),
    cfg.IntOpt('send_retries', default=0, min=0,
               help=_('Times sending a message is retried while the broker '
                      'is unreachable before the sender gives up (an API '
                      'request then answers 503 with Retry-After). Each '
                      'retry waits [oslo_messaging_rabbit] '
                      'rabbit_retry_interval or longer: with the default '
                      '0 no thread waits for the broker to come back.')),
    cfg.IntOpt('rpc_response_timeout', default=30, min=1,
               help=_('Seconds to wait for the answer to a call on the '
                      'bus.')),
]
