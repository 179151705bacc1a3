"""Reads from a PostgreSQL read replica, everything else from the primary.

Installed only when ``DATABASE_REPLICA_URL`` is set (see settings.py): the settings then add a ``replica``
database alias and put ``PrimaryReplicaRouter`` in ``DATABASE_ROUTERS``. Without it the middleware below steps
out of the chain at start-up and every query goes to ``default`` as before.

The rule is deliberately simple, so that nobody ever reads a stale copy of something they just wrote:

- a request may read from the replica only if it is a GET, HEAD or OPTIONS request *without a session cookie*:
  the anonymous public reading the catalogue, lists, items, search, feeds and the API. Staff (signed in), and
  applicants or senders following their own records (the receipt and tracking pages keep their grant in the
  session) always read from the primary;
- within such a request, reads go back to the primary as soon as the request writes anything (a download
  counter, for instance) and inside any transaction on the primary;
- outside a request (management commands, cron jobs, the shell) everything uses the primary;
- writes always go to the primary, and migrations run on the primary only: the replica follows it by
  PostgreSQL's own replication.

The decision is kept per request in a context variable, so it holds for threads and for async code alike.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections, router

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class RequestScope:
    replica_allowed: bool
    wrote: bool = False


_scope: ContextVar[RequestScope | None] = ContextVar("portal_db_request_scope", default=None)


def replica_allowed(request) -> bool:
    """Whether this request may read from the replica: a safe method and no session to read its own writes in."""
    return request.method in SAFE_METHODS and settings.SESSION_COOKIE_NAME not in request.COOKIES


def router_installed() -> bool:
    return any(isinstance(installed, PrimaryReplicaRouter) for installed in router.routers)


class ReplicaRoutingMiddleware:
    """Marks each request as allowed to read from the replica or not, for ``PrimaryReplicaRouter``."""

    def __init__(self, get_response):
        if not router_installed():
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        token = _scope.set(RequestScope(replica_allowed=replica_allowed(request)))
        try:
            return self.get_response(request)
        finally:
            _scope.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        scope = _scope.get()
        if (
            scope is None
            or not scope.replica_allowed
            or scope.wrote
            or REPLICA not in settings.DATABASES
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        scope = _scope.get()
        if scope is not None:
            scope.wrote = True  # from now on this request reads what it wrote, on the primary
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY
