"""An annotator's name: what `rights.check_name` accepts for a person."""

import pytest

from annotator.core.rights import check_name


def test_a_name_is_kept_without_its_edges():
    assert check_name("  alice \n") == "alice"


@pytest.mark.parametrize("name, why", [("gold", "names a set"), ("Model", "names a set"),
                                       ("al\x00ice", "control character"),
                                       ("bo\tb", "control character")])
def test_names_that_are_not_a_person_are_refused(name, why):
    with pytest.raises(ValueError, match=why):
        check_name(name)
