"""A team built in the database for the workload and rebalancing tests."""

import random

HOMES = [(48.10, 11.50), (48.10, 11.62), (48.18, 11.50), (48.18, 11.62)]


def build_team(make_user, make_territory, make_account, counts=(60, 40, 25, 15), seed=3):
    """A manager, a territory and four reps 9-10 km apart owning ``counts`` accounts each.

    Tiers cycle A A B B B C C C C per rep, so equal counts give equal service minutes.
    Returns ``(manager, territory, reps, accounts_by_rep)``.
    """
    rng = random.Random(seed)
    manager = make_user("manager")
    territory = make_territory(manager)
    reps, owned = [], {}
    for (lat, lon), count in zip(HOMES, counts, strict=True):
        rep = make_user("rep", territory=territory, home_lat=lat, home_lon=lon)
        reps.append(rep)
        owned[rep.id] = [
            make_account(
                owner=rep,
                territory=territory,
                tier="AABBBCCCC"[i % 9],
                lat=lat + rng.uniform(-0.04, 0.04),
                lon=lon + rng.uniform(-0.06, 0.06),
            )
            for i in range(count)
        ]
    return manager, territory, reps, owned
