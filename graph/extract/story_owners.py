"""Whose head a title without its organisation names ('Chief executive X', 'CEO X', 'Mayor X', 'President X'):
the organisation the sentence before has for its subject, the one organisation of the title's class in the story,
the place the story is set in, or the country it names most (graph.extract.roles)."""
from __future__ import annotations

from graph.extract.context import Ctx
from graph.model import ORGANIZATION_CLASSES


def subject_before(ctx: Ctx, first: int, title: str) -> str | None:
    """'The Manufacturers and Exporters Association says the lockout will hurt. Chief executive John Walley says':
    the organisation that is the subject of the sentence right before the one a title opens, when the title fits
    it (a chief executive heads a company or an employers' body, not a union)."""
    if first == 0:
        return None
    prev = ctx.doc[first - 1].sent
    subj = next((c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    # (one organisation: not "Clearview Industries and Brightline Glass reached deals. CEO X said")
    if subj is None:
        return None
    org = ctx.org(subj)
    if org is not None and any(c.dep_ == "conj" and ctx.org(c) != org for c in subj.children):
        return None  # (the conjunct of "Manufacturers and Exporters Association" is the same name)
    # (not a government body: a head of state or a minister is the government's, not a ministry's by this)
    fits = {"Company", "EmployerAssociation"} if title in ctx.lex.value("titles", "class_heads") else (
        ORGANIZATION_CLASSES - {"MediaOutlet", "Committee", "GovernmentOrganization"})
    return org if org is not None and ctx.cls(org) in fits else None


def only_of_class(ctx: Ctx, cls: str | None) -> str | None:
    """The one organisation of class `cls` the article names, if there is exactly one."""
    if cls is None:
        return None
    # (an employers' association beside a company may be whose head it is)
    only = ctx.table.the_only({cls, "EmployerAssociation"} if cls == "Company" else {cls})
    return only if ctx.cls(only) == cls else None


def place_of_story(ctx: Ctx, pos: int) -> str | None:
    """The government a story's mayor or governor heads: 'the City of X' it names, else the place it names
    most (the dateline counts)."""
    openers = ctx.lex.words("typing", "government_name_openers")
    city = ctx.table.most_salient(len(ctx.doc), lambda e: e.cls == "GovernmentOrganization" and any(
        e.name.lower().startswith(o + " ") for o in openers))
    return city or ctx.table.most_salient(len(ctx.doc), lambda e: e.cls == "Place")


def country_of_story(ctx: Ctx) -> str | None:
    """The country the article names most, when the place it names most is a country (the lexicon's countries
    of nationalities)."""
    countries = ctx.lex.countries()
    place = ctx.table.most_salient(len(ctx.doc), lambda e: e.cls == "Place")
    return place if place in countries else None
