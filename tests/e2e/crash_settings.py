"""Settings of the processes that the crash tests start and kill: the development settings (a
database queue, a real SMTP server from the environment) plus the crash checkpoint to stop at.

Only this module sets CRASH_TEST_PAUSE_AT; production settings never do (see core.checkpoints).
"""

import os

os.environ.setdefault("PERMITSAFE_MODE", "development")

from config.settings import *  # noqa: E402, F403

CRASH_TEST_PAUSE_AT = os.environ.get("CRASH_TEST_PAUSE_AT", "")
CRASH_TEST_MARKER_FILE = os.environ.get("CRASH_TEST_MARKER_FILE", "")
