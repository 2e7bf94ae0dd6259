# arcops.azcmagent: developer entry points.
#   make demo   bring up a simulated fleet, onboard it, print the summary, tear it down
#   make test   everything CI runs: sanity, lint, unit, integration, galaxy-importer
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
BUILD := $(CURDIR)/build
# The installed copy lives outside the git work tree: inside it, ansible-test would list
# files with git, find build/ ignored, and skip every target.
# One per checkout, so that two checkouts never install over each other's running tests.
COLLECTIONS ?= $(or $(TMPDIR),/tmp)/arcops-azcmagent-$(shell printf %s '$(CURDIR)' | md5sum | cut -c1-8)/collections
INSTALLED := $(COLLECTIONS)/ansible_collections/arcops/azcmagent
VERSION := $(shell sed -n 's/^version: *//p' galaxy.yml)
TARBALL := $(BUILD)/arcops-azcmagent-$(VERSION).tar.gz
DEB_PACKAGES := tinyproxy squid sudo dpkg-dev apt-utils gnupg openssl openssh-server openssh-client iproute2 util-linux python3-apt
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_COLLECTIONS_SCAN_SYS_PATH := false

.PHONY: test demo venv debs build install sanity lint typecheck unit matrix targets simulator integration deploy lifecycle reliability load importer bench clean

# The stages after install only read the installed collection and the work tree, so they run side
# by side, STAGE_SLOTS at a time, the long ones first (tools/stages.py: one log per stage under build/logs,
# each stage's time, the log's tail when it fails); --done keeps each stage from building and installing
# again. sanity and targets both run ansible-test in the installed collection (tests/output), so targets
# comes after sanity (targets:sanity). Four at a time keep both cores busy while tests wait on timeouts,
# without starving the tests that measure time.
# Each stage has a budget (tools/stages.py stops it with all it started and reports it failed), so one
# hanging stage cannot eat CI's 90 minutes. It guards against hangs, not a speed goal: the three long stages
# take 2400 to 3000 s beside each other on two cores (CI stopped two of them at the old 3000 s), so the
# budget is 4500 s, which still ends a hung run inside CI's time; the version matrix builds two virtual
# environments and runs sanity twice, so it has its own.
STAGES ?= reliability integration sanity deploy simulator lifecycle targets:sanity unit matrix lint importer typecheck
STAGE_SLOTS ?= 4
export STAGE_TIMEOUT ?= 4500
export STAGE_TIMEOUT_MATRIX ?= 1200
test: venv debs install
	$(BIN)/python tools/stages.py --done venv,debs,build,install --slots $(STAGE_SLOTS) $(BUILD)/logs $(STAGES)

demo: venv debs install
	$(BIN)/python tests/demo.py

$(VENV)/.installed: requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade 'pip==24.2'
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed
	@mkdir -p ~/.ansible/test/cache
	@pip_version=$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("pip"))'); \
	  for v in 24_2 $${pip_version//./_}; do cp tools/get_pip_standin.py ~/.ansible/test/cache/get_pip_$$v.py; done

debs:
	@missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  fi

build: venv
	@mkdir -p $(BUILD)
	$(BIN)/ansible-galaxy collection build --force --output-path $(BUILD) .

# Unit and integration tests import the working tree through a link; sanity and the
# importer see exactly what the tarball holds.
install: build
	rm -rf $(COLLECTIONS)
	$(BIN)/ansible-galaxy collection install --force -p $(COLLECTIONS) $(TARBALL) >/dev/null
	mkdir -p $(BUILD)/dev/ansible_collections/arcops
	ln -sfn $(CURDIR) $(BUILD)/dev/ansible_collections/arcops/azcmagent

sanity: install
	cd $(INSTALLED) && $(BIN)/ansible-test sanity --venv --python 3.11 --color no

lint: install
	$(BIN)/ansible-lint --profile production --offline

typecheck: install
	cd $(BUILD)/dev && $(BIN)/mypy --config-file $(CURDIR)/mypy.ini \
	  $(foreach part,module_utils plugin_utils filter modules,-p ansible_collections.arcops.azcmagent.plugins.$(part))

unit: venv
	$(BIN)/python -m pytest -q tests/unit

# The version matrix: unit tests and sanity on the oldest ansible-core that meta/runtime.yml admits and on the
# newest release, both on Python 3.12 (from PATH or pyenv); everything else runs on the newest with Python 3.11.
MATRIX_PYTHON ?= 3.12
MATRIX_CORES ?= 2.17.14 2.19.14
matrix: build
	$(BIN)/python tools/version_matrix.py --tarball $(TARBALL) --python $(MATRIX_PYTHON) $(MATRIX_CORES)

