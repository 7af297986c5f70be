"""Languages: the person's choice, the browser's language on a first visit, links between them.

Italian pages live at their plain address (/servizi/), the other languages under a prefix
(/en/servizi/, /ar/servizi/): every language has its own URL, which is what search engines,
shared links and `hreflang` need.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

# Paths that are not pages for people (no language prefix there).
NOT_TRANSLATED = ("/admin/", "/api/", "/static/", "/media/", "/lingua/")
ONE_YEAR = 365 * 24 * 60 * 60


def _codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


@never_cache
def choose_language(request, code: str):
    """Remember the language a person picked and show them the same page in it."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    if code not in _codes():
        return HttpResponseRedirect(target)
    response = HttpResponseRedirect(_in_language(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=ONE_YEAR,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


class FirstVisitLanguageMiddleware:
    """Send a person who opens an Italian (unprefixed) address to the same page in their
    language: the one they picked (the cookie), else on a first visit their browser's.

    Addresses that already name their language are never redirected, and someone who picked
    Italian stays on Italian pages whatever their browser says.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        redirect = self._redirect_for(request)
        if redirect is not None:
            return redirect
        response = self.get_response(request)
        if request.method == "GET" and not request.path.startswith(NOT_TRANSLATED):
            response.headers.setdefault("Vary", "")
            vary = {v.strip() for v in response.headers["Vary"].split(",") if v.strip()}
            response.headers["Vary"] = ", ".join(sorted(vary | {"Accept-Language", "Cookie"}))
        return response

    def _redirect_for(self, request):
        if request.method != "GET" or request.path.startswith(NOT_TRANSLATED):
            return None
        if translation.get_language_from_path(request.path_info) is not None:
            return None
        picked = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        wanted = picked if picked in _codes() else _accepted_language(request)
        if wanted is None or wanted == settings.LANGUAGE_CODE:
            return None
        target = _in_language(request.get_full_path(), wanted)
        if target == request.get_full_path():
            return None
        response = HttpResponseRedirect(target)
        response.headers["Vary"] = "Accept-Language, Cookie"
        return response


def _in_language(path: str, code: str) -> str:
    """`path` in language `code`, whatever language the path itself is in."""
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        return translate_url(path, code)


def _accepted_language(request) -> str | None:
    """The first language of the browser's list that we have, if any."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in translation.trans_real.parse_accept_lang_header(header):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def language_links(request) -> dict:
    """For the switcher and `hreflang`: this page in every language."""
    path = request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                "name": name,
                "bidi": info["bidi"],
                "url": translate_url(path, code),
                "choose_url": reverse("choose_language", args=[code])
                + "?next="
                + quote(translate_url(path, code), safe="/"),
            }
        )
    return {"language_links": links}
