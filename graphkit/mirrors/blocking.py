"""Blocking: the keys under which an account is filed (two accounts are compared only if they
share one, in a block of at most ``MAX_BLOCK``), and the values whose frequency the model weighs."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from graphkit.mirrors import comparisons, lookalike
from graphkit.mirrors.signals import AccountView, Frequencies

MAX_BLOCK = 40


def blocking_keys(acc: AccountView) -> set[str]:
    """The keys under which ``acc`` is filed; two accounts are compared only if they share one."""
    keys = set()
    for base in acc.forms.bases:
        if len(base) >= 4:
            keys.add("hb:" + base)
    core = lookalike.core_base(acc.forms)
    consonants = lookalike.consonant_key(core)
    if len(consonants) >= 4:
        keys.add("hc:" + consonants)
    if len(core) >= 7:
        keys.add("hp:" + core[:6])
    digits = "".join(ch for ch in acc.forms.full if ch.isdigit())
    if len(digits) >= 2 and len(core) >= 3:
        keys.add(f"hd:{core[:3]}{digits[-3:]}")  # stem head + counter tail (kahani760 ~ kahan1760)
    if acc.name_sk:
        squashed = acc.name_sk.replace(" ", "")
        if len(squashed) >= 4:
            keys.add("hb:" + lookalike.fold(squashed))  # a name that is the old handle
            keys.add("n:" + acc.name_sk)
        for token in acc.name_sk.split():
            if len(token) >= 5:
                keys.add("nt:" + token)
    if acc.name_key and len(acc.name_key) > 8:
        keys.add(acc.name_key)  # the name without its number (a numbered series of names)
    if acc.hseries:
        keys.add("hs:" + acc.hseries[0])
    if len(acc.bio_tokens) >= 3:
        keys.add("b:" + acc.bio_sk)
        if len(acc.bio_tokens) >= 6:
            keys.add("bp:" + " ".join(acc.bio_tokens[:6]))
    for kind, values in acc.identifiers.items():
        keys.update(f"i:{kind}:{v}" for v in values)
    keys.update("l:" + link for link in acc.links())
    keys.update("ca:" + c for c in acc.admin_channels)
    return keys


@dataclass
class BlockingStats:
    accounts: int = 0
    learnt: int = 0
    blocks: int = 0
    hub_blocks: int = 0
    comparisons: int = 0


def candidate_pairs(accounts: list[AccountView], max_block: int = MAX_BLOCK,
                    stats: BlockingStats | None = None, claims=()) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share a blocking key in a block of at most ``max_block`` accounts,
    plus every pair an announcement names (``claims``: (successor key, predecessor key))."""
    stats = stats if stats is not None else BlockingStats()
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, acc in enumerate(accounts):
        for key in blocking_keys(acc):
            blocks[key].append(i)
    pairs: set[tuple[int, int]] = set()
    stats.accounts = len(accounts)
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) > max_block:
            stats.hub_blocks += 1
            continue
        stats.blocks += 1
        pairs.update(combinations(members, 2))  # members are in increasing order
    index = {acc.key: i for i, acc in enumerate(accounts)}
    for s, p in claims:
        if s in index and p in index and s != p:
            pairs.add((min(index[s], index[p]), max(index[s], index[p])))
    stats.comparisons = len(pairs)
    return pairs


def frequencies(accounts: list[AccountView], claims: dict | None = None) -> Frequencies:
    freq = Frequencies()
    freq.claims = dict(claims or {})
    fields = freq.fields
    fields["account"] = len(accounts)
    for acc in accounts:
        for field_name, present in comparisons.PRESENT.items():
            if present(acc):
                fields[field_name] = fields.get(field_name, 0) + 1
        for key in frequency_keys(acc):
            freq.add(key)
    return freq


def frequency_keys(acc: AccountView):
    """The values of ``acc`` whose frequency the model weighs (``Frequencies`` counts them)."""
    for base in acc.forms.bases:
        yield "hbase:" + base
    if acc.hseries:
        yield "hstem:" + acc.hseries[0]
    if acc.name_sk:
        yield acc.name_key
    if acc.bio_sk:
        yield "bio:" + acc.bio_sk
    if acc.first_post_text:
        yield "post:" + acc.first_post_text
    for kind, values in acc.identifiers.items():
        for v in values:
            yield f"{kind}:{v}"
    yield from acc.links()
    for c in acc.admin_channels | acc.post_channels:
        yield "chan:" + c
