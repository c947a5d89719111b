"""The pure owner-choosing strategies: one owner each, among the candidates, near and balanced."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.territories.departure.owners import (
    AccountInfo,
    Candidate,
    NoCandidate,
    by_territory,
    choose_owners,
    greedy_proposal,
    named,
)

accounts_st = st.lists(
    st.builds(
        AccountInfo,
        id=st.integers(1, 10**6),
        lat=st.floats(47.9, 48.4),
        lon=st.floats(11.2, 11.9),
        tier=st.sampled_from("ABC"),
        territory_id=st.sampled_from([1, 2, None]),
    ),
    max_size=60,
    unique_by=lambda a: a.id,
)
candidates_st = st.lists(
    st.builds(
        Candidate,
        id=st.integers(1, 50),
        home_lat=st.one_of(st.none(), st.floats(47.9, 48.4)),
        home_lon=st.floats(11.2, 11.9),
        load=st.integers(0, 40),
        territory_ids=st.sampled_from([frozenset(), frozenset({1}), frozenset({1, 2})]),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda c: c.id,
)


@settings(max_examples=60, deadline=None)
@given(accounts=accounts_st, candidates=candidates_st)
def test_the_proposal_gives_every_account_exactly_one_candidate(accounts, candidates):
    chosen = choose_owners(accounts, candidates, greedy_proposal)
    assert set(chosen) == {a.id for a in accounts}
    assert set(chosen.values()) <= {c.id for c in candidates}


def test_the_proposal_prefers_the_nearer_rep_until_the_load_evens_out():
    near = Candidate(1, 48.10, 11.40, 0, frozenset({1}))
    far = Candidate(2, 48.10, 11.80, 0, frozenset({1}))
    accounts = [AccountInfo(i, 48.10, 11.42, "B", 1) for i in range(1, 41)]
    counts = Counter(greedy_proposal(accounts, [near, far]).values())
    # 28 km apart: the near rep takes the share and more, but not everything.
    assert counts[1] > counts[2] > 0
    assert greedy_proposal(accounts[:2], [near, far]) == {1: 1, 2: 1}


def test_territory_members_come_first_and_rule_refuses_orphans():
    member = Candidate(1, 48.1, 11.9, 5, frozenset({1}))
    stranger = Candidate(2, 48.1, 11.4, 0, frozenset({2}))
    account = AccountInfo(7, 48.1, 11.4, "A", 1)
    assert greedy_proposal([account], [member, stranger]) == {7: 1}
    assert by_territory([account], [member, stranger]) == {7: 1}
    with pytest.raises(NoCandidate) as err:
        by_territory([AccountInfo(8, 48.1, 11.4, "A", 3)], [member, stranger])
    assert err.value.account_ids == [8]


def test_named_needs_an_owner_for_every_account_and_choose_checks_it():
    accounts = [AccountInfo(1, 48.1, 11.5, "A", 1), AccountInfo(2, 48.1, 11.5, "B", 1)]
    reps = [Candidate(5, None, None, 0, frozenset())]
    with pytest.raises(NoCandidate):
        choose_owners(accounts, reps, named({1: 5}, None))
    assert choose_owners(accounts, reps, named({1: 5}, 5)) == {1: 5, 2: 5}
    with pytest.raises(NoCandidate) as err:
        choose_owners(accounts, reps, named({1: 6}, 5))  # 6 is no candidate
    assert err.value.account_ids == [1]
