"""Django's built-in Redis cache, keeping one client object per connection pool.

The built-in backend builds a new ``redis.Redis`` client (and its table of ~170
response callbacks) for every cache call; a signed-in request makes several (session,
page cache). The client is thread-safe and holds no connection of its own, so one per
pool is enough. Everything else is Django's ``RedisCache`` unchanged.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
