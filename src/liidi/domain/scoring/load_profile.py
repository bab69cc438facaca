"""Loading the sections around the rules: themes, buying stage and the qualify expressions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import yaml

from liidi.domain.scoring.expression_check import BOOL, GRADE, NUMBER, STAGE, compile_expression
from liidi.domain.scoring.expressions import Expression, ExpressionError
from liidi.domain.scoring.load_parts import PartLoader
from liidi.domain.scoring.spec import GRADE_LETTERS, BuyingStage, ProductRule, Qualify, Signal, Themes
from liidi.domain.scoring.yamlread import Reader, Where


class SectionLoader:
    """Builds themes, buying stage and qualify, reporting problems to a Reader."""

    def __init__(self, reader: Reader, parts: PartLoader) -> None:
        self.r = reader
        self.parts = parts

    def themes(self, node: yaml.Node) -> Themes | None:
        """`themes: {from: topic, half_life: 30d, top: 3, events: [...]}`."""
        where = Where("themes", "themes")
        f = self.r.mapping(node, where, ("from", "half_life", "top", "events"))
        if f is None:
            return None
        prop, half_node, top_node, events_node = (
            f.get("from"),
            f.get("half_life"),
            f.get("top"),
            f.get("events"),
        )
        default = Themes()
        return Themes(
            property=self.property_name(prop, where.key("from")) if prop is not None else default.property,
            half_life=(self.r.duration(half_node, where.key("half_life")) or 1)
            if half_node
            else default.half_life,
            top=(self.r.integer(top_node, where.key("top")) or 1) if top_node is not None else default.top,
            events=self.parts.event_types(events_node, where.key("events"))
            if events_node is not None
            else (),
        )

    def property_name(self, node: yaml.Node, where: Where) -> str:
        """An event property name; a leading 'properties.' is allowed."""
        name = (self.r.text(node, where) or "").removeprefix("properties.")
        self.parts.property_read(name, "from", node, where)
        return name

    def buying_stage(self, node: yaml.Node) -> BuyingStage | None:
        """`buying_stage: {from, order, within, min_events, strong_events}`."""
        where = Where("buying_stage", "buying_stage")
        keys = ("from", "order", "within", "min_events", "strong_events")
        f = self.r.mapping(node, where, keys, required=("order",))
        order_node = f.get("order") if f else None
        if f is None or order_node is None:
            return None
        order = self.stage_order(order_node, where.key("order"))
        prop, within, minimum = f.get("from"), f.get("within"), f.get("min_events")
        default = BuyingStage(order)
        strong = f.get("strong_events")
        return BuyingStage(
            order=order,
            property=self.property_name(prop, where.key("from")) if prop is not None else default.property,
            within=(self.r.duration(within, where.key("within")) or 1)
            if within is not None
            else default.within,
            min_events=(self.r.integer(minimum, where.key("min_events")) or 1)
            if minimum
            else default.min_events,
            strong_events=self.strong_events(strong, order, where.key("strong_events")) if strong else (),
        )

    def stage_order(self, node: yaml.Node, where: Where) -> tuple[str, ...]:
        """The stages from earliest to latest, each named once."""
        names = [self.r.text(item, where.key(i)) for i, item in enumerate(self.r.sequence(node, where) or [])]
        order = tuple(n for n in names if n is not None)
        if len(set(order)) != len(order):
            self.r.report(node, where, "each stage may be listed once")
        if isinstance(node, yaml.SequenceNode) and len(node.value) < 2:
            self.r.report(node, where, "expected at least two stages, earliest first")
        return order

    def strong_events(
        self, node: yaml.Node, order: Sequence[str], where: Where
    ) -> tuple[tuple[str, str], ...]:
        """`{demo_request: deciding}`: event types that alone are strong evidence of a stage."""
        f = self.r.mapping(node, where, None)
        pairs: list[tuple[str, str]] = []
        for event_type, (key_node, value_node) in (f.entries if f else {}).items():
            types = self.parts.event_types(key_node, where.key(event_type))
            stage = self.r.text(value_node, where.key(event_type))
            if stage is not None and stage not in order:
                self.r.report(
                    value_node,
                    where.key(event_type),
                    f"unknown stage '{stage}'; expected one of {', '.join(order)}",
                )
            elif stage is not None and types:
                pairs.append((event_type, stage))
        return tuple(pairs)

    def qualify(
        self,
        node: yaml.Node,
        grades: Sequence[tuple[str, float]],
        signals: Sequence[Signal],
        products: Sequence[ProductRule],
        stage: BuyingStage | None,
    ) -> Qualify:
        """`qualify: {mql: <expression>, pql: <expression>}`, each parsed and type-checked."""
        f = self.r.mapping(node, Where("qualify", "qualify"), ("mql", "pql"))
        kinds = {"fit": NUMBER, "engagement": NUMBER, "score": NUMBER}
        kinds |= {f"signal.{s.key}": BOOL for s in signals} | {f"product.{p.key}": BOOL for p in products}
        kinds |= ({"grade": GRADE} if grades else {}) | ({"stage": STAGE} if stage else {})
        vocab = {GRADE: GRADE_LETTERS, STAGE: stage.order if stage else ()}
        hints = {"grade": "'grade' needs a grades section", "stage": "'stage' needs a buying_stage section"}
        exprs = {k: self.expression(f.get(k), k, kinds, vocab, hints) for k in ("mql", "pql")} if f else {}
        return Qualify(exprs.get("mql"), exprs.get("pql"))

    def expression(
        self,
        node: yaml.Node | None,
        key: str,
        kinds: Mapping[str, str],
        vocab: Mapping[str, Sequence[str]],
        hints: Mapping[str, str],
    ) -> Expression | None:
        """One expression; an error points at its column in the file when the text is on one line."""
        where = Where(f"qualify {key}", f"qualify.{key}")
        text = self.r.text(node, where) if node is not None else None
        if text is None or node is None:
            return None
        try:
            return compile_expression(text, kinds, vocab, hints)
        except ExpressionError as exc:
            line, column, one_line = _expression_position(node, exc.column)
            suffix = "" if one_line else f" (column {exc.column} of the expression)"
            self.r.report_at(line, column, where, exc.message + suffix, text)
            return None


def _expression_position(node: yaml.Node, column: int) -> tuple[int, int, bool]:
    """File line and column of an expression column, and whether that mapping is exact."""
    start = node.start_mark
    if start.line != node.end_mark.line:
        return start.line + 1, start.column + 1, False
    quote = 1 if getattr(node, "style", None) in ("'", '"') else 0
    return start.line + 1, start.column + quote + column, True
