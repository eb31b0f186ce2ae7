import pytest
from sqlalchemy.orm import Session

from registry.errors import NotFound
from registry.households.service import count_households, get_household, search_households
from registry.scope import Scope, areas_in_scope
from registry.users.roles import Role
from registry.users.service import scope_of
from tests.factories import community, make_household, make_user, region


def test_worker_of_region_one_never_sees_region_two(db_session: Session) -> None:
    mine = make_household(db_session, community(db_session, 0), family_name="Mine")
    theirs = make_household(db_session, community(db_session, 1), family_name="Theirs")
    worker = make_user(db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code])
    scope = scope_of(worker)

    assert get_household(db_session, scope, mine.number).id == mine.id
    with pytest.raises(NotFound):
        get_household(db_session, scope, theirs.number)
    assert [h.id for h in search_households(db_session, scope, "Theirs")] == []
    assert [h.id for h in search_households(db_session, scope, "Mine")] == [mine.id]
    assert [h.id for h in search_households(db_session, scope, theirs.number)] == []
    assert count_households(db_session, scope) >= 1


def test_descendants_are_in_scope_and_siblings_are_not(db_session: Session) -> None:
    district = community(db_session, 0).parent
    assert district is not None
    scope = Scope.of_areas([district])
    codes = {a.code for a in areas_in_scope(db_session, scope)}
    assert district.code in codes
    assert all(code.startswith(district.code) for code in codes)
    sibling_district = community(db_session, 0, 5).parent
    assert sibling_district is not None and sibling_district.code not in codes


def test_an_empty_scope_sees_nothing(db_session: Session) -> None:
    make_household(db_session, community(db_session, 0))
    assert count_households(db_session, Scope(paths=())) == 0
    assert search_households(db_session, Scope(paths=()), "") == []


def test_invalid_number_is_not_looked_up(db_session: Session) -> None:
    with pytest.raises(NotFound):
        get_household(db_session, Scope.unrestricted(), "123456789")
