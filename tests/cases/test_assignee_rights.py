"""A case goes only to someone who may work it: an admin or an auditor is refused as assignee.

Before, `assign` checked the assignee's agency and clearance but not their role: posting the
web form or the API directly gave a case to `admin` (who manages users and sees no data) or to
an auditor (who reads and changes nothing), so the case sat with nobody able to work it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from jalur.cases.queries import case_details
from jalur.cases.service import CaseError, Evidence, assign, open_case
from jalur.users import add_user

PW = "correct horse battery"


def test_a_case_is_assigned_only_to_a_role_that_works_cases(engine: Engine) -> None:
    root = add_user(engine, None, "root", "admin", PW)
    ana = add_user(engine, root, "ana", "analyst", PW)
    add_user(engine, root, "aud", "auditor", PW)
    add_user(engine, root, "sam", "supervisor", PW)
    case_id = open_case(engine, ana, "channel", [Evidence("alert", "A-1")])
    for name, role in (("root", "admin"), ("aud", "auditor")):
        with pytest.raises(CaseError, match=f"{name} is {role}: the role may not work cases"):
            assign(engine, ana, case_id, name)
    details = case_details(engine, case_id)
    assert details is not None and details["assignee"] is None
    assign(engine, ana, case_id, "sam")
    details = case_details(engine, case_id)
    assert details is not None and details["assignee"] == "sam"
