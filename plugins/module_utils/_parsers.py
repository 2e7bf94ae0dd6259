# -*- coding: utf-8 -*-
# Copyright (c) 2025, arcops.azcmagent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Former home of the agent output parsers, now split by format; only re-exports remain.

PRIVATE: this module_util is internal to arcops.azcmagent and may change at any time.

The parsers live in one file per format: ``_parse_text`` (ANSI, lines, escapes), ``_parse_console``
(console generations, logs, codes), ``_parse_azure_errors``, ``_show``, ``_parse_check`` and
``_parse_config``. The lines below keep the old import path working for the files that still use
it; each goes when its importer imports from the new home.
"""

from __future__ import annotations

# re-export for plugins/modules/check.py; removed when it imports from _parse_check
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_check import parse_check  # noqa: F401
# re-export for plugins/modules/config.py and info.py; removed when they import from _parse_config
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_config import parse_config_list  # noqa: F401
# re-export for plugins/modules/info.py; removed when it imports from _parse_config
from ansible_collections.arcops.azcmagent.plugins.module_utils._parse_config import parse_version  # noqa: F401
# re-export for plugins/module_utils/_runner.py; removed when it imports from _show
from ansible_collections.arcops.azcmagent.plugins.module_utils._show import parse_show  # noqa: F401

__all__ = ["parse_check", "parse_config_list", "parse_version", "parse_show"]
