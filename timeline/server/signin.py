"""Who is signing in, and when to stop them (django-axes does the counting).

Behind proxies every request comes from the nearest proxy's address, so a lockout by address would lock
everyone out together. The client is the address our outermost trusted proxy saw: the TRUSTED_PROXIES-th
entry of X-Forwarded-For from the right (each proxy appends the address it was called from). Entries
further left are whatever the client sent, and are never read.
"""

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def client_ip(request):
    """The client's address, read through settings.TRUSTED_PROXIES proxies (0: the connection's own)."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class SignInBackend(AxesStandaloneBackend):
    """django-axes locks one username from one address (AXES_LOCKOUT_PARAMETERS), so a stranger cannot lock an
    editor out; this also stops one address that tries many usernames (SIGNIN_ADDRESS_FAILURE_LIMIT)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        super().authenticate(request, username, password, **kwargs)
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        failures = (
            AccessAttempt.objects.filter(ip_address=client_ip(request), attempt_time__gte=since).aggregate(
                n=Sum("failures_since_start")
            )["n"]
            or 0
        )
        if failures >= settings.SIGNIN_ADDRESS_FAILURE_LIMIT:
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Too many failed sign-ins from this address")
