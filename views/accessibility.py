"""Accessibility statement, on the GOV.UK model (Public Sector Bodies (Websites and Mobile
Applications) (No. 2) Accessibility Regulations 2018): compliance status, known limitations with
their workarounds, how to report a problem, the enforcement procedure, and when and how it was tested.

Open to everyone, signed in or not, whatever the viewing setting: the regulations require that it
can be found, so this page checks no role.
"""

import streamlit as st

from store.queries import setting
from ui.a11y import AXE_TAGS, AXE_VERSION, TESTED_ON
from ui.data import cached
from ui.display import plain

council = cached(setting)("council_name", "") or "the council"
contact = cached(setting)("accessibility_contact", "")

st.title("Accessibility statement for the Improvement Board dashboard", anchor=False)
st.markdown(
    f"This dashboard is run by {plain(council)}'s children's services performance team. We want as "
    "many people as possible to be able to use it. For example, that means you should be able to:\n"
    "- zoom in up to 400% without the text spilling off the screen, and read every page on a screen "
    "320 pixels wide without scrolling sideways (tables and charts scroll inside their own box)\n"
    "- resize text up to 200% and lose nothing\n"
    "- reach every page and work every control with a keyboard alone, seeing where you are "
    "(a yellow and black focus outline), and skip the menu with the *Skip to main content* link\n"
    "- use a screen reader: every chart has a sentence that says what it shows and its key numbers, "
    "a *Table* tab with the numbers behind it and a CSV download\n"
    "- read RAG ratings without seeing colour: every rating is also written as a word\n\n"
    "[AbilityNet](https://mcmw.abilitynet.org.uk/) has advice on making your device easier to use "
    "if you have a disability."
)

st.header("How accessible this dashboard is", anchor=False)
st.markdown(
    "We know some parts are not fully accessible:\n"
    "- the details shown when you hover over a point of a chart are a mouse feature of the charting "
    "library (its zoom, pan and download buttons can be reached with the keyboard); the same numbers "
    "are in the chart's *Table* tab and its CSV "
    "download, and its caption says what it shows\n"
    "- data tables are drawn by Streamlit's data grid, which screen readers announce less well than "
    "a plain table; every table can be downloaded as a CSV file to read in a spreadsheet\n"
    "- the PDF board pack is not a tagged PDF (its library cannot write one); its headings are PDF "
    "bookmarks, every chart has a sentence saying what it shows, and the Excel board pack holds "
    "the same tables as real spreadsheet cells\n"
    "- in presentation mode (for a projector) the menu is hidden; the board pages are linked at the "
    "top of the page, with this statement, and switching presentation mode off brings the menu back"
)

st.header("Feedback and contact information", anchor=False)
st.markdown(
    "If you need information on this dashboard in a different format, such as accessible PDF, "
    "large print, easy read, audio recording or braille, "
    + (
        f"contact: {plain(contact)}."
        if contact
        else f"contact {plain(council)}'s children's services performance team."
    )
    + " We will consider your request and get back to you within 10 working days."
)

st.header("Reporting accessibility problems with this dashboard", anchor=False)
st.markdown(
    "We are always looking to improve the accessibility of this dashboard. If you find any problems "
    "not listed on this page or think we are not meeting accessibility requirements, "
    + (f"contact: {plain(contact)}." if contact else f"tell {plain(council)}'s children's services performance team.")
    + " Say which page, what you were trying to do and what happened."
)

st.header("Enforcement procedure", anchor=False)
st.markdown(
    "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector "
    "Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "
    "'accessibility regulations'). If you are not happy with how we respond to your complaint, "
    "[contact the Equality Advisory and Support Service (EASS)](https://www.equalityadvisoryservice.com/)."
)

st.header("Technical information about this dashboard's accessibility", anchor=False)
st.markdown(
    f"{plain(council)} is committed to making its websites accessible, in accordance with the Public "
    "Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018."
)
st.subheader("Compliance status", anchor=False)
st.markdown(
    "This dashboard is partially compliant with the "
    "[Web Content Accessibility Guidelines version 2.2](https://www.w3.org/TR/WCAG22/) AA standard, "
    "due to the non-compliances listed below."
)
st.subheader("Non-accessible content", anchor=False)
st.markdown(
    "The content listed below is non-accessible for the following reasons.\n\n"
    "**Non-compliance with the accessibility regulations**\n"
    "- Chart hover details and the chart zoom and pan buttons cannot be used with a keyboard or "
    "screen reader (WCAG 2.1.1 Keyboard). The numbers are in each chart's Table tab and CSV.\n"
    "- The PDF board pack is not tagged (WCAG 1.3.1 Info and Relationships). The Excel board pack "
    "and the dashboard's pages hold the same tables.\n\n"
    "**Content that is not within the scope of the accessibility regulations**\n"
    "- Spreadsheets that officers upload are their own documents; the templates the dashboard gives "
    "have headings in the first row and no merged cells."
)

st.header("What we are doing to improve accessibility", anchor=False)
st.markdown(
    "Every change to the dashboard is checked by its automated tests before it is used (below). "
    "We will replace the chart hover details with keyboard-operable ones when the charting "
    "library allows it, and publish a tagged PDF board pack when a library we can run offline writes one."
)

st.header("Preparation of this accessibility statement", anchor=False)
st.markdown(
    f"This statement was prepared on {TESTED_ON}. The dashboard was last tested on {TESTED_ON}. "
    "The tests run every time the dashboard's test suite runs (`bash scripts/test.sh`), in a real "
    "browser (Chromium):\n"
    f"- axe-core {AXE_VERSION} with the rule sets {', '.join(AXE_TAGS)} (WCAG 2.0, 2.1 and 2.2, "
    "levels A and AA, including target size) on every page, for someone not signed in and for a "
    "viewer, an uploader and an admin, in normal and presentation mode, after the charts have drawn: "
    "no violations\n"
    "- every page reached and every kind of control worked with the keyboard alone (Tab, Shift+Tab, "
    "Enter, Space and arrow keys), including an upload, its confirmation and a rollback\n"
    "- every page, the admin's included, at 320 pixels wide and with text at 200%: no sideways "
    "scrolling outside tables and charts, no text cut off\n"
    "- the page language (en-GB), a distinct title per page, headings in order and labelled form "
    "fields; a file's problems announced as an alert (`role=alert`) right after its file box\n\n"
    "Automated tests find only some accessibility problems; they are no substitute for testing with "
    "disabled people, which we have not yet done."
)
