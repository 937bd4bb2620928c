"""Picks the county from the host name, with the host-to-county lookup cached."""

from django.core.cache import cache
from django_tenants.middleware.main import TenantMainMiddleware

HOST_CACHE_SECONDS = 60


def host_cache_key(hostname: str) -> str:
    return f"county-for-host:{hostname}"


class CountyMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        # The connection is on the public schema here, so the key is the same for every county.
        key = host_cache_key(hostname)
        tenant = cache.get(key)
        if tenant is None:
            tenant = domain_model.objects.select_related("tenant").get(domain=hostname).tenant
            cache.set(key, tenant, HOST_CACHE_SECONDS)
        return tenant
