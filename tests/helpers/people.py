"""Valid beneficiary forms for tests, as a clerk would type them."""

from __future__ import annotations

import itertools

from romah_desktop.validation import make_national_id

_counter = itertools.count(1)


def person_form(**overrides: str) -> dict[str, str]:
    """A complete, valid registration form with a fresh national ID each call."""
    n = next(_counter)
    form = {
        "first_name": "عبدالله",
        "father_name": "محمد",
        "grandfather_name": "علي",
        "family_name": "القحطاني",
        "national_id": make_national_id(f"1{n:08d}"),
        "gender": "ذكر",
        "birth_date": f"19{60 + n % 40:02d}-0{1 + n % 9}-1{n % 10}",
        "phone": f"05{n:08d}",
        "city": "الرياض",
    }
    form.update(overrides)
    return form
