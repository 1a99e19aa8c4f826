import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spasmcare.settings")

application = get_wsgi_application()

# Django and every app are loaded now, and live as long as the process. Frozen, the
# garbage collector no longer walks those objects on each full collection (as Python's
# gc.freeze() documentation suggests for servers; with gunicorn --preload, the workers
# also share their memory pages). Measured in process (scripts/post_cost.py): a pain
# entry post took about a quarter less CPU time, a page about a tenth.
gc.freeze()
