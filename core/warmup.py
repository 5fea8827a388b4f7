"""Make a freshly started web process warm before it serves its first request.

Django loads lazily: the URLconf (and through it every view, form and the check engine's
dependencies), each language's translation catalogue, each template into the cached loader and
the static files' manifest wait for the first request that needs them. On a fresh server that
request pays about half a second of CPU, and when every user arrives at once all first requests
of a process pay it together (the peak-day run: 824 and 877 ms for its first two sign-up pages).

`warm_up()` does that work up front, and `freeze_loaded_objects()` then keeps what it loaded out
of later garbage collections. config/wsgi.py calls both once the application is built, so under
gunicorn each worker (or, with `--preload`, the master before it forks) is warm before it accepts
a connection. The warm-up reads no database and writes nothing: management commands and tests,
which never import config.wsgi, are unaffected, and a process that forks afterwards shares no
database connection.
"""

from __future__ import annotations

import gc
import logging
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import password_validation
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import formats, timezone, translation

logger = logging.getLogger(__name__)

TEMPLATE_SUFFIXES = (".html", ".txt")


def warm_up() -> dict[str, float]:
    """Load what requests would otherwise load one by one; returns the milliseconds of each step."""
    steps = {
        "urls": _load_urlconf,
        "languages": _load_languages,
        "templates": _load_templates,
        "password validators": _load_password_validators,
        "static manifest": _load_static_manifest,
    }
    spent = {}
    for name, step in steps.items():
        started = time.perf_counter()
        step()
        spent[name] = round(1000 * (time.perf_counter() - started), 1)
    logger.info("warm-up: %s ms", spent)
    return spent


def _load_urlconf() -> None:
    # Importing the URLconf imports every view and, through them, the forms and services.
    get_resolver().url_patterns  # noqa: B018


def _load_languages() -> None:
    """Each language's merged catalogue, formats and reverse-lookup tables (one per language)."""
    resolver = get_resolver()
    now = timezone.now()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Finnish")
            formats.date_format(now, "DATETIME_FORMAT")
            formats.number_format(1234.5, 2)
            resolver.reverse_dict  # noqa: B018  (built per active language)


def _project_template_names(template_dir: Path) -> list[str]:
    return sorted(
        path.relative_to(template_dir).as_posix()
        for path in template_dir.rglob("*")
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file()
    )


def _template_directories(engine) -> list[str]:
    """The folders the engine's loaders read (settings.TEMPLATES names the loaders, so the
    backend's template_dirs, which counts app folders only with APP_DIRS, would miss them)."""
    directories = []
    for loader in getattr(engine, "engine", engine).template_loaders:
        directories.extend(str(path) for path in loader.get_dirs())
    return directories


def _load_templates() -> None:
    """Compile the project's own templates into the cached loader, once per language
    (core.template_loader keeps a copy per language), not the installed packages' templates
    that no page of ours renders."""
    base = Path(settings.BASE_DIR).resolve()
    for engine in engines.all():
        for directory in _template_directories(engine):
            template_dir = Path(directory).resolve()
            if not template_dir.is_relative_to(base) or ".venv" in template_dir.parts:
                continue
            for name in _project_template_names(template_dir):
                for code, _name in settings.LANGUAGES:
                    try:
                        with translation.override(code):
                            engine.get_template(name)
                    except (TemplateDoesNotExist, TemplateSyntaxError) as error:
                        # A broken template fails its page as it would have; serving goes on.
                        logger.warning("warm-up: template %s not loaded: %s", name, error)
                        break


def _load_password_validators() -> None:
    # The common-password validator reads its list of 20,000 passwords on first use (the sign-up
    # page shows the validators' help texts).
    password_validation.get_default_password_validators()


def _load_static_manifest() -> None:
    from django.contrib.staticfiles.storage import staticfiles_storage

    # The lazy storage is built on first use; production's manifest storage then reads the
    # hashed names that {% static %} looks up.
    staticfiles_storage.url  # noqa: B018


def freeze_loaded_objects() -> int:
    """Leave what is loaded now out of every later garbage collection (gc.freeze); returns how
    many objects. A full collection otherwise walks these hundreds of thousands of long-lived
    objects (modules, templates, catalogues) and stops the request that triggered it for 100-250
    ms; afterwards it walks only what requests created. Call once, after warm_up."""
    gc.collect()  # the warm-up's own garbage goes first, rather than being kept for ever
    gc.freeze()
    return gc.get_freeze_count()
