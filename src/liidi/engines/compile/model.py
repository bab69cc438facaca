"""The whole model as one SELECT: inputs, every rule's CTEs, then one scored row per person."""

from __future__ import annotations

from sqlglot import exp

from liidi.domain.scoring.evaluate import GRADE_RANKS
from liidi.domain.scoring.spec import EventFilter, ScoringModel
from liidi.domain.scoring.windows import clauses_of
from liidi.engines.compile.base import Names, alias, and_, case, col, known, lit, num, or_, table, union_all
from liidi.engines.compile.dialects import Dialect
from liidi.engines.compile.qualify import QualifyCompiler
from liidi.engines.compile.values import JsonColumns
from liidi.engines.compile.windows import WindowRule
from liidi.engines.layout import IDENTITY_COLUMNS

_FIXED = (
    "person_src",
    "person",
    "event_src",
    "ev_features",
    "ev",
    "hand_raisers",
    "points",
    "engagement",
    "scored",
    "graded",
)


class ModelCompiler(QualifyCompiler):
    """Compiles one model for one dialect and one as-of moment (a literal, like every cut-off)."""

    carried: tuple[str, ...] = IDENTITY_COLUMNS
    """Columns of `people` passed through to every output row as they are (who the row is about)."""

    def __init__(self, model: ScoringModel, dialect: Dialect, as_of: float, people: str, events: str) -> None:
        self.model = model
        self.dialect = dialect
        self.as_of = float(as_of)
        self.people = people
        self.events = events
        self.names = Names()
        self.names.used.update(_FIXED)
        self.ctes: list[tuple[str, exp.Query]] = []
        self.materialized: set[str] = set()
        self.matches: dict[str, tuple[str, exp.Expression]] = {}
        self.points = []
        self.flags = []
        self.person_columns = set()
        self.ev_needs_person = False
        self.uses_ev = False
        self.properties = JsonColumns("properties", "ep", self.names, dialect)
        self.person_traits = JsonColumns("person_traits", "pt", self.names, dialect)
        self.account_traits = JsonColumns("account_traits", "at", self.names, dialect)

    def add_cte(self, name: str, query: exp.Query) -> str:
        self.ctes.append((name, query))
        return name

    def event_filter(self, node: EventFilter) -> exp.Expression:
        """The filter as one boolean column of `ev`: each distinct filter is evaluated once per event."""
        self.uses_ev = True
        return self.event_flag(super().event_filter(node))

    def event_flag(self, predicate: exp.Expression) -> exp.Expression:
        """A predicate over one event as a boolean column of `ev` (the same predicate gets one column)."""
        key = predicate.sql()
        found = self.matches.get(key)
        if found is None:
            found = self.matches[key] = (self.names.make("match", str(len(self.matches) + 1)), predicate)
        return col(found[0])

    def compile(self) -> exp.Query:
        """The SELECT: person_id, email, external_id, fit, grade, engagement, score, mql, pql, hand_raiser,
        signal__/product__…"""
        fit = self._fit()
        self.engagement()
        self.window_rules()
        hand_raisers = self._hand_raisers()
        stage = self.visit(self.model.buying_stage) if self.uses_stage() else None
        rules, self.ctes = self.ctes, []
        self._inputs(stage is not None, {c.name for _, cte in rules for c in cte.find_all(exp.Column)})
        self.ctes += rules
        if self.points:
            self.add_cte("points", union_all(self.points))
            totals = exp.select("person_id", alias(exp.Sum(this=col("points")), "engagement"))
            self.add_cte("engagement", totals.from_(table("points")).group_by("person_id"))
        self.add_cte("scored", self._scored(fit, hand_raisers, stage))
        self.add_cte("graded", self._graded())
        query = self._verdicts().order_by(self.dialect.ordered(col("person_id")))
        for name, cte in self.ctes:
            materialized = True if name in self.materialized else None
            query = query.with_(name, as_=cte, materialized=materialized, copy=False)
        return query

    def _fit(self) -> exp.Expression:
        """0.0 + the points of each fit rule that holds, in rule order (the reference's summation)."""
        total: exp.Expression = num(0.0)
        for rule in self.model.fit:
            total = exp.Add(
                this=total, expression=case([(self.visit(rule.when), num(rule.points))], num(0.0))
            )
        return total

    def _hand_raisers(self) -> bool:
        """A CTE of the people with a hand-raiser event by as_of; False when the model has none."""
        if not self.model.hand_raisers:
            return False
        any_filter = or_(*(exp.paren(self.event_filter(f), copy=False) for f in self.model.hand_raisers))
        query = exp.select("person_id").distinct().from_(table("ev")).where(any_filter)
        self.add_cte("hand_raisers", query)
        return True

    def _inputs(self, all_types: bool, used: set[str]) -> None:
        """The `person` and `ev` CTEs: the columns and JSON features the rules read, events by as_of."""
        traits = self.person_traits.selects() + self.account_traits.selects()
        base = [col(c) for c in sorted(self.person_columns)]
        base += [col(c) for c in self.carried if c not in self.person_columns]
        source = self.people
        if traits:
            raw = [alias(j.source(), j.column) for j in (self.person_traits, self.account_traits)]
            self.add_cte("person_src", exp.select("person_id", *base, *raw).from_(table(self.people)))
            source = "person_src"
        self.add_cte(
            "person", exp.select("person_id", *[c.copy() for c in base], *traits).from_(table(source))
        )
        if not self.uses_ev:
            return
        since: exp.Expression = exp.LTE(this=col("ts"), expression=num(self.as_of))
        if not all_types:
            since = and_(since, exp.In(this=col("type"), expressions=[lit(t) for t in self._event_types()]))
        columns = [col("person_id"), col("event_id"), col("type"), alias(exp.cast(col("ts"), "DOUBLE"), "ts")]
        properties = alias(self.properties.source(), "properties")
        self.add_cte("event_src", exp.select(*columns, properties).from_(table(self.events)).where(since))
        keep = [col(c, "e") for c in ("person_id", "event_id", "type", "ts")]
        features = exp.select(*keep, *self.properties.selects()).from_(table("event_src", "e"))
        if self.ev_needs_person:
            person = [col(c, "p") for c in sorted(self.person_columns)] + [col(a.alias, "p") for a in traits]
            on = exp.EQ(this=col("person_id", "p"), expression=col("person_id", "e"))
            features = features.select(*person).join(table("person", "p"), on=on)
        self.add_cte("ev_features", features)
        flags = [alias(predicate, name) for name, predicate in self.matches.values()]
        read = [c for c in features.named_selects[4:] if c in used]
        ids = [c for c in ("event_id", "type") if c in used]
        columns = [col(c) for c in ("person_id", *ids, "ts", *read)]
        self.add_cte("ev", exp.select(*columns, *flags).from_(table("ev_features")))
        if self.dialect.materialize:
            self.materialized.add("ev")

    def _event_types(self) -> list[str]:
        """Every event type a rule reads, sorted."""
        window_rules: tuple[WindowRule, ...] = (*self.model.signals, *self.model.product)
        filters = [r.when for r in self.model.engagement] + list(self.model.hand_raisers)
        filters += [c.of for r in window_rules for c in clauses_of(r)]
        return sorted({t for f in filters for t in f.types})

    def _scored(self, fit: exp.Expression, hand_raisers: bool, stage: str | None) -> exp.Select:
        """Fit, engagement, hand-raiser and every rule's active flag (and stage rank) per person."""
        engagement = col("engagement", "engagement") if self.points else None
        columns: list[exp.Expression] = [col("person_id", "p"), *(col(c, "p") for c in self.carried)]
        columns.append(alias(fit, "fit"))
        columns.append(
            alias(
                exp.Coalesce(this=engagement, expressions=[num(0.0)]) if engagement else num(0.0),
                "engagement",
            )
        )
        raised = exp.Not(this=exp.Is(this=col("person_id", "hand_raisers"), expression=exp.Null()))
        columns.append(alias(raised if hand_raisers else exp.false(), "hand_raiser"))
        columns += [alias(known(col("active", cte)), flag) for flag, cte in self.flags]
        if stage:
            columns.append(col("stage_rank", stage))
        query = exp.select(*columns).from_(table("person", "p"))
        joined = (["engagement"] if self.points else []) + (["hand_raisers"] if hand_raisers else [])
        for name in [*joined, *(cte for _, cte in self.flags), *([stage] if stage else [])]:
            on = exp.EQ(this=col("person_id", name), expression=col("person_id", "p"))
            query = query.join(table(name), on=on, join_type="LEFT")
        return query

    def _graded(self) -> exp.Select:
        """The grade (first threshold reached, else D), its rank, and score = fit + engagement."""
        if self.model.grades:
            reached = [
                (exp.GTE(this=col("fit"), expression=num(floor)), letter)
                for letter, floor in self.model.grades
            ]
            grade: exp.Expression = case([(c, lit(letter)) for c, letter in reached], lit("D"))
            rank: exp.Expression = case(
                [(c.copy(), lit(GRADE_RANKS[letter])) for c, letter in reached], lit(1)
            )
        else:
            grade, rank = exp.cast(exp.Null(), "TEXT"), exp.cast(exp.Null(), "INT")
        score = exp.Add(this=col("fit"), expression=col("engagement"))
        rest = [
            "hand_raiser",
            *(flag for flag, _ in self.flags),
            *(["stage_rank"] if self.uses_stage() else []),
        ]
        columns = [col("person_id"), *(col(c) for c in self.carried), col("fit"), alias(grade, "grade")]
        columns.append(alias(rank, "grade_rank"))
        columns += [col("engagement"), alias(score, "score"), *(col(c) for c in rest)]
        return exp.select(*columns).from_(table("scored"))

    def _verdicts(self) -> exp.Select:
        """The output row: the numbers, mql and pql, hand_raiser and the flags."""
        mql, pql = self.model.qualify.mql, self.model.qualify.pql
        names = ("person_id", *self.carried, "fit", "grade", "engagement", "score")
        columns: list[exp.Expression] = [col(c) for c in names]
        columns.append(alias(self.visit(mql) if mql else exp.false(), "mql"))
        columns.append(alias(self.visit(pql) if pql else exp.false(), "pql"))
        columns += [col("hand_raiser"), *(col(flag) for flag, _ in self.flags)]
        return exp.select(*columns).from_(table("graded"))
