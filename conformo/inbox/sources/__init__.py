"""Every kind of item My work collects, in the order the page groups them: the CB's work, then the client's."""

from conformo.inbox.items import Source
from conformo.inbox.sources import cb, client

SOURCES: list[Source] = [*cb.SOURCES, *client.SOURCES]

__all__ = ["SOURCES"]
