"""X Education leads: liidi's score of a hand-written model against a logistic regression, by ROC-AUC.

The leads are imported with `liidi import people`, the model in examples/x-education-leads.yaml is
published (which rescores everyone), everyone is scored with `liidi score`, and the score is compared
with `Converted` beside scikit-learn's logistic regression on the same columns, on the same held-out
rows and the same cross-validation folds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from cli_runner import Liidi

ROOT = Path(__file__).resolve().parents[1]
MODEL_FILE = ROOT / "examples" / "x-education-leads.yaml"
MODEL_NAME = "x-education-leads"
ID_COLUMN = "Prospect ID"
TARGET = "Converted"
MISSING = ("Select",)
HELD_OUT = 0.3

# Known when the lead arrives (SOURCE.md): the only columns imported and the only ones either model reads.
SAFE_COLUMNS: tuple[str, ...] = (
    "Lead Origin",
    "Lead Source",
    "Do Not Email",
    "Do Not Call",
    "TotalVisits",
    "Total Time Spent on Website",
    "Page Views Per Visit",
    "Country",
    "Specialization",
    "How did you hear about X Education",
    "What is your current occupation",
    "What matters most to you in choosing a course",
    "Search",
    "Magazine",
    "Newspaper Article",
    "X Education Forums",
    "Newspaper",
    "Digital Advertisement",
    "Through Recommendations",
    "Receive More Updates About Our Courses",
    "Update me on Supply Chain Content",
    "Get updates on DM Content",
    "City",
    "I agree to pay the amount through cheque",
    "A free copy of Mastering The Interview",
)
# Filled in by the sales team after contact: they leak the outcome and are never imported.
LEAKY_COLUMNS: tuple[str, ...] = (
    "Tags",
    "Lead Quality",
    "Lead Profile",
    "Asymmetrique Activity Index",
    "Asymmetrique Profile Index",
    "Asymmetrique Activity Score",
    "Asymmetrique Profile Score",
    "Last Activity",
    "Last Notable Activity",
)
DECLARED = {
    "TotalVisits": "integer",
    "Total Time Spent on Website": "integer",
    "Page Views Per Visit": "number",
}


@dataclass(frozen=True)
class Auc:
    """ROC-AUC of one model three ways: held-out rows, k-fold test folds, all rows."""

    held_out: float
    folds: tuple[float, ...]
    all_rows: float

    @property
    def cv_mean(self) -> float:
        return float(np.mean(self.folds))

    @property
    def cv_sd(self) -> float:
        return float(np.std(self.folds))


@dataclass(frozen=True)
class LeadsResult:
    """What part A measured."""

    rows: int
    positives: int
    held_out_rows: int
    rule_columns: tuple[str, ...]
    model_version: str
    auc: dict[str, Auc]
    grades: tuple[tuple[str, int, int], ...]
    """(grade, leads, converted) for each fit grade of the model, A first."""


def read_leads(path: Path) -> pd.DataFrame:
    """The file as pandas reads it: blanks and `Select` missing, numbers numeric, one row per id."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=["", *MISSING])
    for column in DECLARED:
        frame[column] = pd.to_numeric(frame[column])
    frame[TARGET] = frame[TARGET].astype(int)
    if not frame[ID_COLUMN].is_unique:
        raise ValueError(f"{path}: the column {ID_COLUMN!r} repeats an id")
    return frame.set_index(ID_COLUMN)


def import_args(csv: Path) -> list[str]:
    """`liidi import people` of the safe columns only, keyed by the prospect id (the scores carry it
    back as `external_id`)."""
    args = ["import", "people", str(csv), "--id-column", ID_COLUMN]
    for column in SAFE_COLUMNS:
        args += ["--map", f"traits.{column}={column}"]
    for column, kind in DECLARED.items():
        args += ["--type", f"{column}={kind}"]
    for value in MISSING:
        args += ["--missing", value]
    return args


def rule_columns(model_text: str) -> tuple[str, ...]:
    """The attributes a model's rules read (`person.traits.<name>`), in order of first use."""
    found = re.findall(r"person\.traits\.([^:{}\n]+?):", model_text)
    return tuple(dict.fromkeys(found))


