"""Self-service rules shared by the USSD and SMS doors: status lookup, drop and resume, funnel."""
