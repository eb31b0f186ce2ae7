"""Grievance redress: categories, grievances with their timeline, SLA, escalation, survey."""
