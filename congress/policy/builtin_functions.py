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

"""The builtin tables: comparisons, arithmetic, strings, dates, IPs and
option values.

Every builtin is named both bare (``len(x, n)``) and with the ``builtin:``
qualifier (``builtin:len(x, n)``); the names, argument order and results
are those of the reference Congress engine, plus a few of this release
(``not_equal``, ``min``, string tests, ``sub_string``,
``ips_in_same_network``, ``ip_to_int``).

A builtin takes ``inputs`` bound arguments.  A *filter* (no output) holds
or not; a *function* has one or more arguments after its inputs, its
outputs, which it binds (or compares when a variable is already bound).
A builtin whose inputs are of the wrong type or out of range at run time
simply yields nothing: ``gt("a", 1)`` and ``div(1, 0, x)`` are false,
never an error.  A *constant* a rule gives as a date, interval, address,
network or regular expression must parse, or the rule is refused
(:func:`check_constant`).

Dates are parsed as the reference parses them (python-dateutil: ISO 8601,
``"Jan 1, 2014 10:00:00"``, ``"2014/01/01"``...); one with a time zone is
converted to UTC, one without is taken as UTC.  Dates computed by the
builtins are written ``YYYY-MM-DD HH:MM:SS``.  Intervals are seconds (a
number) or ``"[[[[weeks:]days:]hours:]minutes:]seconds"``.
"""

import dataclasses
import datetime
import ipaddress
import operator as op
import re

from dateutil import parser as date_parser
from oslo_config import types as config_types
from oslo_utils import timeutils

QUALIFIER = 'builtin'

# Names no policy may take: rules use them as qualifiers of their own.
RESERVED_NAMES = frozenset([QUALIFIER])
# and ``congress``, the namespace of Congress' own tables
# (``congress:exemptions``, see congress.policy.exemptions)
RESERVED_NAMES |= {'congress'}

_FAILURES = (TypeError, ValueError, ZeroDivisionError, OverflowError,
             AttributeError, IndexError, OSError, re.error)

#: The origin of ``datetime_to_seconds`` (the reference's).
EPOCH = datetime.datetime(1900, 1, 1)
_DATE_FORMAT = '%Y-%m-%d %H:%M:%S'


class _NoResult(object):
    def __repr__(self):
        return 'NO_RESULT'


NO_RESULT = _NoResult()


@dataclasses.dataclass(frozen=True)
class Builtin:
    """A builtin table and the Python function computing it.

    ``arguments`` names every argument in order; the first ``inputs`` are
    inputs, the others outputs (a function of several outputs returns a
    tuple).  ``checks`` maps an input position to the parser a constant
    there must pass.  ``volatile`` builtins (``now``) give a different
    answer over time.
    """

    name: str
    arguments: tuple
    inputs: int
    function: object
    description: str
    category: str
    checks: tuple = ()
    volatile: bool = False

    @property
    def arity(self):
        return len(self.arguments)

    @property
    def outputs(self):
        return self.arity - self.inputs

    @property
    def has_output(self):
        return self.outputs > 0

    @property
    def signature(self):
        return '%s(%s)' % (self.name, ', '.join(self.arguments))

    def safe_function(self):
        """The function, without exceptions.

        On bad input a filter answers False and a function NO_RESULT.
        """
        function = self.function
        failed = NO_RESULT if self.has_output else False

        def call(*args):
            try:
                return function(*args)
            except _FAILURES:
                return failed
        return call


# argument parsers (they raise one of _FAILURES on a bad value)

def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError('not a number: %r' % (value,))
    return value


def _string(value):
    if not isinstance(value, str):
        raise TypeError('not a string: %r' % (value,))
    return value


def parse_date(value):
    """A date string as a naive UTC datetime."""
    moment = date_parser.parse(_string(value))
    if moment.tzinfo is not None:
        moment = moment.astimezone(datetime.timezone.utc).replace(
            tzinfo=None)
    return moment


_INTERVAL_UNITS = ('seconds', 'minutes', 'hours', 'days', 'weeks')


