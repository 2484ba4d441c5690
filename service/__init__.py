"""The ground floor every part of the service shares: settings from the environment, the database engine
and its threads, the migrations runner, the process launcher, log privacy and the sentence encoder.
Imports nothing of the project (tests/test_layers.py)."""
