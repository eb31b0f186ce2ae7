# Kinga: `make run` to try it, `make test` to check it. Every install step lives here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install dev browser-deps lint format i18n-check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev-installed browser-deps

browser-deps:
	@scripts/ensure-system-packages.sh

run: install
	$(BIN)/kinga i18n compile
	KINGA_DEMO=1 $(BIN)/kinga db upgrade
	KINGA_DEMO=1 $(BIN)/kinga demo
	KINGA_DEMO=1 $(BIN)/kinga info --port $(PORT)
	@KINGA_DEMO=1 $(BIN)/kinga sms worker & outbox=$$!; \
	  KINGA_DEMO=1 $(BIN)/kinga worker & jobs=$$!; \
	  KINGA_DEMO=1 $(BIN)/kinga clients deliver --loop & partners=$$!; \
	  KINGA_DEMO=1 $(BIN)/kinga voice callbacks & calls=$$!; \
	  trap 'kill $$outbox $$jobs $$partners $$calls 2>/dev/null' EXIT INT TERM; \
	  KINGA_DEMO=1 $(BIN)/kinga serve --port $(PORT)

test: dev
	$(BIN)/kinga i18n compile
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/kinga i18n check
	$(BIN)/pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

i18n-check: install
	$(BIN)/kinga i18n check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find locales -name '*.mo' -delete
