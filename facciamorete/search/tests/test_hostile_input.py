"""Whatever is typed in the search box, nothing breaks: property-based, on the engine in use."""

from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from facciamorete.directory.tests.factories import ServiceFactory
from facciamorete.search.services import analyze, search_services

OPERATORS = [
    '"',
    "*",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    "-",
    "(",
    ")",
    "^",
    ":",
    "'",
    "\x00",
    "😀",
    "&",
    "|",
    "!",
    "<->",
    "\\",
]
hostile = st.lists(
    st.one_of(
        st.sampled_from(OPERATORS), st.text(max_size=12), st.sampled_from(["casa", "affitto"])
    ),
    max_size=12,
).map(" ".join)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ folder in the working tree
    suppress_health_check=[HealthCheck.too_slow],
)


class HostileQueries(TestCase):
    @classmethod
    def setUpTestData(cls):
        ServiceFactory(
            name="Sportello casa", description="Affitto, sfratti e ricerca di un alloggio."
        )

    @SETTINGS
    @given(query=hostile)
    def test_operators_quotes_and_odd_characters_never_raise(self, query):
        results = search_services({"q": query})
        self.assertGreaterEqual(len(results), 0)
        list(results[:5])

    @SETTINGS
    @given(query=st.text(min_size=0, max_size=200))
    def test_any_unicode_never_raises(self, query):
        analyze(query)
        list(search_services({"q": query})[:5])

    def test_ten_thousand_characters_are_answered(self):
        query = ("casa " * 2000)[:10000]
        self.assertEqual([s.name for s in search_services({"q": query})], ["Sportello casa"])

    def test_unbalanced_quotes_and_nul_bytes_on_the_page(self):
        for query in ['"casa', "casa\x00", "(casa", "casa NEAR/3 affitto", "-casa*", "😀" * 50]:
            response = self.client.get(reverse("directory:service_list"), {"q": query})
            self.assertEqual(response.status_code, 200, query)
