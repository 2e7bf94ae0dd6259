# -*- coding: utf-8 -*-
# Copyright (c) 2026, arcops engineers
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``python -m mockazure --dir DIR [--foreground]`` (run from tests/simulator)."""

from __future__ import annotations

import sys

from .server import main

sys.exit(main())
