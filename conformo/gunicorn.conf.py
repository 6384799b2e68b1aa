"""gunicorn settings for `make run` (see docs/deployment.md for the measurements behind them)."""

import os

worker_class = "sync"
preload_app = True
max_requests = 10000
max_requests_jitter = 500
timeout = 30
accesslog = os.environ.get("ACCESS_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
