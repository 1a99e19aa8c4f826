"""The one place where an axe-core rule may be excused, each with its reason.

Zero violations is the bar. Add an entry only when a rule is wrong for this app, never to
hide a real barrier; fix the page instead. Keys are axe rule ids; the value says why.
An entry may be limited to certain pages with PAGE_EXCEPTIONS (path prefix -> rule -> why).
"""

# Excused on every page.
EXCEPTIONS: dict[str, str] = {}

# Excused on pages whose path starts with the key.
PAGE_EXCEPTIONS: dict[str, dict[str, str]] = {}


def excused(rule_id: str, path: str) -> bool:
    if rule_id in EXCEPTIONS:
        return True
    return any(
        path.startswith(prefix) and rule_id in rules for prefix, rules in PAGE_EXCEPTIONS.items()
    )
