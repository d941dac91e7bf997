"""A thread-safe, byte-bounded least-recently-used map: the memory bound of both caches."""

from __future__ import annotations

import threading
from collections import OrderedDict

MIB = 1024 * 1024


class BoundedLRU:
    """A thread-safe least-recently-used map, bounded by the sizes given with its values.

    A value bigger than an eighth of the bound is never kept, so one large item
    cannot evict every small, often-asked one. ``max_bytes`` 0 keeps nothing.

    >>> lru = BoundedLRU(max_bytes=80)
    >>> lru.put("a", "A", size=10), lru.put("big", "B", size=11)
    (True, False)
    >>> for n in range(8):
    ...     _ = lru.put(n, n, size=10)
    >>> lru.get("a") is None, len(lru)
    (True, 8)
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self._size = 0
        self._hits = self._misses = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self._misses += 1
                return None
            self._hits += 1
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value, size: int) -> bool:
        """Keep ``value`` (counted as ``size`` bytes) unless it is too big; say whether it is kept."""
        if size * 8 > self.max_bytes:
            return False
        with self._lock:
            if key not in self._entries:
                self._entries[key] = (value, size)
                self._size += size
                while self._size > self.max_bytes:
                    _, (_, old) = self._entries.popitem(last=False)
                    self._size -= old
        return True

    def items(self) -> list[tuple[object, object]]:
        """A snapshot of the (key, value) pairs, least recently used first."""
        with self._lock:
            return [(key, value) for key, (value, _) in self._entries.items()]

    def stats(self) -> dict[str, int]:
        """Lookups that found an entry (hits) and that did not (misses), entries, bytes held and the bound.

        >>> lru = BoundedLRU(max_bytes=80)
        >>> _ = lru.put("a", "A", size=10); _ = lru.get("a"), lru.get("b")
        >>> lru.stats()
        {'hits': 1, 'misses': 1, 'entries': 1, 'bytes': 10, 'max_bytes': 80}
        """
        with self._lock:
            return {"hits": self._hits, "misses": self._misses, "entries": len(self._entries), "bytes": self._size,
                    "max_bytes": self.max_bytes}

    def __len__(self) -> int:
        return len(self._entries)
