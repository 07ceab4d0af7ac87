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

"""Caps on the bus API versions a node sends ([upgrade_levels] group), for
rolling upgrades: nodes of the new release keep to what the old ones
understand until every node is upgraded."""

from oslo_config import cfg

from congress.i18n import _

GROUP = cfg.OptGroup('upgrade_levels', title=_('Bus API version caps'))

OPTS = [
    cfg.StrOpt('datasources', regex=r'^[0-9]+\.[0-9]+$',
               help=_('The newest version of the data source API '
                      '(congress.dse.rpcapi.DataSourceAPI) this node sends '
                      'to datasources workers; unset: the newest it knows. '
                      'Set it to the version of the oldest worker while a '
                      'rolling upgrade is under way ("1.1" for the '
                      'workers of a release before execute_batch), and '
                      'unset it once every worker is upgraded.')),
]
