"""Imports every model so that `Base.metadata` is complete (Alembic, tests)."""

import registry.matching.keys  # noqa: F401  (keeps the phonetic name keys current)
import registry.programs.models  # noqa: F401  (programs, rule sets, enrollment)
from registry.areas.models import Area, AreaLevel
from registry.audit.models import AuditEvent
from registry.calls.models import CallbackRequest  # noqa: F401
from registry.cards.models import Card, VerificationEvent  # noqa: F401
from registry.cases.models import Case, CaseType  # noqa: F401
from registry.db import Base
from registry.distribution.models import (  # noqa: F401
    DistributionPoint,
    HandOver,
    StockMovement,
)
from registry.grievances.models import (
    Grievance,
    GrievanceCategory,
    GrievanceEvent,
    GrievanceRecording,
)
from registry.households.models import Consent, Household, HouseholdStatus, Person
from registry.indicators.models import IndicatorSnapshot, SnapshotRun  # noqa: F401
from registry.jobs.models import Job  # noqa: F401
from registry.matching.models import MatchModelRow, MatchPair, Merge  # noqa: F401
from registry.messaging.models import InboundMessage, KeyValue, SmsContact
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.partners.models import PartnerClient, PartnerDelivery  # noqa: F401
from registry.payments.models import (  # noqa: F401
    Entitlement,
    EntitlementAdjustment,
    PaymentCycle,
    PaymentEvent,
    ReconciliationImport,
)
from registry.privacy.models import PrivacyErasure
from registry.selfservice.models import PhoneLanguage, UssdSession  # noqa: F401
from registry.submissions.models import SubmissionKey
from registry.users.models import User, UserSession, user_areas

__all__ = [
    "Area",
    "AreaLevel",
    "AuditEvent",
    "Base",
    "Consent",
    "Grievance",
    "GrievanceCategory",
    "GrievanceEvent",
    "GrievanceRecording",
    "Household",
    "HouseholdStatus",
    "InboundMessage",
    "KeyValue",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "PrivacyErasure",
    "SmsContact",
    "SubmissionKey",
    "User",
    "UserSession",
    "user_areas",
]
