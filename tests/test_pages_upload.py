"""Who may do what, page by page (AppTest): local accounts and identity-provider claims (st.user).

Every page checks the role itself; navigation only hides what a role cannot use.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from charts.upload import compared
from loaders.ingest import read_bytes
from store import accounts, audit, history
from store.backend import Store
from store.plan_queries import kpi_series
from store.queries import catalogue
from store.writes import changes, submit_settings
from tests.data.good.make_fictional import workbook
from tests.helpers import Pages, frame_with, in_navigation, large_kpi_return, long_kpi
from ui import upload_preview

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "data" / "good"
PAGES = {
    "views/overview.py": "viewer",
    "views/upload.py": "uploader",
    "views/history.py": "uploader",
    "views/audit_log.py": "admin",
    "views/users.py": "admin",
}
RANK = {None: 0, "viewer": 1, "uploader": 2, "admin": 3}
OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-only-not-a-secret",
        "client_id": "test",
        "client_secret": "test",
        "server_metadata_url": "https://login.example/.well-known/openid-configuration",
    },
    "roles": {"claim": "groups", "admin": ["grp-admins"], "uploader": ["grp-performance"], "viewer": ["grp-staff"]},
}


def oidc_app(groups: list[str] | None, script: str = "dashboard.py") -> AppTest:
    at = AppTest.from_file(str(ROOT / script), default_timeout=60)
    at.secrets = OIDC_SECRETS
    at.user = {"is_logged_in": False} if groups is None else {
        "is_logged_in": True, "email": "pat@northmoor.example", "name": "Pat", "groups": groups,
        "iss": "https://login.example", "sub": "pat", "iat": time.time(), "email_verified": True,
    }  # fmt: skip
    return at


def denied(at: AppTest) -> bool:
    texts = [e.value for e in (*at.error, *at.warning)]
    return any("Not allowed" in t or "Please sign in" in t for t in texts)


@pytest.mark.parametrize("role", [None, "viewer", "uploader", "admin"])
@pytest.mark.parametrize("page", list(PAGES))
def test_local_role_by_page(pages: Pages, role: str | None, page: str) -> None:
    allowed = RANK[role] >= RANK[PAGES[page]] or PAGES[page] == "viewer"
    at = pages.app(role, script=page).run()
    assert not at.exception, at.exception
    assert denied(at) is not allowed
    dash = pages.app(role).run()
    assert in_navigation(dash, page) is allowed


@pytest.mark.parametrize(
    ("groups", "role"),
    [(None, None), (["grp-other"], None), (["grp-staff"], "viewer"), (["grp-performance"], "uploader"),
     (["grp-staff", "grp-admins"], "admin")],
)  # fmt: skip
@pytest.mark.parametrize("page", ["views/upload.py", "views/history.py", "views/audit_log.py", "views/users.py"])
def test_identity_provider_role_by_page(
    app_target: object, groups: list[str] | None, role: str | None, page: str
) -> None:
    at = oidc_app(groups, page).run()
    assert not at.exception, at.exception
    assert denied(at) is not (RANK[role] >= RANK[PAGES[page]])
    dash = oidc_app(groups).run()
    assert in_navigation(dash, page) is (RANK[role] >= RANK[PAGES[page]])


def test_store_account_overrides_claims_and_disabling_shuts_out(pages: Pages) -> None:
    pages.call(lambda c: accounts.add(c, "pat@northmoor.example", "admin", None, by="test"))
    at = oidc_app(["grp-staff"], "views/users.py").run()
    assert not denied(at)
    pages.account("admin")
    pages.call(lambda c: accounts.disable(c, "pat@northmoor.example", by="root"))
    at.run()
    assert denied(at)
    signed_in = pages.call(lambda c: audit.entries(c, action="sign_in"))
    assert list(signed_in["outcome"]) == ["no role", "ok"] and signed_in["target"].iloc[0] == "pat@northmoor.example"


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    at.get("file_uploader")[0].upload(name, content)
    return at.run()


def upload_page(pages: Pages, role: str) -> AppTest:
    """The Upload page reached through dashboard.py, as in the app (its links need the navigation)."""
    return pages.open("views/upload.py", role)


def test_upload_preview_confirm_then_rollback(pages: Pages) -> None:
    at = upload_page(pages, "uploader")
    at = upload(at, "fictional_monthly_kpis.xlsx", (GOOD / "fictional_monthly_kpis.xlsx").read_bytes())
    assert not at.exception, at.exception
    assert "No problems found." in [s.value for s in at.success]
    observations = at.table[0].value.loc["KPI values"]
    assert (observations["new"], observations["changed"]) == (4, 0)
    preview = frame_with(at, "In this file")
    assert set(preview["Change"]) == {"new"} and 93 in set(preview["In this file"])
    before = pages.call(history.listing)
    at.text_input(key="upload.note").set_value("March return")
    at.button(key="upload.confirm").click()
    at.run()
    assert any("Stored as submission" in s.value for s in at.success)
    after = pages.call(history.listing)
    assert len(after) == len(before) + 1
    new = after.iloc[0]
    assert (new["submitted_by"], new["status"], new["note"]) == ("uploader-person", "active", "March return")
    assert pages.call(lambda c: audit.entries(c, action="upload"))["outcome"].tolist() == ["stored"]

    # The same file again: nothing new to store.
    at = upload(at, "again.xlsx", (GOOD / "fictional_monthly_kpis.xlsx").read_bytes())
    assert any("nothing to store" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "upload.confirm"]

    # The uploader sees the history but cannot roll back; the admin can.
    hist = pages.app("uploader", script="views/history.py").run()
    assert not [b for b in hist.button if b.key == "history.rollback"]
    admin = pages.app("admin", script="views/history.py").run()
    admin.button(key="history.rollback").click()
    admin.run()
    assert any("rolled back" in s.value for s in admin.success)
    assert pages.call(history.listing).iloc[0]["status"] == "rolled back"
    admin.button(key="history.reapply").click()
    admin.run()
    assert pages.call(history.listing).iloc[0]["status"] == "active"


def test_confirm_checks_the_role_again_when_the_click_arrives(pages: Pages) -> None:
    """Demoted to viewer after the page drew the button: the click stores nothing and is audited."""
    at = upload(
        upload_page(pages, "uploader"),
        "fictional_monthly_kpis.xlsx",
        (GOOD / "fictional_monthly_kpis.xlsx").read_bytes(),
    )
    assert at.button(key="upload.confirm")
    before = len(pages.call(history.listing))
    pages.call(lambda c: accounts.set_role(c, "uploader-person", "viewer", by="root"))
    at.button(key="upload.confirm").click()
    at.run()
    assert not at.exception, at.exception
    assert len(pages.call(history.listing)) == before
    assert "Upload the month's data" not in [t.value for t in at.title]  # a viewer is not offered the page
    refused = pages.call(lambda c: audit.entries(c, action="upload"))
    assert refused["outcome"].tolist() == ["refused"] and refused["username"].tolist() == ["uploader-person"]


def test_refused_file_shows_plain_message_and_is_audited(pages: Pages) -> None:
    at = pages.app("uploader", script="views/upload.py").run()
    at = upload(at, "chart.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200)
    assert not at.exception
    assert "Not a spreadsheet" in at.error[0].value
    logged = pages.call(lambda c: audit.entries(c, action="upload_refused"))
    assert logged["target"].tolist() == ["chart.xlsx"] and logged["username"].tolist() == ["uploader-person"]


def test_invalid_file_lists_every_problem_and_stores_nothing(pages: Pages) -> None:
    data = workbook({"RETURN_INTERVIEWS": {"2017-03": "ninety"}, "CL_NEET": {"not a month": 4}})
    before = len(pages.call(history.listing))
    at = upload(pages.app("uploader", script="views/upload.py").run(), "bad.xlsx", data)
    assert "must be fixed" in at.error[0].value
    report = frame_with(at, "Severity")
    assert len(report[report["Severity"] == "error"]) >= 2
    assert {"Sheet", "Row", "Column", "Found", "Expected"} <= set(report.columns)
    assert not [b for b in at.button if b.key == "upload.confirm"]
    assert len(pages.call(history.listing)) == before


def test_plan_with_unnamed_months_asks_for_them(pages: Pages) -> None:
    data = (ROOT / "tests" / "data" / "bad" / "rag_month_needed.xlsx").read_bytes()
    at = upload(pages.app("uploader", script="views/upload.py").run(), "plan.xlsx", data)
    assert not at.exception, at.exception
    asks = [s for s in at.selectbox if s.key and s.key.startswith("upload.month.")]
    assert asks, "the page should ask which month each RAG column records"
    for select in asks:
        select.set_value(date(2017, 2, 1))
    at.run()
    assert not at.exception, at.exception
    assert not [s for s in at.selectbox if s.key and s.key.startswith("upload.month.") and s.value is None]


def large_return(kpis: int, months: int) -> bytes:
    """A fictional KPI return (Northmoor, LA 999: invented figures) with kpis x months values."""
    return large_kpi_return(kpis * months, months=months)


def test_large_file_preview_sums_up_by_kpi_and_shows_changes_first(pages: Pages) -> None:
    at = upload(pages.app("uploader", script="views/upload.py").run(), "big.xlsx", large_return(6, 250))
    assert not at.exception, at.exception
    by_kpi = frame_with(at, "Unchanged")
    assert len(by_kpi) == 6 and by_kpi["New"].sum() == 1500 and set(by_kpi["From"]) == {"Jan 1995"}
    shown = frame_with(at, "In this file")
    assert len(shown) == 1000
    assert any("the first 1,000 of 1,500" in m.value for m in at.markdown)
    assert at.button(key="upload.confirm")


def test_every_row_of_the_preview_is_in_the_download(store: Store) -> None:
    parsed = read_bytes(large_return(6, 250), "big.xlsx", catalogue=catalogue(store), default_la="999")
    names = upload_preview.kpi_names(parsed, catalogue(store))
    everything = upload_preview.every_row(changes(store, parsed, limit=None), names)
    assert len(everything) == 1500 and set(everything["Kind"]) == {"KPI value"}
    assert everything["KPI"].iloc[0] == "Bench KPI 0000"
    assert len(upload_preview.every_row(changes(store, parsed), names)) == 1000


def test_the_check_chart_and_the_preview_agree_on_what_changed(store: Store) -> None:
    """A new target alone changes a month in the preview, so the chart marks it changed too."""
    rows = [("RETURN_INTERVIEWS", "2016-10", 37), ("RETURN_INTERVIEWS", "2016-11", 78),
            ("RETURN_INTERVIEWS", "2016-12", 80)]  # fmt: skip
    parsed = read_bytes(long_kpi(rows, target=95), "target.xlsx", catalogue=catalogue(store), default_la="394")
    preview = changes(store, parsed).observations
    chart = compared(kpi_series(store, "RETURN_INTERVIEWS", "394"),
                     upload_preview.incoming_series(parsed, "RETURN_INTERVIEWS", "394"))  # fmt: skip
    assert preview.sort_values("period")["change"].tolist() == ["changed", "changed", "new"]
    assert chart["effect"].tolist() == ["changed", "changed", "new"]
    assert chart["stored"].tolist()[:2] == chart["incoming"].tolist()[:2] == [37.0, 78.0]  # same values, new target


def test_preview_charts_a_kpi_from_the_file_beside_the_store(pages: Pages) -> None:
    at = upload(pages.app("uploader", script="views/upload.py").run(), "big.xlsx", large_return(3, 24))
    assert not at.exception, at.exception
    check = frame_with(at, "What the file does")
    assert len(check) == 24 and set(check["What the file does"]) == {"new"}
    assert "Bench KPI 0000: this file beside" in at.get("plotly_chart")[0].proto.spec
    pick = next(s for s in at.selectbox if s.key and s.key.startswith("upload.check."))
    assert len(pick.options) == 3
    pick.set_value(2).run()
    assert not at.exception, at.exception
    assert "Bench KPI 0002: this file beside" in at.get("plotly_chart")[0].proto.spec


def test_after_storing_the_page_links_to_the_kpis_on_kpi_trends(pages: Pages) -> None:
    at = upload(upload_page(pages, "uploader"), "big.xlsx", large_return(4, 12))
    at.button(key="upload.confirm").click()
    at.run()
    assert not at.exception, at.exception
    links = at.get("page_link")
    assert [link.proto.label for link in links] == [f"See Bench KPI {n:04d} on KPI trends" for n in range(3)]
    assert links[0].proto.query_string == "kpi=BENCH_0000"
    assert not at.get("plotly_chart")  # the file's figures are another council's (999), not this one's (394)
    at.run()  # another rerun (any click) keeps the message until the next file is chosen
    assert any("Every page now shows the new data." in s.value for s in at.success)


def test_after_storing_this_councils_figures_the_page_charts_them(pages: Pages) -> None:
    pages.call(submit_settings, {"council_code": "999", "council_name": "Northmoor (fictional)"}, "test")
    at = upload(upload_page(pages, "uploader"), "big.xlsx", large_return(2, 12))
    at.button(key="upload.confirm").click()
    at.run()
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert spec["layout"]["title"]["text"] == "Bench KPI 0000"
    assert any("12 observation\\(s\\) from Jan 1995 to Dec 1995" in c.value for c in at.caption)  # just stored


def test_kpi_trends_opens_the_kpi_a_link_names(pages: Pages) -> None:
    plain_visit = pages.app().run()
    assert plain_visit.switch_page("views/kpi_trends.py").run().selectbox(key="kpi.code").value != "CL_NEET"
    at = pages.app()
    at.query_params["kpi"] = "CL_NEET"
    at.run()
    at.switch_page("views/kpi_trends.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="kpi.code").value == "CL_NEET"
    assert at.query_params["kpi"] == "CL_NEET"  # the address bar keeps naming it


def test_plan_tracker_previews_rating_changes_and_stores(pages: Pages) -> None:
    data = (GOOD / "plan_relative_headings.xlsx").read_bytes()
    at = upload(upload_page(pages, "uploader"), "plan.xlsx", data)
    months = {"Initial": date(2016, 9, 1), "Previous": date(2016, 12, 1), "Current": date(2017, 3, 1)}
    for select in [s for s in at.selectbox if s.key and s.key.startswith("upload.month.")]:
        select.set_value(months[select.label])
    at.run()
    assert not at.exception, at.exception
    ratings = frame_with(at, "Action")
    assert {"1.1", "1.2"} <= set(ratings["Action"]) and set(ratings["Change"]) == {"new"}
    assert not at.get("plotly_chart")  # no KPI values to check
    at.button(key="upload.confirm").click()
    at.run()
    assert not at.exception, at.exception
    assert any("Every page now shows the new data." in s.value for s in at.success)
    assert not at.get("page_link")


def test_upload_page_shows_what_is_stored_month_by_month(pages: Pages) -> None:
    at = upload_page(pages, "uploader")
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    assert (
        len(charts) == 1
        and json.loads(charts[0].proto.spec)["layout"]["title"]["text"] == "KPI values stored, by month"
    )
    table = frame_with(at, "KPIs with a value")
    assert len(table) >= 2 and (table["KPIs with a value"] <= table["KPIs known"]).all()
