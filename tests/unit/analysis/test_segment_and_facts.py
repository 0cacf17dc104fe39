from __future__ import annotations

from westfall_legal.analysis.dates import parse_date
from westfall_legal.analysis.durations import CUES, add_duration, parse_duration, pick_duration
from westfall_legal.analysis.facts import extract_facts, normalise_jurisdiction
from westfall_legal.analysis.segment import MAX_WORDS, segment
from westfall_legal.layout.sections import build_sections
from westfall_legal.layout.text import plain_text


def _segments(text: str) -> list[str]:
    dt = plain_text(text)
    return [text[s.char_start : s.char_end] for s in segment(dt, build_sections(dt))]


def test_heading_is_merged_into_the_paragraph_it_heads() -> None:
    text = "12. GOVERNING LAW\n\nThis Agreement is governed by the laws of Texas.\n\nNext one."
    segs = _segments(text)
    assert segs[0].startswith("12. GOVERNING LAW") and segs[0].endswith("Texas.")
    assert segs[1] == "Next one."


def test_numbered_lines_inside_a_block_start_new_candidates() -> None:
    text = "5.1 The Provider shall do one thing.\n5.2 The Customer shall pay."
    assert _segments(text) == [
        "5.1 The Provider shall do one thing.",
        "5.2 The Customer shall pay.",
    ]


def test_long_paragraphs_are_cut_at_sentence_ends_and_cover_the_text() -> None:
    sentence = "The Supplier shall deliver the goods on time and in full. "
    text = (sentence * 40).strip()
    segs = _segments(text)
    assert len(segs) > 1
    assert all(len(s.split()) <= MAX_WORDS for s in segs)
    assert all(s.endswith(".") for s in segs)
    assert sum(len(s.split()) for s in segs) == len(text.split())


def test_dates_durations_and_jurisdictions_normalise() -> None:
    assert parse_date("made this 21st day of June, 1999")[0] == "1999-06-21"  # type: ignore[index]
    assert parse_date("dated as of March 3, 2025")[0] == "2025-03-03"  # type: ignore[index]
    assert parse_date("on 6/21/99")[0] == "1999-06-21"  # type: ignore[index]
    assert parse_date("February 30, 2020") is None
    assert parse_duration("successive one (1) year periods")[0] == "P1Y"  # type: ignore[index]
    assert parse_duration("at least thirty (30) days")[0] == "P30D"  # type: ignore[index]
    assert parse_duration("ninety (90) days' notice")[0] == "P90D"  # type: ignore[index]
    assert normalise_jurisdiction("NEW YORK") == "New York"
    assert normalise_jurisdiction("England and Wales") == "England and Wales"


def test_facts_carry_provenance() -> None:
    text = (
        "SUPPLY AGREEMENT\n\nThis Agreement is dated as of January 5, 2021.\n\n"
        "This Agreement shall be governed by and construed under the laws of the State of "
        "California, without regard to conflicts of law."
    )
    facts = extract_facts(plain_text(text), [])
    law = facts["governing_law"]
    assert law.value == "California"
    assert text[law.char_start : law.char_end] == law.text and "California" in law.text
    assert facts["agreement_date"].value == "2021-01-05"


def test_the_duration_near_its_cue_is_picked() -> None:
    clause = (
        "This Agreement renews for successive periods of one (1) year each, unless either "
        "party gives notice at least sixty (60) days before the end of the then-current term."
    )
    assert pick_duration(clause, CUES["renewal_term"])[0] == "P1Y"  # type: ignore[index]
    assert pick_duration(clause, CUES["notice_period"])[0] == "P60D"  # type: ignore[index]


def test_a_fixed_term_ends_on_start_plus_term() -> None:
    assert add_duration("2004-06-16", "P5Y") == "2009-06-16"
    assert add_duration("2020-02-29", "P1Y") == "2021-02-28"
    assert add_duration("2021-11-30", "P3M") == "2022-02-28"
    assert add_duration("2021-01-01", "P30D") == "2021-01-31"


def _law(text: str) -> str | None:
    fact = extract_facts(plain_text(text), []).get("governing_law")
    return None if fact is None else str(fact.value)


def test_governing_law_in_the_ways_contracts_say_it() -> None:
    assert _law("GOVERNED BY THE INTERNAL LAWS OF THE COMMONWEALTH OF PENNSYLVANIA WITHOUT") == (
        "Pennsylvania"
    )
    assert _law("CONSTRUED UNDER THE LAWS OF THE STATE OF DELAWARE APPLICABLE TO CONTRACTS") == (
        "Delaware"
    )
    assert _law("12.6 The laws of California shall govern the construction.") == "California"
    assert _law("the law of the Federal Republic of Germany applies.") == "Germany"
    assert _law("accepted in the State of Nevada and governed by the laws thereof.") == "Nevada"
    assert _law("governed by the laws and judicial decisions of the State of Florida.") == "Florida"
    assert _law("shall be governed by PRC Laws.") == "People's Republic of China"
    assert _law("governed by the laws of the People's Republic of China.") == (
        "People's Republic of China"
    )
    assert _law("governed by the laws of New York State.") == "New York"
    assert _law("GOVERNING LAW OF THE AGREEMENT. Nothing here.") is None


