import os

from django.core.wsgi import get_wsgi_application

from core.allocator import tune_malloc_for_large_bodies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Before the first request: large bodies otherwise cost a page fault per 4 KiB (core.allocator).
tune_malloc_for_large_bodies()
application = get_wsgi_application()
