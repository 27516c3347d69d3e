"""The bare Flask endpoint that `make bench-load` compares the site against.

Served by the same gunicorn configuration (gunicorn.conf.py: workers, threads, worker class),
so the ratio of the site's requests/s to this one's says how much of the machine our own code
uses, whatever the machine.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
