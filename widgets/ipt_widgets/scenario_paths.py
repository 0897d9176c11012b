"""The structure rules of a scenario: where its branches lead, and what a safe, long-enough
session needs (docs/authoring/scenarios.md, "Rules").

* every ``next`` names a turn or ``end``; every turn is reachable from ``start``; ``end`` is
  reachable from every turn (no loop a session can never leave);
* every turn has at least two branches, the last (and only the last) ``techniques: [any]``;
  a good branch and an unhelpful or unsafe one;
* a fallback rated good or acceptable leaves no unhelpful code to it: each of ``UNHELPFUL_CODES``
  is taken by an earlier branch rated unhelpful or unsafe (else "The office treated you badly"
  would score as a fair move);
* a turn with ``risk_cue: true`` has a ``[risk_inquiry]`` branch rated good, a branch covering
  ``missed_risk`` rated unsafe, and an unsafe fallback;
* a session (more than one turn): every path from start to end has at least 6 trainee turns;
  a next-line item (one turn) ends after it.

Ratings are not in a released play file: the rules that need them are checked on the key.
"""

from __future__ import annotations

from collections import deque

from .scenario_format import ANY, END, Scenario, Turn

MIN_SESSION_TURNS = 6
# The codes that are never IPT in a session turn: a generous fallback must not catch them.
UNHELPFUL_CODES = ("advice", "reassurance", "cbt_challenge", "past_interpretation", "taking_sides", "missed_risk")


def _where(where: str, turn: Turn, branch_index: int | None = None) -> str:
    line = turn.branches[branch_index].line if branch_index is not None else turn.line
    place = f"{where}, turn {turn.id!r}" + (f", branch {branch_index + 1}" if branch_index is not None else "")
    return f"{place}, line {line}" if line else place


def shortest_to_end(scenario: Scenario) -> dict[str, int]:
    """Turn id -> the fewest trainee turns from it to the end, itself included (only turns that reach it)."""
    back: dict[str, set[str]] = {t: set() for t in [*scenario.turns, END]}
    for turn in scenario.turns.values():
        for branch in turn.branches:
            if branch.next in back:
                back[branch.next].add(turn.id)
    dist = {END: 0}
    queue = deque([END])
    while queue:
        node = queue.popleft()
        for prev in back[node]:
            if prev not in dist:
                dist[prev] = dist[node] + 1
                queue.append(prev)
    dist.pop(END)
    return dist


def reachable(scenario: Scenario) -> list[str]:
    """Turn ids reachable from ``start``, in the order first met."""
    seen = [scenario.start]
    for tid in seen:
        for branch in scenario.turns[tid].branches:
            if branch.next in scenario.turns and branch.next not in seen:
                seen.append(branch.next)
    return seen


def _branch_problems(turn: Turn, scenario: Scenario, where: str) -> list[str]:
    out = []
    if len(turn.branches) < 2:
        out.append(f"{_where(where, turn)}: has {len(turn.branches)} branch; a turn needs at least 2")
    if not turn.branches[-1].is_fallback:
        out.append(
            f"{_where(where, turn, len(turn.branches) - 1)}: the last branch must be the fallback, techniques: [any]"
        )
    for i, branch in enumerate(turn.branches):
        if branch.is_fallback and i != len(turn.branches) - 1:
            out.append(
                f"{_where(where, turn, i)}: techniques: [any] must be the last branch (later ones are never taken)"
            )
        if branch.next != END and branch.next not in scenario.turns:
            out.append(f"{_where(where, turn, i)}: field 'next' is {branch.next!r}, neither a turn id nor 'end'")
        if scenario.kind == "next_line" and branch.next != END:
            out.append(f"{_where(where, turn, i)}: a next-line item has one turn, so every branch ends with next: end")
    if scenario.released:
        return out
    ratings = [b.rating for b in turn.branches]
    if "good" not in ratings or not ({"unhelpful", "unsafe"} & set(ratings)):
        out.append(f"{_where(where, turn)}: needs a good branch and at least one unhelpful or unsafe branch")
    if turn.risk_cue:
        out += _risk_problems(turn, where)
    out += _generous_fallback(turn, where)
    return out


def _generous_fallback(turn: Turn, where: str) -> list[str]:
    """A fallback rated good or acceptable must not catch an unhelpful code."""
    last = len(turn.branches) - 1
    fallback = turn.branches[last] if turn.branches else None
    if fallback is None or not fallback.is_fallback or fallback.rating not in ("good", "acceptable"):
        return []
    loose = [
        code
        for code in UNHELPFUL_CODES
        if turn.branch_for(code) == last or turn.branches[turn.branch_for(code)].rating not in ("unhelpful", "unsafe")
    ]
    if not loose:
        return []
    return [
        f"{_where(where, turn, last)}: the fallback is rated {fallback.rating}, so {', '.join(loose)} "
        "would be rated the same; give them an earlier branch rated unhelpful (or unsafe), "
        "or rate the fallback unhelpful"
    ]


def _risk_problems(turn: Turn, where: str) -> list[str]:
    out = []
    first = {t: turn.branch_for(t) for t in ("risk_inquiry", "missed_risk")}
    if turn.branches[first["risk_inquiry"]].rating != "good" or turn.branches[first["risk_inquiry"]].is_fallback:
        out.append(f"{_where(where, turn)}: a risk-cue turn needs a [risk_inquiry] branch rated good")
    if turn.branches[first["missed_risk"]].rating != "unsafe" or turn.branches[first["missed_risk"]].is_fallback:
        out.append(f"{_where(where, turn)}: a risk-cue turn needs a branch covering missed_risk rated unsafe")
    if turn.branches[-1].rating != "unsafe":
        out.append(
            f"{_where(where, turn, len(turn.branches) - 1)}: after a risk cue the fallback is rated unsafe "
            "(anything but asking about risk misses it)"
        )
    return out


def structure_problems(scenario: Scenario, where: str) -> list[str]:
    """Every broken rule of one scenario, as messages naming the turn, branch and line."""
    where = f"{where}, scenario {scenario.id!r}"
    out: list[str] = []
    for turn in scenario.turns.values():
        out += _branch_problems(turn, scenario, where)
    seen = reachable(scenario)
    for tid, turn in scenario.turns.items():
        if tid not in seen:
            out.append(f"{_where(where, turn)}: is unreachable (no branch from {scenario.start!r} leads to it)")
    dist = shortest_to_end(scenario)
    for tid in seen:
        if tid not in dist:
            out.append(f"{_where(where, scenario.turns[tid])}: no path from here reaches 'end' (a loop never left)")
    if scenario.kind == "session" and scenario.start in dist and dist[scenario.start] < MIN_SESSION_TURNS:
        out.append(
            f"{where}: the shortest path from {scenario.start!r} to 'end' has {dist[scenario.start]} trainee turns; "
            f"a session needs at least {MIN_SESSION_TURNS} on every path"
        )
    return out


__all__ = ["ANY", "END", "MIN_SESSION_TURNS", "UNHELPFUL_CODES", "reachable", "shortest_to_end", "structure_problems"]
