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

"""Clients of the Congress v1 REST API (service type ``policy``).

The catalog entry is the root URL without ``/v1``; every path here starts
with ``v1/`` (the version documents with nothing). Each method checks the
status the API contract promises and answers a
``rest_client.ResponseBody`` (a dict with ``.response``); an error status
raises the matching ``tempest.lib.exceptions`` class.
"""

from urllib import parse

from oslo_serialization import jsonutils as json
from tempest.lib.common import rest_client


def _quote(value):
    return parse.quote(str(value), safe='')


class CongressRestClient(rest_client.RestClient):
    """Common helpers of the Congress clients."""

    PREFIX = 'v1'

    def _path(self, *parts, **params):
        path = '/'.join([self.PREFIX] + [_quote(p) for p in parts])
        params = {k: v for k, v in params.items() if v is not None}
        if params:
            path += '?' + parse.urlencode(params, doseq=True)
        return path

    def _answer(self, resp, body):
        if body:
            body = json.loads(body)
        else:
            body = {}
        return rest_client.ResponseBody(resp, body)

    def _get(self, path, expected=200):
        resp, body = self.get(path)
        self.expected_success(expected, resp.status)
        return self._answer(resp, body)

    def _post(self, path, body, expected=(200, 201, 202)):
        resp, body = self.post(path, json.dumps(body))
        self.expected_success(list(_as_tuple(expected)), resp.status)
        return self._answer(resp, body)

    def _put(self, path, body, expected=(200, 201, 204)):
        resp, body = self.put(path, json.dumps(body))
        self.expected_success(list(_as_tuple(expected)), resp.status)
        return self._answer(resp, body)

    def _delete(self, path, expected=(200, 204)):
        resp, body = self.delete(path)
        self.expected_success(list(_as_tuple(expected)), resp.status)
        return self._answer(resp, body)

    def _execute(self, path, name, positional=None, named=None,
                 dry_run=None, extra=None):
        body = {'name': name}
        if positional is not None or named is not None:
            body['args'] = {'positional': list(positional or []),
                            'named': dict(named or {})}
        if dry_run is not None:
            body['dry_run'] = dry_run
        if extra:
            body.update(extra)
        return self._post(path, body, expected=202)


def _as_tuple(value):
    return value if isinstance(value, (tuple, list)) else (value,)


class VersionsClient(CongressRestClient):
    """``GET /`` and ``GET /v1``."""

    def list_versions(self):
        return self._get('')

    def show_version(self, version='v1'):
        return self._get(_quote(version))


class PoliciesClient(CongressRestClient):
    """Policies, their tables and rows, simulate and execute."""

    def list_policies(self):
        return self._get(self._path('policies'))

    def create_policy(self, body=None, library_policy=None, **fields):
        """``POST /v1/policies`` with ``body`` or ``fields`` (name,
        abbreviation, kind, description, rules); with ``library_policy``
        the policy is made from that library policy (empty body)."""
        if library_policy is not None:
            return self._post(
                self._path('policies', library_policy=library_policy),
                {}, expected=201)
        return self._post(self._path('policies'), body or fields,
                          expected=201)

    def show_policy(self, policy):
        return self._get(self._path('policies', policy))

    def delete_policy(self, policy):
        return self._delete(self._path('policies', policy))

    def show_policy_status(self, policy):
        return self._get(self._path('policies', policy, 'status'))

    def update_policy(self, policy, **fields):
        """``PATCH /v1/policies/<policy>`` (``enforcement``)."""
        resp, body = self.patch(self._path('policies', policy),
                                json.dumps(fields))
        self.expected_success(200, resp.status)
        return self._answer(resp, body)

    def simulate_policy(self, policy, query, sequence, action_policy,
                        delta=None, trace=None):
        return self._post(
            self._path('policies', policy, action='simulate',
                       delta=delta, trace=trace),
            {'query': query, 'sequence': sequence,
             'action_policy': action_policy}, expected=200)

    def execute_policy_action(self, policy, name, positional=None,
                              named=None, dry_run=None):
        """``POST /v1/policies/{p}?action=execute``: run
        ``<service>:<action>`` as if ``policy`` dictated it (202)."""
        return self._execute(self._path('policies', policy,
                                        action='execute'),
                             name, positional, named, dry_run)

    def list_policy_tables(self, policy):
        return self._get(self._path('policies', policy, 'tables'))

    def show_policy_table(self, policy, table):
        return self._get(self._path('policies', policy, 'tables', table))

    def list_policy_rows(self, policy, table, trace=None):
        return self._get(self._path('policies', policy, 'tables', table,
                                    'rows', trace=trace))