def test_a_place_over_a_line_break_or_with_a_typographic_apostrophe() -> None:
    """Seen on a data room's dashboard as "New" and "People" (issue 21)."""
    assert _law("governed by the laws of the State of New\nYork, without regard") == "New York"
    assert _law("governed by the laws of England and\nWales.") == "England and Wales"
    assert _law("governed by the laws of the People’s Republic of China.") == (
        "People's Republic of China"
    )
    assert _law("governed by the laws of the People’s\nRepublic of China.") == (
        "People's Republic of China"
    )
    # a line break after a whole place ends it: the next line's first word is not the place's
    assert _law("governed by the laws of the State of California\nEach party shall") == (
        "California"
    )
    fact = extract_facts(plain_text("governed by the laws of Ontario\nAnd the parties"), [])
    assert fact["governing_law"].text == "governed by the laws of Ontario"


def test_the_contracts_own_date_wins_over_filing_stamps() -> None:
    text = (
        "Source: ACME INC, 8-K, 8/22/2018\n\nSUPPLY AGREEMENT\n\nSigned copies received 7/1/2018."
        '\n\nThis Agreement is made and entered into as of August 21, 2018 (the "Effective '
        'Date"), by and between Acme and Beta.'
    )
    facts = extract_facts(plain_text(text), [])
    assert facts["agreement_date"].value == "2018-08-21"
    assert facts["effective_date"].value == "2018-08-21"


def test_figures_in_brackets_decide_a_duration() -> None:
    assert parse_duration("thirty-six (36) months")[0] == "P36M"  # type: ignore[index]


def test_dates_as_contracts_write_them() -> None:
    def iso(text: str) -> str | None:
        found = parse_date(text)
        return None if found is None else found[0]

    assert iso("entered into on April 15 , 2010 (“EffectiveDate”)") == "2010-04-15"
    assert iso("made and effective as of1 August 2019, by and between") == "2019-08-01"
    assert iso("shall commence on the 1st of March, 2003") == "2003-03-01"
    assert iso("2.1 Contract start: 04-01-06") == "2006-04-01"  # month-day-year
    assert iso("effective as of the 1.4.2011 (the “Effective Date”)") == "2011-04-01"  # d.m.y
    assert iso("Markham, ON 24 OCT 2011 Place Date") == "2011-10-24"
    assert iso("THIS AGREEMENT IS MADE ON THE 19 DAY OF MAY , 2010") == "2010-05-19"
    assert iso("Date 13/07/05") == "2005-07-13"  # a first figure over 12 is the day
    assert iso("Section 10-K-2 and part 3.12.4") is None
    assert iso("call 312-555-1234 or 1-800-55-2020") is None


def _dates(text: str) -> tuple[object, object]:
    facts = extract_facts(plain_text(text), [])
    return (
        facts["agreement_date"].value if "agreement_date" in facts else None,
        facts["effective_date"].value if "effective_date" in facts else None,
    )


def test_the_effective_date_is_the_one_announced_as_effective() -> None:
    text = (
        "ENDORSEMENT AGREEMENT\n\nTHIS AGREEMENT is made as of this March 14, 2012 but effective "
        "as of March 1, 2012, by and between Acme and Beta."
    )
    assert _dates(text) == ("2012-03-14", "2012-03-01")


def test_a_date_that_ends_the_term_is_not_its_start() -> None:
    text = (
        "JOINT VENTURE AGREEMENT\n\nThe Joint Venture shall commence on the 1st of March, 2003, "
        "and shall be effective until February 28, 2004 unless extended."
    )
    assert _dates(text)[1] == "2003-03-01"


def test_signatures_dated_apart_date_the_contract_by_the_last() -> None:
    text = (
        "SUPPLY AGREEMENT\n\nThis Agreement is entered into and effective as of the later of "
        "the two signature dates below by and between Acme and Beta.\n\n"
        + "Terms. "
        * 700
        + "\n\nACME INC. BETA LLC\nBY: /s/ A. Smith BY: /s/ B. Jones\n"
        "Date: 1/26/2020 Date: 1/27/2020\nName: A. Smith Name: B. Jones"
    )
    assert _dates(text) == ("2020-01-27", "2020-01-27")


def _expiry(opening: str, term: str) -> object:
    from westfall_legal.models import Clause

    text = f"SPONSORSHIP AGREEMENT\n\n{opening}\n\n{term}"
    start = text.index(term)
    clause = Clause("k1", "Expiration Date", 0.9, term, start, len(text), 1, (), None)
    fact = extract_facts(plain_text(text), [clause]).get("expiration_date")
    return None if fact is None else fact.value


