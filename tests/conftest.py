"""Make the working tree importable as ansible_collections.arcops.azcmagent.

The link lives in build/dev (ignored by git); `make install` makes the same link.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV_COLLECTIONS = os.path.join(ROOT, "build", "dev")
_LINK = os.path.join(DEV_COLLECTIONS, "ansible_collections", "arcops", "azcmagent")

if not os.path.islink(_LINK):
    os.makedirs(os.path.dirname(_LINK), exist_ok=True)
    os.symlink(ROOT, _LINK)
if DEV_COLLECTIONS not in sys.path:
    sys.path.insert(0, DEV_COLLECTIONS)
# tests.counts (and other shared test helpers) import as `tests.<name>` from the checkout root.
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
