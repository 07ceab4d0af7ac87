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

"""The ``openapi-operations`` directive: a table of every operation of an
OpenAPI document (method, path, summary, answers), read when the docs are
built so the reference cannot fall behind the document."""

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils import statemachine
import yaml

METHODS = ('get', 'head', 'post', 'put', 'patch', 'delete')


def _path_item(document, item):
    """A path item, following its ``$ref`` (``#/components/pathItems/X``)."""
    while '$ref' in item:
        target = document
        for part in item['$ref'].lstrip('#/').split('/'):
            target = target[part]
        item = target
    return item


def operation_rows(document):
    """``(METHOD, path, summary, statuses)`` in the document's order."""
    for path, item in document['paths'].items():
        item = _path_item(document, item)
        for method in METHODS:
            if method in item:
                operation = item[method]
                yield (method.upper(), path, operation.get('summary', ''),
                       ', '.join(operation['responses']))


class OpenApiOperations(Directive):
    """``.. openapi-operations:: path/to/openapi.yaml``"""

    required_arguments = 1

    def run(self):
        env = self.state.document.settings.env
        relative, path = env.relfn2path(self.arguments[0])
        env.note_dependency(relative)
        with open(path) as document_file:
            document = yaml.safe_load(document_file)
        lines = ['.. list-table::', '   :header-rows: 1',
                 '   :widths: 8 40 40 20', '',
                 '   * - method', '     - path', '     - what',
                 '     - answers']
        for method, path_template, summary, statuses in operation_rows(
                document):
            lines += ['   * - ``%s``' % method,
                      '     - ``%s``' % path_template,
                      '     - %s' % summary,
                      '     - %s' % statuses]
        container = nodes.container()
        self.state.nested_parse(statemachine.StringList(lines, source=path),
                                self.content_offset, container)
        return container.children


def setup(app):
    app.add_directive('openapi-operations', OpenApiOperations)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
