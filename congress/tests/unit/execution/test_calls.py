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

"""congress.execution.calls: an ActionCall is checked when it is made."""

from congress import exception
from congress.execution import calls
from congress.tests import base


class ActionCallTestCase(base.TestCase):

    def test_arguments_are_held_read_only_and_copied_out(self):
        positional, named = ['a', 1], {'status': 'DOWN'}
        call = calls.ActionCall('fake', 'things.create', positional, named)
        positional.append('later')
        named['later'] = 1
        self.assertEqual(('a', 1), call.positional_args)
        self.assertEqual({'status': 'DOWN'}, dict(call.named_args))
        with self.assertRaises(TypeError):
            call.named_args['x'] = 1
        out = call.arguments()
        out[0].append('x')
        out[1]['x'] = 1
        self.assertEqual((['a', 1], {'status': 'DOWN'}), call.arguments())
        self.assertFalse(call.dry_run)

    def test_no_arguments(self):
        call = calls.ActionCall('fake', 'things.list')
        self.assertEqual(([], {}), call.arguments())

    def test_arguments_stay_out_of_the_repr(self):
        call = calls.ActionCall('fake', 'x', ['s3cret'], {'pw': 's3cret'})
        self.assertNotIn('s3cret', repr(call))
        self.assertIn('fake', repr(call))

    def test_bad_arguments(self):
        for positional, named in (('abc', None), ({'a': 1}, None),
                                  (None, ['a']), (None, 'x'),
                                  (None, {'not valid': 1}), (None, {1: 2})):
            self.assertRaises(exception.InvalidActionArguments,
                              calls.ActionCall, 'fake', 'x', positional,
                              named)

    def test_bad_names(self):
        for service, action in (('fake', ''), ('', 'x'), ('fake', None),
                                (3, 'x'), ('fake', 'a' * 256),
                                ('s' * 256, 'x')):
            self.assertRaises(exception.InvalidActionName, calls.ActionCall,
                              service, action)
        # what an execution record holds
        calls.ActionCall('s' * 255, 'a' * 255)

    def test_parse(self):
        call = calls.ActionCall.parse(' nova : servers.pause ', ['id'],
                                      dry_run=True)
        self.assertEqual(('nova', 'servers.pause', ('id',), True),
                         (call.service, call.action, call.positional_args,
                          call.dry_run))
        for name in ('nova', 'a:b:c', ':x', 'x:', 42, None):
            self.assertRaises(exception.InvalidActionName,
                              calls.ActionCall.parse, name)

    def test_frozen(self):
        call = calls.ActionCall('fake', 'x')
        self.assertRaises(AttributeError, setattr, call, 'action', 'y')
