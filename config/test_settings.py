"""Settings for the test suite: the normal settings in test mode."""

import os

os.environ["PERMITSAFE_MODE"] = "test"
os.environ.setdefault(
    "PERMITSAFE_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test")
)

from config.settings import *  # noqa: E402, F403

# Tests read English unless they choose a language (the e2e tests go through all three).
LANGUAGE_CODE = "en"
