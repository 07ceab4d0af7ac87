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

"""What the API works out once instead of at every request: pecan's
argspec of a controller function, the validator of a schema."""

import gc
from unittest import mock

import jsonschema
import pecan

from congress.api import app
from congress.api import validation
from congress import exception
from congress.tests import base


class Controller(object):
    def get(self, name, limit=None, **kwargs):
        return name


class ArgspecTestCase(base.TestCase):

    def test_pecan_uses_the_remembering_argspec(self):
        self.assertTrue(hasattr(pecan.core.getargspec, 'remembered'))

    def test_a_function_is_worked_out_once_for_every_bound_method(self):
        inner = mock.Mock(side_effect=pecan.util.getargspec)
        argspec = app._remembered_argspecs(inner)
        specs = [argspec(Controller().get) for _ in range(5)]
        self.assertEqual(1, inner.call_count)
        self.assertEqual((['self', 'name', 'limit'], 'kwargs', (None,)),
                         (specs[0].args, specs[0].keywords,
                          specs[0].defaults))
        self.assertTrue(all(spec is specs[0] for spec in specs))

    def test_a_function_that_is_gone_leaves_the_cache(self):
        argspec = app._remembered_argspecs(pecan.util.getargspec)

        def make():
            def handler(self, item):
                return item
            return handler
        kept = make()
        for _ in range(3):
            argspec(make())
        argspec(kept)
        gc.collect()
        self.assertEqual([kept], list(argspec.remembered))


class ValidatorsTestCase(base.TestCase):

    def test_a_schema_is_built_once_and_still_checked(self):
        schema = {'type': 'object', 'required': ['name']}
        validators = validation._Validators()
        with mock.patch.object(validation, '_validators', validators), \
                mock.patch.object(jsonschema, 'Draft7Validator',
                                  wraps=jsonschema.Draft7Validator) as made:
            for _ in range(3):
                validation.validate({'name': 'x'}, schema)
            self.assertRaises(exception.BadRequest, validation.validate,
                              {}, schema)
        self.assertEqual(1, made.call_count)

    def test_only_the_schemas_seen_last_are_kept(self):
        validators = validation._Validators()
        schemas = [{'type': 'object', 'maxProperties': n}
                   for n in range(validators.KEPT + 10)]
        for schema in schemas:
            validators.get(schema)
        self.assertEqual(validators.KEPT, len(validators._kept))
        self.assertIs(schemas[-1], validators._kept[id(schemas[-1])][0])
        self.assertNotIn(id(schemas[0]), validators._kept)
