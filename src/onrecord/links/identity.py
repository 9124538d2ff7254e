"""One identity per speaker across articles, merged conservatively, with manual overrides on top.

Every statement's speaker first gets a *form*: the smallest group automatic linking never
splits. A person's full name is one form across the whole ledger ("person:zalmay khalilzad");
a bare surname, an anonymous source, a document or a description ("the company") is a form of
its own article only. Forms then merge into identities:

- full names that agree exactly share a form (so they merge by construction);
- compatible variants ("J. Smith", "Bill Smith", "William J. Smith") merge with a full name only
  with evidence (a shared affiliation or role word, or the articles share a story or another
  named speaker) and only when the variant cannot belong to two different people;
- a bare surname joins the full name its own article spells out (as a speaker or in the text),
  else the one full name with that surname under the same evidence rule;
- anonymous sources, documents and descriptions never merge across articles;
- organisations and outlets merge by their normalised name.

Overrides (merge, split, rename) are applied in order after every automatic run.
"""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import date
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .names import PersonName, compatible, fold, is_proper, looks_like_person, org_key, parse_person

log = logging.getLogger(__name__)

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}")
PRONOUNS = frozenset("he she they him her them i we you it his hers their who which".split())


@dataclass(frozen=True, slots=True)
class Mention:
    """A statement's speaker as the ledger holds it (one row per statement)."""

    statement_id: int
    article_id: int
    date: str | None
    name: str | None
    type: str = "unknown"
    role: str | None = None
    affiliation: str | None = None
    mention: str | None = None
    speaker_id: int | None = None
    issued_by: str | None = None
    content: str = ""


@dataclass(frozen=True, slots=True)
class Override:
    """A manual correction: ``op`` is merge (a absorbs b), split (a's identity into its forms) or rename."""

    op: str
    a: str
    b: str | None = None
    name: str | None = None


@dataclass
class Identity:
    """A speaker across articles."""

    key: str
    name: str
    type: str
    forms: list[str]
    aliases: list[str] = field(default_factory=list)
    roles: list[dict[str, object]] = field(default_factory=list)
    affiliations: list[dict[str, object]] = field(default_factory=list)
    statement_ids: list[int] = field(default_factory=list)
    statement_forms: dict[int, str] = field(default_factory=dict)
    statements: int = 0
    articles: int = 0
    first_seen: str | None = None
    last_seen: str | None = None

    def to_dict(self, id: int | None = None) -> dict[str, object]:
        return {"id": id, "name": self.name, "type": self.type, "aliases": self.aliases, "roles": self.roles,
                "affiliations": self.affiliations, "statements": self.statements, "articles": self.articles,
                "first_seen": self.first_seen, "last_seen": self.last_seen}


def form_of(m: Mention, surnames: frozenset[str] | set[str] = frozenset()) -> str | None:
    """The form key of a mention's speaker, or None when the statement has no named speaker.

    ``surnames`` are the surnames of full-name persons in the ledger: a one-word speaker the
    engine did not type as a person ("Volcker" typed as an organisation) is taken as a bare
    surname when it is one of them.
    """
    if not m.name or not m.name.strip() or fold(m.name.strip()) in PRONOUNS:
        return None
    name = m.name.strip()
    t = m.type
    if t == "anonymous":
        return f"anon:{m.article_id}:{m.speaker_id if m.speaker_id is not None else fold(name)}"
    if t == "document":
        return f"doc:{m.article_id}:{fold(name)}:{fold(m.issued_by or '')}"
    if t in ("organization", "unknown", "outlet") and " " not in name and name[:1].isupper() and not name.isupper():
        pn = parse_person(name)
        if pn is not None and pn.surname in surnames:
            return f"bare:{m.article_id}:{pn.surname}"
    if t == "person" or (t == "unknown" and looks_like_person(name)):
        pn = parse_person(name)
        if pn is None:
            return None
        if pn.given:
            return f"person:{pn.key}"
        return f"bare:{m.article_id}:{pn.surname}"
    if t in ("organization", "outlet") and is_proper(name) and org_key(name):
        return f"org:{org_key(name)}"
    return f"local:{m.article_id}:{fold(name)}"


def person_surnames(mentions: Iterable[Mention]) -> set[str]:
    """Surnames of the full-name persons among ``mentions``."""
    out = set()
    for m in mentions:
        if m.name and m.type in ("person", "unknown") and " " in m.name.strip():
            pn = parse_person(m.name)
            if pn is not None and pn.is_full and (m.type == "person" or looks_like_person(m.name)):
                out.add(pn.surname)
    return out


def _role_word(role: str) -> str:
    words = fold(role).replace("-", " ").split()
    return words[-1] if words else ""


