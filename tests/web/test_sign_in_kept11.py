"""A refused sign-in kept nothing typed: the user name was gone and had to be typed again (and
a slip in it could not be seen). It is now shown again, as text; the password never is."""

from __future__ import annotations

import html
import re
from typing import Any


def test_a_refused_sign_in_keeps_the_user_name_not_the_password(ui: Any) -> None:
    browser = ui("ana").__class__(ui("ana").client.__class__(ui("ana").client.app))
    typed = 'nobody"><i>x</i>'
    refused = browser.sign_in(typed, "a secret typed wrong")
    assert refused.status_code == 401
    field = re.search(r'<input name="username"[^>]*>', refused.text)
    assert field, "no user name field"
    value = re.search(r'value="([^"]*)"', field.group(0))
    assert value and html.unescape(value.group(1)) == typed
    assert "<i>x</i>" not in refused.text  # shown as the letters typed
    assert "a secret typed wrong" not in refused.text
    assert re.search(r'<input name="password"[^>]*autofocus', refused.text)  # mend it there
