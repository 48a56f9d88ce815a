# Entry points for people and CI. The normal test run stays light; the installer is opt-in.
.PHONY: test installer installer-build installer-smoke linux-build screenshots translations

test:
	scripts/test

# Windows installer built under Wine, then the silent install/self-test/upgrade/uninstall test.
installer: installer-build installer-smoke

installer-build:
	installer/bootstrap.sh
	installer/build.sh

installer-smoke:
	installer/smoke_test.sh

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
