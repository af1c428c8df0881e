"""Gunicorn settings for SI-LKKS: ``gunicorn -c deploy/gunicorn.conf.py``.

Run from the project directory with the app's environment (``/etc/si-lkks/env``, see
docs/deploy.md). A few values can be changed by the environment, for a bigger machine
or a benchmark, without editing this file.
"""

import multiprocessing
import os

wsgi_app = "lkks.wsgi:application"
proc_name = "si-lkks"

# Behind nginx on the same machine: only loopback reaches gunicorn. An app server of
# several binds its private address instead, which only nginx's machine may reach.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers, one request at a time each, each keeping its own persistent
# database connection (DJANGO_CONN_MAX_AGE): PostgreSQL needs max_connections above
# the number of workers. Two per core and one more keeps the cores busy while some
# workers wait on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# Exports, PDF reports and a 10,000-row import take seconds, not minutes; a worker
# stuck longer is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5

# Replace each worker after some requests so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200

# Logs to standard output and error, which systemd sends to the journal.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss "%(a)s"'

# Django decides HTTPS from X-Forwarded-Proto itself (DJANGO_BEHIND_PROXY); gunicorn
# trusts the forwarded headers only from nginx: on loopback, or at the address of
# nginx's machine when the app servers are several (docs/deploy.md, section 11).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Heartbeat files in memory, never on a slow or full disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# No control socket (gunicorn 25.1+): systemd sends HUP to reload, and a socket in the
# home directory would be shared by every gunicorn of the user and is read-only under
# the unit's ProtectSystem=strict.
control_socket_disable = True