class _Forms:
    """What is known about each form: mentions, evidence, and the person name it stands for."""

    def __init__(self, mentions: Iterable[Mention], story_of: dict[int, int],
                 texts: Mapping[int, str] | None = None) -> None:
        mentions = list(mentions)
        self.texts = texts or {}
        self._folded: dict[int, str] = {}
        surnames = person_surnames(mentions)
        self.mentions: dict[str, list[Mention]] = defaultdict(list)
        self.form: dict[int, str] = {}
        for m in mentions:
            f = form_of(m, surnames)
            if f is not None:
                self.mentions[f].append(m)
                self.form[m.statement_id] = f
        self.person: dict[str, PersonName] = {}
        for f, ms in self.mentions.items():
            if f.startswith(("person:", "bare:")):
                pn = parse_person(ms[0].name or "")
                if pn is not None:
                    self.person[f] = pn
        self.affiliations = {f: {org_key(m.affiliation) for m in ms if m.affiliation} - {""}
                             for f, ms in self.mentions.items()}
        self.roles = {f: {_role_word(m.role) for m in ms if m.role} - {""} for f, ms in self.mentions.items()}
        self.articles = {f: {m.article_id for m in ms} for f, ms in self.mentions.items()}
        self.stories = {f: {story_of.get(a, -a) for a in arts} for f, arts in self.articles.items()}
        by_article: dict[int, set[str]] = defaultdict(set)
        for f, arts in self.articles.items():
            if f.startswith("person:"):
                for a in arts:
                    by_article[a].add(f)
        self.cooccurring = {f: set().union(*(by_article[a] for a in arts)) - {f}
                            for f, arts in self.articles.items()}

    def named_in(self, g: str, article: int) -> bool:
        """Whether the full name of person form ``g`` appears in the text of ``article``."""
        if article not in self._folded:
            words = re.sub(r"[^\w']+", " ", fold(self.texts.get(article, ""))).split()
            self._folded[article] = " " + " ".join(words) + " "
        return f" {self.person[g].key} " in self._folded[article]

    def evidence(self, f: str, g: str) -> bool:
        """Something besides the name says ``f`` and ``g`` are the same speaker."""
        if self.articles[f] & self.articles[g]:
            return True  # named in the same article
        if self.affiliations[f] & self.affiliations[g]:
            return True
        if self.roles[f] & self.roles[g]:
            return True
        if self.stories[f] & self.stories[g]:
            return True
        return bool(self.cooccurring[f] & self.cooccurring[g])


def _near(a: Iterable[str | None], b: Iterable[str | None], days: int) -> bool:
    """Whether the date spans of ``a`` and ``b`` come within ``days`` of each other."""
    da = sorted(date.fromisoformat(x[:10]).toordinal() for x in a if x and _ISO.match(x))
    db = sorted(date.fromisoformat(x[:10]).toordinal() for x in b if x and _ISO.match(x))
    return bool(da and db) and not (da[-1] < db[0] - days or db[-1] < da[0] - days)


def _clusters(forms: _Forms, bare_window_days: int | None = None) -> dict[str, str]:
    """Automatic linking: form -> the form that represents its cluster."""
    parent = {f: f for f in forms.mentions}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_surname: dict[str, list[str]] = defaultdict(list)
    for f, pn in forms.person.items():
        by_surname[pn.surname].append(f)
    for surname, group in by_surname.items():
        named = sorted(f for f in group if f.startswith("person:"))
        compat = {f: [g for g in named if g != f and compatible(forms.person[f], forms.person[g])] for f in group}

        def consistent(f: str) -> bool:
            # every name ``f`` could be is compatible with every other: no two people behind f
            cands = compat[f]
            return all(compatible(forms.person[x], forms.person[y]) for i, x in enumerate(cands) for y in cands[i + 1:])

        for f in named:
            if not consistent(f):
                continue
            for g in compat[f]:
                if consistent(g) and forms.evidence(f, g):
                    parent[find(f)] = find(g)
        # a bare surname joins the one full name it can be, with evidence
        for f in group:
            if f.startswith("bare:"):
                full = [g for g in compat[f] if forms.person[g].is_full]
                here = [g for g in full if forms.articles[g] & forms.articles[f]
                        or any(forms.named_in(g, a) for a in forms.articles[f])]
                full = here or full  # a full name in the same article is the one it stands for
                roots = {find(g) for g in full}
                if len(roots) == 1 and (here or any(forms.evidence(f, g) for g in full)):
                    parent[find(f)] = roots.pop()
                elif bare_window_days is not None and not here:
                    dates = [m.date for m in forms.mentions[f]]
                    near = [g for g in full if _near(dates, (m.date for m in forms.mentions[g]), bare_window_days)]
                    roots = {find(g) for g in near}
                    if len(roots) == 1:
                        parent[find(f)] = roots.pop()
    return {f: find(f) for f in parent}


