"""The ``builtin:`` tables: comparisons, arithmetic, strings, dates, IPs.

A builtin takes ``inputs`` bound arguments.  A *filter* (no output) holds
or not; a *function* has one more argument, its output, which it binds (or
compares when the variable is already bound).  A builtin whose inputs are
of the wrong type or out of range simply yields nothing: ``gt("a", 1)``
and ``div(1, 0, x)`` are false, never an error.

Dates are ISO 8601 strings; one without a time zone is taken as UTC.
"""

import dataclasses
import datetime
import ipaddress

QUALIFIER = 'builtin'

# Names no policy may take: rules use them as qualifiers of their own.
RESERVED_NAMES = frozenset([QUALIFIER])

# Builtins that rules may name without the ``builtin:`` qualifier, as the
# reference engine allowed.
LEGACY_NAMES = frozenset([
    'equal', 'not_equal', 'lt', 'lteq', 'gt', 'gteq', 'max', 'min',
    'plus', 'minus', 'mul', 'div', 'float', 'int', 'concat'])

_FAILURES = (TypeError, ValueError, ZeroDivisionError, OverflowError,
             AttributeError, IndexError, OSError)


class _NoResult(object):
    def __repr__(self):
        return 'NO_RESULT'


NO_RESULT = _NoResult()


@dataclasses.dataclass(frozen=True)
class Builtin:
    """A builtin table and the Python function computing it.

    ``inputs`` arguments are inputs; a function has one more, its output.
    ``volatile`` builtins (``now``) give a different answer over time.
    """

    name: str
    inputs: int
    has_output: bool
    function: object
    description: str
    volatile: bool = False

    @property
    def arity(self):
        return self.inputs + (1 if self.has_output else 0)

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


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError('not a number: %r' % (value,))
    return value


def _divide(x, y):
    x, y = _number(x), _number(y)
    if isinstance(x, int) and isinstance(y, int):
        return x // y
    return x / y


def _string(value):
    if not isinstance(value, str):
        raise TypeError('not a string: %r' % (value,))
    return value


def _parse_time(value):
    moment = datetime.datetime.fromisoformat(_string(value))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def _format_like(moment, original):
    if datetime.datetime.fromisoformat(original).tzinfo is None:
        moment = moment.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return moment.isoformat()


def _time_plus(value, seconds):
    moment = _parse_time(value) + datetime.timedelta(seconds=_number(seconds))
    return _format_like(moment, value)


def _time_minus(value, seconds):
    return _time_plus(value, -_number(seconds))


def _now():
    return datetime.datetime.now(datetime.timezone.utc).replace(
        tzinfo=None, microsecond=0).isoformat()


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


def _network(cidr):
    return ipaddress.ip_network(_string(cidr), strict=False)


def _ip_in_network(ip, cidr):
    return ipaddress.ip_address(_string(ip)) in _network(cidr)


def _networks_overlap(first, second):
    return _network(first).overlaps(_network(second))


def _ips_in_same_network(first, second, prefix_length):
    network = ipaddress.ip_interface(
        '%s/%d' % (_string(first), _number(prefix_length))).network
    return ipaddress.ip_address(_string(second)) in network


def _definitions():
    b = Builtin
    return [
        b('equal', 2, False, lambda x, y: x == y, 'x equals y'),
        b('not_equal', 2, False, lambda x, y: x != y, 'x differs from y'),
        b('lt', 2, False, _compare(lambda x, y: x < y), 'x < y'),
        b('lteq', 2, False, _compare(lambda x, y: x <= y), 'x <= y'),
        b('gt', 2, False, _compare(lambda x, y: x > y), 'x > y'),
        b('gteq', 2, False, _compare(lambda x, y: x >= y), 'x >= y'),
        b('max', 2, True, _compare(max), 'z is the larger of x and y'),
        b('min', 2, True, _compare(min), 'z is the smaller of x and y'),
        b('plus', 2, True, lambda x, y: _number(x) + _number(y), 'z = x + y'),
        b('minus', 2, True, lambda x, y: _number(x) - _number(y),
          'z = x - y'),
        b('mul', 2, True, lambda x, y: _number(x) * _number(y), 'z = x * y'),
        b('div', 2, True, _divide,
          'z = x / y (integer division when both are integers)'),
        b('float', 1, True, float, 'y is x as a float'),
        b('int', 1, True, int, 'y is x as an integer (truncated)'),
        b('concat', 2, True, lambda x, y: _string(x) + _string(y),
          'z is the string x followed by y'),
        b('len', 1, True, lambda x: len(_string(x)), 'y is the length of x'),
        b('startswith', 2, False, lambda x, y: _string(x).startswith(
            _string(y)), 'string x starts with y'),
        b('endswith', 2, False, lambda x, y: _string(x).endswith(
            _string(y)), 'string x ends with y'),
        b('contains', 2, False, lambda x, y: _string(y) in _string(x),
          'string x contains y'),
        b('lower', 1, True, lambda x: _string(x).lower(),
          'y is x in lower case'),
        b('upper', 1, True, lambda x: _string(x).upper(),
          'y is x in upper case'),
        b('sub_string', 3, True, _sub_string,
          'out is the part of s from position start, of length len'),
        b('now', 0, True, _now, 'x is the current UTC time', volatile=True),
        b('datetime_lt', 2, False,
          lambda x, y: _parse_time(x) < _parse_time(y), 'x before y'),
        b('datetime_lteq', 2, False,
          lambda x, y: _parse_time(x) <= _parse_time(y), 'x not after y'),
        b('datetime_gt', 2, False,
          lambda x, y: _parse_time(x) > _parse_time(y), 'x after y'),
        b('datetime_gteq', 2, False,
          lambda x, y: _parse_time(x) >= _parse_time(y), 'x not before y'),
        b('datetime_equal', 2, False,
          lambda x, y: _parse_time(x) == _parse_time(y), 'same moment'),
        b('datetime_plus', 2, True, _time_plus,
          'z is time x plus y seconds'),
        b('datetime_minus', 2, True, _time_minus,
          'z is time x minus y seconds'),
        b('datetime_to_seconds', 1, True,
          lambda x: int(_parse_time(x).timestamp()),
          'y is time x in seconds since 1970-01-01 UTC'),
        b('ip_in_network', 2, False, _ip_in_network,
          'address x lies in network y (CIDR)'),
        b('networks_overlap', 2, False, _networks_overlap,
          'networks x and y (CIDR) share addresses'),
        b('ips_in_same_network', 3, False, _ips_in_same_network,
          'addresses x and y share a network of prefix length z'),
        b('ip_to_int', 1, True, lambda x: int(ipaddress.ip_address(
            _string(x))), 'y is address x as an integer'),
    ]


BUILTINS = {builtin.name: builtin for builtin in _definitions()}


def lookup(qualifier, name):
    """The builtin a table reference names, or None.

    ``builtin:name`` names any builtin; an unqualified legacy name (such
    as ``equal``) names the builtin too.
    """
    if qualifier == QUALIFIER or (qualifier is None and
                                  name in LEGACY_NAMES):
        return BUILTINS.get(name)
    return None
