"""The plan commands that write: compile a new version, record a sector's priorities, adopt a version."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from domain.models import HandlingKind, PlanStatus
from domain.plan.blocks import kroner
from domain.plan.comment_diff import answer_text, comment_rows
from domain.plan.content import plan_content
from tasks.plan.announce import announced_to
from tasks.plan.comment_answers import answer_comment, answers_of
from tasks.plan.decision import handle, handled_version
from tasks.plan.priorities import prioritise_sector, sector_measures
from tasks.plan.versions import PlanError, adopt, compile_version, version_of
from tasks.runtime import Runtime

CLI_ACTOR = "HR (kommandolinjen)"


def register(commands: Any, command: Any, year_and_version: Any) -> None:
    compiled = command(commands, "compile", "sammenstill en ny versjon (utkast) av årets innspill nå", compile_now)
    compiled.add_argument("--year", type=int, required=True)
    compiled.add_argument("--reason", default="sammenstilt av HR", help="hvorfor versjonen lages")
    ranking = command(commands, "prioriter", "kommunalsjefens prioritering av sektorens tiltak", prioritise)
    ranking.add_argument("--year", type=int, required=True)
    ranking.add_argument("--sector", required=True, help="sektorens id i organisasjonen")
    ranking.add_argument("choices", nargs="*", metavar="NØKKEL=PRIORITET", help="1, 2, 3, eller 0 for å ta ut")
    answered = command(commands, "answer", "vis merknadene i en versjon, eller svar på én (ja/delvis/nei)", answer)
    year_and_version(answered)
    answered.add_argument("--comment", help="merknadens nøkkel, f.eks. 0.1 (vises uten --comment)")
    answered.add_argument("--verdict", choices=["ja", "delvis", "nei"], help="tatt til følge, delvis eller ikke")
    answered.add_argument("--reason", default="", help="begrunnelsen")
    adopted = command(
        commands, "adopt", "registrer vedtaket i et organ som vedtar planen, og lås versjonen", adopt_version
    )
    handled = command(commands, "handling", "registrer en behandling (drøfting, orientering …) av en versjon", handling)
    for parser in (adopted, handled):
        year_and_version(parser)
        parser.add_argument("--body", required=True, help="organet, f.eks. Kommunestyret, AMU eller MBM")
        parser.add_argument("--date", required=True, type=_day, dest="held_on", help="møtedato: 2027-12-09")
        kinds = [k.value for k in HandlingKind if k != HandlingKind.IMPORTERT]
        parser.add_argument("--kind", choices=kinds, default=HandlingKind.VEDTAK.value)
        parser.add_argument("--case-number", default="", help="saksnummer, f.eks. 2027/512")
        parser.add_argument("--outcome", default="", help="utfallet, f.eks. Vedtatt som foreslått")


def answer(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    version = version_of(session, args.year, args.number)
    if args.comment is None:
        answers = answers_of(session, version)
        for key, place, said in comment_rows(plan_content(version.content)):
            given = answer_text(*answers[key]) if key in answers else "ikke besvart"
            print(f"  {key}  om {place}: {said}\n       HR: {given}")
        return 0
    answer_comment(session, version, args.comment, args.verdict or "", args.reason, now=rt.now(), actor=CLI_ACTOR)
    print(f"Svaret på merknad {args.comment} i versjon {version.number} er lagret.")
    return 0


def compile_now(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    version = compile_version(
        session, rt, year=args.year, now=rt.now(), reason=args.reason, created_by=CLI_ACTOR, status=PlanStatus.DRAFT
    )
    content = plan_content(version.content)
    measures, total = len(content.measures), kroner(content.costs.total)
    print(f"Laget versjon {version.number} av Kompetanseplan {version.plan_year}: {measures} tiltak, {total}.")
    return 0


def prioritise(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    if not args.choices:
        listed = sector_measures(session, args.year, args.sector, rt.aarshjul.terms)
        print(f"Tiltak meldt inn fra {listed.sector.name} i {args.year} (kommunalsjef: {listed.leader or 'ingen'}):")
        for m in listed.measures:
            chosen = "ikke satt" if m.chosen is None else m.chosen
            print(f"  {m.key}  «{m.title}»  enhetene: {m.unit_priority}  kommunalsjef: {chosen}")
        return 0
    priorities = dict(_choice(text) for text in args.choices)
    prioritise_sector(
        session,
        year=args.year,
        sector_id=args.sector,
        priorities=priorities,
        now=rt.now(),
        actor=CLI_ACTOR,
        terms=rt.aarshjul.terms,
    )
    print(f"Lagret prioriteringen av {len(priorities)} tiltak; den brukes neste gang planen sammenstilles.")
    return 0


def _handling(args: argparse.Namespace) -> dict[str, Any]:
    keys = ("body", "kind", "case_number", "outcome")
    return {"held_on": args.held_on.isoformat(), **{k: getattr(args, k) for k in keys}}


def handling(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    entry = _handling(args)
    version = (
        version_of(session, args.year, args.number) if args.number else handled_version(session, args.year, [entry])
    )
    adopted = handle(session, rt, version, [entry], now=rt.now(), actor=CLI_ACTOR)
    print(
        f"{args.kind.capitalize()} i {args.body} {args.held_on:%d.%m.%Y} er registrert på versjon {version.number} "
        f"av Kompetanseplan {version.plan_year}"
        + (" – et vedtak som vedtar planen; versjonen er låst." if adopted else "; planen er ikke vedtatt av dette.")
    )
    return 0


def adopt_version(session: Session, rt: Runtime, args: argparse.Namespace) -> int:
    entry, number = _handling(args), args.number
    target = version_of(session, args.year, number) if number else handled_version(session, args.year, [entry])
    before = announced_to(session, target)
    version = adopt(session, rt, year=args.year, handlings=[entry], now=rt.now(), actor=CLI_ACTOR, number=target.number)
    sent_to = announced_to(session, version) - before  # plan.adopted's handler queued the emails
    print(
        f"Versjon {version.number} av Kompetanseplan {version.plan_year} er vedtatt og låst "
        f"({args.body} {args.held_on:%d.%m.%Y}{f', sak {args.case_number}' if args.case_number else ''}). "
        + (f"Planen sendes til {sent_to} enhetsledere." if sent_to else "Planen var allerede sendt til enhetslederne.")
    )
    return 0


def _choice(text: str) -> tuple[str, int]:
    key, _, value = text.rpartition("=")
    if not key or value.strip() not in ("0", "1", "2", "3"):
        raise PlanError(f"«{text}» skal ha formen NØKKEL=PRIORITET, der prioriteten er 1, 2, 3 eller 0.")
    return key.strip(), int(value)


def _day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"«{text}» er ikke en gyldig dato; skriv 2027-12-09 eller 09.12.2027")
