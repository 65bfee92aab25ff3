"""The corpus's actors in the store: each stored article's PERSON and ORG entities linked to the
people and organizations they name across the corpus, in the transaction that stores the article;
the user's corrections (merge, split, rename), kept and replayed; a rebuild from the stored entities.
Which actor an entity joins is corpus/actors.py's to say; here is how the store keeps it.

- `link_entities(session, articles)`: called by store.write for the articles it stores. It plans
  each article's entities, loads the actors their names and forms could match, decides (full names
  first, then what the article ties to them, then one-word names), makes the actors that are new
  (INSERT ... ON CONFLICT on the unique key: two processes making the same actor get one), adds the
  entities' forms to the actors' names and their counts to the actors. When an actor is made, or gains
  a one-word alias, that changes what a one-word name means ("Trump" once Donald Trump is known;
  "Clinton" once Bill Clinton is), the entities already linked by that word are judged again and
  moved, their counts with them.
- `merge`, `split`, `rename`: a user's corrections, each recorded in actor_edits. A merge pins the
  merged actor's names to the actor it joins, a split pins the name split off to its new actor: the
  articles stored later follow them.
- Whenever entities change actor (a merge, a split, a one-word name judged again, a rebuild), the
  series points they are the source of and the claims they are the speaker of follow in the same
  transaction (series.refresh_actors, provenance.compare_speakers_again): two names merged into one
  actor are no longer "another speaker" in a claim.
- `rebuild`: forget every link and actor, link every stored article again in store order, replay the
  recorded corrections. `backfill`: the same, once, for a store whose entities have no actors yet
  (one migrated from schema 0005). `link_unlinked`: link the articles stored without any link
  (written without the corpus layer), as if stored now.

Idempotent as the rest of the store: an article already stored is not written again, so its
entities are never counted twice; everything here runs in the caller's transaction, so a crash
leaves the actors as they were with the articles. On PostgreSQL, linking holds a shared advisory
lock and corrections and rebuilds an exclusive one, so that a rebuild never meets a link half made.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable, Optional

from sqlalchemy import Integer, bindparam, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ..corpus import actors as A
from . import tables as T
from .db import Store, dialect_insert, in_chunks as _chunks
from .provenance import compare_speakers_again
from .series import refresh_actors as refresh_series_actors

ACTORS, NAMES, LINKS = T.Actor.__table__, T.ActorName.__table__, T.EntityActor.__table__
PG_ACTORS_LOCK = 0x6E65_7773_6163_7472  # "newsactr": pg_advisory_xact_lock's key for the actors


def _lock(session: Session, exclusive: bool) -> None:
    if session.get_bind().dialect.name == "postgresql":
        fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        session.execute(select(getattr(func, fn)(PG_ACTORS_LOCK)))


@dataclass
class ArticleEntities:
    """One stored article's entities to link: its id, when it was published, and its entities
    (`ref`: the entity's id in the store)."""
    article_id: int
    published_at: Optional[datetime]
    entities: list[A.EntityIn]


# ---------------------------------------------------------------- what the store knows, for one call

@dataclass
class _Actor:
    id: int
    key: str
    name: str
    kind: str
    type: str
    surname: Optional[str]

    def candidate(self) -> A.Candidate:
        return A.Candidate(self.id, self.name, self.kind, self.key)


@dataclass
class _Row:
    names: int = 0
    tied: int = 0
    pinned: bool = False


@dataclass
class _State:
    """The actors and names that one call's keys could match, loaded once a key and kept up to date
    as the call links (so that the call's later entities see what its earlier ones made)."""
    session: Session
    actors: dict[int, _Actor] = field(default_factory=dict)
    by_key: dict[str, int] = field(default_factory=dict)
    rows: dict[str, dict[int, _Row]] = field(default_factory=lambda: defaultdict(dict))
    people: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    keys: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    triggers: set[str] = field(default_factory=set)  # one-word keys whose meaning changed

    def _remember(self, row) -> _Actor:
        actor = _Actor(row.id, row.key, row.name, row.kind, row.type, row.surname)
        self.actors[actor.id] = actor
        self.by_key[actor.key] = actor.id
        if actor.surname and actor.type == "PERSON" and actor.kind != A.PLACEHOLDER:
            self.people[actor.surname].add(actor.id)
        return actor

    def load(self, keys: Iterable[str] = (), surnames: Iterable[str] = ()) -> None:
        s = self.session
        keys = sorted(set(keys) - self.keys)
        surnames = sorted(set(surnames) - self.surnames)
        self.keys.update(keys)
        self.surnames.update(surnames)
        cols = (ACTORS.c.id, ACTORS.c.key, ACTORS.c.name, ACTORS.c.kind, ACTORS.c.type, ACTORS.c.surname)
        for part in _chunks(keys):
            for row in s.execute(select(*cols).where(ACTORS.c.key.in_(part))):
                self._remember(row)
            # a form only mentioned (no entity's name, tied by no article, not pinned) decides
            # nothing here, and may be held by many actors ("Trump" in articles about others):
            # not read, so that a call reads what it could match, however large the corpus
            found = s.execute(select(NAMES.c.key, NAMES.c.actor_id, NAMES.c.names, NAMES.c.tied, NAMES.c.pinned)
                              .where(NAMES.c.key.in_(part), or_(NAMES.c.names > 0, NAMES.c.tied > 0,
                                                                NAMES.c.pinned.is_(True)))).all()
            for key, actor_id, names, tied, pinned in found:
                row = self.rows[key].setdefault(actor_id, _Row())
                row.names += names
                row.tied += tied
                row.pinned = row.pinned or bool(pinned)
            missing = sorted({r.actor_id for r in found} - set(self.actors))
            for ids in _chunks(missing):
                for row in s.execute(select(*cols).where(ACTORS.c.id.in_(ids))):
                    self._remember(row)
        for part in _chunks(surnames):
            for row in s.execute(select(*cols).where(ACTORS.c.surname.in_(part), ACTORS.c.type == "PERSON",
                                                     ACTORS.c.kind != A.PLACEHOLDER)):
                self._remember(row)

    # ------------------------------------------------------------ candidates

    def _cands(self, ids: Iterable[int]) -> list[A.Candidate]:
        return [self.actors[i].candidate() for i in sorted(set(ids)) if i in self.actors]

    def pinned(self, key: str) -> list[A.Candidate]:
        return self._cands(a for a, r in self.rows.get(key, {}).items() if r.pinned)

    def exact(self, *keys: str) -> list[A.Candidate]:
        return self._cands(self.by_key[k] for k in keys if k in self.by_key)

    def tied(self, key: str) -> list[A.Candidate]:
        return [c for c in self._cands(a for a, r in self.rows.get(key, {}).items() if r.tied > 0)
                if c.kind != A.PLACEHOLDER]

    def named(self, key: str) -> list[A.Candidate]:
        """Actors that bear this (full) name as a form: an entity's name, or a tied one."""
        return [c for c in self._cands(a for a, r in self.rows.get(key, {}).items() if r.names > 0 or r.tied > 0)
                if c.kind != A.PLACEHOLDER]

    def surname_people(self, key: str) -> list[A.Candidate]:
        return self._cands(self.people.get(key, ()))

    # ------------------------------------------------------------ changes

    def create(self, key: str, name: str, type: str, kind: str, surname: Optional[str]) -> _Actor:
        """The actor keyed `key`, made if missing (by this call or, at the same time, another
        process: the unique key makes them one)."""
        if key in self.by_key:
            return self.actors[self.by_key[key]]
        s = self.session
        stmt = dialect_insert(s, ACTORS).values(
            key=key, name=name, type=type, kind=kind, surname=surname if type == "PERSON" else None,
            ambiguous=False, renamed=False, articles=0, mentions=0, persons=0, organizations=0)
        new_id = s.execute(stmt.on_conflict_do_nothing(index_elements=["key"]).returning(ACTORS.c.id)).scalar()
        row = s.execute(select(ACTORS.c.id, ACTORS.c.key, ACTORS.c.name, ACTORS.c.kind, ACTORS.c.type,
                               ACTORS.c.surname).where(ACTORS.c.key == key)).one()
        actor = self._remember(row)
        if new_id is not None and actor.kind != A.PLACEHOLDER:
            if len(key.split(" ")) == 1:
                self.triggers.add(key)  # "Apple Inc." keyed "apple": what "Apple" means changed
            if actor.surname and actor.type == "PERSON":
                self.triggers.add(actor.surname)  # a new person with this surname
        return actor

    def upgrade(self, actor: _Actor) -> None:
        """A one-word actor that a full name now matches ("Apple" by "Apple Inc."): no placeholder now."""
        if actor.kind == A.PLACEHOLDER:
            actor.kind = A.FULL
            self.session.execute(update(ACTORS).where(ACTORS.c.id == actor.id).values(kind=A.FULL))
            self.triggers.add(actor.key)

    def add_forms(self, actor_id: int, forms: list[A.Form], sign: int = 1) -> None:
        """Count forms linked (or, sign -1, unlinked) in this call. Only keys loaded already: one loaded
        later is read from the store, which holds them by then."""
        actor = self.actors.get(actor_id)
        for f in forms:
            if f.key not in self.keys:
                continue
            row = self.rows[f.key].setdefault(actor_id, _Row())
            before = row.tied
            row.names += sign * f.names
            row.tied += sign * f.tied
            if before <= 0 < row.tied and " " not in f.key and actor is not None and actor.kind != A.PLACEHOLDER:
                self.triggers.add(f.key)  # an article tied this word to a full name: it may mean that one


# ---------------------------------------------------------------- linking

@dataclass
class _Link:
    entity_id: int
    article_id: int
    actor_id: int
    link: str
    key: str
    forms: list[A.Form]
    type: str
    mentions: int
    published_at: Optional[datetime]


def link_entities(session: Session, articles: list[ArticleEntities]) -> None:
    """Link the entities of newly stored articles to their actors (see the module's docstring).
    Every entity here is new: none is linked yet."""
    planned = [(art, plan) for art in articles for plan in A.plan_article(art.entities)]
    if not planned:
        return
    _lock(session, exclusive=False)
    state = _State(session)
    keys = {p.key for _, p in planned} | {p.name.full_key for _, p in planned} | \
        {f.key for _, p in planned for f in p.forms}
    state.load(keys, {p.key for _, p in planned if p.name.single})
    n_mentions = {e.ref: len(e.mentions) for art in articles for e in art.entities}
    links: dict[int, _Link] = {}

    def link(art: ArticleEntities, plan: A.Plan, actor_id: int, how: str) -> None:
        links[plan.ref] = _Link(plan.ref, art.article_id, actor_id, how, plan.key, plan.forms, plan.name.type,
                                n_mentions.get(plan.ref, 0), art.published_at)
        state.add_forms(actor_id, plan.forms)

    full = [(a, p) for a, p in planned if p.tie is None and not p.name.single]
    tied = [(a, p) for a, p in planned if p.tie is not None]
    single = [(a, p) for a, p in planned if p.tie is None and p.name.single]
    for art, plan in full:
        actor_id, how = _decide_full(state, plan)
        link(art, plan, actor_id, how)
    for art, plan in tied:
        target = links.get(plan.tie)
        if target is None:  # its full name is no actor's: judged on its own
            single.append((art, plan))
            continue
        link(art, plan, target.actor_id, A.TIED)
    for art, plan in single:
        if plan.name.single:
            actor_id, how = _decide_single(state, plan.key, plan.name.display, plan.name.type)
        else:
            actor_id, how = _decide_full(state, plan)
        link(art, plan, actor_id, how)

    new = sorted(links.values(), key=lambda lk: lk.entity_id)
    for part in _chunks(new):
        session.execute(LINKS.insert(), [dict(entity_id=lk.entity_id, actor_id=lk.actor_id, article_id=lk.article_id,
                                              key=lk.key[:255], link=lk.link, forms=[f.as_list() for f in lk.forms])
                                         for lk in part])
    _add_names(session, [(lk.actor_id, f, 1) for lk in new for f in lk.forms])
    _count(session, new)
    touched = {lk.actor_id for lk in new}
    touched |= _reevaluate(session, state)
    _refresh(session, touched, recount=set())


def _decide_full(state: _State, plan: A.Plan) -> tuple[int, str]:
    name = plan.name
    tied_keys = plan.tied_keys()
    state.load([name.key, name.full_key, *tied_keys])
    article = [c for k in tied_keys for c in state.exact(k) + state.named(k)]
    decision = A.decide_full(name, state.pinned(name.key), state.exact(name.key, name.full_key),
                             state.named(name.key) if " " in name.key else [], article)
    if decision.actor is not None:
        actor = state.actors[decision.actor]
        state.upgrade(actor)
        return actor.id, decision.link
    return state.create(decision.create[:255], name.display, name.type, A.FULL, name.surname).id, A.NAME


def _decide_single(state: _State, key: str, display: str, type: str) -> tuple[int, str]:
    state.load([key], [key])
    decision = A.decide_single(type == "PERSON", state.pinned(key),
                               [c for c in state.exact(key) if c.kind != A.PLACEHOLDER],
                               state.tied(key), state.surname_people(key))
    if decision.actor is not None:
        return decision.actor, decision.link
    return state.create(key[:255], display, type, A.PLACEHOLDER, None).id, decision.link


def _add_names(session: Session, deltas: list[tuple[int, A.Form, int]], pin: bool = False) -> None:
    """Add (or, with sign -1, take away) forms' counts to their actors' names; names left with
    nothing (and not pinned) go."""
    total: dict[tuple[int, str], list] = {}
    for actor_id, f, sign in deltas:
        row = total.setdefault((actor_id, f.text[:A.MAX_FORM]), [f.key[:255], 0, 0, 0])
        row[1] += sign * f.names
        row[2] += sign * f.mentions
        row[3] += sign * f.tied
    if not total:
        return
    stmt = dialect_insert(session, NAMES)
    stmt = stmt.on_conflict_do_update(index_elements=["actor_id", "name"], set_={
        "names": NAMES.c.names + stmt.excluded.names, "mentions": NAMES.c.mentions + stmt.excluded.mentions,
        "tied": NAMES.c.tied + stmt.excluded.tied, "pinned": or_(NAMES.c.pinned, stmt.excluded.pinned)})
    rows = [dict(actor_id=a, name=n, key=k, names=x, mentions=m, tied=t, pinned=pin)
            for (a, n), (k, x, m, t) in sorted(total.items())]
    for part in _chunks(rows):
        session.execute(stmt, part)
    if any(sign < 0 for _, _, sign in deltas):
        ids = sorted({a for a, _ in total})
        for part in _chunks(ids):
            session.execute(delete(NAMES).where(NAMES.c.actor_id.in_(part), NAMES.c.names <= 0,
                                                NAMES.c.mentions <= 0, NAMES.c.tied <= 0,
                                                NAMES.c.pinned.is_(False)))


def _count(session: Session, new: list[_Link]) -> None:
    """Add new links (of new articles: none of them counted yet) to their actors' counts."""
    per: dict[int, dict] = {}
    for lk in new:
        c = per.setdefault(lk.actor_id, {"articles": set(), "mentions": 0, "persons": 0, "orgs": 0,
                                         "first": None, "last": None})
        c["articles"].add(lk.article_id)
        c["mentions"] += lk.mentions
        c["persons" if lk.type == "PERSON" else "orgs"] += 1
        if lk.published_at is not None:
            c["first"] = min(c["first"] or lk.published_at, lk.published_at)
            c["last"] = max(c["last"] or lk.published_at, lk.published_at)
    if not per:
        return
    first, last = bindparam("b_first", type_=T.Actor.first_seen.type), bindparam("b_last", type_=T.Actor.last_seen.type)
    persons, orgs = bindparam("b_persons", type_=Integer), bindparam("b_orgs", type_=Integer)
    stmt = update(ACTORS).where(ACTORS.c.id == bindparam("b_id")).values(
        articles=ACTORS.c.articles + bindparam("b_articles", type_=Integer),
        mentions=ACTORS.c.mentions + bindparam("b_mentions", type_=Integer),
        persons=ACTORS.c.persons + persons, organizations=ACTORS.c.organizations + orgs,
        type=case((ACTORS.c.persons + persons >= ACTORS.c.organizations + orgs, "PERSON"), else_="ORG"),
        first_seen=case((or_(ACTORS.c.first_seen.is_(None), ACTORS.c.first_seen > first), first),
                        else_=ACTORS.c.first_seen),
        last_seen=case((or_(ACTORS.c.last_seen.is_(None), ACTORS.c.last_seen < last), last),
                       else_=ACTORS.c.last_seen))
    session.execute(stmt, [dict(b_id=a, b_articles=len(c["articles"]), b_mentions=c["mentions"],
                                b_persons=c["persons"], b_orgs=c["orgs"], b_first=c["first"], b_last=c["last"])
                           for a, c in sorted(per.items())])


# ---------------------------------------------------------------- judging one-word names again

def _reevaluate(session: Session, state: _State) -> set[int]:
    """Judge again the one-word entities linked by a key whose meaning changed in this call, and
    move those whose actor is now another. The actors touched."""
    touched: set[int] = set()
    while state.triggers:
        key = min(state.triggers)
        state.triggers.discard(key)
        touched |= _judge_again(session, state, key)
    return touched


def _judge_again(session: Session, state: _State, key: str, links: Iterable[str] = A.AUTO_SINGLE) -> set[int]:
    rows = session.execute(
        select(LINKS.c.entity_id, LINKS.c.actor_id, LINKS.c.link, LINKS.c.forms, LINKS.c.article_id,
               T.Entity.name, T.Entity.type)
        .join(T.Entity, T.Entity.id == LINKS.c.entity_id)
        .where(LINKS.c.key == key, LINKS.c.link.in_(list(links))).order_by(LINKS.c.entity_id)).all()
    moves = []
    decided: dict[bool, tuple[int, str]] = {}
    for entity_id, actor_id, how, forms, article_id, name, type in rows:
        parsed = A.parse(name, type)
        if not parsed.single:
            continue
        is_person = type == "PERSON"
        if is_person not in decided:
            decided[is_person] = _decide_single(state, key, parsed.display, type)
        target, new_how = decided[is_person]
        if (target, new_how) != (actor_id, how):
            moves.append((entity_id, actor_id, target, new_how, [A.Form.from_list(f) for f in forms]))
    return _move(session, state, moves)


def _move(session: Session, state: Optional[_State], moves: list[tuple[int, int, int, str, list[A.Form]]]) -> set[int]:
    """Move links (entity, from actor, to actor, how, its forms) with their counts; actors left
    without an entity that were a one-word name's own go. The actors touched (still there)."""
    if not moves:
        return set()
    deltas = []
    for entity_id, old, new, how, forms in moves:
        deltas += [(old, f, -1) for f in forms] + [(new, f, 1) for f in forms]
        if state is not None:
            state.add_forms(old, forms, -1)
            state.add_forms(new, forms, 1)
    _add_names(session, deltas)
    by_target = defaultdict(list)
    for entity_id, old, new, how, forms in moves:
        by_target[(new, how)].append(entity_id)
    for (new, how), ids in sorted(by_target.items()):
        for part in _chunks(ids):
            session.execute(update(LINKS).where(LINKS.c.entity_id.in_(part)).values(actor_id=new, link=how))
    touched = {m[1] for m in moves} | {m[2] for m in moves}
    # the series points these entities are the source of now speak for their new actor, and the
    # claims quoting them compare speakers by it
    refresh_series_actors(session, entity_ids=[m[0] for m in moves])
    compare_speakers_again(session, entity_ids=[m[0] for m in moves])
    gone = _drop_empty(session, touched)
    if state is not None:
        for actor_id in gone:
            actor = state.actors.pop(actor_id, None)
            if actor is not None and state.by_key.get(actor.key) == actor_id:
                del state.by_key[actor.key]
            for rows in state.rows.values():
                rows.pop(actor_id, None)
    _refresh(session, set(), recount=touched - gone)
    return touched - gone


def _drop_empty(session: Session, ids: set[int]) -> set[int]:
    """The one-word placeholders among `ids` that no entity is linked to any more, deleted."""
    linked = select(LINKS.c.entity_id).where(LINKS.c.actor_id == ACTORS.c.id).exists()
    gone = set()
    for part in _chunks(sorted(ids)):
        gone |= set(session.scalars(select(ACTORS.c.id).where(ACTORS.c.id.in_(part), ACTORS.c.kind == A.PLACEHOLDER,
                                                              ~linked)))
    for part in _chunks(sorted(gone)):
        session.execute(delete(NAMES).where(NAMES.c.actor_id.in_(part)))
        session.execute(delete(ACTORS).where(ACTORS.c.id.in_(part)))
    return gone


# ---------------------------------------------------------------- names and counts from what is linked

def _refresh(session: Session, ids: set[int], recount: set[int]) -> None:
    """Set the canonical name (but a user's) and the ambiguous flag of the actors `ids | recount`;
    count `recount`'s articles, mentions, types and dates again from their links."""
    for part in _chunks(sorted(recount)):
        per = {a: dict(articles=0, mentions=0, persons=0, organizations=0, first_seen=None, last_seen=None)
               for a in part}
        for actor_id, n_articles, first, last, persons, orgs in session.execute(
                select(LINKS.c.actor_id, func.count(func.distinct(LINKS.c.article_id)),
                       func.min(T.Article.published_at), func.max(T.Article.published_at),
                       func.sum(case((T.Entity.type == "PERSON", 1), else_=0)),
                       func.sum(case((T.Entity.type == "PERSON", 0), else_=1)))
                .join(T.Article, T.Article.id == LINKS.c.article_id).join(T.Entity, T.Entity.id == LINKS.c.entity_id)
                .where(LINKS.c.actor_id.in_(part)).group_by(LINKS.c.actor_id)):
            per[actor_id].update(articles=n_articles, first_seen=first, last_seen=last, persons=int(persons or 0),
                                 organizations=int(orgs or 0))
        for actor_id, n in session.execute(
                select(LINKS.c.actor_id, func.count(T.Mention.id)).join(T.Mention, T.Mention.entity_id == LINKS.c.entity_id)
                .where(LINKS.c.actor_id.in_(part)).group_by(LINKS.c.actor_id)):
            per[actor_id]["mentions"] = n
        for actor_id, values in sorted(per.items()):
            session.execute(update(ACTORS).where(ACTORS.c.id == actor_id).values(
                type="PERSON" if values["persons"] >= values["organizations"] else "ORG", **values))
    everyone = sorted(ids | recount)
    for part in _chunks(everyone):
        forms = defaultdict(list)
        for actor_id, name, key, names, mentions in session.execute(
                select(NAMES.c.actor_id, NAMES.c.name, NAMES.c.key, NAMES.c.names, NAMES.c.mentions)
                .where(NAMES.c.actor_id.in_(part), NAMES.c.names > 0)):
            forms[actor_id].append((name, key, names, mentions))
        ambiguous = set(session.scalars(select(LINKS.c.actor_id).where(
            LINKS.c.actor_id.in_(part), LINKS.c.link == A.AMBIGUOUS).distinct()))
        for actor_id, key, name, renamed, was_ambiguous in session.execute(
                select(ACTORS.c.id, ACTORS.c.key, ACTORS.c.name, ACTORS.c.renamed, ACTORS.c.ambiguous)
                .where(ACTORS.c.id.in_(part))):
            best = None if renamed else A.canonical(forms.get(actor_id, []), key)
            values = {}
            if best is not None and best != name:
                values["name"] = best
            if bool(was_ambiguous) != (actor_id in ambiguous):
                values["ambiguous"] = actor_id in ambiguous
            if values:
                session.execute(update(ACTORS).where(ACTORS.c.id == actor_id).values(**values))


# ---------------------------------------------------------------- a user's corrections

class ActorNotFound(LookupError):
    """No actor (or more than one) answers to the name given."""


def _live(session: Session, actor_id: int) -> Optional[T.Actor]:
    return session.get(T.Actor, actor_id)


def resolve(session: Session, ref: str) -> T.Actor:
    """The actor `ref` names: "#12" or "12" (its id), its canonical name (any case), or a name that
    matches its key or one of its forms. ActorNotFound when none does, or several do."""
    ref = ref.strip()
    if ref.lstrip("#").isdigit():
        found = _live(session, int(ref.lstrip("#")))
        if found is not None:
            return found
    exact = list(session.scalars(select(T.Actor).where(T.Actor.name == ref).order_by(desc_articles(), T.Actor.id)))
    if not exact:
        exact = list(session.scalars(select(T.Actor).where(func.lower(T.Actor.name) == ref.lower())
                                     .order_by(desc_articles(), T.Actor.id)))
    if len(exact) >= 1:
        return exact[0]
    parsed = A.parse(ref, "PERSON")
    if parsed.tokens:
        by_key = session.scalar(select(T.Actor).where(T.Actor.key.in_({parsed.key, parsed.full_key})))
        if by_key is not None:
            return by_key
        ids = sorted(set(session.scalars(select(NAMES.c.actor_id).where(
            NAMES.c.key == parsed.key, or_(NAMES.c.pinned.is_(True), NAMES.c.tied > 0, NAMES.c.names > 0)))))
        if len(ids) == 1:
            return _live(session, ids[0])
        if len(ids) > 1:
            names = [session.get(T.Actor, i).name for i in ids[:8]]
            raise ActorNotFound(f"{ref!r} names several actors: {', '.join(names)}; give one's id (#N) or full name")
    like = list(session.scalars(select(T.Actor.name).where(T.Actor.name.ilike(f"%{_escape(ref)}%", escape="\\"))
                                .order_by(desc_articles()).limit(5)))
    hint = f"; did you mean {', '.join(like)}?" if like else ""
    raise ActorNotFound(f"no actor named {ref!r}{hint}")


def desc_articles():
    return T.Actor.articles.desc()


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _record(session: Session, action: str, args: dict) -> None:
    from .runs import now_utc

    session.add(T.ActorEdit(at=now_utc(), action=action, args=args))


def _summary(actor: T.Actor) -> dict:
    return {"id": actor.id, "name": actor.name, "type": actor.type}


def merge(store: Store, into: str, other: str) -> dict:
    """Merge the actor `other` into the actor `into` (names as `resolve` takes them): its entities,
    names and counts join it, and its names are pinned to it, so articles stored later follow."""
    with store.session() as s:
        _lock(s, exclusive=True)
        result = _merge(s, resolve(s, into), resolve(s, other))
        _record(s, "merge", {"into": result["into"]["name"], "from": result["from"]["name"]})
        return result


def _merge(session: Session, a: T.Actor, b: T.Actor) -> dict:
    if a.id == b.id:
        raise ValueError(f"{a.name!r} and {b.name!r} are one actor already (#{a.id})")
    before = {"into": _summary(a), "from": _summary(b)}
    rows = session.execute(select(NAMES.c.name, NAMES.c.key, NAMES.c.names, NAMES.c.mentions, NAMES.c.tied)
                           .where(NAMES.c.actor_id == b.id)).all()
    forms = [A.Form(n, k, x, m, t) for n, k, x, m, t in rows]
    if not any(f.key == b.key for f in forms):
        forms.append(A.Form(b.name, b.key))
    session.execute(delete(NAMES).where(NAMES.c.actor_id == b.id))
    _add_names(session, [(a.id, f, 1) for f in forms], pin=True)
    moved = list(session.scalars(select(LINKS.c.entity_id).where(LINKS.c.actor_id == b.id)))
    session.execute(update(LINKS).where(LINKS.c.actor_id == b.id).values(actor_id=a.id, link=A.USER))
    session.execute(update(LINKS).where(LINKS.c.actor_id == a.id, LINKS.c.link == A.AMBIGUOUS).values(link=A.USER))
    merged_id = b.id
    session.expunge(b)
    session.execute(delete(ACTORS).where(ACTORS.c.id == merged_id))
    values = {"ambiguous": False}
    if a.kind == A.PLACEHOLDER:
        values["kind"] = A.MADE_BY_USER
    session.execute(update(ACTORS).where(ACTORS.c.id == a.id).values(**values))
    refresh_series_actors(session, actor_ids=[a.id, merged_id])  # one source now, in series too
    compare_speakers_again(session, entity_ids=moved)  # and one speaker in claims: no variant between them
    _refresh(session, set(), recount={a.id})
    _after_pin(session, {f.key for f in forms})
    session.expire_all()
    return {**before, "actor": _summary(session.get(T.Actor, a.id))}


def _after_pin(session: Session, keys: set[str]) -> None:
    """One-word keys a correction pinned: the entities linked by them are judged again."""
    state = _State(session)
    for key in sorted(k for k in keys if " " not in k):
        _judge_again(session, state, key)


def split(store: Store, ref: str, name: str) -> dict:
    """Split off the actor `ref` the entities named `name` (and its forms so keyed) into an actor
    of their own, named `name`, kept apart from now on."""
    with store.session() as s:
        _lock(s, exclusive=True)
        result = _split(s, resolve(s, ref), name)
        _record(s, "split", {"from": result["from"]["name"], "name": name})
        return result


def _split(session: Session, a: T.Actor, name: str) -> dict:
    parsed = A.parse(name, a.type)
    if not parsed.tokens:
        raise ValueError(f"{name!r} is not a name")
    if parsed.key in (a.key,):
        raise ValueError(f"{name!r} is {a.name!r}'s own name (#{a.id}): rename it, or split another of its names off")
    keys = {parsed.key, parsed.full_key}
    before = _summary(a)
    state = _State(session)
    state.load(keys)
    target_id = state.by_key.get(parsed.key)
    if target_id is None or target_id == a.id:
        target = state.create(parsed.key[:255], parsed.display, a.type, A.MADE_BY_USER,
                              parsed.surname if not parsed.single else None)
        session.execute(update(ACTORS).where(ACTORS.c.id == target.id).values(
            kind=A.MADE_BY_USER, renamed=True, name=parsed.display))
        target_id = target.id
    else:
        session.execute(update(ACTORS).where(ACTORS.c.id == target_id).values(kind=A.MADE_BY_USER))
    rows = session.execute(select(LINKS.c.entity_id, LINKS.c.forms).where(
        LINKS.c.actor_id == a.id, LINKS.c.key.in_(sorted(keys)))).all()
    _move(session, None, [(eid, a.id, target_id, A.USER, [A.Form.from_list(f) for f in forms]) for eid, forms in rows])
    left = session.execute(select(NAMES.c.name, NAMES.c.key, NAMES.c.names, NAMES.c.mentions, NAMES.c.tied)
                           .where(NAMES.c.actor_id == a.id, NAMES.c.key.in_(sorted(keys)))).all()
    session.execute(delete(NAMES).where(NAMES.c.actor_id == a.id, NAMES.c.key.in_(sorted(keys))))
    _add_names(session, [(target_id, A.Form(n, k, x, m, t), 1) for n, k, x, m, t in left]
               + [(target_id, A.Form(parsed.display, parsed.key), 1)], pin=True)
    left_actor = {a.id} if session.get(T.Actor, a.id) is not None else set()
    _refresh(session, set(), recount=left_actor | {target_id})
    _after_pin(session, keys)
    session.expire_all()
    remaining = session.get(T.Actor, a.id)
    return {"from": before, "actor": _summary(session.get(T.Actor, target_id)),
            "left": _summary(remaining) if remaining is not None else None, "moved": len(rows)}


def rename(store: Store, ref: str, new_name: str) -> dict:
    """Name the actor `ref` `new_name` from now on (its canonical name no longer follows its forms)."""
    with store.session() as s:
        _lock(s, exclusive=True)
        actor = resolve(s, ref)
        result = _rename(s, actor, new_name)
        _record(s, "rename", {"actor": result["before"]["name"], "to": result["actor"]["name"]})
        return result


def _rename(session: Session, actor: T.Actor, new_name: str) -> dict:
    new_name = " ".join(new_name.split())
    if not new_name:
        raise ValueError("the new name is empty")
    other = session.scalar(select(T.Actor).where(T.Actor.name == new_name, T.Actor.id != actor.id))
    if other is not None:
        raise ValueError(f"#{other.id} is named {new_name!r} already: merge the two instead")
    before = _summary(actor)
    actor.name, actor.renamed = new_name, True
    session.flush()
    refresh_series_actors(session, actor_ids=[actor.id])  # the name its series points go by
    return {"before": before, "actor": _summary(actor)}


# ---------------------------------------------------------------- rebuilding

def rebuild(store: Store) -> dict:
    """Link every stored article again, in store order, then replay the user's corrections: what
    ingest would have made of the store, with the corrections kept. One transaction."""
    with store.session() as s:
        return _rebuild(s)


def backfill(store: Store) -> bool:
    """Link the stored articles when none is linked yet (a store migrated from schema 0005): whether
    it did."""
    with store.session() as s:
        if s.scalar(select(ACTORS.c.id).limit(1)) is not None:
            return False
        if s.scalar(select(T.Entity.id).where(T.Entity.type.in_(A.ACTOR_TYPES)).limit(1)) is None:
            return False
        _lock(s, exclusive=True)
        if s.scalar(select(ACTORS.c.id).limit(1)) is not None:  # linked meanwhile
            return False
        _rebuild(s)
        return True


def _rebuild(session: Session, batch: int = 200) -> dict:
    _lock(session, exclusive=True)
    session.execute(delete(LINKS))
    session.execute(delete(NAMES))
    session.execute(delete(ACTORS))
    last, n_articles = 0, 0
    while True:
        arts = session.execute(select(T.Article.id, T.Article.published_at).where(T.Article.id > last)
                               .order_by(T.Article.id).limit(batch)).all()
        if not arts:
            break
        last = arts[-1].id
        link_entities(session, _stored_entities(session, arts))
        n_articles += len(arts)
    refresh_series_actors(session, everything=True)  # every actor was made again: new ids
    replayed, skipped = 0, []
    for edit in session.scalars(select(T.ActorEdit).order_by(T.ActorEdit.id)).all():
        try:
            with session.begin_nested():
                _apply(session, edit.action, edit.args)
            replayed += 1
        except (LookupError, ValueError) as exc:
            skipped.append({"edit": edit.id, "action": edit.action, "args": edit.args, "why": str(exc)})
    compare_speakers_again(session, everything=True)  # every speaker is a new actor: claims compare by them
    return {"articles": n_articles, "actors": session.scalar(select(func.count()).select_from(ACTORS)),
            "replayed": replayed, "skipped": skipped}


def _stored_entities(session: Session, arts: list) -> list[ArticleEntities]:
    """The PERSON and ORG entities of stored articles (rows with `id` and `published_at`), with
    their mentions' texts, as link_entities takes them; articles without one left out."""
    ents = session.execute(select(T.Entity.id, T.Entity.article_id, T.Entity.name, T.Entity.type)
                           .where(T.Entity.article_id.in_([a.id for a in arts]), T.Entity.type.in_(A.ACTOR_TYPES))
                           .order_by(T.Entity.id)).all()
    mentions = defaultdict(list)
    for part in _chunks([e.id for e in ents]):
        for entity_id, text in session.execute(select(T.Mention.entity_id, T.Mention.text)
                                               .where(T.Mention.entity_id.in_(part)).order_by(T.Mention.id)):
            mentions[entity_id].append(text)
    by_article = defaultdict(list)
    for e in ents:
        by_article[e.article_id].append(A.EntityIn(e.id, e.name, e.type, mentions[e.id]))
    return [ArticleEntities(a.id, a.published_at, by_article[a.id]) for a in arts if by_article[a.id]]


def link_unlinked(store: Store, batch: int = 200) -> int:
    """Link the entities of the stored articles that have none linked (a store migrated from schema
    0005, or articles written without the corpus layer: write.save_ledgers(corpus=False)), in store
    order, a transaction a batch: as if each were stored now, so the corrections on record apply
    to them. A store with no actor at all is linked whole (`backfill`), its corrections replayed.
    How many articles it linked; run again, none."""
    if backfill(store):
        with store.session() as s:
            return s.scalar(select(func.count(func.distinct(LINKS.c.article_id))))
    has_actor_type = select(T.Entity.id).where(T.Entity.article_id == T.Article.id,
                                               T.Entity.type.in_(A.ACTOR_TYPES)).exists()
    linked = select(LINKS.c.entity_id).where(LINKS.c.article_id == T.Article.id).exists()
    last, n_linked = 0, 0
    while True:
        with store.session() as s:
            _lock(s, exclusive=True)  # two such runs at once: the second finds these linked
            arts = s.execute(select(T.Article.id, T.Article.published_at)
                             .where(T.Article.id > last, has_actor_type, ~linked)
                             .order_by(T.Article.id).limit(batch)).all()
            if not arts:
                return n_linked
            last = arts[-1].id
            link_entities(s, _stored_entities(s, arts))
            n_linked += s.scalar(select(func.count(func.distinct(LINKS.c.article_id)))
                                 .where(LINKS.c.article_id.in_([a.id for a in arts])))


def _apply(session: Session, action: str, args: dict) -> None:
    if action == "merge":
        _merge(session, resolve(session, args["into"]), resolve(session, args["from"]))
    elif action == "split":
        _split(session, resolve(session, args["from"]), args["name"])
    elif action == "rename":
        _rename(session, resolve(session, args["actor"]), args["to"])
    else:
        raise ValueError(f"unknown correction {action!r}")


__all__ = ["ActorNotFound", "ArticleEntities", "backfill", "link_entities", "link_unlinked", "merge", "rebuild",
           "rename", "resolve", "split"]
