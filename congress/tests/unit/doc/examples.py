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

"""The request examples of the documentation, and how an answer is
compared with what a page shows.

A page shows an example with the ``http-example`` directive::

    .. http-example::

       POST /v1/policies
       {"name": "ops"}

       HTTP/1.1 201 Created
       Location: http://127.0.0.1:1789/v1/policies/<ops_id>

       {"id": "<ops_id>", "name": "ops", ...}

The request is a method and a path, then an optional JSON body; the
answer a status line, optional headers and an optional JSON body. In the
answer's body and headers:

* ``...`` alone stands for any value; as the last member of an object it
  allows members the page does not show, as the last element of a list
  more elements; inside a string it stands for any text;
* ``<name>`` inside a string binds what it stands for the first time and
  must be the same text afterwards; in a later request it is replaced by
  that text;
* lists match in any order; any other value must be equal.

``http://127.0.0.1:1789`` stands for wherever the server answers.
"""

import json
import re

DOC_BASE_URL = 'http://127.0.0.1:1789'

_DIRECTIVE = re.compile(r'^(\s*)\.\. http-example::\s*$')
_STATUS = re.compile(r'^HTTP/1\.1 (\d{3})\b')
_HEADER = re.compile(r'^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$')
_VARIABLE = re.compile(r'<([a-z][a-z0-9_]*)>')


class _Any(object):
    """``...`` in a shown body."""

    def __repr__(self):
        return '...'


ANY = _Any()


class Example(object):
    """One request and the answer a page shows for it."""

    def __init__(self, source, line, method, path, body, status, headers,
                 answer):
        self.source = source
        self.line = line
        self.method = method
        self.path = path
        self.body = body
        self.status = status
        self.headers = headers
        self.answer = answer

    def __repr__(self):
        return '%s:%d %s %s' % (self.source, self.line, self.method,
                                self.path)


def read_examples(path):
    """The examples of the page at ``path``, in page order."""
    with open(path) as page:
        lines = page.read().splitlines()
    examples = []
    index = 0
    while index < len(lines):
        match = _DIRECTIVE.match(lines[index])
        index += 1
        if not match:
            continue
        start = index
        indent = len(match.group(1))
        block = []
        while index < len(lines) and (
                not lines[index].strip() or
                len(lines[index]) - len(lines[index].lstrip()) > indent):
            block.append(lines[index])
            index += 1
        examples.append(_example(path, start, _dedent(block)))
    return examples


def _dedent(block):
    widths = [len(line) - len(line.lstrip()) for line in block
              if line.strip()]
    width = min(widths) if widths else 0
    lines = [line[width:] for line in block]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def _example(source, line, block):
    status_at = next(i for i, text in enumerate(block)
                     if _STATUS.match(text))
    method, path = block[0].split(None, 1)
    request_body = '\n'.join(block[1:status_at]).strip()
    answer = block[status_at + 1:]
    headers = {}
    while answer and _HEADER.match(answer[0]):
        name, value = _HEADER.match(answer[0]).groups()
        headers[name] = value
        answer = answer[1:]
    answer_text = '\n'.join(answer).strip()
    return Example(
        source, line, method, path.strip(),
        json.loads(request_body) if request_body else None,
        int(_STATUS.match(block[status_at]).group(1)), headers,
        parse_shown(answer_text) if answer_text else None)


# the shown bodies: JSON with ``...``

class _ShownParser(object):
    _decoder = json.JSONDecoder()

    def __init__(self, text):
        self.text = text
        self.at = 0

    def skip_blanks(self):
        while self.at < len(self.text) and self.text[self.at] in ' \t\r\n':
            self.at += 1

    def _peek(self, token):
        self.skip_blanks()
        return self.text.startswith(token, self.at)

    def _take(self, token):
        if not self._peek(token):
            raise ValueError('expected %r at %d in %s' % (
                token, self.at, self.text))
        self.at += len(token)

    def value(self):
        self.skip_blanks()
        if self._peek('...'):
            self._take('...')
            return ANY
        if self._peek('{'):
            return self._object()
        if self._peek('['):
            return self._list()
        value, self.at = self._decoder.raw_decode(self.text, self.at)
        return value

    def _object(self):
        self._take('{')
        members = {}
        while not self._peek('}'):
            if self._peek('...'):
                self._take('...')
                members[ANY] = ANY
            else:
                key = self.value()
                self._take(':')
                members[key] = self.value()
            if not self._peek('}'):
                self._take(',')
        self._take('}')
        return members

    def _list(self):
        self._take('[')
        items = []
        while not self._peek(']'):
            items.append(self.value())
            if not self._peek(']'):
                self._take(',')
        self._take(']')
        return items


