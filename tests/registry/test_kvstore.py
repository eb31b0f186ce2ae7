"""The same contract for both backends (SQL here, Redis when KINGA_TEST_REDIS_URL is set)."""

import time

from registry.kvstore import KeyValueStore


def test_set_get_delete(kv: KeyValueStore) -> None:
    assert kv.get("a") is None
    kv.set("a", "1", ttl_seconds=60)
    assert kv.get("a") == "1"
    kv.set("a", "2", ttl_seconds=60)
    assert kv.get("a") == "2"
    kv.delete("a")
    assert kv.get("a") is None


def test_counters_count_and_expire(kv: KeyValueStore) -> None:
    assert [kv.incr("c", ttl_seconds=1) for _ in range(3)] == [1, 2, 3]
    time.sleep(1.2)
    assert kv.incr("c", ttl_seconds=1) == 1


def test_values_expire(kv: KeyValueStore) -> None:
    kv.set("e", "x", ttl_seconds=1)
    time.sleep(1.2)
    assert kv.get("e") is None


def test_unicode_values_round_trip(kv: KeyValueStore) -> None:
    kv.set("u", "مرحبا ménage", ttl_seconds=60)
    assert kv.get("u") == "مرحبا ménage"
