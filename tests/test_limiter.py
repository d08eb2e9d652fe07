"""The sign-in limiter under parallel attack: guesses sent at the same instant, each checked with a
real argon2 hash, must meet the budgets the README promises. The clock is passed in, so the test
replays "the first minute" without sleeping; the hashes and threads are real."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import VerifyMismatchError

from ui.limiter import Decision, Limiter, Limits

_HASHER = PasswordHasher()
_HASH = _HASHER.hash("the right password, long")


def _check(password: str) -> bool:
    try:
        return bool(_HASHER.verify(_HASH, password))
    except VerifyMismatchError:
        return False


class Counter:
    """How many hashes were checked, and the most at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked = 0
        self.running = 0
        self.peak = 0

    def sign_in(
        self, limiter: Limiter, username: str, address: str, password: str, now: float, check: bool = True
    ) -> Decision:
        decision = limiter.attempt(username, address, now=now)
        if decision.ticket is None:
            return decision
        with self.lock:
            self.checked += 1
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            ok = _check(password) if check else False
        finally:
            with self.lock:
                self.running -= 1
            decision.ticket.finish(ok)
        return decision


def burst(count: int, call: Callable[[int], Decision]) -> list[Decision]:
    """`count` calls released together by a barrier, from `count` threads."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Decision:
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def minute(limiter: Limiter, counter: Counter, username: str, addresses: list[str], password: str) -> None:
    """The attacker retries every second for the rest of the first minute, from every address."""
    for second in range(1, 60):
        for address in addresses:
            counter.sign_in(limiter, username, address, password, now=float(second))


def test_fifty_parallel_guesses_at_one_account_from_one_address_check_at_most_five() -> None:
    limiter, counter = Limiter(Limits(concurrent=50)), Counter()
    decisions = burst(50, lambda i: counter.sign_in(limiter, "ann", "10.0.0.9", f"guess {i}", now=0.0))
    assert counter.checked == 5
    refused = [d for d in decisions if not d.allowed]
    assert len(refused) == 45 and {d.why for d in refused} == {"username"}
    assert min(d.wait for d in refused) >= 59
    assert sum(d.log for d in refused) == 1  # one audit entry for the lockout, not 45
    minute(limiter, counter, "ann", ["10.0.0.9"], "guess again")
    assert counter.checked == 5  # still five at the end of the first minute


def test_the_owner_from_another_address_is_slowed_by_seconds_at_most() -> None:
    limiter, counter = Limiter(Limits(concurrent=50)), Counter()
    attackers = [f"10.0.1.{n}" for n in range(10)]
    burst(50, lambda i: counter.sign_in(limiter, "ann", attackers[i % 10], f"guess {i}", now=0.0))
    assert counter.checked == 10  # account-wide: 10 failures from any addresses, then spacing
    owner = counter.sign_in(limiter, "ann", "192.168.5.5", "the right password, long", now=0.5)
    assert not owner.allowed and owner.why == "account" and owner.wait <= 5
    owner = counter.sign_in(limiter, "ann", "192.168.5.5", "the right password, long", now=0.5 + owner.wait)
    assert owner.allowed


def test_owner_from_another_address_is_not_slowed_by_one_attacker() -> None:
    limiter, counter = Limiter(Limits(concurrent=50)), Counter()
    burst(50, lambda i: counter.sign_in(limiter, "ann", "10.0.0.9", f"guess {i}", now=0.0))
    owner = counter.sign_in(limiter, "ann", "192.168.5.5", "the right password, long", now=1.0)
    assert owner.allowed


def test_one_password_sprayed_over_fifty_usernames_checks_at_most_twenty() -> None:
    limiter, counter = Limiter(Limits(concurrent=50)), Counter()
    decisions = burst(50, lambda i: counter.sign_in(limiter, f"user{i}", "10.0.0.7", "Winter2026!", now=0.0))
    assert counter.checked == 20
    assert {d.why for d in decisions if not d.allowed} == {"address"}
    for second in range(1, 60):
        counter.sign_in(limiter, f"other{second}", "10.0.0.7", "Winter2026!", now=float(second))
    assert counter.checked == 20


def test_at_most_two_hashes_at_once_and_the_rest_told_the_server_is_busy() -> None:
    limiter, counter = Limiter(), Counter()
    decisions = burst(40, lambda i: counter.sign_in(limiter, f"user{i}", f"10.2.0.{i}", "guess", now=0.0))
    assert counter.peak <= 2
    assert {d.why for d in decisions if not d.allowed} <= {"busy"}
    assert all(d.wait <= 1 for d in decisions if not d.allowed)


def test_overall_rate_caps_hashes_per_minute() -> None:
    limiter, counter = Limiter(Limits(per_minute=120)), Counter()
    for i in range(300):  # 300 different people at 300 addresses within one minute (the count, not the hash)
        counter.sign_in(limiter, f"user{i}", f"10.3.{i // 250}.{i % 250}", "guess", now=i * 0.2, check=False)
    assert counter.checked == 120


def test_a_success_clears_the_owners_failures_and_waits_double() -> None:
    limiter, counter = Limiter(), Counter()
    for i in range(4):
        counter.sign_in(limiter, "ann", "10.0.0.1", f"typo {i}", now=float(i))
    assert counter.sign_in(limiter, "ann", "10.0.0.1", "the right password, long", now=10.0).allowed
    for i in range(5):
        assert counter.sign_in(limiter, "ann", "10.0.0.1", f"typo {i}", now=20.0 + i).allowed
    first = limiter.attempt("ann", "10.0.0.1", now=25.0)
    assert not first.allowed and 59 <= first.wait <= 60
    assert counter.sign_in(limiter, "ann", "10.0.0.1", "typo", now=84.0).allowed
    second = limiter.attempt("ann", "10.0.0.1", now=85.0)
    assert not second.allowed and 119 <= second.wait <= 120


def test_state_is_bounded() -> None:
    limiter = Limiter(Limits(max_keys=1000, per_minute=10**9, concurrent=10**9))
    for i in range(5000):
        decision = limiter.attempt(f"user{i}", f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", now=i * 0.001)
        assert decision.ticket is not None
        decision.ticket.finish(False)
    assert limiter.tracked() <= 1000
