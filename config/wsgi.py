import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from core.allocator import tune_malloc_for_large_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Before the first request: large bodies otherwise cost a page fault per 4 KiB (core.allocator).
tune_malloc_for_large_bodies()
application = get_wsgi_application()

if not settings.DEBUG:
    # Before the first request too: a fresh process otherwise serves its first pages cold (the
    # URLconf, catalogues and templates loaded on demand, half a second of CPU), and its full
    # garbage collections walk everything loaded (core.warmup). Development's autoreloader
    # restarts too often for it to pay.
    from core.warmup import freeze_loaded_objects, warm_up

    warm_up()
    freeze_loaded_objects()
