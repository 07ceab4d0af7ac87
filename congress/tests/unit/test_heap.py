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

import gc
import weakref

from congress import heap
from congress.tests import base


class Cyclic(object):
    def __init__(self):
        self.me = self


class FreezeTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.addCleanup(gc.unfreeze)

    def test_garbage_of_the_start_is_collected_and_the_rest_set_apart(self):
        garbage = Cyclic()
        gone = weakref.ref(garbage)
        kept = Cyclic()
        del garbage
        heap.freeze_started_process()
        self.assertIsNone(gone())
        self.assertGreater(gc.get_freeze_count(), 0)
        # what lives now is out of later collections, what comes later not
        self.assertFalse(any(o is kept for o in gc.get_objects()))
        later = weakref.ref(Cyclic())
        gc.collect()
        self.assertIsNone(later())
