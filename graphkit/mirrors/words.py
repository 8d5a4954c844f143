"""What the mirror detector says to a person: the work it did and, when nothing reaches the
threshold, the best score seen and a ``--min-score`` to try."""
from __future__ import annotations

REVIEW_LIST = 20  # pairs a suggested lower --min-score should bring up


def stats_sentence(stats) -> str:
    """How much work the detector did (``detect.BlockingStats``), in words."""
    from graphkit.mirrors.detect import MAX_BLOCK

    text = (f"Compared {stats.comparisons:,} pair{'' if stats.comparisons == 1 else 's'} among "
            f"{stats.accounts:,} account{'' if stats.accounts == 1 else 's'} (only accounts that share "
            "a handle stem, a name, a bio, an identifier or a channel are compared)")
    if stats.hub_blocks:
        text += (f"; {stats.hub_blocks:,} such value{' was' if stats.hub_blocks == 1 else 's were'} shared by "
                 f"more than {MAX_BLOCK} accounts (a common word, a group logo) and not used to pair accounts")
    text += "."
    learnt = getattr(stats, "learnt", 0)
    return text + (f" The model learnt from {learnt:,} analyst decision{'' if learnt == 1 else 's'}." if learnt else "")


def _floor(score: float) -> str:
    """``score`` rounded down to the first decimals that keep it above 0 (0.0734 -> 0.07)."""
    for digits in range(2, 7):
        step = 10 ** digits
        value = int(score * step) / step
        if value > 0:
            return f"{value:.{digits}f}"
    return "0"


REVIEW_FLOOR = 0.01  # below this a suggested review list is mostly noise (docs/mirrors.md: 0.01-0.05)


def nothing_found_advice(detection, min_score: float) -> str:
    """Why there are no candidates and what to try: the best score seen and a lower --min-score
    (the score of the REVIEW_LIST-th best pair, but not under REVIEW_FLOOR unless nothing is above it)."""
    if not detection.stats.accounts:
        return "The graph has no accounts, so there is nothing to compare: load a report first (`graphkit load`)."
    if not detection.links:
        return (f"No two of the {detection.stats.accounts:,} accounts share anything the detector compares, "
                "so no pair is proposed at any score.")
    best = detection.links[0]
    review = detection.links[min(REVIEW_LIST, len(detection.links)) - 1].score
    suggested = _floor(max(review, REVIEW_FLOOR) if best.score >= REVIEW_FLOOR else best.score)
    shown = sum(1 for link in detection.links if link.score >= float(suggested))
    what = f"for a review list of the {shown} best pairs" if shown > 1 else "to see that pair"
    return (f"No pair reached the minimum score {min_score:g}: the best score seen was {best.score:.2f} "
            f"({best.successor.label} as a mirror of {best.predecessor.label}). Exports without removal "
            f"dates, avatars or links score low even for obvious returns; {what}, try "
            f"`graphkit mirrors detect --min-score {suggested}` (docs/mirrors.md explains the score).")