# The module targets (tests/integration/targets) through ansible-test, from the installed collection.
# The simulated fleet never ships: integration_config.yml (ansible-test's way to hand a run its
# settings) tells setup_arcsim where this checkout is. Each target tears its fleet down in an
# `always:` section; what a hard stop (parse error, Ctrl-C) leaves up in TARGET_FLEETS is brought
# down here. TARGETS=connect runs one target.
TARGET_FLEETS := $(BUILD)/target-fleets
targets: venv debs install
	@start=$$(date +%s); mkdir -p $(TARGET_FLEETS); \
	  down_left_over() { \
	    for fleet in $(TARGET_FLEETS)/*/fleet; do \
	      if [ -f "$$fleet/fleet.json" ]; then $(CURDIR)/tests/simulator/fleet down --dir "$$fleet" >/dev/null; fi; \
	    done; rm -rf $(TARGET_FLEETS); echo "make targets: $$(( $$(date +%s) - start )) s"; }; \
	  trap down_left_over EXIT; trap 'exit 130' INT TERM; \
	  printf 'arcsim_source: %s\narcsim_fleets_dir: %s\n' '$(CURDIR)' '$(TARGET_FLEETS)' > $(INSTALLED)/tests/integration/integration_config.yml; \
	  cd $(INSTALLED) && $(BIN)/ansible-test integration --local --python 3.11 --allow-destructive --color no $(TARGETS)

# The pytest-driven integration tests, in stages that share nothing and run side by side (each brings up its own fleets);
# each prints its slowest tests and a summary of its failures at the end (-rfE --durations):
#   simulator     the simulator, the mock Azure and the fleet tool themselves
#   integration   the modules, filters, playbooks and end-to-end scenarios
#   deploy        what a real deployment does: install and upgrade from a signed package repository, the SSH fleet,
#                 every playbook with the inventory `fleet up` writes
#   lifecycle     reconcile, extensions, the identity stage, ansible-runner, the execution environment, JUnit reports
#   reliability   the fault matrix, interrupted runs, invariants, secrets at every verbosity, Azure faults, bad input
DEPLOY_TESTS := tests/integration/test_install_role.py tests/integration/test_upgrade.py tests/integration/test_ssh_fleet.py \
  tests/integration/test_inventory_playbooks.py
LIFECYCLE_TESTS := tests/integration/test_reconcile.py tests/integration/test_extensions.py tests/integration/test_identity_stage.py \
  tests/integration/test_ansible_runner.py tests/integration/test_execution_environment.py tests/integration/test_junit_report.py
RELIABILITY_TESTS := tests/integration/test_matrix.py tests/integration/test_interrupted.py tests/integration/test_invariants.py \
  tests/integration/test_secrets_everywhere.py tests/integration/test_azure_faults.py tests/integration/test_bad_role_input.py
STAGED_TESTS := $(DEPLOY_TESTS) $(LIFECYCLE_TESTS) $(RELIABILITY_TESTS) tests/integration/test_load.py
PYTEST_STAGE := $(BIN)/python -m pytest -q -rfE --durations=15
simulator: venv debs install
	$(PYTEST_STAGE) tests/simulator

integration: venv debs install
	$(PYTEST_STAGE) tests/integration $(foreach test,$(STAGED_TESTS),--ignore=$(test))

deploy: venv debs install
	$(PYTEST_STAGE) $(DEPLOY_TESTS)

lifecycle: venv debs install
	$(PYTEST_STAGE) $(LIFECYCLE_TESTS)

reliability: venv debs install
	$(PYTEST_STAGE) $(wildcard $(RELIABILITY_TESTS))

# 200 simulated hosts onboarded in one run with forks 50 (tests/integration/test_load.py): not a stage of `make test`
# (it alone takes longer than CI's budget allows beside the rest on two cores); `make integration` leaves it out
# (the test runs only with ARCOPS_LOAD=1). Run it with `make load`.
load: venv debs install
	ARCOPS_LOAD=1 $(BIN)/python -m pytest -q tests/integration/test_load.py

importer: build
	cd $(BUILD) && GALAXY_IMPORTER_CONFIG=$(CURDIR)/tools/galaxy-importer.cfg $(BIN)/python -m galaxy_importer.main $(TARBALL) | tee $(BUILD)/importer.log
	@! grep -E '^(ERROR|CRITICAL)' $(BUILD)/importer.log

bench: venv debs install
	$(BIN)/pip install --quiet -r requirements-bench.txt
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/fleet.py --mixed
	$(BIN)/python bench/onboard.py --docs

clean:
	rm -rf $(BUILD) tests/output .pytest_cache .hypothesis
