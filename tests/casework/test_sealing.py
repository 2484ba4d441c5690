"""The vault that seals texts and numbers (casework.sealing)."""
from __future__ import annotations

from casework.conversation.inbound import BodyVault


def test_a_vault_opens_what_it_sealed_and_gives_none_for_nothing_or_a_retired_key() -> None:
    old, new = BodyVault("old-key"), BodyVault("new-key")
    assert new.open_or_none(new.seal("CH44 5TN")) == "CH44 5TN"
    assert new.open_or_none(old.seal("CH44 5TN")) is None
    assert new.open_or_none(None) is None and new.open_or_none("") is None
    assert BodyVault("new-key", ["old-key"]).open_or_none(old.seal("CH44 5TN")) == "CH44 5TN"
