"""A feedback reasons file (YAML) → FeedbackReasons, every problem reported with its line and column.

```yaml
reject:                      # code: recycle | disqualify, or {to: …, description: …}
  not_ready: recycle
  competitor: {to: disqualify, description: works for a competitor}
step_back: [not_ready, timing]   # a step back always recycles; or {code: description}
lost:
  price: recycle
```
A section left out keeps the shipped codes.
"""

from __future__ import annotations

from collections.abc import Sequence

import yaml

from liidi.domain.feedback import CODE, FeedbackReasons, Reason, Verdict
from liidi.domain.scoring.issues import SpecIssue
from liidi.domain.scoring.yamlread import Reader, Where, scalar, shown
from liidi.errors import SpecError

SECTIONS = ("reject", "step_back", "lost")
VERDICTS = ", ".join(v.value for v in Verdict)


def load_reasons_text(text: str, source: str = "<reasons>") -> FeedbackReasons:
    """Reasons from YAML text; SpecError lists every problem with its line and column."""
    reader = Reader(source)
    found = _read(reader, text)
    if reader.issues or found is None:
        raise reasons_error(reader.issues)
    return found


def reasons_error(issues: Sequence[SpecIssue]) -> SpecError:
    """One SpecError carrying every problem, in file order."""
    ordered = sorted(issues, key=lambda i: (i.source, i.line, i.column))
    noun = "problem" if len(ordered) == 1 else "problems"
    lines = "\n".join(i.one_line() for i in ordered)
    return SpecError(list(ordered), f"{len(ordered)} {noun} in the reasons file:\n{lines}")


def _read(reader: Reader, text: str) -> FeedbackReasons | None:
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        reader.report_at(
            1, 1, Where("reasons", ""), f"the file is empty; it needs one of {', '.join(SECTIONS)}"
        )
        return None
    root = reader.compose(text)
    if root is None:
        return None
    fields = reader.mapping(root, Where("reasons", ""), SECTIONS, noun="section")
    if fields is None:
        return None
    default = FeedbackReasons.default()
    reject, lost = tuple(default.reject.values()), tuple(default.lost.values())
    step_back = tuple(default.step_back.values())
    if (node := fields.get("reject")) is not None:
        reject = _coded(reader, node, "reject")
    if (node := fields.get("lost")) is not None:
        lost = _coded(reader, node, "lost")
    if (node := fields.get("step_back")) is not None:
        step_back = _codes(reader, node)
    return FeedbackReasons.of(reject, step_back, lost)


def _coded(reader: Reader, node: yaml.Node, section: str) -> tuple[Reason, ...]:
    """A section of `code: verdict` entries."""
    where = Where(section, section)
    fields = reader.mapping(node, where, None, noun="reason")
    if fields is None:
        return ()
    if not fields.entries:
        reader.report(node, where, "needs at least one reason (code: recycle or disqualify)")
    found = []
    for code, (key_node, value_node) in fields.entries.items():
        here = Where(f"{section}.{code}", where.key(code).path)
        if not CODE.match(code):
            reader.report(key_node, here, _bad_code(code))
            continue
        reason = _reason(reader, code, value_node, here)
        if reason is not None:
            found.append(reason)
    return tuple(found)


def _reason(reader: Reader, code: str, node: yaml.Node, where: Where) -> Reason | None:
    """`recycle`, `disqualify` or `{to: …, description: …}`."""
    description = ""
    verdict_node: yaml.Node | None = node
    if isinstance(node, yaml.MappingNode):
        fields = reader.mapping(node, where, ("to", "description"), required=("to",))
        if fields is None:
            return None
        verdict_node = fields.get("to")
        if (text_node := fields.get("description")) is not None:
            description = reader.text(text_node, where.key("description"), empty_ok=True) or ""
    if verdict_node is None:
        return None
    value = scalar(verdict_node) if isinstance(verdict_node, yaml.ScalarNode) else None
    if value not in {v.value for v in Verdict}:
        reader.report(verdict_node, where, f"expected {VERDICTS}, got {shown(verdict_node)}")
        return None
    return Reason(code, Verdict(value), description)


def _codes(reader: Reader, node: yaml.Node) -> tuple[Reason, ...]:
    """The step_back section: a list of codes, or a mapping of code → description."""
    where = Where("step_back", "step_back")
    if isinstance(node, yaml.MappingNode):
        return _described(reader, node, where)
    items = reader.sequence(node, where)
    if items is None:
        return ()
    if not items:
        reader.report(node, where, "needs at least one reason code")
    codes: list[str] = []
    for i, item in enumerate(items):
        code = reader.text(item, where.key(i))
        if code is None:
            continue
        if not CODE.match(code):
            reader.report(item, where.key(i), _bad_code(code))
        elif code in codes:
            reader.report(item, where.key(i), f"'{code}' is given twice")
        else:
            codes.append(code)
    return tuple(Reason(code, Verdict.RECYCLE) for code in codes)


def _described(reader: Reader, node: yaml.MappingNode, where: Where) -> tuple[Reason, ...]:
    """`code: description` entries."""
    fields = reader.mapping(node, where, None, noun="reason")
    if fields is None:
        return ()
    if not fields.entries:
        reader.report(node, where, "needs at least one reason code")
    found = []
    for code, (key_node, value_node) in fields.entries.items():
        if not CODE.match(code):
            reader.report(key_node, where.key(code), _bad_code(code))
            continue
        text = reader.text(value_node, where.key(code), empty_ok=True)
        found.append(Reason(code, Verdict.RECYCLE, text or ""))
    return tuple(found)


def _bad_code(code: str) -> str:
    return f"'{code[:60]}' is not a reason code: lower-case letters, digits and _, starting with a letter"
