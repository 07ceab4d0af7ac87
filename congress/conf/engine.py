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

"""Options of the policy engine ([policy_engine] group)."""

from oslo_config import cfg

from congress.i18n import _

GROUP = cfg.OptGroup('policy_engine', title=_('Policy engine options'))

OPTS = [
    cfg.IntOpt('max_actions_per_change', default=10, min=0,
               help=_('Most actions one rule may fire from a single change '
                      'of data or rules. When a change would fire more, '
                      'none of that batch runs: each is recorded as '
                      '"rejected" and the policy status says why.')),
    cfg.FloatOpt('rate_limit_per_service', default=10.0, min=0.0,
                 help=_('Most actions per second that rules may fire on one '
                        'service (0 means no limit). Actions beyond it are '
                        'recorded as "rejected".')),
    cfg.FloatOpt('reconcile_interval', default=10.0, min=0.1,
                 help=_('Seconds between two comparisons, by the leading '
                        'engine, of the rows of execute[...] tables with the '
                        'rows acted on: it fires the rows no engine acted on '
                        '(they appeared while no engine led, or the database '
                        'or the bus failed) and forgets the rows gone. It '
                        'also runs as soon as an engine becomes leader.')),
    cfg.FloatOpt('time_tick_interval', default=60.0, min=0.1,
                 help=_('Seconds between two evaluations of the rules that '
                        'read the current time (the now builtin): a rule '
                        'such as "servers created more than 30 days ago" '
                        'changes its answer, and fires, at most this long '
                        'after the time it names.')),
    cfg.IntOpt('simulate_max_steps', default=10000, min=1,
               help=_('Most elements (updates, rule updates and actions) '
                      'the sequence of one simulate request may hold; a '
                      'longer one is refused with 413.')),
    cfg.FloatOpt('simulate_timeout', default=10.0, min=0.1,
                 help=_('Seconds one simulate request may evaluate before '
                        'it is abandoned with 413. A simulation runs on a '
                        'private copy of the tables, outside the engine '
                        'lock: it never delays the engine\'s other '
                        'callers.')),
    cfg.StrOpt('policy_library_path', default='/etc/congress/library',
               help=_('Directory of YAML library policies loaded at '
                      'start.')),
    cfg.FloatOpt('max_table_share_percent', default=50.0, min=0.0,
                 max=100.0,
                 help=_('Most actions one rule may fire, as a share (in '
                        'percent) of the rows of the table the first '
                        'argument of its action comes from, in one change '
                        'and over the last hour. A batch that would exceed '
                        'it (and table_share_min_actions) is refused whole: '
                        'each action is recorded as "rejected" and the '
                        'policy status says why. 0 means no limit; a policy '
                        'may set its own (max_table_share_percent).')),
    cfg.IntOpt('table_share_min_actions', default=3, min=0,
               help=_('Actions a rule may always fire per change and per '
                      'hour, whatever the share of its table they are: '
                      'the share-of-table limit applies beyond this many, '
                      'so that rules over small tables can act.')),
]
