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

"""Rules of /v1/data-sources (alias /v1/cloud-services)."""

from congress.policies import base

DS = '/v1/data-sources/{data_source}'

rules = [
    base.rule('data_source', 'list', base.READER, 'List data sources.',
              [('GET', '/v1/data-sources')]),
    base.rule('data_source', 'get', base.READER,
              'Show a data source (secret settings hidden).',
              [('GET', DS)]),
    base.rule('data_source', 'create', base.ADMIN, 'Create a data source.',
              [('POST', '/v1/data-sources')]),
    base.rule('data_source', 'delete', base.ADMIN, 'Delete a data source.',
              [('DELETE', DS)]),
    base.rule('data_source', 'request_refresh', base.ADMIN,
              'Ask a data source to poll its service now.',
              [('POST', DS + '?action=request-refresh')]),
    base.rule('data_source', 'execute', base.ADMIN,
              'Run an action on the cloud service of a data source.',
              [('POST', DS + '?action=execute')]),
    base.rule('data_source', 'get_actions', base.READER,
              'List the actions a data source offers.',
              [('GET', DS + '/actions')]),
    base.rule('data_source', 'get_status', base.READER,
              'Show the status of a data source.',
              [('GET', DS + '/status')]),
    base.rule('data_source', 'get_schema', base.READER,
              'Show the tables and columns of a data source.',
              [('GET', DS + '/schema'), ('GET', DS + '/tables'),
               ('GET', DS + '/tables/{table}'),
               ('GET', DS + '/tables/{table}/spec')]),
    base.rule('data_source', 'get_rows', base.READER,
              'List the rows of a table of a data source.',
              [('GET', DS + '/tables/{table}/rows')]),
    base.rule('data_source', 'push', base.ADMIN,
              'Push rows or a webhook payload to a push data source.',
              [('PUT', DS + '/tables/{table}/rows'),
               ('POST', DS + '/webhook')]),
]


def list_rules():
    return rules
