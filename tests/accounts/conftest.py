import pytest


@pytest.fixture(autouse=True)
def _english_pages(settings):
    # The default language is Finnish, and Django ships Finnish messages for its validators;
    # these tests read the English texts.
    settings.LANGUAGE_CODE = "en"
