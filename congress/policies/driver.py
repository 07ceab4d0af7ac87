"""Rules of /v1/system/drivers."""

from congress.policies import base

rules = [
    base.rule('driver', 'list', base.READER,
              'List the data source drivers of this deployment.',
              [('GET', '/v1/system/drivers')]),
    base.rule('driver', 'get', base.READER,
              'Show a driver: its settings and tables.',
              [('GET', '/v1/system/drivers/{driver}')]),
]


def list_rules():
    return rules
