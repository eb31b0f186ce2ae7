"""Gateway adapters: each turns one aggregator's callback into `UssdRequest` and back.

Adding an aggregator is one more module here with the same three functions as
`africastalking`, plus its routes in `ussd.views`.
"""
