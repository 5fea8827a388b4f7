import os

from django.core.wsgi import get_wsgi_application

from core.allocator import tune_malloc_for_large_bodies
from core.wsgi_input import read_bodies_from_socket

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Before the first request: large bodies otherwise cost a page fault per 4 KiB (core.allocator).
tune_malloc_for_large_bodies()
# gunicorn's body reader copies every byte through two buffers (core.wsgi_input).
application = read_bodies_from_socket(get_wsgi_application())
