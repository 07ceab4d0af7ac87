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

"""congress.execution.masking: which names are secret, and what is
masked."""

import os

from congress.execution import masking
from congress.tests import base


class MaskingTestCase(base.TestCase):

    def test_default_patterns(self):
        for name in ('password', 'new_password', 'adminPass', 'admin_pass',
                     'admin-pass', 'passwd', 'db_pwd', 'passphrase',
                     'secret', 'client_secret', 'token', 'auth_token',
                     'X-Auth-Token', 'credential', 'credentials',
                     'private_key', 'privateKey', 'api_key', 'apiKey',
                     'auth_key', 'encryption_key'):
            self.assertTrue(masking.is_secret(name), name)
        for name in ('name', 'key_name', 'key', 'key_type', 'public_key',
                     'keypair', 'server', 'passthrough', 'bypass_cache',
                     'status', None, 3):
            self.assertFalse(masking.is_secret(name), name)

    def test_patterns_are_configurable(self):
        self.config(secret_argument_patterns=['colour', 'k?y', 'x*'],
                    group='execution')
        for name in ('favourite_colour', 'key', 'kay', 'xylophone'):
            self.assertTrue(masking.is_secret(name), name)
        for name in ('password', 'keys', 'box'):
            self.assertFalse(masking.is_secret(name), name)

    def test_the_old_option_name_still_works(self):
        path = os.path.join(self.state_dir, 'congress.conf')
        with open(path, 'w') as config:
            config.write('[execution]\nsecret_argument_names = colour\n')
        masking.CONF([], project='congress', default_config_files=[path])
        self.assertEqual(['colour'],
                         masking.CONF.execution.secret_argument_patterns)

    def test_nested_values(self):
        value = {'name': {'password': 'p1', 'other': 'x'},
                 'list': [{'token': 't1'}, 'plain', [{'secret': {'a': 1}}]],
                 'key_name': 'mykey'}
        self.assertEqual(
            {'name': {'password': '***', 'other': 'x'},
             'list': [{'token': '***'}, 'plain', [{'secret': '***'}]],
             'key_name': 'mykey'},
            masking.mask_value(value))
        self.assertEqual('p1', value['name']['password'])

    def test_positional_arguments_by_declared_names(self):
        def change_password(server, password):
            pass

        def set_many(status, *secrets):
            pass

        names = masking.positional_names(change_password)
        self.assertEqual(['server', 'password'], names)
        self.assertEqual(
            (['srv', '***'], {'password': '***', 'n': {'token': '***'}}),
            masking.mask_arguments(
                ['srv', 'hunter22'],
                {'password': 'x', 'n': {'token': 'y'}}, names))
        names = masking.positional_names(set_many)
        self.assertEqual(['status', '*secrets'], names)
        self.assertEqual(['up', '***', '***'], masking.mask_arguments(
            ['up', 'a', 'b'], {}, names)[0])
        # an object in a harmless position is masked by its keys
        self.assertEqual(['***', {'password': '***', 'name': 'n'}],
                         masking.mask_arguments(
                             ['x', {'password': 'p', 'name': 'n'}], {},
                             ['password', 'spec'])[0])

    def test_unknown_action_masks_every_positional_argument(self):
        self.assertEqual((['***', '***'], {'name': 'n'}),
                         masking.mask_arguments(['a', 'b'], {'name': 'n'},
                                                None))

    def test_error_text(self):
        text = masking.mask_text(
            "Password 'hunter22' refused for server srv; token tok-1234",
            ['srv', 'hunter22'], {'auth': {'token': 'tok-1234'}},
            ['server', 'password'])
        self.assertEqual("Password '***' refused for server srv; token ***",
                         text)
        # values too short to look for are left
        self.assertEqual('pw is ab', masking.mask_text(
            'pw is ab', [], {'password': 'ab'}, []))
