"""The detector's memory on the graph: the fitted model's parameters and the last run's time.

A full detection fits the Fellegi-Sunter model (``graphkit.mirrors.model.fit``) on every account;
its m and u per level, the mention weight, the effective number of accounts and the field counts
are kept as JSON on one ``MirrorState`` node, so that screening a new account and incremental
detection score with the same model without refitting. The prior grows with the graph: the
effective number of accounts is scaled by the accounts counted now over those at fitting time.
"""
from __future__ import annotations

import json

from graphkit.mirrors import model as fs_model
from graphkit.mirrors.signals import Frequencies
from graphkit.model.spec import model

NAME = "detector"


def _label() -> str:
    return model().node("MirrorState").label


def account_count(graph) -> int:
    return graph.read(f"MATCH (a:{model().node('Account').label}) RETURN count(a) AS n")[0]["n"]


def save(graph, fs: fs_model.Model, accounts: int) -> None:
    params = {"m": fs.m, "u": fs.u, "n_eff": fs.n_eff, "mention_weight": fs.mention_weight,
              "log_prior": fs.log_prior, "learnt": fs.learnt, "sampled": fs.sampled}
    graph.write(f"MERGE (s:{_label()} {{name: $name}}) SET s.model = $model, s.fitted_at = datetime(), "
                "s.last_run = datetime(), s.accounts = $accounts, s.fields = $fields",
                {"name": NAME, "model": json.dumps(params, sort_keys=True), "accounts": accounts,
                 "fields": json.dumps(fs.freq.fields, sort_keys=True)})


def mark_written(graph, complete_min: float | None) -> None:
    """After a write: the graph's open candidates are every candidate at ``complete_min`` or above
    (None: not a complete set, e.g. a write with --limit)."""
    graph.write(f"MERGE (s:{_label()} {{name: $name}}) SET s.last_run = datetime(), s.complete_min = $min",
                {"name": NAME, "min": complete_min})


def load(graph) -> dict | None:
    rows = graph.read(f"MATCH (s:{_label()} {{name: $name}}) RETURN s.model AS model, s.accounts AS accounts, "
                      "s.fields AS fields, s.last_run AS last_run, s.complete_min AS complete_min", {"name": NAME})
    if not rows or not rows[0]["model"]:
        return None
    row = rows[0]
    return {"model": json.loads(row["model"]), "accounts": row["accounts"] or 1,
            "fields": json.loads(row["fields"] or "{}"), "last_run": row["last_run"],
            "complete_min": row["complete_min"]}


def scaled(saved: dict, accounts_now: int) -> tuple[dict, float]:
    """The saved field counts and effective accounts, scaled to the graph's size now."""
    ratio = max(accounts_now, 1) / max(saved["accounts"], 1)
    fields = {k: max(1, round(v * ratio)) for k, v in saved["fields"].items()}
    n_eff = saved["model"]["n_eff"]
    return fields, (n_eff * ratio if n_eff is not None else None)


def model_from(saved: dict, freq: Frequencies, accounts_now: int) -> fs_model.Model:
    """The saved model scoring with ``freq`` (the frequencies of the accounts being compared)."""
    p = saved["model"]
    _, n_eff = scaled(saved, accounts_now)
    m, u = {}, {}
    for signal, levels in fs_model.PRIORS.items():  # a level added since the fit: its prior
        m[signal] = {lv: p["m"].get(signal, {}).get(lv, mu[0]) for lv, mu in levels.items()}
        u[signal] = {lv: p["u"].get(signal, {}).get(lv, mu[1]) for lv, mu in levels.items()}
    fs = fs_model.Model(m, u, p["log_prior"], freq, learnt=p.get("learnt", 0),
                        sampled=p.get("sampled", 0), n_eff=n_eff)
    fs.mention_weight = p.get("mention_weight", fs_model.MENTION_WEIGHT)
    if n_eff is not None:
        fs.log_prior = fs_model.prior_log_odds(n_eff)
    return fs