def parse_shown(text):
    """A shown body: JSON in which ``...`` may stand for more."""
    parser = _ShownParser(text)
    value = parser.value()
    parser.skip_blanks()
    if parser.at != len(text):
        raise ValueError('text after the body: %r' % text[parser.at:])
    return value


# comparing

def substitute(value, bindings, base_url):
    """``value`` (a path or a request body) with the bound ``<name>`` and
    the server's URL put in."""
    if isinstance(value, str):
        value = value.replace(DOC_BASE_URL, base_url)
        return _VARIABLE.sub(lambda m: bindings.get(m.group(1), m.group(0)),
                             value)
    if isinstance(value, list):
        return [substitute(v, bindings, base_url) for v in value]
    if isinstance(value, dict):
        return {substitute(k, bindings, base_url):
                substitute(v, bindings, base_url) for k, v in value.items()}
    return value


def _string_pattern(shown, bindings, base_url):
    parts = []
    position = 0
    shown = shown.replace(DOC_BASE_URL, '\0')
    for match in re.finditer(r'<([a-z][a-z0-9_]*)>|\.\.\.|\0', shown):
        parts.append(re.escape(shown[position:match.start()]))
        name = match.group(1)
        if match.group(0) == '...':
            parts.append('.*?')
        elif match.group(0) == '\0':
            parts.append(re.escape(base_url))
        elif name in bindings:
            parts.append(re.escape(bindings[name]))
        else:
            parts.append('(?P<%s>.+?)' % name)
        position = match.end()
    parts.append(re.escape(shown[position:]))
    return re.compile(''.join(parts), re.DOTALL)


def match(shown, actual, bindings, base_url, where='body'):
    """New bindings if ``actual`` has the shape of ``shown``.

    :raises AssertionError: saying where the two differ.
    """
    if shown is ANY:
        return bindings
    if isinstance(shown, str):
        if not isinstance(actual, str):
            raise AssertionError('%s: shown %r, got %r' % (where, shown,
                                                           actual))
        found = _string_pattern(shown, bindings, base_url).fullmatch(actual)
        if found is None:
            raise AssertionError('%s: shown %r, got %r' % (where, shown,
                                                           actual))
        bound = dict(bindings)
        bound.update(found.groupdict())
        return bound
    if isinstance(shown, dict):
        return _match_object(shown, actual, bindings, base_url, where)
    if isinstance(shown, list):
        return _match_list(shown, actual, bindings, base_url, where)
    if type(shown) is not type(actual) or shown != actual:
        raise AssertionError('%s: shown %r, got %r' % (where, shown,
                                                       actual))
    return bindings


def _match_object(shown, actual, bindings, base_url, where):
    if not isinstance(actual, dict):
        raise AssertionError('%s: shown an object, got %r' % (where,
                                                              actual))
    keys = [k for k in shown if k is not ANY]
    missing = sorted(set(keys) - set(actual))
    extra = sorted(set(actual) - set(keys))
    if missing or (extra and ANY not in shown):
        raise AssertionError('%s: keys differ: missing %s, not shown %s' % (
            where, missing, extra))
    for key in keys:
        bindings = match(shown[key], actual[key], bindings, base_url,
                         '%s.%s' % (where, key))
    return bindings


def _match_list(shown, actual, bindings, base_url, where):
    if not isinstance(actual, list):
        raise AssertionError('%s: shown a list, got %r' % (where, actual))
    items = [s for s in shown if s is not ANY]
    open_ended = len(items) != len(shown)
    if len(actual) < len(items) or (not open_ended and
                                    len(actual) != len(items)):
        raise AssertionError('%s: shown %d items, got %d: %r' % (
            where, len(items), len(actual), actual))
    return _match_items(items, actual, bindings, base_url, where)


def _match_items(items, actual, bindings, base_url, where):
    if not items:
        return bindings
    first, rest = items[0], items[1:]
    failures = []
    for index, candidate in enumerate(actual):
        try:
            bound = match(first, candidate, bindings, base_url,
                          '%s[%d]' % (where, index))
            return _match_items(rest, actual[:index] + actual[index + 1:],
                                bound, base_url, where)
        except AssertionError as exc:  # try the next candidate
            failures.append(str(exc))
    raise AssertionError('%s: no item matches %r (%s)' % (
        where, first, '; '.join(failures[:3])))
