"""Demo cards: the first active households of each region get a household card."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area, AreaLevel
from registry.cards.keys import Keyring, default_keys_dir
from registry.cards.service import issue_card
from registry.households.models import Household, HouseholdStatus
from registry.origin import Origin

CARDS_PER_REGION = 20


def load_demo(session: Session, rng: random.Random, origin: Origin) -> None:
    keyring = Keyring(default_keys_dir())
    regions = session.scalars(select(Area).where(Area.level == AreaLevel.REGION).order_by(Area.id))
    for region in regions:
        households = session.scalars(
            select(Household)
            .join(Area, Household.area_id == Area.id)
            .where(Area.path.startswith(region.path), Household.status == HouseholdStatus.ACTIVE)
            .order_by(Household.id)
            .limit(CARDS_PER_REGION * 2)
        ).all()
        for household in rng.sample(list(households), min(CARDS_PER_REGION, len(households))):
            issue_card(session, household, origin=origin, keyring=keyring)
