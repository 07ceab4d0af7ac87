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
