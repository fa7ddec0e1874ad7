"""Principles: which of the initiative's principles a text states, with the
sentences that state them, and what changed between two releases.

The taxonomy is data: the ``[principles]`` table of a profile (the bundled
``profiles/cspo.toml``, whose comments above that table document the small
pattern language each phrasing is written in), validated once as the
profile's :class:`Taxonomy`; each phrasing is compiled to a regular expression
only when a text contains the words it needs (``_principles_engine`` says how).

Each finding points back to its evidence: every :class:`PrincipleHit` holds the
sentences (:class:`~cspo_archive.analysis._sentences.Sentence`, with offsets)
that state the principle and the phrase matched in each. A sentence that makes
a commitment ("remain committed", "will not stand by") but states no principle
of the taxonomy is kept as an unclassified :class:`Commitment`, so a principle
the taxonomy does not know yet is never invisible.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from cspo_archive._lazy_re import LazyPattern
from cspo_archive.analysis import _principles_engine as engine
from cspo_archive.analysis._document import Document, prepared
from cspo_archive.analysis._principles_engine import GROUPS as GROUPS
from cspo_archive.analysis._principles_engine import Principle, Taxonomy
from cspo_archive.analysis._sentences import Sentence

__all__ = [
    "Commitment",
    "Principle",
    "PrincipleChange",
    "PrincipleHit",
    "Principles",
    "PrinciplesChange",
    "Taxonomy",
    "compare_principles",
    "compile_phrasing",
    "extract_principles",
]

STATUSES = ("added", "dropped", "retained", "reworded")


# --- records ---------------------------------------------------------------------
# Principle (an entry of the taxonomy) and GROUPS live in ``_principles_engine``,
# which builds them; this module imports from it, never the reverse.


@frozen
class PrincipleHit:
    """A principle a text states: every sentence stating it, in text order,
    and the phrase matched in each (``matches[i]`` is found in ``evidence[i]``)."""

    principle: Principle
    evidence: tuple[Sentence, ...]
    matches: tuple[str, ...]

    @property
    def count(self) -> int:
        """How many sentences state the principle."""
        return len(self.evidence)


@frozen
class Commitment:
    """A sentence that makes a commitment (``marker`` is the phrase that shows
    it) but states no principle of the taxonomy."""

    sentence: Sentence
    marker: str


@frozen
class Principles:
    """The principles one text states (taxonomy order) and its unclassified commitments."""

    taxonomy_version: str
    hits: tuple[PrincipleHit, ...]
    unclassified: tuple[Commitment, ...]

    def get(self, principle_id: str) -> PrincipleHit | None:
        """The hit for *principle_id*, or ``None`` when the text does not state it."""
        for hit in self.hits:
            if hit.principle.id == principle_id:
                return hit
        return None


@frozen
class PrincipleChange:
    """How one principle fares between two texts.

    ``status`` is ``"added"`` (only in the new text), ``"dropped"`` (only in
    the old), ``"retained"`` (in both, and one clause stating it is the same in
    both, word for word, or cut short at one end) or ``"reworded"`` (in both, every
    stating clause changed). An extra sentence stating it, or a sentence cut after
    the words that state it, keeps a principle retained.
    """

    principle: Principle
    status: str
    old_evidence: tuple[Sentence, ...]
    new_evidence: tuple[Sentence, ...]
    old_count: int
    new_count: int


@frozen
class PrinciplesChange:
    """Every principle present in either text, in taxonomy order, with its status."""

    old: Principles
    new: Principles
    changes: tuple[PrincipleChange, ...]
    new_unclassified: tuple[Commitment, ...]

    def _with(self, status: str) -> tuple[PrincipleChange, ...]:
        return tuple(change for change in self.changes if change.status == status)

    @property
    def added(self) -> tuple[PrincipleChange, ...]:
        """Principles the new text states and the old one does not."""
        return self._with("added")

    @property
    def dropped(self) -> tuple[PrincipleChange, ...]:
        """Principles the old text states and the new one does not."""
        return self._with("dropped")

    @property
    def retained(self) -> tuple[PrincipleChange, ...]:
        """Principles both texts state with a clause of the same words."""
        return self._with("retained")

    @property
    def reworded(self) -> tuple[PrincipleChange, ...]:
        """Principles both texts state, every stating clause changed."""
        return self._with("reworded")


# --- the pattern language and the taxonomy ----------------------------------------
# Both live in ``_principles_engine``.


def compile_phrasing(phrasing: str) -> str:
    """The regular expression (text) of one *phrasing*; raises ``ValueError`` if invalid.

    Exposed for tests and for authors of taxonomies.
    """
    try:
        return engine.WORD_START + engine.Parser(phrasing).parse()[0]
    except engine.PatternError as exc:
        raise ValueError(str(exc)) from None


def _default_taxonomy() -> Taxonomy:
    from cspo_archive.analysis._profile import load_profile

    return load_profile().principles


# --- the API -----------------------------------------------------------------------


def extract_principles(text: str | Document, taxonomy: Taxonomy | None = None) -> Principles:
    """The principles *text* states, each with every sentence stating it, by
    *taxonomy*, a profile's principles section (the bundled profile's by default).

    A sentence may state several principles. A sentence with a commitment
    marker and no principle becomes an unclassified :class:`Commitment`.
    Never raises.
    """
    taxonomy = taxonomy if taxonomy is not None else _default_taxonomy()
    document = prepared(text)
    # Only the phrasings whose words occur in the text can match in it: bind
    # (and compile) just those, once for all the sentences.
    matchers, markers = taxonomy.bind(document.folded)
    found: list[list[tuple[Sentence, str]]] = [[] for _ in taxonomy.principles]
    unclassified: list[Commitment] = []
    for sentence in document.sentences:
        if not _may_state(sentence.text, taxonomy):
            continue
        stated = False
        for evidence, matcher in zip(found, matchers, strict=True):
            if matcher is None:
                continue
            phrase = matcher.find(sentence.text)
            if phrase is not None and not _topic(sentence.text, phrase, taxonomy):
                evidence.append((sentence, phrase))
                stated = True
        if not stated and markers is not None:
            marker = markers.find(sentence.text)
            if marker is not None:
                unclassified.append(Commitment(sentence, marker))
    hits = tuple(
        PrincipleHit(
            principle,
            tuple(sentence for sentence, _ in evidence),
            tuple(phrase for _, phrase in evidence),
        )
        for principle, evidence in zip(taxonomy.principles, found, strict=True)
        if evidence
    )
    return Principles(taxonomy.version, hits, tuple(unclassified))


def _may_state(text: str, taxonomy: Taxonomy) -> bool:
    """Whether a sentence can state the initiative's principles at all: not a site
    banner, and not about another grouping's business (a bilateral agreement,
    another alliance or operation) without naming the initiative's."""
    if taxonomy.not_evidence is not None and taxonomy.not_evidence.search(text):
        return False
    if taxonomy.other_context is not None and taxonomy.other_context.search(text):
        return taxonomy.own_context is not None and taxonomy.own_context.search(text) is not None
    return True


