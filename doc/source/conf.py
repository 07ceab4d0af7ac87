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

"""Sphinx configuration of the Congress documentation."""

import os
import sys

# the project's own directives (generated tables, OpenAPI operations)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '_exts'))

project = 'Congress'
copyright = '2026, Congress developers'
author = 'Congress developers'

extensions = ['oslo_config.sphinxext', 'congress_sphinx',
              'openapi_operations',
              # the sample configuration and policy files, generated at
              # build time into _static/ for the reference pages
              'oslo_config.sphinxconfiggen',
              'oslo_policy.sphinxext',
              'oslo_policy.sphinxpolicygen']

# oslo_config.sphinxconfiggen: _static/congress.conf.sample
config_generator_config_file = (
    '../../etc/congress/congress-config-generator.conf')
sample_config_basename = '_static/congress'
# oslo_policy.sphinxpolicygen (_static/congress.policy.yaml.sample) and
# its show-policy directive
policy_generator_config_file = (
    '../../etc/congress/congress-policy-generator.conf')
sample_policy_basename = '_static/congress'
templates_path = []
exclude_patterns = []
master_doc = 'index'
html_theme = 'alabaster'
html_static_path = []
pygments_style = 'sphinx'