def parse_interval(value):
    """Seconds, or ``"weeks:days:hours:minutes:seconds"`` read from the
    right (``"1:30"`` is 90 seconds), as a timedelta."""
    if not isinstance(value, str):
        return datetime.timedelta(seconds=_number(value))
    fields = value.split(':')
    if len(fields) > len(_INTERVAL_UNITS):
        raise ValueError('an interval has at most %d fields' %
                         len(_INTERVAL_UNITS))
    return datetime.timedelta(**{
        unit: int(field) for unit, field in zip(_INTERVAL_UNITS,
                                                reversed(fields))})


def _address(value):
    return ipaddress.ip_address(_string(value))


def _network(cidr):
    return ipaddress.ip_network(_string(cidr), strict=False)


def _regex(value):
    return re.compile(_string(value)) if value != '' else None


# functions

def _divide(x, y):
    x, y = _number(x), _number(y)
    if isinstance(x, int) and isinstance(y, int):
        return x // y
    return x / y


def _sub_string(value, start, length):
    start, length = _number(start), _number(length)
    if start < 0 or length < 0:
        raise ValueError('negative position')
    return _string(value)[start:start + length]


def _compare(op):
    def compare(x, y):
        if isinstance(x, str) != isinstance(y, str):
            raise TypeError('cannot compare a string with a number')
        return op(x, y)
    return compare


#: The clock of ``now``: a callable returning the current UTC time as a
#: naive datetime (tests replace it; nothing else reads it).
clock = timeutils.utcnow


def _now():
    return clock().strftime(_DATE_FORMAT)


def _unpack_date(value):
    moment = parse_date(value)
    return (moment.year, moment.month, moment.day)


def _unpack_time(value):
    moment = parse_date(value)
    return (moment.hour, moment.minute, moment.second)


def _unpack_datetime(value):
    return _unpack_date(value) + _unpack_time(value)


def _pack(separators):
    """Fields joined by ``separators``, one character between each two
    fields (``_pack('--')(2014, 1, 2)`` is ``"2014-1-2"``)."""
    def pack(*fields):
        text = str(fields[0])
        for separator, field in zip(separators, fields[1:]):
            text += separator + str(field)
        return text
    return pack


def _date_compare(op):
    return lambda x, y: op(parse_date(x), parse_date(y))


def _address_key(value):
    # the reference (netaddr) orders IPv4 before IPv6
    address = _address(value)
    return (address.version, int(address))


def _address_compare(op):
    return lambda x, y: op(_address_key(x), _address_key(y))


def _networks_overlap(first, second):
    first, second = _network(first), _network(second)
    return first.version == second.version and first.overlaps(second)


def _ips_in_same_network(first, second, prefix_length):
    network = ipaddress.ip_interface(
        '%s/%d' % (_string(first), _number(prefix_length))).network
    return _address(second) in network


def _bound(value):
    return None if value == '' else value


def _validate(option_type, value):
    """'' if ``option_type`` accepts ``value``, else why not."""
    try:
        option_type()(value)
    except (ValueError, TypeError) as exc:
        return str(exc)
    return ''


def _validate_int(minimum, maximum, value):
    return _validate(lambda: config_types.Integer(
        min=_bound(minimum), max=_bound(maximum)), value)


def _validate_float(minimum, maximum, value):
    return _validate(lambda: config_types.Float(
        min=_bound(minimum), max=_bound(maximum)), value)


def _validate_string(regex, max_length, quotes, ignore_case, value):
    return _validate(lambda: config_types.String(
        regex=_bound(regex), max_length=_bound(max_length),
        quotes=bool(quotes), ignore_case=bool(ignore_case)), value)


