"""core.warmup: a fresh web process loads the URLconf, the catalogues and the templates before its
first request, without touching the database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import clear_url_caches, get_resolver

from core.warmup import warm_up

ROOT = Path(__file__).resolve().parents[2]


def _cached_loader():
    engine = engines["django"].engine
    (loader,) = [one for one in engine.template_loaders if hasattr(one, "get_template_cache")]
    return loader


def test_the_warm_up_fills_the_template_cache_and_the_urlconf_without_the_database():
    # No database fixture: pytest-django refuses any query, so the warm-up must make none.
    loader = _cached_loader()
    loader.reset()
    clear_url_caches()
    spent = warm_up()
    assert set(spent) >= {"urls", "languages", "templates"}
    cache = loader.get_template_cache
    # One copy per language (core.template_loader keys the cache by name and language).
    for name in ("base.html", "accounts/register.html", "securemail/start.html"):
        for language, _name in settings.LANGUAGES:
            assert (name, language) in cache, (name, language)
    # The project's templates only, not every installed package's.
    assert not any(name.startswith("admin/") for name, _language in cache)
    assert "url_patterns" in vars(get_resolver())


SERVER = """
import config.wsgi  # what gunicorn imports in each worker
from django.conf import settings
from django.template import engines
loader = [l for l in engines["django"].engine.template_loaders if hasattr(l, "get_template_cache")][0]
import gc
print(len(loader.get_template_cache), gc.get_freeze_count())
"""


def test_the_wsgi_module_warms_the_process_up():
    result = subprocess.run(
        [sys.executable, "-c", SERVER],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
    )
    templates, frozen = map(int, result.stdout.split()[-2:])
    assert templates > 50
    # What it loaded is left out of later full garbage collections.
    assert frozen > 100_000