def test_an_explicit_end_date_wins_over_start_plus_term() -> None:
    opening = "This Agreement is dated as of June 1, 1998."
    term = (
        "This Agreement shall commence effective June 1, 1998, and shall continue for a term "
        "of three (3) years expiring May 31, 2001."
    )
    assert _expiry(opening, term) == "2001-05-31"
    # Without the end date, the start plus the term.
    assert _expiry(opening, term.replace(" expiring May 31, 2001", "")) == "2001-06-01"


def test_a_renewal_said_in_words_is_the_renewal_term_not_the_initial_one() -> None:
    renewal = CUES["renewal_term"]
    clause = (
        "This Agreement continues in effect for an initial term of seven (7) years (“Initial "
        "Term”) and will automatically renew for one or more annual periods after the Initial "
        "Term unless either party gives notice at least one hundred eighty (180) days prior."
    )
    assert pick_duration(clause, renewal)[0] == "P1Y"  # type: ignore[index]
    clause = (
        "The initial term of this Agreement will be for two (2) year(s) commencing on the "
        "Effective Date. Thereafter, this agreement will renew automatically from year to year."
    )
    assert pick_duration(clause, renewal)[0] == "P1Y"  # type: ignore[index]
    clause = (
        "This Agreement renews for successive two (2) year periods. Licensee pays the "
        "license fee annually in advance."
    )
    assert pick_duration(clause, renewal)[0] == "P2Y"  # type: ignore[index]
    # An initial term is still the answer when the clause gives no other length.
    clause = "This agreement shall be for a term of five years and renews unless terminated."
    assert pick_duration(clause, renewal)[0] == "P5Y"  # type: ignore[index]


def test_the_length_of_a_term_is_not_a_notice_period() -> None:
    clause = (
        "This Agreement may be renewed for any number of successive one (1) year terms by "
        "mutual written agreement, with written notice of thirty (30) days."
    )
    assert pick_duration(clause, CUES["notice_period"])[0] == "P30D"  # type: ignore[index]
    assert pick_duration("renews for successive one (1) year terms by written agreement.",
                         CUES["notice_period"]) is None  # fmt: skip


def test_a_term_that_ends_on_an_anniversary_ends_that_many_years_after_its_start() -> None:
    opening = "This Agreement is made as of September 21, 1998 (the “Effective Date”)."
    term = "This Agreement will terminate on the third anniversary of the Effective Date."
    assert _expiry(opening, term) == "2001-09-21"
    term = "This Agreement shall continue until the fifth (5th) anniversary of the Effective Date."
    assert _expiry(opening, term) == "2003-09-21"
    # An anniversary after which something may happen is inside the term, not its end.
    term = (
        "The term is ten (10) years from the Effective Date, provided that at any time "
        "following the 7th anniversary of such date, either party may terminate."
    )
    assert _expiry(opening, term) == "2008-09-21"
    # "of this Agreement": counted from the agreement date, not a later start.
    opening = "This Agreement is dated January 26, 1998."
    term = (
        "The Term will begin on February 1, 1998 and end on the first anniversary of the date "
        "of this Agreement."
    )
    assert _expiry(opening, term) == "1999-01-26"


def test_the_end_of_a_term_is_the_date_said_to_end_it_not_one_said_to_start_it() -> None:
    opening = "This Agreement is dated as of January 10, 2018."
    term = "Terms of the project: 12 weeks from February 8, 2018 to May 3, 2018."
    assert _expiry(opening, term) == "2018-05-03"
    term = "This Agreement shall be in effect until March 18. 2021, unless sooner terminated."
    assert _expiry(opening, term) == "2021-03-18"


def test_a_renewal_length_is_not_the_length_of_the_term() -> None:
    opening = "This Agreement is dated as of May 22, 2000."
    term = (
        "This Agreement shall automatically renew for additional successive terms of twelve "
        "(12) months each at the end of the Initial Term of two (2) years."
    )
    assert _expiry(opening, term) == "2002-05-22"
    term = "This Agreement continues for one (I) year and then renews for one (1) year terms."
    assert _expiry(opening, term) == "2001-05-22"
    term = "This Agreement shall continue for ten (10) Contract Years."
    assert _expiry(opening, term) == "2010-05-22"
    # A term the clause starts on a date of its own runs from that date.
    opening = "This Agreement is made and effective as of May 22, 2000."
    term = "The Term is a period of twenty four (24) months commencing on January 4, 2001."
    assert _expiry(opening, term) == "2003-01-04"


def test_a_date_the_term_expires_on_is_not_the_effective_date() -> None:
    text = (
        "SERVICES AGREEMENT\n\nThe term of this Agreement shall commence effective as of the "
        "date hereof and shall expire on December 31, 2028."
    )
    assert _dates(text)[1] is None
