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

"""Options that govern running actions on cloud services ([execution])."""

from oslo_config import cfg

from congress.i18n import _

GROUP = cfg.OptGroup('execution', title=_('Action execution options'))

#: The deny list a production deployment should start from (shown in the
#: sample configuration, explained in doc/source/admin/execution.rst):
#: actions that destroy what cannot be made again, hand over resources or
#: privileges, take the control plane apart, or answer with secrets that
#: the execution record would keep. The data source names are "*": the
#: action names alone tell the drivers apart. It leaves the actions of the
#: shipped library policies allowed.
PRODUCTION_DENY = [
    # compute (nova)
    '*:servers.delete', '*:servers.rebuild', '*:servers.evacuate',
    '*:servers.reset_network', '*:servers.*password',
    '*:servers.get_*console*', '*:servers.trigger_crash_dump',
    '*:volumes.delete_server_volume', '*:flavors.delete',
    '*:flavor_access.*', '*:keypairs.delete', '*:aggregates.*',
    '*:server_migrations.*',
    # any service
    '*:*.force_delete', '*:*.reset_state', '*:*.unmanage', '*:services.*',
    '*:quotas.*', '*:quota_classes.*', '*:*groups.delete',
    # block storage (cinder)
    '*:volumes.delete', '*:volumes.migrate_volume*', '*:volumes.reimage',
    '*:volumes.revert_to_snapshot', '*:volumes.get_encryption_metadata',
    '*:volumes.initialize_connection', '*:volumes.terminate_connection',
    '*:volume_snapshots.delete', '*:volume_snapshots.update_snapshot_status',
    '*:backups.delete', '*:backups.export_record', '*:volume_types.delete',
    '*:volume_type_access.*', '*:volume_encryption_types.*',
    '*:default_types.*', '*:transfers.*', '*:workers.clean',
    # image (glance)
    '*:images.delete*', '*:images.*location*', '*:image_members.*',
    '*:cache.*', '*:metadefs_*',
    # identity (keystonev3)
    '*:projects.delete', '*:domains.*', '*:domain_configs.*',
    '*:users.create', '*:users.update', '*:users.delete',
    '*:users.add_to_group', '*:groups.*', '*:roles.*', '*:roles_*',
    '*:inference_rules.*', '*:trusts.*', '*:access_rules.*',
    '*:endpoint*', '*:regions.*', '*:policies.*', '*:limits.*',
    '*:registered_limits.*',
    # networking (neutronv2)
    '*:delete_network', '*:delete_subnet', '*:delete_subnet_pool',
    '*:delete_router', '*:delete_port', '*:delete_security_group',
    '*:delete_floatingip', '*:delete_ip', '*:delete_address_scope',
    '*:delete_*segment*', '*:delete_trunk', '*:delete_qos_policy',
    '*:delete_agent', '*:remove_*agent*', '*:*_rbac_policy', '*:*_quota',
    '*:delete_load_balancer', '*:delete_firewall_*', '*:delete_vpn_*',
    '*:delete_bgp*', '*:delete_auto_allocated_topology',
]

OPTS = [
    cfg.BoolOpt('enabled', default=True,
                help=_('Run actions on cloud services. When False every '
                       'requested action is recorded with status "dry-run" '
                       'and nothing is executed.')),
    cfg.ListOpt('allow', default=['*'],
                help=_('Glob patterns of "service:action" names that may '
                       'run, e.g. "nova:servers.pause,nova:servers.*meta*". '
                       'An action matching none is rejected.')),
    cfg.ListOpt('deny', default=[],
                sample_default=','.join(PRODUCTION_DENY),
                help=_('Glob patterns of "service:action" names that never '
                       'run; deny wins over allow. The default denies '
                       'nothing; the sample configuration file shows, '
                       'commented out, the list a production deployment '
                       'should start from (the administrator guide, '
                       '"Execution settings", says what each pattern keeps '
                       'from running).')),
    cfg.FloatOpt('time_to_live', default=300.0, min=0.1,
                 help=_('Seconds an accepted action may wait for a worker. '
                        'An action not started in time is recorded as '
                        '"expired" and never runs late.')),
    cfg.ListOpt('secret_argument_patterns',
                default=['password', 'passwd', 'pwd', 'passphrase', '*pass',
                         'secret', 'token', 'credential', 'private_key',
                         'api_key', 'auth_key', 'encryption_key'],
                deprecated_name='secret_argument_names',
                help=_('Names of secret action arguments: their values are '
                       'masked in execution records, API answers, logs and '
                       'error texts, for named arguments, positional ones '
                       '(by the parameter names the action declares) and '
                       'keys of nested objects. A pattern with "*", "?" or '
                       '"[" is a glob matched against the whole name, a '
                       'plain word matches names that contain it; case, "_", '
                       '"-" and "." are ignored. Names with "key" alone are '
                       'left out on purpose: key_name, key_type or '
                       'public_key name things, they do not hold secrets.')),
    cfg.FloatOpt('reaper_interval', default=10.0, min=0.1,
                 help=_('Seconds between two sweeps that end executions '
                        'left behind: accepted ones past their time to live '
                        'become "expired", running ones on a node that left '
                        'the bus become "failed".')),
    cfg.FloatOpt('redeliver_after', default=30.0, min=0.1,
                 help=_('Seconds after which the reaper sends an accepted '
                        'action again to the workers of its service, should '
                        'the worker that got it have died before starting '
                        'it. A worker runs an action at most once however '
                        'often it is sent; a smaller value hands such work '
                        'over sooner, at the cost of more messages while '
                        'workers are busy.')),
    cfg.StrOpt('default_enforcement', default='enforce',
               choices=[('enforce', _('rule-fired actions run')),
                        ('audit', _('rule-fired actions are recorded '
                                    '"proposed" and never run')),
                        ('approve', _('rule-fired actions are recorded '
                                      '"awaiting-approval" and run once an '
                                      'admin approves them'))],
               help=_('Enforcement mode of a policy created without one. '
                      'Existing policies keep theirs.')),
    cfg.FloatOpt('approval_time_to_live', default=86400.0, min=1.0,
                 help=_('Seconds an action of a policy in "approve" mode '
                        'waits for an admin. One neither approved nor '
                        'rejected in time is recorded as "expired" and '
                        'never runs.')),
    cfg.FloatOpt('exemption_max_days', default=90.0, min=0.0,
                 help=_('Most days ahead the expiry (expires_at, required) '
                        'of an exemption may be; 0 means no maximum.')),
    cfg.FloatOpt('retention_days', default=90.0, min=0.0,
                 help=_('Days an execution record is kept after it ended '
                        '(any terminal status); older ones are purged by a '
                        'periodic task of the engine nodes. 0 keeps them '
                        'for ever. Records still pending (accepted, '
                        'dispatched, awaiting approval) are never '
                        'purged.')),
    cfg.FloatOpt('purge_interval', default=3600.0, min=1.0,
                 help=_('Seconds between two purges of the records older '
                        'than retention_days.')),
    cfg.IntOpt('purge_batch_size', default=1000, min=1,
               help=_('Most records one transaction of a purge deletes; a '
                      'purge deletes batch after batch until none is '
                      'left.')),
]
