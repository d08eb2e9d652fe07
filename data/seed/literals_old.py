"""Write the seed workbooks transcribed from Sunderland's Improvement Plan Progress Report.

The report of the Executive Director of Children's Services to the Children,
Education and Skills Scrutiny Committee (early 2017) is the dashboard's default
data. Everything below is copied from it as printed, typos and look-alike letters
included, so that the app's loader meets the report's real dirt; where the report
is silent the cell is left blank. Run from the project root:

    python data/seed/make_seed.py
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TypedDict

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

SEED_DIR = Path(__file__).resolve().parent
PLAN_PATH = SEED_DIR / "improvement_plan.xlsx"
KPI_PATH = SEED_DIR / "kpis.xlsx"

# Letters the report prints in RAG and TBC cells that look Latin but are not.
CYR_A = "\u0410"  # CYRILLIC CAPITAL LETTER A
GREEK_A = "\u0391"  # GREEK CAPITAL LETTER ALPHA
CYR_C = "\u0421"  # CYRILLIC CAPITAL LETTER ES
CYR_SMALL_C = "\u0441"  # CYRILLIC SMALL LETTER ES
CYR_TBC = "\u0422\u0412\u0421"  # CYRILLIC TE, VE, ES: reads "TBC"

NOV16_DEDUCED = "Nov 16 rating deduced from Table 1 (the priority's Completed count leaves no other possibility)"
NOT_ITEMISED = "Not itemised in Appendix A: an action counted as Completed in Table 1 (November 2016)"


class Priority(TypedDict):
    number: int
    title: str
    outcome: str


class Action(TypedDict):
    """One row of the plan; rag is (Initial, Nov 16, Feb 17) as printed."""

    priority: int
    ref: str
    ofsted: str | None
    action: str
    measures: str | None
    lead: str | None
    timescale: str | None
    rag: tuple[str | None, str | None, str | None]
    itemised: bool
    note: str | None


# Appendix A of the report: priorities, outcomes and actions, in sheet order.
PRIORITIES: list[Priority] = [
    {
        "number": 1,
        "title": ("Recruiting, retaining and developing a skilled and confident social care workforce."),
        "outcome": (
            "There is permanent and stable social work workforce. The workforce "
            "is well qualified and motivated with access to high quality "
            "professional development and supervision focused on delivering "
            "excellent outcomes for children, young people and their families. "
            "There are attractive career pathways enabling the organisation to "
            "retain social workers and support them into advanced practitioner "
            "and management roles."
        ),
    },
    {
        "number": 2,
        "title": ("Providing coherent and coordinated early help services to children and their families."),
        "outcome": (
            "Children and families in need of help are identified early and their "
            "needs are assessed; targeted support is provided to address the "
            "assessed needs child and their family which brings multi-agency "
            "services together to improve outcomes and reduce the likelihood of "
            "needs escalating so that they require support from statutory social "
            "work services."
        ),
    },
    {
        "number": 3,
        "title": "Improving the quality and timeliness of assessment and care planning",
        "outcome": (
            "Assessments and plans are timely and analytical with clear "
            "identification of needs and risks and a focus on measurable goals "
            "and outcomes for children and young people, including planning for "
            "permanency where this is appropriate."
        ),
    },
    {
        "number": 4,
        "title": (
            "Ensuring high quality support and services for looked after children and effective permanency planning"
        ),
        "outcome": (
            "Looked-after children have access to high quality care planning, "
            "review and support. They are supported in stable care placements and "
            "have access to and attend good schools. There are sound arrangements "
            "to plan for and achieve permanency where the decision is that a "
            "child will not be able to return home. There are effective corporate "
            "parenting approaches."
        ),
    },
    {
        "number": 5,
        "title": ("Putting the voice of the child at the centre of social care practice."),
        "outcome": (
            "The views, wishes and feelings of children and young people are "
            "fully and consistently considered in social work assessments, care "
            "plans (including the PEP), case conferences, visits and reviews."
        ),
    },
    {
        "number": 6,
        "title": (
            "Supporting young people leaving care to have a positive and "
            "successful transition to adulthood and independence."
        ),
        "outcome": (
            "Plans for young people leaving care are effective and address their "
            "individual needs. They have the skills and emotional resilience to "
            "move to independence, and are able to successfully access education, "
            "employment, training and safe housing."
        ),
    },
    {
        "number": 7,
        "title": (
            "Embedding strong quality assurance and governance mechanisms to drive continual improvement in services."
        ),
        "outcome": (
            "Services and outcomes for children and young people are continually "
            "improving because there are effective management and governance "
            "systems in place."
        ),
    },
]

ACTIONS: list[Action] = [
    {
        "priority": 1,
        "ref": "1.1",
        "ofsted": "Ofsted 7 (a)",
        "action": (
            "Implement a workforce strategy and strategic working group with a "
            "focus on improving the recruitment and retention of social workers"
        ),
        "measures": (
            "90% of social work posts are filled with permanent employees; 80% of "
            "social work management posts are filled with permanent employees. "
            "There is a reduced reliance on agency social workers. To be "
            "evidenced through performance information"
        ),
        "lead": "Principal Social Worker & Director of Children's Social Care",
        "timescale": "03/16",
        "rag": ("A", "A", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 1,
        "ref": "1.2",
        "ofsted": None,
        "action": (
            "Complete a skills and audit of the workforce to determine the "
            "current levels of professional competence and to inform the design "
            "of the learning and development offer."
        ),
        "measures": (
            "A completed skills audit is used to baseline the current "
            "competencies of the workforce and informs the learning and "
            "development offer. To be evidenced through compliance reporting."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "DG", CYR_C),
        "itemised": True,
        "note": "Nov 16 rating from section 2.5's change table",
    },
    {
        "priority": 1,
        "ref": "1.3",
        "ofsted": "Ofsted 7 (b)",
        "action": (
            "Develop learning and development pathways for social workers and "
            "Early Help practitioners that sets out the core and wider learning "
            "expected of all professionals. The social work pathway to be based "
            "on the employer standards and the Professional Competencies "
            "Framework for social workers."
        ),
        "measures": (
            "Learning and development pathways are in place based on the core "
            "skills and competencies expected of social workers and Early Help "
            "practitioners. Social workers and practitioners report and are "
            "observed to have increased skills and competence. To be evidenced "
            "through observation, surveys and focus groups."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "C", CYR_C),
        "itemised": True,
        "note": NOV16_DEDUCED,
    },
    {
        "priority": 1,
        "ref": "1.4",
        "ofsted": "Ofsted 7 (c)",
        "action": (
            "Commission training to improve the qualifications, skills and "
            "confidence of all practitioners responsible for supervising contact."
        ),
        "measures": (
            "Children have appropriate and supported contact with family members "
            "and other people who are important to them. To be evidenced through "
            "casework audits."
        ),
        "lead": "Principal Social Worker & Director of Children's Social Care",
        "timescale": "03/16",
        "rag": ("A", "A", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 1,
        "ref": "1.5",
        "ofsted": None,
        "action": (
            "Improve the quality and recording of professional supervision to "
            "ensure that it is reflective, improves the quality of practice "
            "through case discussion and focuses on professional and personal "
            "development."
        ),
        "measures": (
            "Supervision records are clear, up-to-date and demonstrate reflective "
            "practice. To be evidenced through performance information and "
            "observation."
        ),
        "lead": "Associate Director",
        "timescale": "12/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 1,
        "ref": "1.6",
        "ofsted": "Ofsted 8",
        "action": (
            "Determine manageable caseloads for social workers and ensure "
            "compliance so that they can respond appropriately and in a timely "
            "manner to the needs of children and young people."
        ),
        "measures": (
            "The average caseload for social workers is 20 and 10% of social "
            "workers hold caseloads above the mean average. To be evidenced "
            "through performance information \u2013 The average caseload for social "
            "workers is 18 and 10% of social workers hold caseloads above the "
            "mean average. To be evidenced through performance information"
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "DG", CYR_C),
        "itemised": True,
        "note": "Nov 16 rating from section 2.5's change table",
    },
    {
        "priority": 1,
        "ref": "1.X",
        "ofsted": None,
        "action": NOT_ITEMISED,
        "measures": None,
        "lead": None,
        "timescale": None,
        "rag": (None, "C", "C"),
        "itemised": False,
        "note": None,
    },
    {
        "priority": 1,
        "ref": "NEW 1",
        "ofsted": None,
        "action": (
            "Recruit and retain a workfoce that meets the needs of young people "
            "in line with the new structure for the service."
        ),
        "measures": "TBC",
        "lead": CYR_TBC,
        "timescale": "TBC",
        "rag": (None, None, None),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 2,
        "ref": "2.1",
        "ofsted": "Ofsted 18",
        "action": "Put in place a coherent and coordinated early help offer.",
        "measures": (
            "The framework clearly sets out the early help offer and referral "
            "pathways. The early help offer is available to children and families "
            "which meets their needs. Targeted early help interventions are "
            "effective at preventing the escalation of children's needs."
        ),
        "lead": "Director of Children's Services & Director of Early Help",
        "timescale": "06/16",
        "rag": (CYR_A, CYR_A, GREEK_A),
        "itemised": True,
        "note": (
            "The PDF's text prints a garbled copy of the last sentence before it "
            "('Tourstad and hale intercentions are affective at an entities'); left out"
        ),
    },
    {
        "priority": 3,
        "ref": "3.1",
        "ofsted": "Ofsted 1",
        "action": (
            "Take urgent action to review the cases of all children and young "
            "people who do not have an allocated social worker or who are not "
            "being actively worked with, and provide immediate and appropriate "
            "assessments and help as necessary"
        ),
        "measures": (
            "A management review of all children and young people who did not, at "
            "the point of inspection, have an allocated social worker or were not "
            "being actively worked with is undertaken and immediate and "
            "appropriate assessment and help is provided as necessary 100% of "
            "cases that meet the threshold for assessment or S47 investigation "
            "are allocated to the appropriate social work team. Training for "
            "staff on identifying high quality assessments. To be evidenced "
            "through compliance reporting and performance information."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "C", CYR_C),
        "itemised": True,
        "note": NOV16_DEDUCED,
    },
    {
        "priority": 3,
        "ref": "3.2",
        "ofsted": "Ofsted 3 (a)",
        "action": (
            "Refocus the work of the MASH so that it becomes an effective "
            "front-door into early help and children's social care services, with "
            "appropriate and timely decision-making and the prompt allocation of "
            "cases for assessment or S47 investigation."
        ),
        "measures": (
            "The MASH process and team structure is reviewed to facilitate timely "
            "decision-making on contacts into children's services. 90% of "
            "contacts have decisions made on their outcome (referral, IAG, NFA "
            "etc.) within 24 hours. To be evidenced through compliance reporting "
            "and performance information"
        ),
        "lead": "Director of Children's Services & Director of Early Help",
        "timescale": "12/1",
        "rag": ("LG", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.3",
        "ofsted": "Ofsted 3 (b)",
        "action": (
            "Implement a duty social work team responsible for receiving referrals from the MASH for assessment or S47."
        ),
        "measures": (
            "Review current processes and arrangements to ensure that they "
            "provide a safe, appropriate and timely response. Look at best "
            "practice and establish proposal for implementing Duty and Advice "
            "arrangements that are safe, appropriate and sustainable Consult with "
            "partners on proposed arrangements Implement new arrangements There "
            "is an effective duty social work team in place facilitating the "
            "appropriate and prompt allocation of cases for assessment or S47 "
            "investigation 65% of initial child assessments are completed within "
            "agreed timescales (60% core assessments; 90% of S47 investigations "
            "are completed within agreed timescales (15 w/days). To be evidenced "
            "through compliance reporting and performance information."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "01/16",
        "rag": ("A", GREEK_A, "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.4",
        "ofsted": "Ofsted 4 (a)",
        "action": (
            "Complete a management review of all children being worked with under "
            "the PLO or in care proceedings to ensure that robust plans are in "
            "place and that cases are progressing at a pace that matches "
            "children's needs."
        ),
        "measures": (
            "The management review of all cases in PLO or care proceedings is "
            "completed and that there is assurance that all cases have effective "
            "management oversight to ensure timely actions. To be evidenced "
            "through compliance reporting."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "C", CYR_C),
        "itemised": True,
        "note": NOV16_DEDUCED,
    },
    {
        "priority": 3,
        "ref": "3.5",
        "ofsted": "Ofsted 4 (b)",
        "action": (
            "Implement a case tracking system to ensure effective management "
            "oversight of cases in the PLO or in care proceedings to prevent "
            "drift and delay."
        ),
        "measures": (
            "A case tracking system is in place and used to monitor timely care "
            "proceedings. 80% of care proceedings are concluded within agreed "
            "timescales (26 weeks). To be evidenced through performance "
            "information."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "C", CYR_C),
        "itemised": True,
        "note": NOV16_DEDUCED,
    },
    {
        "priority": 3,
        "ref": "3.6",
        "ofsted": None,
        "action": NOT_ITEMISED,
        "measures": None,
        "lead": None,
        "timescale": None,
        "rag": (None, "C", "C"),
        "itemised": False,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.7",
        "ofsted": "Ofsted 5",
        "action": (
            "Ensure that assessments, care plans and decisions to initiate S47 "
            "investigations are approved and clearly recorded by a manager in a "
            "timely manner; implement a mechanism to monitor compliance."
        ),
        "measures": (
            "Assessments, care plans and decisions to initiate S47 investigations "
            "are approved and clearly recorded by a manager in a timely manner. "
            "Practice is monitored through regular performance reports and "
            "casework audits. To be evidenced through performance information and "
            "casework audits."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "09/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.8",
        "ofsted": "Ofsted 15",
        "action": (
            "Commission or directly provide an out-of-hours service that meets "
            "the emergency needs of children and young people and which is "
            "effectively coordinated with daytime services."
        ),
        "measures": (
            "Review of existing arrangements completed; Arrangements in place "
            "which ensure that provides Effective out-of-hours support and "
            "intervention to children who are in immediate need. Arrangements are "
            "in place to monitor the work undertaken by the out-of-hours service "
            "to inform future planning. To be evidenced by new arrangements in "
            "place, reports to the Practice Improvement Meetings and casework "
            "audits."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "C", CYR_C),
        "itemised": True,
        "note": NOV16_DEDUCED,
    },
    {
        "priority": 3,
        "ref": "3.9",
        "ofsted": None,
        "action": (
            "Implement a single assessment framework and supporting protocol for "
            "all early help and children's social care assessments for children "
            "pre-birth to age 18 years."
        ),
        "measures": (
            "A single assessment framework (with supporting guidance and/or "
            "protocol) is in place which helps to improve the quality of "
            "assessments. To be evidenced through compliance reporting and "
            "casework audits."
        ),
        "lead": "Director of Children's Social Care)",
        "timescale": "10/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.10",
        "ofsted": None,
        "action": (
            "Improve the consistency and quality of case chronologies and "
            "genograms and ensure these are consistently used to inform "
            "assessment and care planning."
        ),
        "measures": (
            "50% of case files have a complete and up-to-date chronology (updated "
            "within the last 6 weeks) which has been used to inform assessment "
            "and care planning. 75% of case files have a complete and up-to-date "
            "chronology (updated within the last 6 weeks) which has been used to "
            "inform assessment and care planning To be evidenced through "
            "performance information and casework audits."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "06/16",
        "rag": ("A", "A", "A"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.11",
        "ofsted": None,
        "action": (
            "Implement the CAADA-DASH tool to identify and assess the risk of "
            "domestic abuse and determine which cases should be referred to the "
            "MARAC and what other support should be provided."
        ),
        "measures": (
            "There is an effective tool in place to identify and assess the risk "
            "of domestic abuse on children and young people which ensures that "
            "appropriate support is provided and appropriate cases are referred "
            "to the MARAC. Information provided informs the development of "
            "strategy and services for families affected by domestic violence To "
            "be evidenced through compliance reporting and casework audits and "
            "service development"
        ),
        "lead": "Director Children's Services & Partners",
        "timescale": "03/16",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": (
            "A stray '4' printed in the RAG Current column beside this action's "
            "success measures (a page number) is not a rating and is ignored"
        ),
    },
    {
        "priority": 3,
        "ref": "3.12",
        "ofsted": "Ofsted 19 (a)",
        "action": (
            "Implement a tracking tool for children missing from home, care and "
            "education which bring together key information from partner agencies "
            "to inform risk assessment and safety planning."
        ),
        "measures": (
            "There are clear arrangements in place to systematically gather "
            "information in relation to: children missing from home; children "
            "missing from care; Children missing education; There are agreed "
            "multi agency arrangements in place to: share information assess and "
            "identify risk; ensure that there is a safety plan in place for "
            "children identified as being at risk; There is a training programme "
            "in place to ensure that staff are able to assess and respond "
            "appropriately to children who are missing from home or care and "
            "those missing education; To be evidenced through compliance "
            "reporting and casework audits."
        ),
        "lead": "CSE Strategic Co-ordinator",
        "timescale": "12/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.13",
        "ofsted": "Ofsted 19 (b)",
        "action": (
            "Ensure that return home or return to care interviews is routinely "
            "completed for all missing children in line with agreed local "
            "protocols."
        ),
        "measures": (
            "100% of children who have been missing from home or care receive a "
            "return interview. Cumulated learning from return interviews is used "
            "to inform service development. To be evidenced through performance "
            "information and casework audits."
        ),
        "lead": "Head of Looked After Children CSE Strategic Co-ordinator",
        "timescale": "12/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.14",
        "ofsted": "Ofsted 19 (c)",
        "action": (
            "Embed the risk assessment matrix for child sexual exploitation and "
            "improve the referral pathway into the multi-agency sexual "
            "exploitation group in line with agreed local protocols."
        ),
        "measures": (
            "Children at risk of sexual exploitation are identified and "
            "risk-assessed to ensure appropriate safety planning, intervention "
            "and referral to the multi-agency sexual exploitation group. To be "
            "evidenced through casework audits."
        ),
        "lead": "CSE Strategic Co-ordinator",
        "timescale": "12/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.15",
        "ofsted": None,
        "action": ("Implement a template for child in need plans and child protection plans."),
        "measures": (
            "A template for child in need plans and child protection plans (with "
            "supporting guidance is developed; Template reviewed to assess impact "
            "and amended as required. To be evidenced through compliance "
            "reporting and casework audits."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "06/06",
        "rag": ("A", "LG", "LG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.16",
        "ofsted": None,
        "action": (
            "Implement a template for recording actions and progress with CIN for "
            "use at CIN and core group meetings. This should clearly identify the "
            "task, lead professional and timescale for completion."
        ),
        "measures": (
            "Template, with supporting guidance, is developed; Template reviewed "
            "to assess impact and amended as required. To be evidenced through "
            "compliance reporting and casework audits."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "06/06",
        "rag": ("A", "LG", "LG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.17",
        "ofsted": None,
        "action": (
            "Develop and implement a case transfer protocol which sets out the "
            "pathways, minimum expectations and decision-making for transferring "
            "cases between teams and services."
        ),
        "measures": (
            "There is clear transfer protocol in place which facilitates the "
            "smooth step-up/step-down of cases between teams and services. To be "
            "evidenced through compliance reporting and casework audits."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "C", CYR_C),
        "itemised": True,
        "note": NOV16_DEDUCED,
    },
    {
        "priority": 3,
        "ref": "3.18",
        "ofsted": None,
        "action": (
            "Improve the quality of assessments for children with disabilities, "
            "including the assessments of young people that are due to transition "
            "to adult services."
        ),
        "measures": (
            "Improved assessments of children with disabilities lead to the "
            "timely provision of support and services. To be evidenced through "
            "casework audits."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "03/16",
        "rag": ("A", "A", "LG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.19",
        "ofsted": None,
        "action": (
            "Develop and implement a formal case escalation procedure for the "
            "child protection conference service and the independent reviewing "
            "service."
        ),
        "measures": (
            "A formal case escalation procedure is in place and effective at "
            "progressing cases towards improved outcomes where there is "
            "professional disagreement. To be evidenced through compliance "
            "reporting and casework audits."
        ),
        "lead": "Director of Children's Services (IRO Manager)",
        "timescale": "12/15",
        "rag": ("LG", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "3.20",
        "ofsted": None,
        "action": "Provide or commission a family group conference service.",
        "measures": (
            "Family-based solutions are fully considered for children subject to "
            "a child protection plan or all children likely to enter care "
            "proceedings. To be evidenced through compliance reporting and "
            "casework audit and reduction in the number of children looked after "
            "is reduced"
        ),
        "lead": "Director of Children's Services",
        "timescale": "12/16",
        "rag": ("A", "A", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "NEW 2",
        "ofsted": None,
        "action": "Improve the recording and consistency of assessments",
        "measures": CYR_TBC,
        "lead": CYR_TBC,
        "timescale": CYR_TBC,
        "rag": (None, None, None),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "NEW 3",
        "ofsted": None,
        "action": "Reduce the number of re-referrals to children's social care",
        "measures": CYR_TBC,
        "lead": CYR_TBC,
        "timescale": CYR_TBC,
        "rag": (None, None, None),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "NEW 4",
        "ofsted": None,
        "action": (
            "Evaluate the effectiveness of support services for children and "
            "families who are at risk of domestic violence"
        ),
        "measures": "TBC",
        "lead": "TBC",
        "timescale": CYR_TBC,
        "rag": (None, None, None),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 3,
        "ref": "NEW 5",
        "ofsted": None,
        "action": (
            "Review all children in need under section 17 to ensure they have a "
            "plan aimed at reducing risk and improving their welfare that is "
            "consistently reviewed and updated to reflect children's changing "
            "needs"
        ),
        "measures": "TBC",
        "lead": "TBC",
        "timescale": CYR_TBC,
        "rag": (None, None, None),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.1",
        "ofsted": "Ofsted 2",
        "action": (
            "Review all cases where children are looked-after under voluntary "
            "care arrangements (S20) to establish whether this legal basis is "
            "sufficient to ensure their safety and emotional security."
        ),
        "measures": (
            "All cases where children are looked after under voluntary "
            "arrangements have been reviewed. Where voluntary arrangements are "
            "not sufficient to ensure a child's safety and emotional wellbeing "
            "appropriate action is initiated. Information from the review is used "
            "to inform training and service development To be evidenced through "
            "compliance reporting and casework audits."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "C", CYR_C),
        "itemised": True,
        "note": NOV16_DEDUCED,
    },
    {
        "priority": 4,
        "ref": "4.2",
        "ofsted": None,
        "action": (
            "Complete a review of all care plans for looked- after children to "
            "ensure that every child with a plan for long-term care has a robust "
            "plan for permanence; also ensure that there is effective life- story "
            "work."
        ),
        "measures": (
            "Life story work has taken place or is planned, in accordance with "
            "the child's age and circumstances life-story work. To be evidenced "
            "through performance information and casework audits."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "03/16",
        "rag": (CYR_A, "LG", "LG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.3",
        "ofsted": "Ofsted 14",
        "action": (
            "Update the Placement Sufficiency and Commissioning Strategy to "
            "ensure the local authority has sufficient breadth and quality of "
            "placements to meet the needs of children looked-after."
        ),
        "measures": (
            "There is placement for choice for children becoming looked-after. "
            "Placement stability for looked-after children is good: 89% of "
            "looked-after children who have been in care for 2.5 years or more "
            "have been in the same placement for 2 years. To be evidenced through "
            "compliance reporting and performance information."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "12/16",
        "rag": ("A", "A", "A"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.4",
        "ofsted": "Ofsted 20",
        "action": ("Review the arrangements for supervised contact to ensure these are driven by children's needs."),
        "measures": (
            "Supervision Contact policy developed Supervised contact arrangements "
            "are appropriate and are based on children's assessed needs. To be "
            "evidenced through compliance reporting and casework audits."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "03/06",
        "rag": ("A", "A", "A"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.5",
        "ofsted": "Ofsted 21",
        "action": (
            "Strengthen the Virtual School by implementing mechanisms to track "
            "the progress of all looked-after children and care leavers and "
            "ensure appropriate action is taken where they are not meeting levels "
            "of expected progress."
        ),
        "measures": (
            "Mechanisms to track the progress and achievement of looked-after "
            "children 4-16 are in place.Procedure and process for escalating "
            "cases where children are not making expected progress in place.Data "
            "on cases escalated gathered and analysed to inform service "
            "developmentGap between looked after children and other children is "
            "reduced at all stages. To be evidenced through compliance reporting "
            "and performance information."
        ),
        "lead": "Director of Education",
        "timescale": "03/16",
        "rag": ("LG", "LG", "LG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.6",
        "ofsted": "Ofsted 22",
        "action": (
            "Improve the quality and monitoring of all personal education plans "
            "with clear targets and action plans to achieve those targets."
        ),
        "measures": (
            "Guidance on Personal Education Plans reviewed and reissued evidenced "
            "through documentation and feedback from participants 95% of eligible "
            "looked-after children have a current personal education plan. To be "
            "evidenced through performance information and casework audits."
        ),
        "lead": "Director of Education",
        "timescale": "03/16",
        "rag": ("LG", "A", "A"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.7",
        "ofsted": None,
        "action": (
            "Put in place a system to ensure that all foster carers have formal "
            "written confirmation of their delegated authority to make day-to-day "
            "decisions for the children in their care."
        ),
        "measures": (
            "Foster carers are clear about their delegated authority to make "
            "day-to-day decisions for the children in their care. To be evidenced "
            "through compliance reporting."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "C", CYR_C),
        "itemised": True,
        "note": NOV16_DEDUCED,
    },
    {
        "priority": 4,
        "ref": "4.8",
        "ofsted": None,
        "action": (
            "Implement an awareness campaign with all agencies with high-time "
            "access to children and young people to promote private fostering "
            "requirements."
        ),
        "measures": (
            "Awareness campaign developed; Awareness campaign There is a 100% "
            "increase in private fostering notifications to the local authority. "
            "To be evidenced performance information."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "09/16",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.9",
        "ofsted": None,
        "action": (
            "Ensure that all private fostering arrangements have a current "
            "assessment and children are visited regularly (every 6 weeks in the "
            "first year and every 12 weeks in subsequent years)."
        ),
        "measures": (
            "100% of children known to be living in private fostering "
            "arrangements have a current assessment and are visited regularly. To "
            "be evidenced through performance information."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "03/16",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.10",
        "ofsted": "Ofsted 23",
        "action": ("Establish an effective recruitment strategy for adopters including a foster to adopt policy."),
        "measures": (
            "There is an effective recruitment strategy for adopters in place. "
            "There is a 25% increase in the number of prospective adopters in "
            "Stage 2 (assessment). To be evidenced through performance "
            "information."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "06/16",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.11",
        "ofsted": "Ofsted 24",
        "action": "Develop and implement a comprehensive post-adoption support offer.",
        "measures": (
            "Revised post-adoption support offer in place which provides children "
            "and adopters with support that meets their needs. There are a low "
            "number of adoption breakdowns. To be evidenced through compliance "
            "reporting and performance information."
        ),
        "lead": "Head of Looked After Children",
        "timescale": "03/16",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "4.12",
        "ofsted": None,
        "action": (
            "Provide guidance to the adoption panel chair and the fostering panel "
            "chair on the requirements of their reports so that the panels are "
            "able to demonstrate the impact of their work on achieving permanency "
            "for children."
        ),
        "measures": (
            "Guidance provided to the adoption panel chair and the fostering "
            "panel chair on the requirements of their reports The reports of the "
            "adoption panel chair and the fostering panel chair are able to "
            "demonstrate the impact of their work on achieving permanency for "
            "children. To be evidenced in the six-monthly and annual reports of "
            "the panel chairs."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "DG", CYR_SMALL_C),
        "itemised": True,
        "note": (
            "Nov 16 and Feb 17 ratings from section 2.24's change table (Appendix "
            "A's completed-actions table prints no RAG for this action)"
        ),
    },
    {
        "priority": 4,
        "ref": "NEW 6",
        "ofsted": None,
        "action": (
            "Improve procedures to assure the quality of alternative educational "
            "provision, particularly for those placed outside the LA area"
        ),
        "measures": "TBC",
        "lead": "TBC",
        "timescale": CYR_TBC,
        "rag": (None, None, None),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 4,
        "ref": "NEW 7",
        "ofsted": None,
        "action": (
            "Leaving Care staff to receive adequate training and development to "
            "ensure they have the skills to respond to young people's needs "
            "around mental health and well-being, domestic abuse, drug and "
            "alcohol use and sexual health."
        ),
        "measures": "TBC",
        "lead": "TBC",
        "timescale": CYR_TBC,
        "rag": (None, None, None),
        "itemised": True,
        "note": (
            "Printed inside Priority 4's table in Appendix A although it concerns "
            "leaving care (Priority 6); kept where Appendix A prints it"
        ),
    },
    {
        "priority": 5,
        "ref": "5.1",
        "ofsted": "Ofsted 6",
        "action": (
            "Ensure that children are seen regularly in line with agreed "
            "timescales and that their views inform assessments, care planning "
            "and reviews."
        ),
        "measures": (
            "75% of children are seen in a timely manner by social workers when "
            "completing social work assessments (within 10 w/days). 80% of "
            "children subject to child protection plans are seen every 10 w/days. "
            "80% of looked-after children are seen every 6 weeks. 100% of "
            "children in need are seen every 8 weeks. To be evidenced through "
            "performance information, casefile audit and dialogue with children."
        ),
        "lead": "Associate Director",
        "timescale": "09/15",
        "rag": ("LG", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 5,
        "ref": "5.X",
        "ofsted": None,
        "action": NOT_ITEMISED,
        "measures": None,
        "lead": None,
        "timescale": None,
        "rag": (None, "C", "C"),
        "itemised": False,
        "note": None,
    },
    {
        "priority": 5,
        "ref": "NEW 8",
        "ofsted": None,
        "action": (
            "All services to seek the voice of children when considering the "
            "quality of services provided and making decisions regarding service "
            "development"
        ),
        "measures": "TBC",
        "lead": "TBC",
        "timescale": CYR_TBC,
        "rag": (None, None, None),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 6,
        "ref": "6.1",
        "ofsted": "Ofsted 25",
        "action": (
            "Improve ways for social workers and personal advisers to keep in "
            "touch with care leavers by providing them with a space for them to "
            "drop-in and have access to the Leaving Care Team."
        ),
        "measures": (
            "Leaving Care Team have access to space that enables care leavers to "
            "have drop in access to the service. 80 per cent of Care leavers are "
            "in contact with their social workers and personal advisers. To be "
            "evidenced through surveys and focus groups."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "DG", CYR_C),
        "itemised": True,
        "note": "Nov 16 rating from section 2.36's change table",
    },
    {
        "priority": 6,
        "ref": "6.2",
        "ofsted": None,
        "action": (
            "Produce a clear and accessible statement and policy that sets out "
            "the rights and entitlements of care leavers."
        ),
        "measures": (
            "Statement and Policy developed that informs care leavers about their "
            "rights and entitlements leading to an increased take-up of services. "
            "To be evidenced through surveys and focus groups."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "DG", CYR_C),
        "itemised": True,
        "note": "Nov 16 rating from section 2.36's change table",
    },
    {
        "priority": 6,
        "ref": "6.3",
        "ofsted": "Ofsted 26",
        "action": (
            "Improve pathway plans so that they reflect the needs and aspirations "
            "of young people and which involves them in the planning process"
        ),
        "measures": (
            "Current pathway plan revised; Care experienced young people "
            "consulted on the revised format; 100% of eligible looked-after "
            "children have a current pathway plan that supports their transition "
            "into adulthood and appropriately reflects their needs and "
            "aspirations. To be evidenced through performance information and "
            "casework audits."
        ),
        "lead": "Director of Children's Social Care",
        "timescale": "03/16",
        "rag": ("LG", "A", "A"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 6,
        "ref": "6.4",
        "ofsted": "Ofsted 27",
        "action": (
            "Improve arrangements to provide and monitor education, employment "
            "and training opportunities for care leavers and increase the range "
            "and take-up of apprenticeships and work-based training."
        ),
        "measures": (
            "Opportunities for apprenticeships and work-based training for care "
            "leavers are increased ; 70% of care leavers are in education, "
            "employment or training. To be evidenced through performance "
            "information."
        ),
        "lead": "Director of Education",
        "timescale": "03/16",
        "rag": ("LG", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 6,
        "ref": "6.5",
        "ofsted": None,
        "action": (
            "Implement improved commissioning arrangements to secure a broader "
            "range of housing options for care leavers."
        ),
        "measures": (
            "Commissioning arrangements for care leavers are reviewed "
            "Looked-after children have a greater choice about their "
            "accommodation when they leave care. 90% of care leavers live in "
            "suitable accommodation. There are low levels of tenancy breakdown. "
            "To be evidenced through performance information."
        ),
        "lead": "Director of Children's Social Care Head of Housing",
        "timescale": "03/16",
        "rag": ("LG", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 6,
        "ref": "6.6",
        "ofsted": None,
        "action": ("Implement a health passport or equivalent for each care leaver to record their health history."),
        "measures": (
            "Heath passport implemented which gives care leavers access to their "
            "health history. To be evidenced through surveys and focus groups. "
            "100% of care leavers are provided with their Health Passport and "
            "helped to understand their health history"
        ),
        "lead": "Director of Children's Social Care Designated LAC Nurse",
        "timescale": "06/16",
        "rag": ("LG", "A", "A"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.1",
        "ofsted": "Ofsted 9",
        "action": (
            "Develop and implement a multi- agency strategic plan with agreed "
            "priorities to shape services for children and young people in "
            "Sunderland based on a clear understanding of local need."
        ),
        "measures": (
            "Children's Strategic Planning Group Established; Information on "
            "local need gathered and analysed Priorities agreed; Strategic plan "
            "is in place which informs the work of multi- agency partners and the "
            "local commissioning of services in line with need. To be evidenced "
            "through compliance reporting."
        ),
        "lead": "Director of Children's Services",
        "timescale": "03/16",
        "rag": ("A", "LG", "LG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.2",
        "ofsted": None,
        "action": (
            "Ensure that governance arrangements are in place to drive forward "
            "the strategic plan and working closely with the LSCB and improvement "
            "board."
        ),
        "measures": "See above",
        "lead": "Director of Children's Services",
        "timescale": "03/16",
        "rag": ("LG", "LG", "LG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.3",
        "ofsted": "Ofsted 10",
        "action": (
            "Develop and implement a quality assurance framework that clearly "
            "establishes how the service will test the quality of practice, "
            "prioritise areas for improvement, and measure the impact of change "
            "on children and young people."
        ),
        "measures": (
            "A comprehensive quality assurance framework is in place. Information "
            "gathered through the quality assurance framework informs practice "
            "and service development. To be evidenced through minutes of the "
            "Practice Improvement Group, Service and Training Plans."
        ),
        "lead": "Director of Children's Services",
        "timescale": "12/15",
        "rag": ("LG", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.4",
        "ofsted": "Ofsted 11",
        "action": (
            "Develop and implement a performance management framework and "
            "datasets (strategic and operational) so that managers are able and "
            "address areas of poor performance and celebrate improved "
            "performance."
        ),
        "measures": (
            "Strategic and operational datasets are in place; Practice "
            "Improvement Group established; Performance Management Information is "
            "used at all levels of the Service to monitor performance and informs "
            "practice and service development. To be evidenced through minutes of "
            "the Practice Improvement Group, Service and Training Plans. . To be "
            "evidenced through compliance reporting."
        ),
        "lead": "Director of Children's Services",
        "timescale": "12/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.5",
        "ofsted": "Ofsted 12",
        "action": (
            "Strengthen the function of the Scrutiny Committee so that it has a "
            "clearer impact on improving outcomes for children. This to include "
            "(a) training and development of Elected Members and (b) "
            "implementation of clear forward plan for scrutiny."
        ),
        "measures": (
            "The scrutiny committee is able to demonstrate its impact on "
            "improving outcomes for children and young people. To be evidenced "
            "through an annual review or impact statement."
        ),
        "lead": "Director of Children's Services",
        "timescale": "12/15",
        "rag": ("LG", "LG", "LG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.6",
        "ofsted": "Ofsted 13",
        "action": (
            "Ensure that the Corporate Parenting Group has clear terms of "
            "reference and the appropriate membership to be focused on improving "
            "the quality of services provided to looked-after children and care "
            "leavers. This to include a forward plan of scrutiny areas."
        ),
        "measures": (
            "Terms of Reference and membership are agreed; Work plan developed "
            "The corporate parenting group is able to demonstrate its impact on "
            "improving outcomes for looked-after children. To be evidenced "
            "through an annual review or impact statement."
        ),
        "lead": None,
        "timescale": None,
        "rag": (None, "DG", CYR_C),
        "itemised": True,
        "note": "Nov 16 rating from section 2.46's change table",
    },
    {
        "priority": 7,
        "ref": "7.7",
        "ofsted": "Ofsted 16 (a)",
        "action": (
            "Review all strategies, policies and operating procedures to ensure "
            "these are current, appropriate and in line with statutory and other "
            "best practice guidance. Ensure that all strategies, policies and "
            "protocols are accessible and understood by all the professionals "
            "working to them."
        ),
        "measures": (
            "Standards of social work practice are improved through the "
            "implementation of a clear and accessible manual of strategies, "
            "policies and operating procedures. To be evidenced through "
            "compliance reporting."
        ),
        "lead": "Principal Social Worker",
        "timescale": "12/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.8",
        "ofsted": "Ofsted 16 (b)",
        "action": (
            "Develop and implement a practice framework or methodology that sets "
            "out the standards of practice expected from social workers and Early "
            "Help practitioners."
        ),
        "measures": (
            "Standards of social work practice are improved through the "
            "implementation of a clear and accessible practice framework. To be "
            "evidenced through compliance reporting."
        ),
        "lead": "Director of Children's Services Principal Social Worker",
        "timescale": "12/15",
        "rag": ("LG", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.9",
        "ofsted": None,
        "action": (
            "Implement a new electronic social care recording system which "
            "enables effective case recording and data sharing and provides "
            "appropriate management information."
        ),
        "measures": (
            "A new electronic social care recording system is in place that "
            "supports the delivery of effective social work practice. To be "
            "evidenced through compliance reporting."
        ),
        "lead": "Director of Children's Services &",
        "timescale": "09/16",
        "rag": ("A", "A", "A"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.10",
        "ofsted": None,
        "action": "Develop and implement minimum standards for case recording.",
        "measures": (
            "Minimum standards for case recording are in place that supports the "
            "delivery of effective social work practice. To be evidenced through "
            "compliance reporting ."
        ),
        "lead": "Director of Children's Services",
        "timescale": "12/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
    {
        "priority": 7,
        "ref": "7.11",
        "ofsted": None,
        "action": (
            "Develop and implement an electronic case management system for "
            "allegations made against the children's workforce and reported to "
            "the LADO."
        ),
        "measures": (
            "An electronic recording system for the LADO service is in place that "
            "enables effective case management and information sharing. To be "
            "evidenced through compliance reporting."
        ),
        "lead": "IRO Manager",
        "timescale": "03/15",
        "rag": ("A", "LG", "DG"),
        "itemised": True,
        "note": None,
    },
]


PLAN_TITLE = "Sunderland Children's Services: Safeguarding Children Learning and Improvement Plan"
PLAN_SUBTITLE = (
    "Transcribed from Appendix A of the Improvement Plan Progress Report to the "
    "Children, Education and Skills Scrutiny Committee (early 2017). Ratings as "
    "printed; see the Notes sheet."
)
PLAN_HEADINGS = [
    "Ref",
    "Ofsted ref",
    "Action",
    "Success measure(s)",
    "Lead",
    "Timescale",
    "RAG Initial",
    "RAG Nov 16",
    "RAG Feb 17",
    "Itemised in Appendix A",
    "Source note",
]
PLAN_WIDTHS = [8, 14, 60, 80, 32, 10, 9, 9, 9, 12, 50]

PLAN_NOTES = [
    (
        "Source: Improvement Plan Progress Report, report of the Executive Director "
        "of Children's Services to the Children, Education and Skills Scrutiny "
        "Committee (early 2017): Appendix A (Safeguarding Children Learning and "
        "Improvement Plan), Table 1 and the change tables in section 2."
    ),
    (
        "RAG Initial, RAG Nov 16 and RAG Feb 17 are Appendix A's RAG Initial, RAG "
        "Previous and RAG Current columns; section 2 of the report calls the last two "
        "Nov 16 and Current. The report gives no date for the Initial rating: the app "
        "stores it as September 2015, an assumption (the plan was made after the June "
        "2015 inspection)."
    ),
    (
        "Scale: R Red, A Amber, LG Light Green, DG Dark Green (success measure met, "
        "monitored to make sure it is sustained), C Completed. New actions are TBC: "
        "not yet rated and with no success measures yet."
    ),
    (
        "Look-alike letters are kept as printed: some RAG and TBC cells use Cyrillic "
        "or Greek letters that look like Latin ones (Cyrillic A, C and TBC, Greek "
        "Alpha), and 4.12's Completed rating is a lower-case Cyrillic c, as section "
        "2.24 prints it. The app's loader normalises them."
    ),
    (
        "Timescales are text, kept as printed, typos included: 12/1 (3.2), 06/06 "
        "(3.15, 3.16), 03/06 (4.4) and 03/15 (7.11)."
    ),
    (
        "Completed actions: Appendix A lists 14 actions in completed-actions tables "
        "after Priority 7 (1.2, 1.3, 1.6, 3.1, 3.4, 3.5, 3.8, 3.17, 4.1, 4.7, 4.12, "
        "6.1, 6.2, 7.6) with no lead, timescale or Initial rating. RAG Feb 17 is the "
        "rating printed there, except 4.12, printed blank there, which takes section "
        "2.24's Current cell. RAG Nov 16 is the Previous cell of section 2's change "
        "tables where the action is listed (1.2, 1.6, 4.12, 6.1, 6.2 and 7.6, all "
        "DG); for the other eight it is C, deduced from Table 1, whose Nov 16 "
        "Completed counts leave no other possibility."
    ),
    (
        "Not itemised: Table 1 counts 59 actions but Appendix A itemises 56. The other "
        "three were already Completed in November 2016, one each in priorities 1, 3 "
        "and 5. They are rows 1.X, 3.6 (the number 3.6 is missing from the report) "
        "and 5.X, marked No in Itemised in Appendix A."
    ),
    (
        "New actions NEW 1 to NEW 8 (proposed in section 3.1) are placed under the "
        "priority in whose table Appendix A prints them, with no ratings. NEW 6 and "
        "NEW 7 are both printed in Priority 4's table; NEW 7 concerns leaving care "
        "(Priority 6) but is kept where Appendix A prints it."
    ),
    (
        "Text: table rows the PDF split are joined with a space (with none after a "
        "line-ending hyphen, as in looked-after). Underline and italic markup left by "
        "the conversion (<u>, </u>, <i>, </i>) is removed; every word, typo and stray "
        "character is kept, except a garbled duplicate of a sentence in 2.1's success "
        "measures ('Tourstad and hale intercentions are affective at an entities'), "
        "a text-layer artefact, which is left out. A stray 4 "
        "in the RAG column beside 3.11's success measures (a page number) is ignored."
    ),
    (
        "Where Appendix A and section 2 differ (Ofsted references such as Ofsted 7 "
        "(c) against Ofsted 7, ratings' look-alike letters, or action wording), "
        "Appendix A is followed."
    ),
    (
        "Check: counting RAG Nov 16 and RAG Feb 17 per priority, after normalising "
        "look-alike letters, reproduces Table 1: 59 actions in each period. In Feb 17, "
        "42 rated actions are not completed; with the 8 new actions the plan holds 50, "
        "26 of them Dark Green, as recommendation 5.1 (1) says."
    ),
]


class Kpi(TypedDict):
    code: str
    name: str
    unit: str
    good_is: str
    target: float | None
    actions: str
    note: str | None
    values: dict[dt.datetime, float]


MAY_2015 = dt.datetime(2015, 5, 1)
JUN_2015 = dt.datetime(2015, 6, 1)
NOV_2015 = dt.datetime(2015, 11, 1)
OCT_2016 = dt.datetime(2016, 10, 1)
NOV_2016 = dt.datetime(2016, 11, 1)
DEC_2016 = dt.datetime(2016, 12, 1)
KPI_MONTHS = [MAY_2015, JUN_2015, NOV_2015, OCT_2016, NOV_2016, DEC_2016]

KPI_TITLE = "Sunderland Children's Services: KPI figures quoted in the Improvement Plan Progress Report (early 2017)"
KPI_SUBTITLE = "Values as the report states them; targets from the plan's success measures. See the Notes sheet."
KPI_HEADINGS = ["Code", "KPI", "Unit", "Good is", "Target", "Actions", "Note"]
KPI_WIDTHS = [28, 52, 9, 8, 8, 9, 60]

# Figures the report quotes, then targets its success measures set with no figure.
KPIS: list[Kpi] = [
    {
        "code": "UNALLOCATED_CASES",
        "name": "Unallocated cases",
        "unit": "Number",
        "good_is": "Low",
        "target": 0,
        "actions": "3.1",
        "note": (
            'Target 0 restates 3.1\'s "100% of cases ... allocated"; the 14 in '
            "Dec 2016 were all allocated within 48 hours."
        ),
        "values": {JUN_2015: 269, DEC_2016: 14},
    },
    {
        "code": "SW_CASELOAD_AVG",
        "name": "Average social worker caseload",
        "unit": "Number",
        "good_is": "Low",
        "target": 18,
        "actions": "1.6",
        "note": 'Reported as "17 or less"; the plan first set 20, revised to 18.',
        "values": {DEC_2016: 17},
    },
    {
        "code": "SW_PERMANENT_POSTS",
        "name": "Social work posts filled by permanent staff",
        "unit": "%",
        "good_is": "High",
        "target": 90,
        "actions": "1.1",
        "note": (
            'Reported only as the 90% success measure "has been achieved", with '
            "no date; filed under Dec 2016, the month of the report's other "
            "current figures. Management posts target 80."
        ),
        "values": {DEC_2016: 90},
    },
    {
        "code": "EH_OUTCOME_ACHIEVED",
        "name": "Early help assessments closed with an outcome achieved",
        "unit": "%",
        "good_is": "High",
        "target": 70,
        "actions": "2.1",
        "note": (
            'Target from paragraph 2.8 ("the target of 70% set in the improvement '
            "plan\"); Appendix A's 2.1 success measures give no figure."
        ),
        "values": {DEC_2016: 84},
    },
    {
        "code": "PLO_REVIEWED_12WK",
        "name": "PLO cases reviewed in the last 12 weeks",
        "unit": "%",
        "good_is": "High",
        "target": None,
        "actions": "3.4",
        "note": None,
        "values": {DEC_2016: 98},
    },
    {
        "code": "RETURN_INTERVIEWS",
        "name": "Return interviews completed",
        "unit": "%",
        "good_is": "High",
        "target": 100,
        "actions": "3.13",
        "note": None,
        "values": {OCT_2016: 37, NOV_2016: 78},
    },
    {
        "code": "CWD_AUDIT_GOOD",
        "name": "Children with disabilities assessments graded Good in audit",
        "unit": "Number",
        "good_is": "High",
        "target": None,
        "actions": "3.18",
        "note": "13 of 18 audits graded Good.",
        "values": {NOV_2016: 13},
    },
    {
        "code": "LAC_VISITED_6WK",
        "name": "Looked-after children visited within 6 weeks",
        "unit": "%",
        "good_is": "High",
        "target": 80,
        "actions": "5.1",
        "note": None,
        "values": {JUN_2015: 70, DEC_2016: 95},
    },
    {
        "code": "CL_IN_TOUCH_8WK",
        "name": "Care leavers in touch in the last 8 weeks",
        "unit": "%",
        "good_is": "High",
        "target": 80,
        "actions": "6.1",
        "note": (
            'Target from 6.1: "80 per cent of Care leavers are in contact with '
            'their social workers and personal advisers" (no period stated).'
        ),
        "values": {JUN_2015: 30, DEC_2016: 73.6},
    },
    {
        "code": "CL_NEET",
        "name": "Care leavers not in education, employment or training (NEET)",
        "unit": "%",
        "good_is": "Low",
        "target": 30,
        "actions": "6.4",
        "note": (
            "Target 30 restates 6.4's \"70% of care leavers are in education, "
            'employment or training". The 85% is "from the time of inspection" '
            "(June 2015)."
        ),
        "values": {JUN_2015: 85, DEC_2016: 53.4},
    },
    {
        "code": "CL_SUITABLE_ACCOM",
        "name": "Care leavers in suitable accommodation",
        "unit": "%",
        "good_is": "High",
        "target": 90,
        "actions": "6.5",
        "note": None,
        "values": {MAY_2015: 44, DEC_2016: 66.9},
    },
    {
        "code": "CL_PATHWAY_PLAN",
        "name": "Care leavers with a pathway plan",
        "unit": "%",
        "good_is": "High",
        "target": 100,
        "actions": "6.3",
        "note": None,
        "values": {NOV_2015: 69, DEC_2016: 87.8},
    },
    {
        "code": "CONTACTS_24H",
        "name": "Contacts with a decision within 24 hours",
        "unit": "%",
        "good_is": "High",
        "target": 90,
        "actions": "3.2",
        "note": None,
        "values": {},
    },
    {
        "code": "ASSESS_IN_TIMESCALE",
        "name": "Assessments completed within timescale",
        "unit": "%",
        "good_is": "High",
        "target": 65,
        "actions": "3.3",
        "note": None,
        "values": {},
    },
    {
        "code": "CORE_ASSESS_IN_TIMESCALE",
        "name": "Core assessments completed within timescale",
        "unit": "%",
        "good_is": "High",
        "target": 60,
        "actions": "3.3",
        "note": None,
        "values": {},
    },
    {
        "code": "S47_15WD",
        "name": "Section 47 investigations completed within 15 working days",
        "unit": "%",
        "good_is": "High",
        "target": 90,
        "actions": "3.3",
        "note": None,
        "values": {},
    },
    {
        "code": "CHRONOLOGY_UP_TO_DATE",
        "name": "Case files with an up-to-date chronology",
        "unit": "%",
        "good_is": "High",
        "target": 75,
        "actions": "3.10",
        "note": "The plan first set 50, then 75.",
        "values": {},
    },
    {
        "code": "CARE_PROC_26WK",
        "name": "Care proceedings concluded within 26 weeks",
        "unit": "%",
        "good_is": "High",
        "target": 80,
        "actions": "3.5",
        "note": None,
        "values": {},
    },
    {
        "code": "PLACEMENT_STABILITY",
        "name": "Long-term placement stability",
        "unit": "%",
        "good_is": "High",
        "target": 89,
        "actions": "4.3",
        "note": (
            "Looked-after children in care for 2.5 years or more who have been in the same placement for 2 years."
        ),
        "values": {},
    },
    {
        "code": "PEP_CURRENT",
        "name": "Looked-after children with a current personal education plan",
        "unit": "%",
        "good_is": "High",
        "target": 95,
        "actions": "4.6",
        "note": None,
        "values": {},
    },
    {
        "code": "PRIVATE_FOSTERING_VISITED",
        "name": "Private fostering arrangements assessed and visited",
        "unit": "%",
        "good_is": "High",
        "target": 100,
        "actions": "4.9",
        "note": None,
        "values": {},
    },
    {
        "code": "ADOPTERS_STAGE2_INCREASE",
        "name": "Increase in prospective adopters at stage 2",
        "unit": "%",
        "good_is": "High",
        "target": 25,
        "actions": "4.10",
        "note": "Stage 2 is assessment; the report gives no baseline.",
        "values": {},
    },
    {
        "code": "SEEN_ASSESSMENT_10WD",
        "name": "Children seen within 10 working days during assessment",
        "unit": "%",
        "good_is": "High",
        "target": 75,
        "actions": "5.1",
        "note": None,
        "values": {},
    },
    {
        "code": "SEEN_CP_10WD",
        "name": "Children on child protection plans seen every 10 working days",
        "unit": "%",
        "good_is": "High",
        "target": 80,
        "actions": "5.1",
        "note": None,
        "values": {},
    },
    {
        "code": "SEEN_CIN_8WK",
        "name": "Children in need seen every 8 weeks",
        "unit": "%",
        "good_is": "High",
        "target": 100,
        "actions": "5.1",
        "note": None,
        "values": {},
    },
    {
        "code": "CL_HEALTH_PASSPORT",
        "name": "Care leavers with a health passport",
        "unit": "%",
        "good_is": "High",
        "target": 100,
        "actions": "6.6",
        "note": None,
        "values": {},
    },
]

KPI_NOTES = [
    (
        "Source: Improvement Plan Progress Report to the Children, Education and "
        "Skills Scrutiny Committee (early 2017). Figures come from section 2 of the "
        "report; targets from the success measures of the Appendix A actions listed "
        "in the Actions column. Percentages are in percentage points (78 means 78%). "
        "A blank cell means the report gives no figure for that month."
    ),
    (
        "UNALLOCATED_CASES Jun 2015 269, Dec 2016 14: paragraph 2.2 (269 unallocated "
        "at the June 2015 inspection; 14 at the end of December 2016, all allocated "
        "within 48 hours). Target 0 restates action 3.1's success measure (100% of "
        "cases that meet the threshold are allocated)."
    ),
    (
        "SW_CASELOAD_AVG Dec 2016 17: paragraph 2.2 (average caseload across all "
        "teams 17 or less in December 2016). Target: action 1.6 set 20, then 18."
    ),
    (
        "SW_PERMANENT_POSTS Dec 2016 90: paragraph 2.1 says the success measure of "
        "90% of social work posts filled with permanent staff has been achieved, "
        "without a date; it is filed under Dec 2016, the month of the report's other "
        "current figures. Targets: action 1.1 (90%; management posts 80%)."
    ),
    (
        "EH_OUTCOME_ACHIEVED Dec 2016 84: paragraph 2.8, which also gives the target "
        "of 70% set in the improvement plan (action 2.1)."
    ),
    "PLO_REVIEWED_12WK Dec 2016 98: paragraph 2.12. No target in the plan.",
    ("RETURN_INTERVIEWS Oct 2016 37, Nov 2016 78: paragraph 2.16. Target 100: action 3.13."),
    ("CWD_AUDIT_GOOD Nov 2016 13: paragraph 2.14 (18 audits completed, 13 graded Good). No target in the plan."),
    (
        "LAC_VISITED_6WK Jun 2015 70, Dec 2016 95: paragraph 2.29 (statutory visit "
        "within the last 6 weeks). Target 80: action 5.1."
    ),
    (
        "CL_IN_TOUCH_8WK Jun 2015 30, Dec 2016 73.6: paragraph 2.33 (contact within "
        "the last 8 weeks). Target 80: action 6.1."
    ),
    (
        "CL_NEET Jun 2015 85, Dec 2016 53.4: paragraph 2.34 (85% at the time of "
        "inspection, which paragraph 2.2 dates June 2015). Target 30 restates action "
        "6.4's 70% in education, employment or training."
    ),
    ("CL_SUITABLE_ACCOM May 2015 44, Dec 2016 66.9: paragraph 2.35. Target 90: action 6.5."),
    ("CL_PATHWAY_PLAN Nov 2015 69, Dec 2016 87.8: paragraph 2.38. Target 100: action 6.3."),
    (
        "Targets with no figure in the report, from the success measures of: 3.2 "
        "(CONTACTS_24H 90), 3.3 (ASSESS_IN_TIMESCALE 65, CORE_ASSESS_IN_TIMESCALE 60, "
        "S47_15WD 90), 3.10 (CHRONOLOGY_UP_TO_DATE 50, then 75), 3.5 (CARE_PROC_26WK "
        "80), 4.3 (PLACEMENT_STABILITY 89), 4.6 (PEP_CURRENT 95), 4.9 "
        "(PRIVATE_FOSTERING_VISITED 100), 4.10 (ADOPTERS_STAGE2_INCREASE 25), 5.1 "
        "(SEEN_ASSESSMENT_10WD 75, SEEN_CP_10WD 80, SEEN_CIN_8WK 100) and 6.6 "
        "(CL_HEALTH_PASSPORT 100)."
    ),
]

BOLD = Font(bold=True)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def sort_key(action: Action) -> tuple[int, int, int]:
    """Numbered actions first (3.6 before 3.7), then 1.X-style rows, then NEW."""
    ref = action["ref"]
    if ref.startswith("NEW"):
        return action["priority"], 2, int(ref.split()[1])
    minor = ref.split(".")[1]
    if minor == "X":
        return action["priority"], 1, 0
    return action["priority"], 0, int(minor)


def write_title(ws: Worksheet, title: str, subtitle: str, columns: int) -> None:
    last = get_column_letter(columns)
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = subtitle
    ws.merge_cells(f"A2:{last}2")


def write_notes(wb: Workbook, notes: list[str]) -> None:
    ws = wb.create_sheet("Notes")
    ws.column_dimensions["A"].width = 120
    for row, text in enumerate(notes, start=1):
        ws.cell(row=row, column=1, value=text).alignment = WRAP_TOP


def merged_row(ws: Worksheet, row: int, text: str, columns: int, bold: bool) -> None:
    cell = ws.cell(row=row, column=1, value=text)
    cell.alignment = WRAP_TOP
    if bold:
        cell.font = BOLD
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
    width = sum(PLAN_WIDTHS)
    ws.row_dimensions[row].height = 15 * math.ceil(len(text) * 1.1 / width)


def write_plan(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Improvement plan"
    columns = len(PLAN_HEADINGS)
    write_title(ws, PLAN_TITLE, PLAN_SUBTITLE, columns)
    for col, heading in enumerate(PLAN_HEADINGS, start=1):
        ws.cell(row=4, column=col, value=heading).font = BOLD
        ws.column_dimensions[get_column_letter(col)].width = PLAN_WIDTHS[col - 1]
    ws.freeze_panes = "A5"

    row = 5
    for priority in PRIORITIES:
        number = priority["number"]
        heading = f"Priority {number}: {priority['title']}"
        merged_row(ws, row, heading, columns, bold=True)
        merged_row(ws, row + 1, f"Outcome: {priority['outcome']}", columns, False)
        row += 2
        actions = [a for a in ACTIONS if a["priority"] == number]
        for action in sorted(actions, key=sort_key):
            values = [
                action["ref"],
                action["ofsted"],
                action["action"],
                action["measures"],
                action["lead"],
                action["timescale"],
                *action["rag"],
                "Yes" if action["itemised"] else "No",
                action["note"],
            ]
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.alignment = WRAP_TOP
                cell.number_format = "@"
            row += 1

    write_notes(wb, PLAN_NOTES)
    wb.save(path)


def write_kpis(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "KPIs"
    columns = len(KPI_HEADINGS) + len(KPI_MONTHS)
    write_title(ws, KPI_TITLE, KPI_SUBTITLE, columns)
    for col, heading in enumerate(KPI_HEADINGS, start=1):
        ws.cell(row=4, column=col, value=heading).font = BOLD
        ws.column_dimensions[get_column_letter(col)].width = KPI_WIDTHS[col - 1]
    for offset, month in enumerate(KPI_MONTHS):
        col = len(KPI_HEADINGS) + 1 + offset
        cell = ws.cell(row=4, column=col, value=month)
        cell.font = BOLD
        cell.number_format = "mmm-yy"
        ws.column_dimensions[get_column_letter(col)].width = 9
    ws.freeze_panes = "C5"

    for row, kpi in enumerate(KPIS, start=5):
        fixed = [
            kpi["code"],
            kpi["name"],
            kpi["unit"],
            kpi["good_is"],
            kpi["target"],
            kpi["actions"],
            kpi["note"],
        ]
        for col, value in enumerate(fixed, start=1):
            ws.cell(row=row, column=col, value=value).alignment = WRAP_TOP
        ws.cell(row=row, column=6).number_format = "@"
        for offset, month in enumerate(KPI_MONTHS):
            value = kpi["values"].get(month)
            ws.cell(row=row, column=len(KPI_HEADINGS) + 1 + offset, value=value)

    write_notes(wb, KPI_NOTES)
    wb.save(path)


def main() -> None:
    write_plan(PLAN_PATH)
    write_kpis(KPI_PATH)
    print(f"wrote {PLAN_PATH} and {KPI_PATH}")


if __name__ == "__main__":
    main()
