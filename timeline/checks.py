"""System checks for what settings alone cannot show (`manage.py check --deploy`, run by `make serve`)."""

from django.conf import settings
from django.core.cache import caches
from django.core.checks import Tags, Warning, register

# Redis policies that make room by evicting keys; every key we set has a time to live, so the volatile ones work.
EVICTING = (
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
)
HINT = (
    "Bound it in redis.conf (maxmemory 256mb, maxmemory-policy allkeys-lru) or at run time: "
    "redis-cli CONFIG SET maxmemory 256mb; redis-cli CONFIG SET maxmemory-policy allkeys-lru."
)


@register(Tags.caches, deploy=True)
def redis_cache_is_bounded(app_configs, **kwargs):
    """Every distinct view makes cache entries (a page, its facet counts): without a memory limit and an
    eviction policy, Redis keeps them all until their day is out, and anyone can make more views."""
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        return []  # local memory: bounded by MAX_ENTRIES
    try:
        config = caches["default"]._cache.get_client(write=True).config_get("maxmemory*")
    except Exception as error:  # noqa: BLE001 - a managed Redis may refuse CONFIG; say so, do not fail
        return [
            Warning(
                f"Could not read Redis's memory limit ({error}); make sure it has one.", hint=HINT, id="timeline.W002"
            )
        ]
    limit, policy = int(config.get("maxmemory", 0)), config.get("maxmemory-policy", "")
    if limit and policy in EVICTING:
        return []
    return [
        Warning(
            f"Redis has maxmemory {limit} and policy {policy!r}: the page cache can grow without bound "
            "(or, full, refuse writes).",
            hint=HINT,
            id="timeline.W001",
        )
    ]
