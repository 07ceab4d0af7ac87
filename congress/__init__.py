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

"""Congress: policy as a service for OpenStack."""

import sys

# Congress runs on plain threads and never imports eventlet. Libraries
# that use it when they find it (futurist, oslo.service's eventlet
# backend, oslo.utils' eventletutils) import it inside ``try``: an entry of
# None in sys.modules makes that import fail as if eventlet were not
# installed, so none of them loads it (or prints its deprecation banner).
if 'eventlet' not in sys.modules:
    sys.modules['eventlet'] = None

from oslo_service import backend as _service_backend  # noqa: E402

# oslo.messaging imports oslo.service, whose default backend is eventlet:
# choose the threading backend before anything imports oslo.messaging.
_service_backend.register_backend_default_hook(
    lambda: _service_backend.BackendType.THREADING)
