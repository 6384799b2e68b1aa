"""Who acts in a service: a signed-in user, or the installation itself — said on purpose, never by default.

Every service takes `actor: Actor`. Pages, the API and tests pass the request's user (an anonymous visitor has
no membership, so every permission check refuses it). The demo loader, catalog loading, scheduled jobs and the
operator's CLI commands pass `SYSTEM`: it may do what an installation administrator may, and its audit-log
entries have no user. `None` is no actor: mypy refuses it, and so does every permission check at run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from django.contrib.auth.models import AnonymousUser

if TYPE_CHECKING:
    from conformo.accounts.models import User


class SystemActor:
    """The installation acting on its own behalf. Use the one instance, `SYSTEM`."""

    is_authenticated: Final = True
    is_superuser: Final = True
    is_active: Final = True
    pk: Final = None
    id: Final = None
    email: Final = ""

    def __repr__(self) -> str:
        return "SYSTEM"

    def __str__(self) -> str:
        return "the system"


SYSTEM: Final = SystemActor()

type Actor = User | AnonymousUser | SystemActor


def acting_user(actor: Actor) -> User | None:
    """The user to record as having done it: the actor if a signed-in user, else no one (`SYSTEM`)."""
    if isinstance(actor, SystemActor | AnonymousUser):
        return None
    return actor
