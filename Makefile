# Entry points for people and CI. The normal test run stays light; the installer is opt-in.
.PHONY: test lock audit icons installer installer-build installer-smoke previous-release \
	linux-build screenshots translations bench bench-quick hardening

test:
	scripts/test

# Every performance figure with its reference and ratio (docs/performance.md): one JSON line
# per figure and a table at the end. bench-quick takes at most 3 minutes on 2 cores.
bench:
	scripts/bootstrap
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.run

bench-quick:
	scripts/bootstrap
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.run --quick

# The hardening suites at full length (crash 200 iterations, unplug 100 cycles, chaos during a
# 5,000-template drain, serial and MQTT fuzz, full disk); the regular run has their quick
# version. Counts are printed and appended as JSON lines to hardening-report.jsonl.
hardening:
	scripts/bootstrap
	QT_QPA_PLATFORM=offscreen KIOSK_HARDENING=long \
	  KIOSK_HARDENING_REPORT=$${KIOSK_HARDENING_REPORT:-hardening-report.jsonl} \
	  .venv/bin/python -m pytest -m hardening tests/hardening $(ARGS)

# Regenerate requirements/*.txt (hash-pinned) from pyproject.toml; UPGRADE=1 moves every pin.
lock:
	scripts/bootstrap
	requirements/lock.sh

# Known vulnerabilities in the locked versions (needs the package index; also in scripts/test).
audit:
	scripts/bootstrap
	.venv/bin/pip-audit --strict --no-deps --disable-pip --vulnerability-service pypi \
	  -r requirements/dev.txt

# resources/icons/*.ico from their SVG drawings.
icons:
	scripts/bootstrap
	.venv/bin/python installer/make_icons.py

# Windows setup (.exe) and MSI built under Wine from the lock, then the smoke test: Windows
# version check, upgrade from the previous release, silent install, drawn GUI, start-up error,
# MSI, signatures. Signs with a throwaway TEST certificate unless a real one is configured
# (installer/sign.sh); a release build sets KIOSK_SIGN_PFX and KIOSK_SIGN_REQUIRED=1.
installer: installer-build installer-smoke

installer-build:
	installer/bootstrap.sh
	KIOSK_SIGN_TEST=$${KIOSK_SIGN_TEST:-1} installer/build.sh

installer-smoke:
	installer/smoke_test.sh

# The previous tagged release's setup, built once from its tag and cached outside the tree.
previous-release:
	installer/previous-release.sh

# Linux one-dir build from the same spec, plus its self-test (a quick check of the spec).
linux-build:
	installer/build-linux.sh

# A PNG of every kiosk screen and state, at both target sizes and in each language, into
# screenshots/ (gitignored), each run with a report of any text that does not fit.
LANGUAGES = en fr es
screenshots:
	scripts/bootstrap
	for lang in $(LANGUAGES); do \
	  xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python -m scripts.screenshots --language $$lang && \
	  xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m scripts.screenshots --language $$lang \
	  || exit 1; \
	done

# The translations: every string of the desk (self.tr, and the QT_TRANSLATE_NOOP catalogue of
# kiosk/app) into resources/i18n/kiosk_<language>.ts, keeping what is already translated,
# then the compiled .qm files the desk loads (and the installer ships with resources/).
I18N_SOURCES = $(shell find kiosk/ui kiosk/app -name '*.py' | sort)
I18N_TS = resources/i18n/kiosk_fr.ts resources/i18n/kiosk_es.ts
translations:
	scripts/bootstrap
	.venv/bin/pyside6-lupdate $(I18N_SOURCES) -locations none -no-obsolete -ts $(I18N_TS)
	.venv/bin/pyside6-lrelease $(I18N_TS)
