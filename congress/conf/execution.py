"""Options that govern running actions on cloud services ([execution])."""

from oslo_config import cfg

from congress.i18n import _

GROUP = cfg.OptGroup('execution', title=_('Action execution options'))

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
                help=_('Glob patterns of "service:action" names that never '
                       'run; deny wins over allow.')),
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
