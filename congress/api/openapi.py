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

"""The OpenAPI 3 document of the REST API (``openapi.yaml`` beside this
module), as the tests and the API reference read it."""

import os

import yaml

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    'openapi.yaml')


def load():
    """The document as a dict."""
    with open(PATH) as document:
        return yaml.safe_load(document)
