"""The one pairwise scorer of the benchmarks: precision, recall and F1 of predicted pairs against
true pairs (mirror links in ``mirror_eval`` and ``mirror_report``, same-operator pairs of
clusters in ``operators_eval``)."""
from __future__ import annotations


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def prf(correct: int, predicted: int, truth: int) -> tuple[float, float, float]:
    """``(precision, recall, f1)`` from counts: ``correct`` of ``predicted`` pairs are among the
    ``truth`` true ones. No prediction is precise (1.0); no true pair is fully recalled (1.0)."""
    precision = correct / predicted if predicted else 1.0
    recall = correct / truth if truth else 1.0
    return precision, recall, f1(precision, recall)


def score_pairs(predicted: set, truth: set, ignored: int = 0) -> tuple[float, float, float]:
    """``prf`` of two sets of pairs; ``ignored`` predicted pairs count neither way."""
    return prf(len(predicted & truth), len(predicted) - ignored, len(truth))