def _topic(text: str, phrase: str, taxonomy: Taxonomy) -> bool:
    """Whether *phrase* is named as a topic or a threat in *text*, not stated as a
    stance ("concerns about the placement of weapons in orbit")."""
    if taxonomy.topic_before is None:
        return False
    at = text.find(phrase)
    return at >= 0 and taxonomy.topic_before.search(text[max(0, at - 80) : at]) is not None


def _normal(sentence: Sentence) -> str:
    return " ".join(sentence.text.split())


#: What ends a clause: the words around a matched phrase up to these state it.
_clause_end_re = LazyPattern(r"[;:\u2014\u2013()\[\]]|\s-\s")


def _clauses(hit: PrincipleHit) -> list[str]:
    """The clause stating the principle in each evidence sentence (the words around
    the matched phrase, up to a semicolon, colon, dash or bracket), white space
    made single and quotes made straight."""
    clauses = []
    for sentence, phrase in zip(hit.evidence, hit.matches, strict=True):
        text = sentence.text.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
        at = max(text.find(phrase.replace("\u2019", "'")), 0)
        ends = [m.start() for m in _clause_end_re.finditer(text)]
        start = max((e + 1 for e in ends if e < at), default=0)
        end = min((e for e in ends if e >= at + len(phrase)), default=len(text))
        clauses.append(" ".join(text[start:end].split()).strip(" ,.;"))
    return clauses


