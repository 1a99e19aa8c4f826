"""Keep share tokens out of the logs: Django logs the path of every 4xx response
("Not Found: /s/<token>/"), and a token in a log file would open the summary."""

from __future__ import annotations

import logging
import re

SHARE_PATH = re.compile(r"/s/[^/\s?#\"']+")
REDACTED = "/s/[token]"


def redact(text: str) -> str:
    return SHARE_PATH.sub(REDACTED, text)


class RedactShareTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
