"""The qualify expressions (mql, pql) over the scored columns, and the buying stage they may compare."""

from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from liidi.domain.scoring.evaluate import GRADE_RANKS
from liidi.domain.scoring.expressions import BoolOp, Compare, Expression, InList, Name, Not, Number, Word
from liidi.domain.scoring.spec import BuyingStage
from liidi.engines.compile.base import alias, and_, case, col, known, lit, not_, or_, table, union_all
from liidi.engines.compile.windows import WindowCompiler

_OPERATORS: dict[str, Callable[..., exp.Expression]] = {
    "==": exp.EQ,
    "!=": exp.NEQ,
    ">=": exp.GTE,
    "<=": exp.LTE,
    ">": exp.GT,
    "<": exp.LT,
}
_NUMBERS = {
    "fit": "fit",
    "engagement": "engagement",
    "score": "score",
    "grade": "grade_rank",
    "stage": "stage_rank",
}


class QualifyCompiler(WindowCompiler):
    """visit_Expression and one visit_* per expression node; an unknown value (NULL) is never true."""

    uses_ev: bool

    def visit_Expression(self, node: Expression) -> exp.Expression:
        return known(self.visit(node.root))

    def visit_BoolOp(self, node: BoolOp) -> exp.Expression:
        items = [self.visit(item) for item in node.items]
        return and_(*items) if node.op == "and" else or_(*items)

    def visit_Not(self, node: Not) -> exp.Expression:
        return not_(known(self.visit(node.item)))

    def visit_Compare(self, node: Compare) -> exp.Expression:
        return known(_OPERATORS[node.op](this=self.visit(node.left), expression=self.visit(node.right)))

    def visit_InList(self, node: InList) -> exp.Expression:
        value = self.visit(node.operand)
        items = [item for item in (self.visit(i) for i in node.items) if not isinstance(item, exp.Null)]
        found = exp.In(this=value, expressions=items) if items else exp.false()
        if not node.negated:
            return known(found)
        present = not_(exp.Is(this=value.copy(), expression=exp.Null()))
        return and_(present, not_(found)) if items else present

    def visit_Name(self, node: Name) -> exp.Expression:
        if node.text in _NUMBERS:
            return col(_NUMBERS[node.text])
        kind, _, key = node.text.partition(".")
        return col(f"{kind}__{key}")

    def visit_Word(self, node: Word) -> exp.Expression:
        rank = GRADE_RANKS.get(node.text) if node.kind == "grade" else self._stage_rank(node.text)
        return exp.Null() if rank is None else lit(rank)

    def visit_Number(self, node: Number) -> exp.Expression:
        return lit(float(node.value))

    def _stage_rank(self, stage: str) -> int | None:
        spec = self.model.buying_stage
        return spec.order.index(stage) if spec is not None and stage in spec.order else None

    def uses_stage(self) -> bool:
        """True when an mql or pql expression reads `stage`."""
        found = (e for e in (self.model.qualify.mql, self.model.qualify.pql) if e is not None)
        return self.model.buying_stage is not None and any("stage" in e.names() for e in found)

    def visit_BuyingStage(self, spec: BuyingStage) -> str:
        """The CTE (person_id, stage_rank) of the buying stage at as_of: latest strong evidence wins.

        One pass over `ev` sums each stage's evidence per person (tagged events count 1, strong events
        `min_events`) and keeps its latest moment; `stage_evidence` then has one row per person and stage.
        """
        self.uses_ev = True
        tag = self.properties.value(spec.property, spec)
        sums: list[exp.Expression] = []
        anywhere: list[exp.Expression] = []
        for rank, stage in enumerate(spec.order):
            text, listed = tag.text(), tag.has(stage)
            tagged = self.event_flag(or_(*(t for t in (_equals(text, stage), listed) if t is not None)))
            strong_types = [lit(t) for t, s in spec.strong_events if s == stage]
            weight: exp.Expression = case([(tagged.copy(), lit(1))], lit(0))
            counts = tagged.copy()
            if strong_types:
                strong = self.event_flag(exp.In(this=col("type"), expressions=strong_types))
                weight = exp.Add(
                    this=weight, expression=case([(strong.copy(), lit(spec.min_events))], lit(0))
                )
                counts = or_(counts, strong)
            anywhere.append(exp.paren(counts.copy(), copy=False) if strong_types else counts.copy())
            sums.append(alias(exp.Sum(this=weight), f"weight_{rank}"))
            sums.append(alias(exp.Max(this=case([(counts, col("ts"))], None)), f"ts_{rank}"))
        since = exp.GTE(this=col("ts"), expression=lit(self.as_of - spec.within))
        totals = (
            exp.select("person_id", *sums)
            .from_(table("ev"))
            .where(and_(since, exp.paren(or_(*anywhere), copy=False)))
            .group_by("person_id")
        )
        totals_name = self.add_cte(self.names.make("stage_totals"), totals)
        branches = [
            exp.select(
                "person_id",
                alias(col(f"ts_{rank}"), "ts"),
                alias(lit(rank), "stage_rank"),
                alias(col(f"weight_{rank}"), "weight"),
            )
            .from_(table(totals_name))
            .where(exp.Not(this=exp.Is(this=col(f"ts_{rank}"), expression=exp.Null())))
            for rank in range(len(spec.order))
        ]
        evidence = self.add_cte(self.names.make("stage_evidence"), union_all(branches))
        latest = [
            self.dialect.ordered(exp.Max(this=col("ts")), True),
            self.dialect.ordered(col("stage_rank"), True),
        ]
        pick = exp.Window(
            this=exp.RowNumber(), partition_by=[col("person_id")], order=exp.Order(expressions=latest)
        )
        strong_stages = (
            exp.select("person_id", "stage_rank", alias(pick, "pick"))
            .from_(table(evidence))
            .group_by("person_id", "stage_rank")
            .having(exp.GTE(this=exp.Sum(this=col("weight")), expression=lit(spec.min_events)))
        )
        query = (
            exp.select("person_id", "stage_rank")
            .from_(strong_stages.subquery("s"))
            .where(exp.EQ(this=col("pick"), expression=lit(1)))
        )
        return self.add_cte(self.names.make("stage"), query)


def _equals(text: exp.Expression | None, value: str) -> exp.Expression | None:
    """text = value, or None when the value cannot be text."""
    return None if text is None else exp.EQ(this=text, expression=lit(value))
