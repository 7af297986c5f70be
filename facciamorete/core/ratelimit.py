"""A small rate limit for public forms, counted in the cache per client address and view.

Fixed windows: at most `count` submissions per `period` from one address to one view. With the
default local-memory cache each server process counts on its own; set REDIS_URL to share the count
between processes. A refused request gets a page that says when to try again (HTTP 429), and what
was typed is never lost because nothing reaches the form.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'5/m' → (5, 60): five requests a minute."""
    count, unit = rate.split("/")
    return int(count), PERIODS[unit]


def client_address(request) -> str:
    # Behind a proxy, the deployer makes the proxy set REMOTE_ADDR (e.g. gunicorn's
    # --forwarded-allow-ips): a client-supplied X-Forwarded-For is never trusted here.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, address: str, rate: str) -> tuple[bool, int]:
    """Count one request; return (allowed, seconds until the window ends)."""
    count, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"ratelimit:{scope}:{address}:{window}"
    cache.add(key, 0, period + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, period + 1)
        used = 1
    return used <= count, int(period - now % period) + 1


def ratelimit(rate: str = "10/h", methods: tuple[str, ...] = ("POST",)):
    """Refuse more than `rate` requests with one of `methods` from one address to the view."""

    def decorator(view):
        scope = f"{view.__module__}.{view.__name__}"

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods and getattr(settings, "RATELIMIT_ENABLED", True):
                allowed, retry_after = hit(scope, client_address(request), rate)
                if not allowed:
                    minutes = max(1, round(retry_after / 60))
                    response = render(
                        request, "core/ratelimited.html", {"minutes": minutes}, status=429
                    )
                    response["Retry-After"] = str(retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
