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

"""Checks of what a request carries, before anything reads it: its URL
and JSON body must be text every database can store, and the body must
not nest deeper than :data:`MAX_JSON_DEPTH`."""

import itertools
import re
import urllib.parse

from oslo_serialization import jsonutils

from congress import exception
from congress.i18n import _

#: The WSGI environ key of the decoded JSON body.
JSON_BODY = 'congress.json_body'

#: How deep JSON bodies may nest: far more than any body of the API needs
#: (execute arguments included), far less than the parser's recursion.
MAX_JSON_DEPTH = 32

# JSON text with its strings removed keeps only structure and literals
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(r'[^\[\]{}]+')
_DEPTH_STEP = {'[': 1, '{': 1, ']': -1, '}': -1}

# a NUL (PostgreSQL refuses it in text) or a lone surrogate (no UTF-8
# encoding exists for it)
_UNSTORABLE = re.compile('[\x00\ud800-\udfff]')


#: The bytes JSON reads as white space (RFC 8259); ``bytes.strip()`` also
#: takes \v and \f, which make a body that is not JSON.
_JSON_WHITESPACE = b' \t\n\r'


def is_blank(body):
    """Whether ``body`` (bytes) is empty or JSON white space only: no
    body."""
    return not body.strip(_JSON_WHITESPACE)


def is_json(content_type):
    """Whether a Content-Type names JSON (media types are
    case-insensitive, RFC 9110 8.3.1; parameters are ignored)."""
    media_type = content_type.split(';', 1)[0].strip().lower()
    return (media_type == 'application/json' or
            (media_type.startswith('application/') and
             media_type.endswith('+json')))


def check_text(value, where):
    """Raise BadRequest if ``value`` holds a character no database can
    store."""
    if _UNSTORABLE.search(value):
        raise exception.BadRequest(
            reason=_('%s holds a NUL character or a lone UTF-16 surrogate')
            % where)


def _decoded(raw, where):
    try:
        return raw.decode('utf-8')
    except UnicodeDecodeError:
        raise exception.BadRequest(reason=_('%s is not valid UTF-8') % where)


def check_url(environ):
    """Raise BadRequest unless the path and query string of the WSGI
    ``environ`` are storable UTF-8 text once percent-decoded."""
    # PEP 3333: the path arrives as bytes decoded from latin-1
    path = environ.get('PATH_INFO', '').encode('latin-1', 'replace')
    check_text(_decoded(path, _('the path')), _('the path'))
    # the query string likewise, and its escapes decode to those bytes too
    for name, value in urllib.parse.parse_qsl(
            environ.get('QUERY_STRING', ''), keep_blank_values=True,
            encoding='latin-1'):
        where = _('a query parameter name')
        name = _decoded(name.encode('latin-1', 'replace'), where)
        check_text(name, where)
        where = _('query parameter "%s"') % name
        check_text(_decoded(value.encode('latin-1', 'replace'), where),
                   where)


def _depth(text):
    brackets = _NOT_BRACKET.sub('', _JSON_STRING.sub('', text))
    return max(itertools.accumulate(_DEPTH_STEP[c] for c in brackets),
               default=0)


def _check_strings(document):
    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            check_text(value, _('a string of the body'))
        elif isinstance(value, dict):
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _no_constant(name):
    # Python's json reads NaN and Infinity, which JSON does not have
    raise ValueError(_('%s is not a JSON value') % name)


def load_json(raw):
    """The document of the JSON body ``raw`` (bytes); BadRequest when it is
    not UTF-8 JSON, nests deeper than MAX_JSON_DEPTH or holds text that
    cannot be stored."""
    text = _decoded(raw, _('the body'))
    if _depth(text) > MAX_JSON_DEPTH:
        raise exception.BadRequest(
            reason=_('the body nests deeper than %d levels') % MAX_JSON_DEPTH)
    try:
        document = jsonutils.loads(text, parse_constant=_no_constant)
    except ValueError as exc:
        raise exception.BadRequest(
            reason=_('the body is not valid JSON: %s') % exc)
    _check_strings(document)
    return document
