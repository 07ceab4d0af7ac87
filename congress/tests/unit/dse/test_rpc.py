"""Errors raised in an RPC endpoint come back to the caller as
themselves."""

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
