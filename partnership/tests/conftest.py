import pytest
from django.utils import translation


@pytest.fixture
def english(settings):
    """Pages and messages in English, whatever the default language."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
