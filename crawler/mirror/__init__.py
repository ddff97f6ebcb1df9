"""Local mirror of commission websites for offline crawling and tests.

``MirrorServer`` serves the virtual hosts in ``HOSTS`` from one 127.0.0.1 port, chosen by
the HTTP Host header; ``mirrored_notices()`` says which corpus notice lives at which URL.
"""

from .layouts import HOSTS, REAL_HOSTS, SYNTHETIC_HOSTS, mirrored_articles, mirrored_notices
from .server import MirrorServer

__all__ = ["HOSTS", "REAL_HOSTS", "SYNTHETIC_HOSTS", "MirrorServer", "mirrored_articles", "mirrored_notices"]
