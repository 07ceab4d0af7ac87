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

"""Splits Datalog text into tokens, each with its line and column."""

import dataclasses
import math
import re

from congress import exception
from congress.i18n import _

NAME = 'name'
STRING = 'string'
NUMBER = 'number'
END = 'end of text'

# Punctuation, longest first so that ':-' wins over ':'.
PUNCTUATION = (':-', '(', ')', ',', ':', '=', '[', ']', '+', '-')

# Names may hold dots (servers.addresses) and inner hyphens (policy-1).
NAME_PATTERN = r'[A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*'
_NAME_RE = re.compile(NAME_PATTERN)
_NUMBER_RE = re.compile(r'-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?')
#: The longest number literal a rule or query may hold (longer ones are
#: no data a cloud service has; an int of thousands of digits would not
#: even convert).
MAX_NUMBER_LENGTH = 64
_SPACE_RE = re.compile(r'[ \t\r\f\v]+')
_ESCAPES = {'n': '\n', 't': '\t', 'r': '\r', '\\': '\\', '"': '"', "'": "'"}


@dataclasses.dataclass(frozen=True)
class Token:
    """A token, its value and where it starts (1-based line, column).

    ``kind`` is a punctuation string, NAME, STRING, NUMBER or END.
    """

    kind: str
    value: object
    line: int
    column: int

    def describe(self):
        if self.kind == END:
            return END
        if self.kind == STRING:
            return 'string "%s"' % self.value
        if self.kind in (NAME, NUMBER):
            return '%s "%s"' % (self.kind, self.value)
        return '"%s"' % self.kind


class _Scanner(object):
    def __init__(self, text):
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0

    @property
    def column(self):
        return self.pos - self.line_start + 1

    def error(self, message):
        return exception.PolicySyntaxError(
            _('line %(line)d, column %(column)d: %(msg)s') %
            {'line': self.line, 'column': self.column, 'msg': message},
            line=self.line, column=self.column)

    def skip_blanks(self):
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == '\n':
                self.pos += 1
                self.line += 1
                self.line_start = self.pos
            elif char == '#' or text.startswith('//', self.pos):
                end = text.find('\n', self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                match = _SPACE_RE.match(text, self.pos)
                if not match:
                    return
                self.pos = match.end()

    def string(self):
        quote = self.text[self.pos]
        chars = []
        index = self.pos + 1
        while index < len(self.text):
            char = self.text[index]
            if char == quote:
                self.pos = index + 1
                return ''.join(chars)
            if char == '\n':
                break
            if char == '\\' and index + 1 < len(self.text):
                index += 1
                char = _ESCAPES.get(self.text[index], '\\' + self.text[index])
            chars.append(char)
            index += 1
        raise self.error(_('unterminated string: expected a closing %s') %
                         quote)

    def next_token(self):
        self.skip_blanks()
        line, column = self.line, self.column
        text = self.text
        if self.pos >= len(text):
            return Token(END, None, line, column)
        char = text[self.pos]
        if char in '"\'':
            return Token(STRING, self.string(), line, column)
        match = _NUMBER_RE.match(text, self.pos)
        if match:
            literal = match.group()
            if len(literal) > MAX_NUMBER_LENGTH:
                raise self.error(_('a number of more than %d characters')
                                 % MAX_NUMBER_LENGTH)
            value = float(literal) if any(
                c in literal for c in '.eE') else int(literal)
            if not math.isfinite(value):
                raise self.error(_('number %s is out of range') % literal)
            self.pos = match.end()
            return Token(NUMBER, value, line, column)
        match = _NAME_RE.match(text, self.pos)
        if match:
            self.pos = match.end()
            return Token(NAME, match.group(), line, column)
        for punct in PUNCTUATION:
            if text.startswith(punct, self.pos):
                self.pos += len(punct)
                return Token(punct, punct, line, column)
        raise self.error(_('unexpected character %r') % char)


def tokenize(text):
    """Return the list of tokens of ``text``, ending with an END token.

    :raises PolicySyntaxError: on a character no token starts with or an
        unterminated string.
    """
    scanner = _Scanner(text)
    tokens = []
    while True:
        token = scanner.next_token()
        tokens.append(token)
        if token.kind == END:
            return tokens
