"""What `permitcli rules` adds after the tables: the service, and the provisions the tool shows but does not check."""

from __future__ import annotations

from permitcli.catalog import Rules
from permitcli.i18n import label, point_text


def service_lines(rules: Rules, lang: str = "en") -> list[str]:
    """The fee, the portals, the result and the contact centre (rules annex 1), one line each."""
    service = rules.service
    out = []
    if service.get("portals"):
        out.append(f"  {label('portals', lang)}: {', '.join(map(str, service['portals']))}")  # type: ignore[call-overload]
    for key in ("fee", "result"):
        text = service.get(f"{key}_{lang}") or service.get(f"{key}_en")
        if text:
            out.append(f"  {label(key, lang)}: {text}")
    if service.get("contact_centre"):
        out.append(f"  {label('contact-centre', lang)}: {', '.join(map(str, service['contact_centre']))}"  # type: ignore[call-overload]
                   f" ({point_text('rules annex 1, item 10', lang)})")
    return out


def provision_lines(rules: Rules, lang: str = "en") -> list[str]:
    """Each provision as "point — title: text", its lettered items under it."""
    out = []
    for p in rules.provisions:
        out.append(f"  {point_text(p.point, lang)} — {p.title[lang]}: {p.text[lang]}")
        out.extend(f"    {letter}) {text[lang]}" for letter, text in p.items)
    return out


def rules_extra_json(rules: Rules) -> dict[str, object]:
    """The same for `rules --format json`: every text in the three languages, with its point."""
    service = rules.service
    return {
        "service": {
            "point": service.get("point", ""),
            "portals": list(service.get("portals", [])),  # type: ignore[call-overload]
            "fee": {lang: service.get(f"fee_{lang}", "") for lang in ("en", "ru", "kk")},
            "result": {lang: service.get(f"result_{lang}", "") for lang in ("en", "ru", "kk")},
            "contact_centre": list(service.get("contact_centre", [])),  # type: ignore[call-overload]
        },
        "provisions": [
            {"slug": p.slug, "point": p.point, "title": p.title, "text": p.text,
             "items": [{"letter": letter, "text": text} for letter, text in p.items]}
            for p in rules.provisions
        ],
        "sanctioned_territories": dict(sorted(rules.territories.items())),
    }
