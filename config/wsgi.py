import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
application = get_wsgi_application()
# The loaded project's objects live as long as the process: kept out of the cyclic garbage collector's scans,
# whose full collections otherwise stopped a request now and then for about 100 ms (the tail latency of the
# list APIs, make bench). With gunicorn --preload the workers inherit them frozen.
gc.freeze()
