"""Page weight as a person's browser sees it: bytes over the wire and requests, first visit and
repeat visit, for the pages people open most. Part of `make bench`.

The site runs as in production (gunicorn, WhiteNoise, hashed and compressed static files) on
the demo database; Debian's Chromium loads each page through Playwright and counts what crosses
the network. Targets (issue 7): first visit <= 300 KB, repeat visit <= 60 KB, no other host.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("PAGE_WEIGHT_PORT", "8766"))
BASE = f"http://127.0.0.1:{PORT}"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
PAGES = [("home", "/"), ("catalogo", "/servizi/"), ("servizio", None), ("home in arabo", "/ar/")]


def start_server(static_root: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        DEBUG="0",
        STATIC_MANIFEST="1",
        STATIC_ROOT=static_root,
        ALLOWED_HOSTS="127.0.0.1",
    )
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(50):
        try:
            urllib.request.urlopen(BASE + "/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("il server non è partito")


def first_service_url(page) -> str:
    page.goto(BASE + "/servizi/")
    return page.locator(".card-title a").first.get_attribute("href")


def measure(context, url: str) -> tuple[int, int, list[str]]:
    """Bytes received (headers and bodies, compressed as sent) and requests for one load."""
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    sizes: dict[str, float] = {}
    urls: dict[str, str] = {}
    session.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    session.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.goto(BASE + url, wait_until="load")
    page.wait_for_timeout(300)
    page.close()
    foreign = [u for u in urls.values() if not u.startswith(BASE) and not u.startswith("data:")]
    return int(sum(sizes.values())), len(urls), foreign


def main() -> int:
    with tempfile.TemporaryDirectory() as static_root:
        server = start_server(static_root)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM,
                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
                )
                context = browser.new_context()
                service_url = first_service_url(context.new_page())
                pages = [(name, url or service_url) for name, url in PAGES]
                context.close()
                print(f"\nPeso delle pagine (server di produzione locale, {BASE})")
                print(
                    f"{'pagina':<16}{'prima visita':>16}{'richieste':>11}{'visita ripetuta':>18}"
                    f"{'richieste':>11}"
                )
                worst_first = worst_repeat = 0
                for name, url in pages:
                    context = browser.new_context()  # empty cache: a first visit
                    first, first_requests, foreign = measure(context, url)
                    repeat, repeat_requests, foreign_again = measure(context, url)
                    context.close()
                    worst_first, worst_repeat = max(worst_first, first), max(worst_repeat, repeat)
                    print(
                        f"{name:<16}{first / 1024:>13.1f} KB{first_requests:>11}"
                        f"{repeat / 1024:>15.1f} KB{repeat_requests:>11}"
                    )
                    if foreign or foreign_again:
                        print(f"  richieste ad altri host: {foreign + foreign_again}")
                print(
                    f"obiettivi: prima visita <= 300 KB (peggiore {worst_first / 1024:.1f} KB), "
                    f"visita ripetuta <= 60 KB (peggiore {worst_repeat / 1024:.1f} KB)"
                )
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
