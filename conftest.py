import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _italian_by_default():
    """Each test starts in Italian: a request in another language must not leak into the next
    test's `reverse()` through the thread's active language."""
    translation.activate("it")
    yield
    translation.activate("it")
