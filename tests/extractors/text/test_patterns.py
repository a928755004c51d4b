"""Value patterns shared by the readers: a person's name with a surname OCR misread."""

from __future__ import annotations

from extractors.text.patterns import person_name


def test_a_surname_read_as_a_character_nobody_is_named_by_is_put_back():
    assert person_name("间海燕") == "阎海燕" and person_name("间凯") == "阎凯"


def test_names_companies_and_words_that_merely_contain_it_stay_as_they_are():
    assert person_name("闻立新") == "闻立新"  # 闻 is a surname of its own
    assert person_name("中间商贸有限公司") == "中间商贸有限公司"
    assert person_name("间隙科技有限公司") == "间隙科技有限公司"  # longer than a name
    assert person_name(None) is None and person_name("间") == "间"
