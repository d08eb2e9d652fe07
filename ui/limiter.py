"""The sign-in limiter: guessing passwords, in parallel or spread out, gains nothing.

An attempt is counted *before* its password hash is checked, under one lock, as if it had
failed; a success then takes it back. So fifty guesses sent at the same instant meet a budget
that the first five have already used up, instead of all reading "no failures yet" and all
being checked (the flaw of counting after the hash). Four budgets, each over a 15-minute window:

- one username from one client address: 5 free failures, then a wait of 60 s doubling with each
  further failure up to 15 minutes (this is the one an attacker at one address meets);
- one client address over all usernames: 20 free failures, then the same waits (one password
  sprayed over many usernames);
- one username from every address: after 10 failures, at most one attempt every 5 s (a botnet
  on one account). The rightful owner, at an address that has not failed, is never locked out by
  someone else's guesses: at most they wait those few seconds;
- every sign-in: at most 120 hashes checked a minute, and at most 2 at once (argon2 uses 64 MiB
  each), so guessing cannot exhaust the server's memory or CPU.

State is in this process's memory, bounded (old entries pruned, at most `max_keys` keys): a
restart forgets it, and each server of a multi-server install keeps its own (see SECURITY.md).
Waits are whole seconds for the message; the clock is a parameter, so tests need no sleeping.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    pair_free: int = 5
    address_free: int = 20
    account_free: int = 10
    account_spacing: float = 5.0
    first_wait: float = 60.0
    max_wait: float = 900.0
    window: float = 900.0
    per_minute: int = 120
    concurrent: int = 2
    max_keys: int = 50_000


@dataclass(frozen=True)
class Decision:
    """`allowed`: check the password now (then call `finish`). Otherwise `wait` whole seconds, `why`
    names the budget, and `log` is True only for the first refusal of each lockout, so a hammered
    account adds one audit entry per lockout, not one per guess."""

    allowed: bool
    wait: int = 0
    why: str = ""
    log: bool = False
    ticket: Ticket | None = None


class Ticket:
    """One counted attempt. `finish(ok)` releases the hash slot; `ok=True` takes the failure back."""

    def __init__(self, limiter: Limiter, username: str, address: str, at: float) -> None:
        self._limiter, self.username, self.address, self.at = limiter, username, address, at
        self._done = False

    def finish(self, ok: bool) -> None:
        if not self._done:
            self._done = True
            self._limiter._finish(self, ok)


class Limiter:
    def __init__(self, limits: Limits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits or Limits()
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: OrderedDict[tuple[str, ...], deque[float]] = OrderedDict()
        self._announced: dict[tuple[str, ...], float] = {}
        self._pruned_at = float("-inf")
        self._checked: deque[float] = deque()
        self._account_last: dict[str, float] = {}
        self._running = 0

    def attempt(self, username: str, address: str, now: float | None = None) -> Decision:
        """Count an attempt at `username` from `address` before its password is checked, or refuse it."""
        limits = self.limits
        with self._lock:
            at = self._clock() if now is None else now
            self._prune(at)
            pair, addr, account = ("pair", username, address), ("address", address), ("account", username)
            waits = [
                (self._backoff(pair, limits.pair_free, at), "username", pair),
                (self._backoff(addr, limits.address_free, at), "address", addr),
                (self._spacing(username, at), "account", account),
                (self._rate(at), "busy", ("overall",)),
            ]
            wait, why, key = max(waits, key=lambda item: item[0])
            if wait <= 0 and self._running >= limits.concurrent:
                wait, why, key = 1.0, "busy", ("overall",)
            if wait > 0:
                return self._refuse(wait, why, key, at)
            for name in (pair, addr, account):
                self._entry(name).append(at)
            self._checked.append(at)
            self._account_last[username] = at
            self._running += 1
            return Decision(True, ticket=Ticket(self, username, address, at))

    def tracked(self) -> int:
        """How many usernames, addresses and pairs are remembered now (bounded by `max_keys`)."""
        with self._lock:
            return len(self._keys)

    def _finish(self, ticket: Ticket, ok: bool) -> None:
        with self._lock:
            self._running -= 1
            if not ok:
                return
            self._keys.pop(("pair", ticket.username, ticket.address), None)
            for name in (("address", ticket.address), ("account", ticket.username)):
                entry = self._keys.get(name)
                if entry is not None and ticket.at in entry:
                    entry.remove(ticket.at)

    def _entry(self, key: tuple[str, ...]) -> deque[float]:
        entry = self._keys.get(key)
        if entry is None:
            entry = self._keys[key] = deque()
            while len(self._keys) > self.limits.max_keys:
                self._keys.popitem(last=False)
        else:
            self._keys.move_to_end(key)
        return entry

    def _backoff(self, key: tuple[str, ...], free: int, at: float) -> float:
        entry = self._keys.get(key)
        if entry is None or len(entry) < free:
            return 0.0
        wait = min(self.limits.first_wait * 2 ** (len(entry) - free), self.limits.max_wait)
        return entry[-1] + wait - at

    def _spacing(self, username: str, at: float) -> float:
        entry = self._keys.get(("account", username))
        if entry is None or len(entry) < self.limits.account_free:
            return 0.0
        return self._account_last.get(username, 0.0) + self.limits.account_spacing - at

    def _rate(self, at: float) -> float:
        if len(self._checked) < self.limits.per_minute:
            return 0.0
        return self._checked[0] + 60.0 - at

    def _refuse(self, wait: float, why: str, key: tuple[str, ...], at: float) -> Decision:
        log = self._announced.get(key, float("-inf")) < at
        self._announced[key] = max(self._announced.get(key, float("-inf")), at + wait)
        return Decision(False, max(1, int(wait + 0.999)), why, log)

    def _prune(self, at: float) -> None:
        """Drop what has left the window: every attempt at most once a second, so the cost stays flat."""
        while self._checked and self._checked[0] <= at - 60.0:
            self._checked.popleft()
        if at - self._pruned_at < 1.0 and len(self._announced) < self.limits.max_keys:
            return
        self._pruned_at = at
        horizon = at - self.limits.window
        for key in list(self._keys):
            entry = self._keys[key]
            while entry and entry[0] <= horizon:
                entry.popleft()
            if not entry:
                del self._keys[key]
        live = [(k, until) for k, until in self._announced.items() if until >= at]
        self._announced = dict(live[-self.limits.max_keys :])
        self._account_last = {n: last for n, last in self._account_last.items() if last > horizon}
