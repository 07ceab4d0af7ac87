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

"""reStructuredText generated from the code, for the pages that must not
drift from it: the error codes, the builtins and the drivers.

Pure Python (no Sphinx): ``congress_sphinx`` puts the text into pages and
the unit tests check it covers what the code holds.
"""

import importlib
import inspect

#: Modules whose CongressException subclasses the API answers with.
ERROR_MODULES = ('congress.exception', 'congress.policy.errors',
                 'congress.api.errors')

#: The entry point group of the drivers (setup.cfg).
DRIVER_NAMESPACE = 'congress.cloudservices.drivers'


def _cell(text):
    """One line of a list-table cell (never empty: docutils wants text)."""
    text = ' '.join(str(text).split())
    return text or '--'


def _list_table(title, headers, rows, widths=None):
    lines = ['.. list-table:: %s' % title, '   :header-rows: 1']
    if widths:
        lines.append('   :widths: %s' % ' '.join(str(w) for w in widths))
    lines.append('')
    for row in [headers] + rows:
        first = True
        for cell in row:
            lines.append('   %s %s' % ('* -' if first else '  -',
                                       _cell(cell)))
            first = False
    lines.append('')
    return lines


def _literal(text):
    return '``%s``' % text if text else '--'


# error codes

def error_classes():
    """Every exception class the API can answer with, by module."""
    from congress import exception
    for name in ERROR_MODULES:
        importlib.import_module(name)
    found = []
    pending = [exception.CongressException]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted((cls for cls in found
                   if cls.__module__ in ERROR_MODULES),
                  key=lambda c: (c.error_code, c.__module__, c.__name__))


def _meaning(cls):
    doc = inspect.cleandoc(vars(cls).get('__doc__') or '')
    if doc:
        return doc.split('\n\n', 1)[0]
    text = str(cls.msg_fmt)
    for key in ('reason', 'resource', 'id', 'service', 'name', 'action',
                'driver', 'policy', 'rule', 'method', 'path',
                'content_type', 'limit', 'what'):
        text = text.replace('%%(%s)s' % key, '<%s>' % key)
        text = text.replace('%%(%s)d' % key, '<%s>' % key)
    return text


def error_codes_rst():
    """A table of every error code: status, class and meaning."""
    rows = []
    for cls in error_classes():
        rows.append([str(cls.error_code), str(cls.code),
                     '``%s.%s``' % (cls.__module__, cls.__name__),
                     _meaning(cls)])
    return _list_table('Error codes', ['code', 'status', 'raised as',
                                       'meaning'], rows, (8, 8, 34, 50))


# builtins

def builtins_rst():
    """A table of every builtin of the policy language, by category."""
    from congress.policy import builtin_functions as builtins
    rows = []
    for builtin in sorted(builtins.BUILTINS.values(),
                          key=lambda b: (b.category, b.name)):
        if not builtin.has_output:
            kind = 'filter'
        elif builtin.outputs == 1:
            kind = 'function'
        else:
            kind = 'function (%d outputs)' % builtin.outputs
        notes = []
        if builtin.volatile:
            notes.append('changes over time')
        if any(builtin.checks):
            notes.append('a constant %s must parse' % ', '.join(
                builtin.arguments[position]
                for position, check in enumerate(builtin.checks) if check))
        rows.append(['``%s``' % builtin.signature, builtin.category,
                     str(builtin.inputs), kind, builtin.description,
                     '; '.join(notes)])
    return _list_table('Builtins (each also as builtin:name)',
                       ['builtin', 'category', 'inputs', 'kind',
                        'holds when', 'notes'], rows,
                       (26, 10, 6, 8, 34, 16))


# drivers

def driver_classes():
    """``{entry point name: class}`` of every registered driver."""
    from stevedore import extension
    manager = extension.ExtensionManager(DRIVER_NAMESPACE,
                                         invoke_on_load=False)
    return {ext.name: ext.plugin for ext in manager}


def _sample_driver(name, cls):
    """A driver object built without I/O, to list its actions."""
    from congress.cloudservices import datasource_driver
    config = {key: 'http://example.invalid/' if 'url' in key else 'x'
              for key, value in cls.CONFIG.items()
              if value == datasource_driver.REQUIRED}
    return cls(name, config)


def driver_actions(name, cls):
    """What ``GET /v1/data-sources/{ds}/actions`` lists for ``cls``."""
    driver = _sample_driver(name, cls)
    get_actions = getattr(driver, 'get_actions', None)
    return get_actions() if get_actions else []


def _title(text, mark):
    return [text, mark * len(text), '']


def driver_rst(name, cls):
    """The section of one driver: settings, tables and actions."""
    lines = _title('The ``%s`` driver' % name, '=')
    lines += [_cell(cls.DESCRIPTION or cls.__doc__ or ''), '',
              'Class ``%s.%s``.' % (cls.__module__, cls.__name__), '']
    lines += _title('Settings of ``%s``' % name, '-')
    secret = set(cls.SECRET)
    rows = [['``%s``' % key, value, 'yes' if key in secret else 'no']
            for key, value in sorted(cls.CONFIG.items())]
    lines += _list_table('Settings of a %s data source' % name,
                         ['setting', 'required', 'secret'], rows)
    lines += _title('Tables of ``%s``' % name, '-')
    for table, columns in sorted(cls.get_schema().items()):
        rows = [[str(i), '``%s``' % column['name'], column['description']]
                for i, column in enumerate(columns)]
        lines += _list_table('%s:%s' % (name, table),
                             ['position', 'column', 'meaning'], rows,
                             (10, 25, 65))
    lines += _title('Actions of ``%s``' % name, '-')
    actions = driver_actions(name, cls)
    if not actions:
        lines += ['This driver declares no action.', '']
        return lines
    rows = [['``%s``' % action['name'],
             ', '.join(_literal(arg['name']) for arg in action['args']),
             action['description']] for action in actions]
    lines += _list_table('%d actions of %s' % (len(actions), name),
                         ['action', 'arguments', 'what it does'], rows,
                         (30, 30, 40))
    return lines


def drivers_rst():
    """A section per registered driver."""
    lines = []
    for name, cls in sorted(driver_classes().items()):
        lines += driver_rst(name, cls)
    return lines
