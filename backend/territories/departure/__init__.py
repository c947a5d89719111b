"""A rep's departure and a new rep's carve: ownership handed over in one action.

``service.depart`` (departures), ``carve.carve`` (a new rep's accounts from neighbours),
``handover`` (the transition window), ``owners`` (pure owner-choosing strategies).
"""
