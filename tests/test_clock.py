"""Working days and time limits: the order's example, New Year, Nauryz, Independence Day, transfers, hours."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from permitcli.clock import (
    KZ_CALENDAR,
    WorkCalendar,
    deadlines,
    is_working_day,
    kz_local,
    received_on,
    report_due,
    valid_until,
    working_days,
)


def _dates(d) -> tuple[date, date, date, date]:
    return d.received, d.registration_due, d.review_due, d.decision_due


def test_issue_example_monday_morning() -> None:
    # Received Mon 30 Nov (not counted); Tue 1 Dec is day 1 (First President Day is no holiday since 2022),
    # Thu 3 Dec day 3, Mon 7 Dec day 5.
    d = deadlines(datetime(2026, 11, 30, 10, 0))
    assert _dates(d) == (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 3), date(2026, 12, 7))
    assert d.valid_until is None and d.report_due is None


def test_independence_day_is_skipped() -> None:
    # Friday 11 Dec 2026 after 17:30: received Mon 14; day 1 Tue 15; Wed 16 Dec is Independence Day;
    # days 2-3 Thu 17, Fri 18; days 4-5 Mon 21, Tue 22.
    d = deadlines(datetime(2026, 12, 11, 18, 0))
    assert _dates(d) == (date(2026, 12, 14), date(2026, 12, 15), date(2026, 12, 18), date(2026, 12, 22))
    assert not is_working_day(date(2026, 12, 16))
    assert is_working_day(date(2026, 12, 17))  # the second day of Independence Day was dropped in 2022


def test_new_year_with_observed_day_and_orthodox_christmas() -> None:
    # Tue 29 Dec 2026: day 1 Wed 30; day 2 Thu 31; 1 Jan (Fri) and 2 Jan (Sat) are New Year, so Mon 4 Jan is the
    # day off in lieu of 2 Jan; day 3 Tue 5 Jan; day 4 Wed 6; Thu 7 Jan Orthodox Christmas; day 5 Fri 8 Jan.
    d = deadlines(datetime(2026, 12, 29, 11, 0))
    assert _dates(d) == (date(2026, 12, 29), date(2026, 12, 30), date(2027, 1, 5), date(2027, 1, 8))
    assert not is_working_day(date(2027, 1, 4))
    # Counted from registration (rules annex 1 item 3): 5 working days after Wed 30 Dec are Thu 31, Tue 5, Wed 6,
    # Fri 8 and Mon 11 January.
    assert d.decision_due_latest == date(2027, 1, 11)


def test_nauryz_with_weekend_days_moved() -> None:
    # Nauryz is 21-23 March; in 2026 the 21st and 22nd are Sat/Sun, so Tue 24 and Wed 25 are days off too.
    d = deadlines(datetime(2026, 3, 20, 15, 0))
    assert _dates(d) == (date(2026, 3, 20), date(2026, 3, 26), date(2026, 3, 30), date(2026, 4, 1))
    assert [is_working_day(date(2026, 3, day)) for day in range(20, 27)] == [True, False, False, False, False, False,
                                                                            True]


def test_filed_on_a_holiday_counts_from_the_next_working_day() -> None:
    d = deadlines(datetime(2026, 3, 22, 10, 0))  # Sunday, in Nauryz
    assert d.received == date(2026, 3, 26)
    assert d.registration_due == date(2026, 3, 27)


def test_government_transfer_makes_a_sunday_a_working_day() -> None:
    # 2025: the day off of Sunday 5 January was moved to Friday 3 January, so the 5th was a working day.
    assert not is_working_day(date(2025, 1, 3))
    assert is_working_day(date(2025, 1, 5))
    d = deadlines(datetime(2024, 12, 31, 10, 0))
    # Day 1 is Sunday 5 Jan; Tue 7 Jan is Orthodox Christmas; days 2-3 Mon 6, Wed 8; days 4-5 Thu 9, Fri 10.
    assert _dates(d) == (date(2024, 12, 31), date(2025, 1, 5), date(2025, 1, 8), date(2025, 1, 10))


def test_transfer_from_the_previous_year_is_known() -> None:
    # 3 Jan 2014 became a day off in exchange for Saturday 28 Dec 2013, a working day.
    assert is_working_day(date(2013, 12, 28))
    assert not is_working_day(date(2013, 12, 29))


@pytest.mark.parametrize(
    ("moment", "received"),
    [
        (datetime(2026, 11, 30, 8, 0), date(2026, 11, 30)),  # before opening: still that working day
        (datetime(2026, 11, 30, 13, 0), date(2026, 11, 30)),  # lunch break: accepted that day
        (datetime(2026, 11, 30, 17, 29), date(2026, 11, 30)),
        (datetime(2026, 11, 30, 17, 30), date(2026, 12, 1)),  # closing time: the next working day
        (datetime(2026, 12, 4, 20, 0), date(2026, 12, 7)),  # Friday evening: Monday
        (datetime(2026, 12, 5, 10, 0), date(2026, 12, 7)),  # Saturday
    ],
)
def test_provider_hours(moment: datetime, received: date) -> None:
    assert received_on(moment) == received


def test_aware_datetimes_are_read_in_kazakhstan_time() -> None:
    # 12:30 UTC is 17:30 in Kazakhstan (UTC+5): after hours.
    assert received_on(datetime(2026, 11, 30, 12, 30, tzinfo=timezone.utc)) == date(2026, 12, 1)
    assert received_on(datetime(2026, 11, 30, 12, 29, tzinfo=timezone.utc)) == date(2026, 11, 30)
    assert kz_local(datetime(2026, 11, 30, 23, 0, tzinfo=timezone.utc)) == datetime(2026, 12, 1, 4, 0)
    moscow = timezone(timedelta(hours=3))
    assert received_on(datetime(2026, 11, 30, 17, 0, tzinfo=moscow)) == date(2026, 12, 1)  # 17:00 MSK = 19:00 KZ


def test_issued_permit_validity_and_report() -> None:
    d = deadlines(datetime(2026, 11, 30, 10, 0), issued=date(2026, 12, 7))
    assert d.valid_until == date(2026, 12, 31)
    assert d.report_due == date(2027, 1, 15)  # 1..15 January are the 15 calendar days after 31 December
    assert valid_until(date(2026, 1, 2)) == date(2026, 12, 31)
    assert report_due(date(2027, 6, 1)) == date(2028, 1, 15)
    assert d.as_dict() == {
        "filed": "2026-11-30T10:00",
        "received": "2026-11-30",
        "registration_due": "2026-12-01",
        "review_due": "2026-12-03",
        "decision_due": "2026-12-07",
        "decision_due_latest": "2026-12-08",
        "issued": "2026-12-07",
        "valid_until": "2026-12-31",
        "report_due": "2027-01-15",
    }


def test_without_issue_date_the_dict_has_no_validity() -> None:
    keys = set(deadlines(datetime(2026, 11, 30, 10, 0)).as_dict())
    assert keys == {"filed", "received", "registration_due", "review_due", "decision_due", "decision_due_latest"}


def test_working_days_range() -> None:
    # 16-31 March 2026: Mon 16 - Fri 20 (5), Mon 23 - Wed 25 Nauryz, Thu 26, Fri 27, Mon 30, Tue 31 (4).
    days = working_days(date(2026, 3, 16), date(2026, 3, 31))
    assert len(days) == 9
    assert days[5] == date(2026, 3, 26)


def test_user_given_days_override_the_package() -> None:
    calendar = WorkCalendar(extra_days_off=frozenset({date(2026, 12, 1)}),
                            extra_working_days=frozenset({date(2026, 12, 5)}))
    d = deadlines(datetime(2026, 11, 30, 10, 0), calendar=calendar)
    # Tue 1 Dec off; days 1-5: Wed 2, Thu 3, Fri 4, Sat 5 (worked), Mon 7.
    assert _dates(d) == (date(2026, 11, 30), date(2026, 12, 2), date(2026, 12, 4), date(2026, 12, 7))
    assert calendar.day_off_reason(date(2026, 12, 1)) == "day off (given by the user)"
    assert KZ_CALENDAR.day_off_reason(date(2026, 12, 16)) == "Independence Day"
    assert KZ_CALENDAR.day_off_reason(date(2026, 12, 5)) == "weekend"
    assert KZ_CALENDAR.day_off_reason(date(2026, 12, 7)) is None


def test_negative_count_is_refused() -> None:
    with pytest.raises(ValueError):
        KZ_CALENDAR.add_working_days(date(2026, 1, 5), -1)


# ---------------------------------------------------------------------------------------- the pilot's term


def test_pilot_term_unknown_without_dates() -> None:
    from permitcli.clock import pilot_term

    term = pilot_term({"published": "", "in_force": ""}, {})
    assert (term.published, term.in_force, term.ends, term.source) == (None, None, None, "unknown")


def test_pilot_term_from_publication_counts_ten_days_after_the_day() -> None:
    from permitcli.clock import pilot_term

    term = pilot_term({"published": "2025-11-28", "in_force": ""}, {})
    # 29 Nov … 8 Dec are the ten days after publication; in force from 9 Dec for one year
    assert (term.in_force, term.ends) == (date(2025, 12, 9), date(2026, 12, 9))
    assert term.source == "manifest published"


def test_pilot_term_environment_wins_and_in_force_can_be_given() -> None:
    from permitcli.clock import pilot_term

    term = pilot_term({"published": "2025-11-28"}, {"PERMITCLI_ORDER_IN_FORCE": "2025-12-10"})
    assert (term.published, term.in_force, term.ends) == (date(2025, 11, 28), date(2025, 12, 10), date(2026, 12, 10))
    assert term.source == "PERMITCLI_ORDER_IN_FORCE"
    leap = pilot_term({}, {"PERMITCLI_ORDER_IN_FORCE": "2028-02-29"})
    assert leap.ends == date(2029, 2, 28)


def test_pilot_term_bad_date_names_its_source() -> None:
    from permitcli.clock import pilot_term
    from permitcli.errors import ConfigError

    with pytest.raises(ConfigError, match="PERMITCLI_ORDER_PUBLISHED: '2025-13-01' is not a date"):
        pilot_term({}, {"PERMITCLI_ORDER_PUBLISHED": "2025-13-01"})


def test_a_filing_date_alone_counts_from_nine_in_the_morning() -> None:
    assert deadlines(date(2026, 11, 30)) == deadlines(datetime(2026, 11, 30, 9, 0))
    assert deadlines(date(2026, 11, 30), issued=datetime(2026, 12, 7, 15, 0)).as_dict()["issued"] == "2026-12-07"
