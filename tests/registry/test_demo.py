from collections import Counter

from registry.demo.generator import DemoGenerator
from registry.numbers import is_valid
from registry.phones import normalize_phone


def test_generated_households_look_like_a_real_registry() -> None:
    generator = DemoGenerator(
        seed=7, community_ids=[1, 2, 3], first_household_id=1, first_person_id=1
    )
    households, persons = [], []
    for batch in generator.batches(2000, 500):
        households += batch.households
        persons += batch.persons
    assert len(households) == 2000
    assert len({h["number"] for h in households}) == 2000
    assert all(is_valid(str(h["number"]), 9) for h in households)
    sizes = Counter(p["household_id"] for p in persons)
    assert min(sizes.values()) >= 1 and max(sizes.values()) <= 9
    heads = [p for p in persons if p["relation"] == "head"]
    assert len(heads) == 2000
    phones = [p["phone"] for p in persons if p["phone"]]
    assert all(normalize_phone(str(ph)) == ph for ph in phones[:500])
    assert len(phones) != len(set(phones)), "some phones are shared"
    assert any(h["phone"] is None for h in heads), "some heads have no phone"
    assert {p["language"] for p in persons} == {"en", "fr", "sw", "pt", "ar"}
    assert {p["sex"] for p in persons} == {"F", "M"}
    assert all(1920 <= int(p["birth_year"]) <= 2026 for p in persons)


def test_the_same_seed_gives_the_same_registry() -> None:
    def numbers(seed: int) -> list[object]:
        gen = DemoGenerator(seed, [1], 1, 1)
        return [h["number"] for b in gen.batches(50, 50) for h in b.households]

    assert numbers(3) == numbers(3) != numbers(4)
