"""The safety screen: where a resident's text is screened, before the bot, on the text alone.

- `screen`: both layers, the named rules then the learned layer (`SafetyScreen`);
- `decisions`: what a layer decides, its categories and tiers, the response that answers each, `Screening`;
- `rules_layer`: the first layer, named rules over the words (`screen`), and what it knows about a text
  that the learned layer asks too; `rules`: the rules' patterns (data only); `context`: what around a
  match stands a rule down; `text`: how the screen reads a text (one spelling for many);
- `model`: the learned layer (sentence encoder and a linear head, models/safety_head.npz);
  `training`: trains it (`make safety-model`: python -m casework.safety.training); `corpus`: the
  labelled texts in data/safety_corpus/ it is trained, tuned and judged on;
- `check_answer`: reading the answer to the screen's direct question;
- `numbers`: the one table of checked safety numbers;
- `signals`: things a resident mentions that a connector should know, none of them a crisis.

Imports only service/ and its own modules; never a database.
"""
