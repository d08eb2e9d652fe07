"""The one callback guard: a button's callback checks the role again when the click arrives.

A page checks the role at its top, but a callback runs on the *next* rerun, before the page
does: between drawing the button and the click, an admin may have changed the person's role or
disabled them. `guarded` re-reads the role, and when it no longer allows the action it records
the refusal in the audit log (with the role the person has now) and leaves a flash message
instead of running the callback (`ui.flash`, shown by the page with `flash.show(page)`).

    @guarded("admin", "rollback", page="history")
    def act(who: User, action: str, submission_id: int) -> None: ...

    st.button("Roll back", on_click=act, args=("rollback", 3))
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from store.accounts import Role
from ui import flash
from ui.auth import User, can, current_user, record_for

P = ParamSpec("P")
R = TypeVar("R")


def guarded(
    role: Role, action: str, page: str, refused: str = ""
) -> Callable[[Callable[Concatenate[User, P], R]], Callable[P, R | None]]:
    """Run the callback with the signed-in `User` only if they still have `role`; otherwise audit a refusal."""

    def wrap(callback: Callable[Concatenate[User, P], R]) -> Callable[P, R | None]:
        @functools.wraps(callback)
        def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
            who = current_user()
            if who is None or not can(who, role):
                record_for(who, action, f"needs {role}", "refused", "role re-checked when the click arrived")
                flash.error(page, refused or f"Only someone with the {role} role can do that.")
                return None
            return callback(who, *args, **kwargs)

        return run

    return wrap
