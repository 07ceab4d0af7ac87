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

"""Option discovery for oslo-config-generator: every option module of
``congress.conf`` is found, so a new group needs no change here."""

from oslo_middleware import cors

from congress import conf


def list_opts():
    """The (group, options) pairs of Congress' own option groups."""
    return sorted(
        (getattr(module.GROUP, 'name', module.GROUP) or 'DEFAULT',
         getattr(module, 'CLI_OPTS', []) + module.OPTS)
        for module in conf.option_modules())


def set_config_defaults():
    """Defaults Congress sets on library options, for oslo-config-generator
    to show them in the sample: the messaging exchange the services set
    (``congress.dse.rpc.init``), the ``[cors]`` headers the API sets
    (``set_cors_defaults``)."""
    # imported here: every command imports this package, and oslo.messaging
    # is heavy
    from congress.dse import rpc
    rpc.init()
    set_cors_defaults()


def set_cors_defaults():
    """The ``[cors]`` defaults of the API: the headers a browser client
    sends (the token, the request id, the identity headers) and reads."""
    cors.set_defaults(
        allow_headers=['X-Auth-Token', 'X-OpenStack-Request-ID',
                       'X-Identity-Status', 'X-Roles', 'X-User-Id',
                       'X-Project-Id'],
        expose_headers=['X-OpenStack-Request-ID', 'Location'],
        allow_methods=['GET', 'PUT', 'POST', 'DELETE', 'PATCH'])
