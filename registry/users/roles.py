"""Roles and what each may do. Doors ask `can(user_roles, permission)`; they never list roles."""

from __future__ import annotations

from enum import StrEnum

from registry.i18n import N_


class Role(StrEnum):
    FIELD_WORKER = "field_worker"
    GRIEVANCE_OFFICER = "grievance_officer"
    SAFEGUARDING_OFFICER = "safeguarding_officer"
    CASE_WORKER = "case_worker"
    PROGRAM_MANAGER = "program_manager"
    AUDITOR = "auditor"
    FINANCE_OFFICER = "finance_officer"
    ADMIN = "admin"


ROLE_LABELS = {
    Role.FIELD_WORKER: N_("Field worker"),
    Role.GRIEVANCE_OFFICER: N_("Grievance officer"),
    Role.SAFEGUARDING_OFFICER: N_("Safeguarding officer"),
    Role.CASE_WORKER: N_("Case worker"),
    Role.PROGRAM_MANAGER: N_("Program manager"),
    Role.AUDITOR: N_("Auditor"),
    Role.FINANCE_OFFICER: N_("Finance officer"),
    Role.ADMIN: N_("Administrator"),
}


class Permission(StrEnum):
    HOUSEHOLD_VIEW = "household.view"
    HOUSEHOLD_REGISTER = "household.register"
    HOUSEHOLD_EDIT = "household.edit"
    HOUSEHOLD_VERIFY = "household.verify"
    GRIEVANCE_HANDLE = "grievance.handle"
    GRIEVANCE_LODGE = "grievance.lodge"
    GRIEVANCE_SENSITIVE = "grievance.sensitive"
    CASE_HANDLE = "case.handle"
    PROGRAM_MANAGE = "program.manage"
    PROGRAM_VIEW = "program.view"
    ENROLLMENT_OVERRIDE = "enrollment.override"
    DASHBOARD_VIEW = "dashboard.view"
    EXPORT = "export"
    AUDIT_VIEW = "audit.view"
    CARD_ISSUE = "card.issue"
    CARD_VERIFY = "card.verify"
    USER_MANAGE = "user.manage"
    PAYMENT_VIEW = "payment.view"  # cycles, payment lists, the money picture
    PAYMENT_PREPARE = "payment.prepare"  # open cycles, import lists, adjust, pay, reconcile
    PAYMENT_APPROVE = "payment.approve"  # approve a cycle prepared by someone else
    PAYMENT_OVERRIDE = "payment.override"  # approve over budget, with a written reason
    DISTRIBUTION_RECORD = "distribution.record"  # hand over goods at a distribution point
    PII_FULL = "pii.full"  # sees full phone numbers, national IDs, exact birth dates


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.FIELD_WORKER: frozenset(
        {
            Permission.HOUSEHOLD_VIEW,
            Permission.HOUSEHOLD_REGISTER,
            Permission.HOUSEHOLD_EDIT,
            Permission.HOUSEHOLD_VERIFY,
            Permission.GRIEVANCE_LODGE,
            Permission.CARD_VERIFY,
            Permission.DISTRIBUTION_RECORD,
            Permission.PII_FULL,
        }
    ),
    Role.GRIEVANCE_OFFICER: frozenset(
        {
            Permission.HOUSEHOLD_VIEW,
            Permission.GRIEVANCE_HANDLE,
            Permission.GRIEVANCE_LODGE,
            Permission.DASHBOARD_VIEW,
        }
    ),
    # Handles sensitive grievances (abuse, exploitation): sees who complained, in full.
    Role.SAFEGUARDING_OFFICER: frozenset(
        {
            Permission.HOUSEHOLD_VIEW,
            Permission.GRIEVANCE_HANDLE,
            Permission.GRIEVANCE_LODGE,
            Permission.GRIEVANCE_SENSITIVE,
            Permission.PII_FULL,
            Permission.DASHBOARD_VIEW,
        }
    ),
    Role.CASE_WORKER: frozenset(
        {
            Permission.HOUSEHOLD_VIEW,
            Permission.CASE_HANDLE,
            Permission.GRIEVANCE_LODGE,
            Permission.GRIEVANCE_SENSITIVE,
            Permission.CARD_VERIFY,
            Permission.PII_FULL,
        }
    ),
    Role.PROGRAM_MANAGER: frozenset(
        {
            Permission.HOUSEHOLD_VIEW,
            Permission.PROGRAM_MANAGE,
            Permission.PROGRAM_VIEW,
            Permission.ENROLLMENT_OVERRIDE,
            Permission.DASHBOARD_VIEW,
            Permission.EXPORT,
            Permission.CARD_ISSUE,
            Permission.PAYMENT_VIEW,
            Permission.PAYMENT_PREPARE,
        }
    ),
    # Approves what program managers prepared (maker-checker), pays, reconciles, and may
    # override a budget with a written reason.
    Role.FINANCE_OFFICER: frozenset(
        {
            Permission.PROGRAM_VIEW,
            Permission.DASHBOARD_VIEW,
            Permission.EXPORT,
            Permission.PAYMENT_VIEW,
            Permission.PAYMENT_PREPARE,
            Permission.PAYMENT_APPROVE,
            Permission.PAYMENT_OVERRIDE,
            Permission.PII_FULL,  # payees' phone numbers go to the bank or agent in full
        }
    ),
    Role.AUDITOR: frozenset(
        {
            Permission.AUDIT_VIEW,
            Permission.DASHBOARD_VIEW,
            Permission.PROGRAM_VIEW,
            Permission.PAYMENT_VIEW,
        }
    ),
    Role.ADMIN: frozenset(Permission),
}


def permissions_of(roles: frozenset[str] | set[str]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        if role in Role.__members__.values():
            granted |= ROLE_PERMISSIONS[Role(role)]
    return frozenset(granted)


def can(roles: frozenset[str] | set[str], permission: Permission) -> bool:
    return permission in permissions_of(roles)
