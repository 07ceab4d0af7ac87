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

"""The Python heap of a serving process.

A started process holds several hundred thousand objects that live as
long as it does: modules, classes, the paste pipeline, the policy rules,
SQLAlchemy's and oslo's tables. The garbage collector's full (oldest
generation) collection walks every one of them, holding the GIL: under
load the API ran one every few seconds, each stopping every request in
flight for about 100 ms. Those objects are set apart once the process
has started, so that a full collection walks only what came after.
"""

import gc


def freeze_started_process():
    """Collect what starting left over, then keep every object alive now
    out of the collector's later collections (``gc.freeze``); called once
    a process has started serving."""
    gc.collect()
    gc.freeze()
