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

"""Errors raised in an RPC endpoint come back to the caller as
themselves."""

import re
import sys

import oslo_messaging as messaging
from oslo_messaging._drivers import common as driver_common
from oslotest import base

from congress.dse import rpc
from congress import exception
from congress.policy import errors


class _UnlistedError(Exception):
    """An error of a module the callers do not rebuild errors from."""


def _across_the_bus(error):
    """``error`` raised by an endpoint, as the calling side rebuilds it
    from the reply."""
    try:
        raise error
    except Exception:
        data = driver_common.serialize_remote_exception(sys.exc_info())
    return driver_common.deserialize_remote_exception(
        data, rpc.REMOTE_EXCEPTION_MODULES)


class RemoteErrorsTestCase(base.BaseTestCase):

    ERRORS = [
        errors.PolicyNotFound('ops'),
        errors.RuleNotFound('a-rule-id'),
        errors.PolicyExists('ops'),
        errors.BuiltinPolicy('classification'),
        errors.ReservedPolicyName('builtin'),
        errors.InvalidRule('a rule cannot define the builtin equal',
                           line=1, column=3),
        exception.NotFound(resource='Policy', id='ops'),
        exception.PolicySyntaxError('bad', line=2, column=5),
        exception.DuplicateRule(policy='ops', rule='p(x) :- q(x)'),
        # what a push to the leading worker may answer
        exception.BadRequest(reason='"0": \'details\' is a required '
                                    'property'),
        exception.ServiceUnavailable(reason='node w no longer leads doctor'),
    ]

    def test_errors_come_back_with_their_class_message_and_codes(self):
        for error in self.ERRORS:
            rebuilt = _across_the_bus(error)
            self.assertIsInstance(rebuilt, type(error))
            self.assertEqual((error.message, error.code, error.error_code),
                             (rebuilt.message, rebuilt.code,
                              rebuilt.error_code))
            self.assertEqual(getattr(error, 'line', None),
                             getattr(rebuilt, 'line', None))

    def test_other_errors_come_back_as_remote_errors(self):
        rebuilt = _across_the_bus(_UnlistedError('x'))
        self.assertIsInstance(rebuilt, messaging.RemoteError)
        self.assertEqual('_UnlistedError', rebuilt.exc_type)


def _defined_errors(module):
    """The Congress error classes ``module`` defines."""
    return [value for value in vars(module).values()
            if isinstance(value, type) and
            issubclass(value, exception.CongressException) and
            value.__module__ == module.__name__]


def _format_names(cls):
    """The ``%(name)s`` arguments of the class's message format."""
    return re.findall(r'%\((\w+)\)', cls.msg_fmt)


class EveryErrorCrossesTheBusTestCase(base.BaseTestCase):
    """Each error class of the modules whose errors cross the bus, made
    in each way Congress makes them, comes back whole: class, message,
    HTTP status, error code, line and column, extra data."""

    def made(self, cls):
        """Instances of ``cls`` as raisers make them: from the format
        arguments, and from a message with a location and data."""
        kwargs = {name: 'v-%s' % name for name in _format_names(cls)}
        yield cls(**kwargs)
        yield cls('a message of its own', data={'detail': [1, 'two']},
                  **kwargs)
        if issubclass(cls, exception.PolicyException):
            yield cls('at a place', line=3, column=7, **kwargs)

    def test_every_error_class_is_rebuilt_as_itself(self):
        classes = (_defined_errors(exception) + _defined_errors(errors))
        self.assertGreater(len(classes), 25)
        for cls in classes:
            for error in self.made(cls):
                rebuilt = _across_the_bus(error)
                self.assertIsInstance(rebuilt, cls)
                self.assertEqual(
                    (error.message, error.code, error.error_code,
                     error.data, getattr(error, 'line', None),
                     getattr(error, 'column', None)),
                    (rebuilt.message, rebuilt.code, rebuilt.error_code,
                     rebuilt.data, getattr(rebuilt, 'line', None),
                     getattr(rebuilt, 'column', None)),
                    '%s: %s' % (cls.__name__, error.message))

    def test_the_listed_modules_are_those_of_every_error(self):
        self.assertEqual({exception.__name__, errors.__name__},
                         set(rpc.REMOTE_EXCEPTION_MODULES))
