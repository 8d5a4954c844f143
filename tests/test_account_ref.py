"""One reading of PLATFORM:HANDLE, PLATFORM:id:N and profile URLs for queries, maps and the
mirror review (graphkit.ingest.account_ref)."""
import pytest

from graphkit.errors import MapError
from graphkit.ingest.account_ref import account_ref, looks_like_account
from graphkit.maps.data import parse_account as map_account
from graphkit.mirrors.review import MirrorError, parse_account as review_account
from graphkit.queries.params import _account as query_account


@pytest.mark.parametrize("typed, key, shown", [
    ("x:@Example", "x:example", "x:Example"),
    ("twitter:Foo", "x:foo", "x:Foo"),                      # an alias of the platform
    ("https://t.me/some_channel", "telegram:some_channel", "telegram:some_channel"),
    ("https://x.com/Some_One", "x:some_one", "x:Some_One"),
    ("x:id:123", "x:id:123", "x:id:123"),
    ("  telegram: Name With Space ", "telegram:name with space", "telegram:Name With Space"),
])
def test_every_caller_reads_a_reference_the_same_way(typed, key, shown):
    ref = account_ref(typed)
    assert (ref.key, ref.typed) == (key, shown)
    assert query_account(typed) == key
    assert map_account(typed).key == key
    assert review_account(typed).key == key


@pytest.mark.parametrize("typed, words", [
    ("nothing", "is not PLATFORM:HANDLE"),
    ("myspace:foo", "unknown platform 'myspace'"),
    ("x:", "is not PLATFORM:HANDLE"),
    ("https://t.me/+AbCdEf", "is not an account URL"),      # an invite link names no account
])
def test_bad_references_are_one_sentence_in_each_callers_error(typed, words):
    with pytest.raises(ValueError, match=words):
        account_ref(typed)
    with pytest.raises(MapError, match=words):
        map_account(typed)
    with pytest.raises(MirrorError, match=words):
        review_account(typed)


def test_a_query_cell_names_an_account_only_with_a_known_platform():
    assert looks_like_account("x:foo").key == "x:foo"
    assert looks_like_account("2025-01-01T10:00") is None
    assert looks_like_account("co-admins of x:foo") is None
    assert looks_like_account("https://x.com/foo") is None   # a URL in a row is a link, not a seed
    assert looks_like_account(42) is None