class PolicyRulesClient(CongressRestClient):
    """The rules of a policy."""

    def list_policy_rules(self, policy):
        return self._get(self._path('policies', policy, 'rules'))

    def create_policy_rule(self, policy, rule, name=None, comment=None):
        body = {'rule': rule}
        if name is not None:
            body['name'] = name
        if comment is not None:
            body['comment'] = comment
        return self._post(self._path('policies', policy, 'rules'), body,
                          expected=201)

    def show_policy_rule(self, policy, rule_id):
        return self._get(self._path('policies', policy, 'rules', rule_id))

    def delete_policy_rule(self, policy, rule_id):
        return self._delete(self._path('policies', policy, 'rules',
                                       rule_id))


class DataSourcesClient(CongressRestClient):
    """Data sources (cloud services): CRUD, status, schema, tables, rows,
    actions, refresh and execute."""

    COLLECTION = 'data-sources'

    def list_datasources(self):
        return self._get(self._path(self.COLLECTION))

    def create_datasource(self, body=None, **fields):
        return self._post(self._path(self.COLLECTION), body or fields,
                          expected=201)

    def show_datasource(self, datasource):
        return self._get(self._path(self.COLLECTION, datasource))

    def delete_datasource(self, datasource):
        return self._delete(self._path(self.COLLECTION, datasource))

    def request_refresh(self, datasource):
        return self._post(self._path(self.COLLECTION, datasource,
                                     action='request-refresh'), {},
                          expected=(200, 202, 204))

    def execute_datasource_action(self, datasource, name, positional=None,
                                  named=None, dry_run=None):
        """``POST /v1/data-sources/{ds}?action=execute`` (202)."""
        return self._execute(self._path(self.COLLECTION, datasource,
                                        action='execute'),
                             name, positional, named, dry_run)

    def post_raw(self, datasource, body, **params):
        """A POST on a data source with any body and query (for the error
        cases); answers the ResponseBody of a success."""
        return self._post(self._path(self.COLLECTION, datasource,
                                     **params), body)

    def list_datasource_actions(self, datasource):
        return self._get(self._path(self.COLLECTION, datasource,
                                    'actions'))

    def show_datasource_status(self, datasource):
        return self._get(self._path(self.COLLECTION, datasource, 'status'))

    def show_datasource_schema(self, datasource):
        return self._get(self._path(self.COLLECTION, datasource, 'schema'))

    def list_datasource_tables(self, datasource):
        return self._get(self._path(self.COLLECTION, datasource, 'tables'))

    def show_datasource_table(self, datasource, table):
        return self._get(self._path(self.COLLECTION, datasource, 'tables',
                                    table))

    def show_datasource_table_schema(self, datasource, table):
        return self._get(self._path(self.COLLECTION, datasource, 'tables',
                                    table, 'spec'))

    def list_datasource_rows(self, datasource, table, trace=None):
        return self._get(self._path(self.COLLECTION, datasource, 'tables',
                                    table, 'rows', trace=trace))

    def update_datasource_rows(self, datasource, table, rows):
        """``PUT .../tables/{t}/rows`` (push drivers only)."""
        return self._put(self._path(self.COLLECTION, datasource, 'tables',
                                    table, 'rows'), rows)

    def send_datasource_webhook(self, datasource, payload):
        """``POST .../webhook`` (push drivers only)."""
        return self._post(self._path(self.COLLECTION, datasource,
                                     'webhook'), payload)


class CloudServicesClient(DataSourcesClient):
    """The same API under its alias ``/v1/cloud-services``."""

    COLLECTION = 'cloud-services'


class ExecutionsClient(CongressRestClient):
    """The audit trail of actions."""

    def list_executions(self, **params):
        """Filters: service, status, limit, marker."""
        return self._get(self._path('executions', **params))

    def show_execution(self, execution_id):
        return self._get(self._path('executions', execution_id))

    def decide_execution(self, execution_id, action, reason=None):
        """``POST /v1/executions/<id>?action=approve|reject``."""
        body = {} if reason is None else {'reason': reason}
        return self._post(self._path('executions', execution_id,
                                     action=action), body, expected=200)

    def decide_executions(self, action, **filters):
        """``POST /v1/executions?action=approve|reject`` with filters."""
        return self._post(self._path('executions', action=action), filters,
                          expected=200)


class DriversClient(CongressRestClient):
    """``/v1/system/drivers``."""

    def list_drivers(self):
        return self._get(self._path('system', 'drivers'))

    def show_driver(self, driver):
        return self._get(self._path('system', 'drivers', driver))


class LibraryPoliciesClient(CongressRestClient):
    """Library policies (templates)."""

    def list_library_policies(self, name=None, include_rules=None):
        return self._get(self._path('librarypolicies', name=name,
                                    include_rules=include_rules))

    def create_library_policy(self, body):
        return self._post(self._path('librarypolicies'), body,
                          expected=201)

    def show_library_policy(self, policy_id, include_rules=None):
        return self._get(self._path('librarypolicies', policy_id,
                                    include_rules=include_rules))

    def update_library_policy(self, policy_id, body):
        return self._put(self._path('librarypolicies', policy_id), body,
                         expected=200)

    def delete_library_policy(self, policy_id):
        return self._delete(self._path('librarypolicies', policy_id))