def _definitions():
    def b(category, signature, inputs, function, description, checks=(),
          volatile=False):
        name, _sep, rest = signature.partition('(')
        arguments = tuple(arg.strip() for arg in rest.rstrip(')').split(',')
                          if arg.strip())
        return Builtin(name, arguments, inputs, function, description,
                       category, tuple(checks), volatile)

    date, interval = parse_date, parse_interval
    compare = 'comparison'
    arith = 'arithmetic'
    text = 'string'
    dates = 'datetime'
    net = 'netaddr'
    valid = 'type'
    return [
        b(compare, 'equal(x, y)', 2, op.eq, 'x equals y'),
        b(compare, 'not_equal(x, y)', 2, op.ne, 'x differs from y'),
        b(compare, 'lt(x, y)', 2, _compare(op.lt), 'x < y'),
        b(compare, 'lteq(x, y)', 2, _compare(op.le), 'x <= y'),
        b(compare, 'gt(x, y)', 2, _compare(op.gt), 'x > y'),
        b(compare, 'gteq(x, y)', 2, _compare(op.ge), 'x >= y'),
        b(compare, 'max(x, y, z)', 2, _compare(max),
          'z is the larger of x and y'),
        b(compare, 'min(x, y, z)', 2, _compare(min),
          'z is the smaller of x and y'),
        b(arith, 'plus(x, y, z)', 2,
          lambda x, y: _number(x) + _number(y), 'z = x + y'),
        b(arith, 'minus(x, y, z)', 2,
          lambda x, y: _number(x) - _number(y), 'z = x - y'),
        b(arith, 'mul(x, y, z)', 2,
          lambda x, y: _number(x) * _number(y), 'z = x * y'),
        b(arith, 'div(x, y, z)', 2, _divide,
          'z = x / y (integer division when both are integers)'),
        b(arith, 'float(x, y)', 1, float, 'y is x as a float'),
        b(arith, 'int(x, y)', 1, int, 'y is x as an integer (truncated)'),
        b(text, 'concat(x, y, z)', 2,
          lambda x, y: _string(x) + _string(y),
          'z is the string x followed by y'),
        b(text, 'len(x, y)', 1, lambda x: len(_string(x)),
          'y is the length of string x'),
        b(text, 'startswith(x, y)', 2,
          lambda x, y: _string(x).startswith(_string(y)),
          'string x starts with y'),
        b(text, 'endswith(x, y)', 2,
          lambda x, y: _string(x).endswith(_string(y)),
          'string x ends with y'),
        b(text, 'contains(x, y)', 2,
          lambda x, y: _string(y) in _string(x), 'string x contains y'),
        b(text, 'lower(x, y)', 1, lambda x: _string(x).lower(),
          'y is x in lower case'),
        b(text, 'upper(x, y)', 1, lambda x: _string(x).upper(),
          'y is x in upper case'),
        b(text, 'sub_string(s, start, len, out)', 3, _sub_string,
          'out is the part of s from position start, of length len'),
        b(dates, 'now(x)', 0, _now,
          'x is the current UTC time (YYYY-MM-DD HH:MM:SS); rules reading '
          'it are evaluated again every [policy_engine] '
          'time_tick_interval seconds', volatile=True),
        b(dates, 'unpack_date(x, year, month, day)', 1, _unpack_date,
          'the date of x as three integers', [date]),
        b(dates, 'unpack_time(x, hours, minutes, seconds)', 1, _unpack_time,
          'the time of day of x as three integers', [date]),
        b(dates, 'unpack_datetime(x, y, m, d, h, i, s)', 1,
          _unpack_datetime, 'year, month, day, hours, minutes and seconds '
          'of x as integers', [date]),
        b(dates, 'pack_time(hours, minutes, seconds, result)', 3,
          _pack('::'), 'result is "hours:minutes:seconds"'),
        b(dates, 'pack_date(year, month, day, result)', 3, _pack('--'),
          'result is "year-month-day"'),
        b(dates, 'pack_datetime(y, m, d, h, i, s, result)', 6,
          _pack('-- ::'), 'result is "y-m-d h:i:s"'),
        b(dates, 'extract_date(x, y)', 1,
          lambda x: str(parse_date(x).date()),
          'y is the date of x (YYYY-MM-DD)', [date]),
        b(dates, 'extract_time(x, y)', 1,
          lambda x: str(parse_date(x).time()),
          'y is the time of day of x (HH:MM:SS)', [date]),
        b(dates, 'datetime_to_seconds(x, y)', 1,
          lambda x: int((parse_date(x) - EPOCH).total_seconds()),
          'y is x in seconds since 1900-01-01 00:00:00 UTC', [date]),
        b(dates, 'datetime_plus(x, y, z)', 2,
          lambda x, y: str(parse_date(x) + parse_interval(y)),
          'z is date x plus interval y', [date, interval]),
        b(dates, 'datetime_minus(x, y, z)', 2,
          lambda x, y: str(parse_date(x) - parse_interval(y)),
          'z is date x minus interval y', [date, interval]),
        b(dates, 'datetime_lt(x, y)', 2, _date_compare(op.lt),
          'date x is before y', [date, date]),
        b(dates, 'datetime_lteq(x, y)', 2, _date_compare(op.le),
          'date x is not after y', [date, date]),
        b(dates, 'datetime_gt(x, y)', 2, _date_compare(op.gt),
          'date x is after y', [date, date]),
        b(dates, 'datetime_gteq(x, y)', 2, _date_compare(op.ge),
          'date x is not before y', [date, date]),
        b(dates, 'datetime_equal(x, y)', 2, _date_compare(op.eq),
          'dates x and y are the same moment', [date, date]),
        b(net, 'ips_equal(x, y)', 2, _address_compare(op.eq),
          'addresses x and y are equal', [_address, _address]),
        b(net, 'ips_lt(x, y)', 2, _address_compare(op.lt),
          'address x < y (IPv4 before IPv6)', [_address, _address]),
        b(net, 'ips_lteq(x, y)', 2, _address_compare(op.le),
          'address x <= y', [_address, _address]),
        b(net, 'ips_gt(x, y)', 2, _address_compare(op.gt),
          'address x > y', [_address, _address]),
        b(net, 'ips_gteq(x, y)', 2, _address_compare(op.ge),
          'address x >= y', [_address, _address]),
        b(net, 'networks_equal(x, y)', 2,
          lambda x, y: _network(x) == _network(y),
          'networks x and y (CIDR) are the same', [_network, _network]),
        b(net, 'networks_overlap(x, y)', 2, _networks_overlap,
          'networks x and y (CIDR) share addresses', [_network, _network]),
        b(net, 'ip_in_network(x, y)', 2,
          lambda x, y: _address(x) in _network(y),
          'address x lies in network y (CIDR)', [_address, _network]),
        b(net, 'ips_in_same_network(x, y, z)', 3, _ips_in_same_network,
          'addresses x and y share a network of prefix length z',
          [_address, _address]),
        b(net, 'ip_to_int(x, y)', 1, lambda x: int(_address(x)),
          'y is address x as an integer', [_address]),
        b(valid, 'validate_int(min, max, value, result)', 3, _validate_int,
          'result is "" when value is an integer within min and max ("" '
          'for no bound), else why not'),
        b(valid, 'validate_float(min, max, value, result)', 3,
          _validate_float, 'result is "" when value is a float within min '
          'and max ("" for no bound), else why not'),
        b(valid, 'validate_string(regex, max_length, quotes, ignore_case, '
          'value, result)', 5, _validate_string,
          'result is "" when value is a string matching regex ("" for '
          'any) of at most max_length characters, else why not',
          [_regex]),
    ]


BUILTINS = {builtin.name: builtin for builtin in _definitions()}


def lookup(qualifier, name):
    """The builtin a table reference names, or None.

    ``builtin:name`` and the bare ``name`` both name the builtin; a table
    of a policy or data source (``nova:len``) never does.
    """
    if qualifier in (None, QUALIFIER):
        return BUILTINS.get(name)
    return None


def check_constant(builtin, position, value):
    """Why constant ``value`` cannot be input ``position`` of ``builtin``
    (a text), or None when it can."""
    if position >= len(builtin.checks) or builtin.checks[position] is None:
        return None
    try:
        builtin.checks[position](value)
    except _FAILURES as exc:
        return str(exc) or type(exc).__name__
    return None
