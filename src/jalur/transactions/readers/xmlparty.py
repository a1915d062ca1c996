"""Reading ISO 20022 parties and agents: the shapes are shared by pacs, pain and camt messages.

Agents may be identified by BIC (`BICFI`, older `BIC`), by a clearing-system member id
(written `RUCBC:044525593`, system code first) or only by name. A party's country is its postal
country, else its residence; when the message gives neither we fall back to the country of its
bank (BIC letters 5–6 or the agent's postal country), which is what monitoring needs.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from lxml import etree

Element: TypeAlias = Any  # lxml.etree._Element (lxml ships no type stubs here)


def content(element: Element) -> str:
    """All the text inside an element, read whole or refused.

    Entities are never expanded (XXE and entity bombs), so a reference to one the document
    declares itself (`<Nm>&n;</Nm>`) stays an unresolved node: taking `element.text` would
    give an empty or a cut name (`Abu &n;` read as `Abu`), and screening would find nothing.
    Such a value is a `ValueError` that rejects the record. Comments and processing
    instructions are skipped with the text around them kept (`.text` stopped at the first).
    """
    parts = [element.text or ""]
    for node in element:
        if isinstance(node, etree._Entity):
            raise ValueError(
                f"{_where(element)}: entity reference {node.text} is not expanded "
                "(entities are refused), so the value cannot be read"
            )
        if isinstance(node.tag, str):
            parts.append(content(node))
        parts.append(node.tail or "")
    return "".join(parts)


def _where(element: Element) -> str:
    """`Dbtr/Nm`: the element and its parent, by local name."""
    names = [etree.QName(element).localname]
    parent = element.getparent()
    if parent is not None:
        names.insert(0, etree.QName(parent).localname)
    return "/".join(names)


def text(node: Element | None, path: str) -> str | None:
    """Stripped text at `path` (local names joined by '/'), namespaces ignored."""
    if node is None:
        return None
    found = node.find("/".join(f"{{*}}{step}" for step in path.split("/")))
    value = content(found) if found is not None else None
    return value.strip() if value and value.strip() else None


def child(node: Element | None, path: str) -> Element | None:
    if node is None:
        return None
    return node.find("/".join(f"{{*}}{step}" for step in path.split("/")))


def agent_id(agent: Element | None) -> str | None:
    """BIC, else clearing member id, else other id, else name of a financial institution."""
    fin = child(agent, "FinInstnId")
    if fin is None:
        return None
    bic = text(fin, "BICFI") or text(fin, "BIC")
    if bic:
        return bic
    member = text(fin, "ClrSysMmbId/MmbId")
    if member:
        system = text(fin, "ClrSysMmbId/ClrSysId/Cd") or text(fin, "ClrSysMmbId/ClrSysId/Prtry")
        return f"{system}:{member}" if system else member
    return text(fin, "Othr/Id") or text(fin, "Nm")


def agent_country(agent: Element | None) -> str | None:
    fin = child(agent, "FinInstnId")
    bic = text(fin, "BICFI") or text(fin, "BIC")
    if bic and len(bic) >= 6:
        return bic[4:6].upper()
    return text(fin, "PstlAdr/Ctry")


def account_id(account: Element | None) -> str | None:
    return text(account, "Id/IBAN") or text(account, "Id/Othr/Id")


def party_identifier(party: Element | None) -> str | None:
    org, person = child(party, "Id/OrgId"), child(party, "Id/PrvtId")
    return (
        text(org, "AnyBIC")
        or text(org, "BICOrBEI")
        or text(org, "LEI")
        or text(org, "Othr/Id")
        or text(person, "Othr/Id")
    )


def address(party: Element | None) -> str | None:
    postal = child(party, "PstlAdr")
    if postal is None:
        return None
    parts = [text(postal, p) for p in ("StrtNm", "BldgNb")]
    parts += [content(line).strip() for line in postal.findall("{*}AdrLine")]
    parts += [text(postal, p) for p in ("PstCd", "TwnNm", "CtrySubDvsn")]
    joined = ", ".join(p.strip(" ,") for p in parts if p and p.strip(" ,"))
    return joined or None


def party(
    prefix: str, who: Element | None, account: Element | None, agent: Element | None
) -> dict[str, str | None]:
    """The canonical `{prefix}_*` fields of one side of a payment."""
    country = text(who, "PstlAdr/Ctry") or text(who, "CtryOfRes") or agent_country(agent)
    return {
        f"{prefix}_account": account_id(account),
        f"{prefix}_bank": agent_id(agent),
        f"{prefix}_name": text(who, "Nm"),
        f"{prefix}_country": country,
        f"{prefix}_identifier": party_identifier(who),
        f"{prefix}_address": address(who),
    }


def agents(node: Element, *names: str) -> str | None:
    """Ids of the intermediary / previous instructing agents present, joined by '; '."""
    found = [agent_id(child(node, name)) for name in names]
    joined = "; ".join(value for value in found if value)
    return joined or None


def remittance(node: Element) -> str | None:
    """Purpose code in brackets, then the unstructured remittance lines."""
    lines = [content(e).strip() for e in node.findall("{*}RmtInf/{*}Ustrd")]
    lines = [line for line in lines if line]
    code = text(node, "Purp/Cd") or text(node, "Purp/Prtry")
    joined = " ".join(lines)
    if code:
        joined = f"[{code}] {joined}".strip()
    return joined or None


def snippet(node: Element, limit: int = 4000) -> str:
    return str(etree.tostring(node, encoding="unicode"))[:limit]