def liidi_scores(liidi: Liidi, csv: Path, model_file: Path) -> tuple[pd.DataFrame, str]:
    """Import, publish, score everyone with the batch engine; score and grade by prospect id, and the
    model version that scored."""
    liidi("db", "upgrade")
    liidi(*import_args(csv))
    liidi("model", "add", str(model_file))
    liidi("model", "publish", MODEL_NAME)
    out = liidi.workdir / "leads-export"
    liidi("export", "events", "--parquet", str(out))
    liidi("score", "--model", MODEL_NAME, "--engine", "duckdb", "--source", str(out), "--out", str(out))
    columns = ["external_id", "model_version", "score", "grade"]
    scores = pd.read_parquet(out / "batch_scores.parquet", columns=columns)
    scores.index = pd.Index(scores["external_id"].astype(str), name=ID_COLUMN)
    return scores[["score", "grade"]], str(scores["model_version"].iloc[0])


def baseline(frame: pd.DataFrame, columns: tuple[str, ...]) -> Pipeline:
    """A plain logistic regression: numbers median-imputed and scaled, categories one-hot with `missing`."""
    numeric = [c for c in columns if c in DECLARED]
    categorical = [c for c in columns if c not in DECLARED]
    prepare = ColumnTransformer(
        [
            ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            (
                "categories",
                make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="missing"),
                    OneHotEncoder(handle_unknown="ignore"),
                ),
                categorical,
            ),
        ]
    )
    return make_pipeline(prepare, LogisticRegression(max_iter=5000))


def _fitted_auc(frame: pd.DataFrame, columns: tuple[str, ...], train: np.ndarray, test: np.ndarray) -> float:
    model = baseline(frame, columns).fit(frame.iloc[train][list(columns)], frame.iloc[train][TARGET])
    chance = model.predict_proba(frame.iloc[test][list(columns)])[:, 1]
    return float(roc_auc_score(frame.iloc[test][TARGET], chance))


def _score_auc(frame: pd.DataFrame, score: pd.Series, rows: np.ndarray) -> float:
    return float(roc_auc_score(frame.iloc[rows][TARGET], score.iloc[rows]))


def compare(
    frame: pd.DataFrame, score: pd.Series, columns: dict[str, tuple[str, ...]], seed: int, folds: int = 5
) -> dict[str, Auc]:
    """ROC-AUC of the liidi score and of a regression per column set, on the same split and folds.

    Held out: a stratified 30 % split; CV: stratified k folds (the regression fitted on the rest of each);
    all rows: the score as it is, the regression fitted and measured on every row.
    """
    score = score.reindex(frame.index)
    everyone = np.arange(len(frame))
    train, test = train_test_split(everyone, test_size=HELD_OUT, stratify=frame[TARGET], random_state=seed)
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(everyone, frame[TARGET]))
    result = {
        "liidi": Auc(
            _score_auc(frame, score, test),
            tuple(_score_auc(frame, score, fold) for _, fold in splits),
            _score_auc(frame, score, everyone),
        )
    }
    for name, cols in columns.items():
        result[name] = Auc(
            _fitted_auc(frame, cols, train, test),
            tuple(_fitted_auc(frame, cols, fit, fold) for fit, fold in splits),
            _fitted_auc(frame, cols, everyone, everyone),
        )
    return result


def evaluate(liidi: Liidi, data: Path, seed: int, model_file: Path = MODEL_FILE) -> LeadsResult:
    """Part A end to end on `data`/x-education-leads/Leads.csv."""
    csv = data / "x-education-leads" / "Leads.csv"
    frame = read_leads(csv)
    scored, version = liidi_scores(liidi, csv, model_file)
    if set(scored.index) != set(frame.index):
        raise RuntimeError(f"liidi scored {len(scored)} people, the file has {len(frame)} prospects")
    read = rule_columns(model_file.read_text(encoding="utf-8"))
    unsafe = sorted(set(read) - set(SAFE_COLUMNS))
    if unsafe:
        raise RuntimeError(f"the model reads columns that are not known when a lead arrives: {unsafe}")
    sets = {"regression, all safe columns": SAFE_COLUMNS, "regression, the rules' columns": read}
    auc = compare(frame, scored["score"].astype(float), sets, seed)
    held_out = math.ceil(HELD_OUT * len(frame))
    return LeadsResult(
        len(frame), int(frame[TARGET].sum()), held_out, read, version, auc, by_grade(frame, scored)
    )


def by_grade(frame: pd.DataFrame, scored: pd.DataFrame) -> tuple[tuple[str, int, int], ...]:
    """How many leads each grade holds and how many of them converted."""
    converted = frame[TARGET].reindex(scored.index)
    counts = converted.groupby(scored["grade"]).agg(["size", "sum"]).sort_index()
    return tuple((str(g), int(n), int(c)) for g, (n, c) in counts.iterrows())
