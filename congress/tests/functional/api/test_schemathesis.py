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

"""Every operation of congress/api/openapi.yaml, fuzzed by schemathesis
against ``congress-server --api``, ``--policy-engine`` and
``--datasources`` as separate processes over RabbitMQ and MariaDB.

Each operation gets schema-valid and schema-violating requests with
generated path values, and (but DELETE) valid and violating requests on
resources that exist (data source ``fake``, policy ``fuzz``, its rule,
a library policy, an execution). No answer may be a 5xx; every error
answer has the error JSON; every answer has a documented status, content
type, headers and body; schema-violating requests are refused.

``CONGRESS_FUZZ_EXAMPLES`` sets the examples per operation and kind
(default 60). The run is the same every time unless
``CONGRESS_FUZZ_SEED`` gives another seed (``random``: a new one, attached
to the result).
"""

import collections
import datetime
import os
import random
import time
import uuid

import hypothesis
from hypothesis import errors as hypothesis_errors
import jsonschema
from oslo_log import log as logging
import requests
import schemathesis
from schemathesis import checks as st_checks
from schemathesis.core import failures as st_failures
from schemathesis.specs.openapi import checks as openapi_checks
from testtools import content

from congress.api import openapi
from congress.db import api as db_api
from congress.db import migration
from congress.tests import base
from congress.tests.functional.api import base as api_base
from congress.tests.functional import databases
from congress.tests.functional import processes

LOG = logging.getLogger(__name__)

EXAMPLES = int(os.environ.get('CONGRESS_FUZZ_EXAMPLES', '60'))
SEED = os.environ.get('CONGRESS_FUZZ_SEED', '1789')

CHECKS = [
    st_checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.negative_data_rejection,
]

# a schema-violating request is refused with one of these
REFUSED = [400, 404, 413, 415]

MODES = (schemathesis.GenerationMode.POSITIVE,
         schemathesis.GenerationMode.NEGATIVE)


class SchemathesisTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.db_url = databases.create('mysql', self.state_dir)
        self.addCleanup(databases.drop, self.db_url)
        db_api.configure(self.db_url)
        self.addCleanup(db_api.configure)
        migration.upgrade('head')
        self.url = 'http://127.0.0.1:%d' % api_base.free_port()
        library = os.path.join(self.state_dir, 'library')
        os.mkdir(library)
        self.conf_path, _values = processes.write_config(
            self.state_dir, self.db_url,
            api={'bind_host': '127.0.0.1',
                 'bind_port': self.url.rsplit(':', 1)[1],
                 'auth_strategy': 'noauth', 'threads': '8'},
            policy_engine={'policy_library_path': library})
        suffix = uuid.uuid4().hex[:6]
        for roles in (['policy-engine'], ['datasources'], ['api']):
            self.useFixture(processes.CongressServer(
                self.conf_path, '%s-%s' % (roles[0], suffix), roles,
                self.state_dir))
        processes.wait_for(self._api_up, timeout=60,
                           message='the API answering on %s' % self.url)
        self.session = requests.Session()
        self.addCleanup(self.session.close)
        self.known = self._make_resources()

    def _api_up(self):
        try:
            return requests.get(self.url + '/', timeout=2).status_code == 200
        except requests.ConnectionError:
            return False

    def _call(self, method, path, expected, **kwargs):
        response = self.session.request(method, self.url + path, timeout=30,
                                        **kwargs)
        self.assertEqual(expected, response.status_code, response.text)
        return response.json()

    def _make_resources(self):
        self._call('POST', '/v1/data-sources', 201,
                   json={'name': 'fake', 'driver': 'fake',
                         'config': {'things': 2}})
        processes.wait_for(
            lambda: self.session.get(
                self.url + '/v1/data-sources/fake/actions',
                timeout=30).status_code == 200,
            timeout=30, message='data source fake on the bus')
        self._call('POST', '/v1/policies', 201, json={'name': 'fuzz'})
        rule = self._call('POST', '/v1/policies/fuzz/rules', 201,
                          json={'rule': 'things(x) :- fake:things(id=x)'})
        library = self._call('POST', '/v1/librarypolicies', 201,
                             json={'name': 'fuzz_template',
                                   'rules': [{'rule': 'p(x) :- q(x)'}]})
        execution = self._call('POST', '/v1/data-sources/fake?action=execute',
                               202, json={'name': 'things.list'})
        expires = datetime.datetime.now(datetime.timezone.utc) + \
            datetime.timedelta(days=1)
        exemption = self._call('POST', '/v1/exemptions', 201, json={
            'policy': 'fuzz', 'reason': 'fuzz',
            'expires_at': expires.strftime('%Y-%m-%dT%H:%M:%SZ')})
        return {'ds': 'fake', 'policy': 'fuzz', 'table': 'things',
                'driver': 'fake', 'rule_id': rule['id'],
                'library_policy': library['id'],
                'execution_id': execution['id'],
                'exemption_id': exemption['id']}

    def _check(self, case, response):
        """What is wrong with ``response`` to ``case``."""
        problems = []
        if response.status_code >= 400 and case.method != 'HEAD':
            try:
                jsonschema.validate(response.json(), self.error_schema)
            except (ValueError, jsonschema.ValidationError) as exc:
                problems.append('not the error JSON: %s' % exc)
        try:
            case.validate_response(response, checks=CHECKS)
        except st_failures.FailureGroup as group:
            problems += ['%s: %s' % (f.title, f.message)
                         for f in group.exceptions]
        except st_failures.Failure as failure:
            problems.append('%s: %s' % (failure.title, failure.message))
        return problems

    def _fuzz(self, operation, mode, known, seed, outcome):
        """Send ``EXAMPLES`` cases of ``operation``; what went wrong is
        added to ``outcome['failures']`` (nothing raises, so hypothesis
        does not shrink)."""

        @hypothesis.seed(seed)
        @hypothesis.settings(
            max_examples=EXAMPLES, deadline=None, database=None,
            phases=[hypothesis.Phase.generate],
            suppress_health_check=list(hypothesis.HealthCheck))
        @hypothesis.given(operation.as_strategy(generation_mode=mode,
                                                path_parameters=known))
        def send(case):
            response = case.call(base_url=self.url, session=self.session,
                                 timeout=30)
            outcome['requests'][operation.label] += 1
            outcome['statuses'][response.status_code] += 1
            for problem in self._check(case, response):
                outcome['failures'].append('%s %s (%s) -> %d %s: %s' % (
                    case.method, response.request.url, mode.value,
                    response.status_code, response.text[:300], problem))

        try:
            send()
        except hypothesis_errors.Unsatisfiable:
            # no schema-violating value exists for this operation
            outcome['unsatisfiable'].append('%s (%s)' % (operation.label,
                                                         mode.value))

    @staticmethod
    def _schema(document):
        """The schemathesis schema of ``document`` for this deployment."""
        document = dict(document)
        # auth_strategy = noauth: no operation needs a token
        document['security'] = []
        return schemathesis.openapi.from_dict(
            document, config=schemathesis.Config.from_dict(
                {'checks': {'negative_data_rejection': {
                    'expected-statuses': REFUSED}}}))

    def test_every_operation_no_5xx_and_as_documented(self):
        seed = (random.randrange(2 ** 32) if SEED == 'random'
                else int(SEED))
        document = openapi.load()
        self.error_schema = document['components']['schemas']['Error']
        operations = [result.ok() for result in
                      self._schema(document).get_all_operations()]
        outcome = {'requests': collections.Counter(),
                   'statuses': collections.Counter(),
                   'failures': [], 'unsatisfiable': []}
        started = time.monotonic()
        for operation in operations:
            names = [p.name for p in operation.path_parameters]
            passes = [None]
            if names and operation.method.upper() != 'DELETE':
                passes.append({name: self.known[name] for name in names})
            for known in passes:
                for mode in MODES:
                    self._fuzz(operation, mode, known, seed, outcome)
        seconds = time.monotonic() - started
        requests_sent = sum(outcome['requests'].values())
        summary = ('seed %d, %d examples: %d operations, %d requests in '
                   '%.1f s; statuses %s; %d failures; no negative case for: '
                   '%s' % (seed, EXAMPLES, len(operations), requests_sent,
                           seconds, dict(sorted(outcome['statuses'].items())),
                           len(outcome['failures']),
                           ', '.join(outcome['unsatisfiable']) or 'none'))
        LOG.info('schemathesis: %s', summary)
        self.addDetail('summary', content.text_content(summary))
        self.addDetail('failures', content.text_content(
            '\n'.join(outcome['failures'])))
        self.assertEqual(61, len(operations))
        self.assertEqual(set(o.label for o in operations),
                         set(outcome['requests']))
        self.assertGreater(requests_sent, len(operations) * EXAMPLES)
        self.assertEqual([], [s for s in outcome['statuses'] if s >= 500])
        self.assertEqual([], outcome['failures'])