def _spelled_alike(clause: str) -> str:
    """*clause* with every word folded (:func:`~cspo_archive.analysis.copies.fold_word`):
    a British and an American copy of one clause read alike."""
    from cspo_archive.analysis.copies import fold_word

    return _letters_re().sub(lambda m: fold_word(m.group()), clause)


_letters_re = LazyPattern(r"[^\W\d_]+")


def _same_clause(old: PrincipleHit, new: PrincipleHit) -> bool:
    """Whether a clause stating the principle in *old* is one in *new*: the same
    words (spelling aside: "behaviour" is "behavior"), or the same words cut short
    at one end (one copy stopped earlier)."""
    for a in map(_spelled_alike, _clauses(old)):
        for b in map(_spelled_alike, _clauses(new)):
            if (
                a
                and b
                and (a == b or a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a))
            ):
                return True
    return False


def _order(old: Sequence[str], new: Sequence[str]) -> list[str]:
    """Merge two subsequences of one taxonomy order, keeping the order of each."""
    common = set(old) & set(new)
    merged: list[str] = []
    i = 0
    for principle_id in new:
        if principle_id in common:
            while i < len(old) and old[i] != principle_id:
                if old[i] not in common:
                    merged.append(old[i])
                i += 1
            i += 1
        merged.append(principle_id)
    merged.extend(p for p in old[i:] if p not in common)
    return merged


def compare_principles(
    old: Principles, new: Principles, taxonomy: Taxonomy | None = None
) -> PrinciplesChange:
    """What changed in the principles stated from *old* to *new*.

    Both should come from the same taxonomy version (``old.taxonomy_version``
    and ``new.taxonomy_version`` are kept in the result). Changes follow the
    order of *taxonomy* (the bundled profile's by default); principles it
    does not know follow, in the order of the two texts' taxonomy. Evidence
    sentences are compared by their text with runs of white space made single.
    """
    old_hits = {hit.principle.id: hit for hit in old.hits}
    new_hits = {hit.principle.id: hit for hit in new.hits}
    taxonomy = taxonomy if taxonomy is not None else _default_taxonomy()
    rank = {principle.id: i for i, principle in enumerate(taxonomy.principles)}
    merged = {p: i for i, p in enumerate(_order(list(old_hits), list(new_hits)))}
    changes = []
    for principle_id in sorted(merged, key=lambda p: (rank.get(p, len(rank)), merged[p])):
        before, after = old_hits.get(principle_id), new_hits.get(principle_id)
        old_evidence = before.evidence if before is not None else ()
        new_evidence = after.evidence if after is not None else ()
        if after is not None:
            principle = after.principle
            if before is None:
                status = "added"
            elif _same_clause(before, after):
                status = "retained"
            else:
                status = "reworded"
        else:
            principle, status = old_hits[principle_id].principle, "dropped"
        changes.append(
            PrincipleChange(
                principle,
                status,
                old_evidence,
                new_evidence,
                len(old_evidence),
                len(new_evidence),
            )
        )
    known = {_spelled_alike(_normal(c.sentence)) for c in old.unclassified}
    known.update(_spelled_alike(_normal(s)) for hit in old.hits for s in hit.evidence)
    fresh = tuple(c for c in new.unclassified if _spelled_alike(_normal(c.sentence)) not in known)
    return PrinciplesChange(old, new, tuple(changes), fresh)