def apply_overrides(cluster_of: dict[str, str], overrides: Sequence[Override]) -> tuple[dict[str, str], dict[str, str]]:
    """Apply manual overrides in order; returns (form -> cluster root, cluster root -> forced name)."""
    cluster_of = dict(cluster_of)
    names: dict[str, str] = {}
    for o in overrides:
        if o.a not in cluster_of or (o.op == "merge" and (o.b is None or o.b not in cluster_of)):
            log.info("override %s %s %s refers to a speaker no longer in the ledger", o.op, o.a, o.b or "")
            continue
        root_a = cluster_of[o.a]
        if o.op == "merge":
            assert o.b is not None
            root_b = cluster_of[o.b]
            for f, r in cluster_of.items():
                if r == root_b:
                    cluster_of[f] = root_a
            if root_b in names and root_a not in names:
                names[root_a] = names.pop(root_b)
        elif o.op == "split":
            for f, r in list(cluster_of.items()):
                if r == root_a:
                    cluster_of[f] = f
            names.pop(root_a, None)
        elif o.op == "rename" and o.name:
            names[root_a] = o.name
    return cluster_of, names


def _timeline(values: Iterable[tuple[str, str | None]]) -> list[dict[str, object]]:
    seen: dict[str, dict[str, object]] = {}
    for value, date in values:
        k = fold(value)
        e = seen.setdefault(k, {"value": value, "first_seen": date, "last_seen": date, "count": 0})
        e["count"] = int(e["count"]) + 1  # type: ignore[call-overload]
        if date and (e["first_seen"] is None or date < e["first_seen"]):  # type: ignore[operator]
            e["first_seen"] = date
        if date and (e["last_seen"] is None or date > e["last_seen"]):  # type: ignore[operator]
            e["last_seen"] = date
    return sorted(seen.values(), key=lambda e: (-int(e["count"]), str(e["value"])))  # type: ignore[call-overload]


def _content_key(text: str) -> str:
    return hashlib.blake2b(" ".join(fold(text).split()).encode(), digest_size=8).hexdigest()


def _build(forms_in: list[str], forms: _Forms, forced: str | None, dup_of: dict[int, int]) -> Identity:
    ms = [m for f in forms_in for m in forms.mentions[f]]
    key = max(forms_in, key=lambda f: (f.startswith("person:"), len(forms.mentions[f]), f))
    kinds = Counter(m.type for m in ms)
    names = Counter(m.name.strip() for m in ms if m.name)
    full = Counter({n: c for n, c in names.items() if (pn := parse_person(n)) is not None and pn.is_full})
    name = forced or (full or names).most_common(1)[0][0]
    aliases = Counter(names)
    for m in ms:
        if m.mention and is_proper(m.mention) and fold(m.mention) not in PRONOUNS:
            aliases[m.mention.strip()] += 1
    dates = sorted(m.date for m in ms if m.date)
    seen_statements = {(dup_of.get(m.article_id, m.article_id), _content_key(m.content) if m.content
                        else m.statement_id) for m in ms}
    type_ = "person" if any(f.startswith(("person:", "bare:")) for f in forms_in) else kinds.most_common(1)[0][0]
    return Identity(
        key=key, name=name, type=type_, forms=sorted(forms_in),
        aliases=[a for a, _ in sorted(aliases.items(), key=lambda kv: (-kv[1], kv[0])) if a != name][:20],
        roles=_timeline((m.role, m.date) for m in ms if m.role),
        affiliations=_timeline((m.affiliation, m.date) for m in ms if m.affiliation),
        statement_ids=sorted(m.statement_id for m in ms),
        statement_forms={m.statement_id: f for f in forms_in for m in forms.mentions[f]},
        statements=len(seen_statements),
        articles=len({dup_of.get(m.article_id, m.article_id) for m in ms}),
        first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
    )


def link_identities(
    mentions: Iterable[Mention],
    *,
    story_of: dict[int, int] | None = None,
    dup_of: dict[int, int] | None = None,
    overrides: Sequence[Override] = (),
    texts: Mapping[int, str] | None = None,
    bare_window_days: int | None = None,
) -> list[Identity]:
    """Group statement speakers into identities.

    ``story_of`` maps article id -> story id (co-occurrence evidence), ``dup_of`` article id ->
    near-duplicate cluster id (a wire story republished counts once in the statistics),
    ``texts`` article id -> text (a bare surname joins the full name its own article spells out).
    ``bare_window_days`` (off by default) lets a bare surname with no other evidence join the only
    person with that surname quoted within that many days of it.
    """
    forms = _Forms(mentions, story_of or {}, texts)
    cluster_of, names = apply_overrides(_clusters(forms, bare_window_days), overrides)
    members: dict[str, list[str]] = defaultdict(list)
    for f, root in cluster_of.items():
        members[root].append(f)
    out = [_build(fs, forms, names.get(root), dup_of or {}) for root, fs in members.items()]
    out.sort(key=lambda i: i.key)
    return out
