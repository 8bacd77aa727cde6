from datetime import date, time

from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from domain.aarshjul.calendar_view import year_calendar
from domain.aarshjul.schedule import NoticeKind, notice_ladder, phase_dates
from domain.aarshjul.workdays import local_moment, to_local

AARSHJUL = load_aarshjul(PACKAGED_AARSHJUL)


def test_spring_input_2027_falls_due_on_friday_30_april_at_15() -> None:
    dates = phase_dates(AARSHJUL, AARSHJUL.phase("spring-input"), 2027)
    assert to_local(dates.due_at).replace(tzinfo=None).isoformat() == "2027-04-30T15:00:00"


def test_escalation_to_hr_skips_ascension_day_and_17_may() -> None:
    phase = AARSHJUL.phase("spring-input")
    dates = phase_dates(AARSHJUL, phase, 2027)
    ladder = notice_ladder(AARSHJUL, phase, opens_at=dates.opens_at, due_at=dates.due_at, required=True)
    hr = next(n for n in ladder if n.kind == NoticeKind.ESCALATE_HR)
    # 8 working days after Fri 30 April: 3,4,5,7,10,11,12,13 May (6 May is Kristi himmelfartsdag).
    assert to_local(hr.at).date() == date(2027, 5, 13)


def test_a_deadline_on_17_may_gets_its_reminders_on_working_days() -> None:
    phase = AARSHJUL.phase("spring-input")
    due = local_moment(date(2027, 5, 18), time(15))  # the day after 17 May, which is also 2. pinsedag in 2027
    ladder = notice_ladder(AARSHJUL, phase, opens_at=local_moment(date(2027, 3, 1), time(8)), due_at=due, required=True)
    cal = AARSHJUL.calendar(2027)
    assert all(cal.is_working_day(to_local(n.at).date()) for n in ladder)
    assert [to_local(n.at).date() for n in ladder if n.kind == NoticeKind.REMINDER][-2] == date(2027, 5, 12)


def test_reminders_stay_at_nine_across_the_dst_change() -> None:
    phase = AARSHJUL.phase("spring-input")
    due = local_moment(date(2027, 4, 1), time(15))  # DST starts Sunday 28 March 2027
    ladder = notice_ladder(AARSHJUL, phase, opens_at=local_moment(date(2027, 3, 1), time(8)), due_at=due, required=True)
    assert {to_local(n.at).time() for n in ladder} == {time(9)}
    reminders = [n.at for n in ladder if n.kind == NoticeKind.REMINDER]
    # 09:00 in Oslo is 08:00Z before 28 March and 07:00Z after; counting back from 1 April skips Easter.
    assert [(m.date(), m.hour) for m in reminders] == [
        (date(2027, 3, 9), 8),
        (date(2027, 3, 24), 8),
        (date(2027, 4, 1), 7),
    ]


def test_a_year_calendar_lists_every_moment_in_order() -> None:
    entries = year_calendar(AARSHJUL, 2027)
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    assert sum(e.kind == "due" for e in entries) == 4
    assert all(time(8) <= to_local(e.at).time() <= time(16) for e in entries)


def test_a_ladder_asked_for_again_is_equal_and_the_callers_own_list() -> None:
    phase = AARSHJUL.phase("january-evaluation")
    dates = phase_dates(AARSHJUL, phase, 2027)
    first = notice_ladder(AARSHJUL, phase, opens_at=dates.opens_at, due_at=dates.due_at, required=True)
    first.clear()
    again = notice_ladder(AARSHJUL, phase, opens_at=dates.opens_at, due_at=dates.due_at, required=True)
    optional = notice_ladder(AARSHJUL, phase, opens_at=dates.opens_at, due_at=dates.due_at, required=False)
    assert [n.kind for n in again] == [NoticeKind.REMINDER] * 3 + [
        NoticeKind.OVERDUE,
        NoticeKind.ESCALATE_SECTOR,
        NoticeKind.ESCALATE_HR,
    ]
    assert [n.kind for n in optional] == [NoticeKind.REMINDER] * 3
