"""Groups people start themselves: a resident or volunteer proposes a group they run, a connector decides.

A proposal is kept sealed and shown nowhere public until a connector approves it; then the group goes into
the activity directory (directory.community_groups) and is found by search, exported and served by the
Open Referral API with who approved it and when. Here:

- `models`: the `proposed_group` table, and `proposed_group_draft` (one being proposed by text);
- `proposals`: a proposal from the web form (GP-12345), the area's connector told; the proposer changing
  it through the private link a connector's "ask for changes" sent them;
- `by_text`: the same proposal by text ("I run a knitting group in Deal, can you list it?"), a few short
  questions one at a time, then `proposals` files it; `text_answers` reads the place, the time, the cost
  and the contact from the words people text;
- `reading`: the console's list (by state) and one proposal in full (audited), and who may see which;
- `decisions`: approve (into the directory), ask for changes (the proposer is sent a link), decline;
  every change audited under the proposal's reference.

    proposed ──> approved                      approved: in the directory (final here)
       │  ^──┐
       │     changes_asked ──> approved | declined
       └──> declined

Every function works in the caller's transaction and hands out dataclasses, never rows.
"""
