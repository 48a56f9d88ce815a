# Entry points for people and CI. The normal test run stays light; the installer is opt-in.
.PHONY: test installer installer-build installer-smoke linux-build screenshots

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

# A PNG of every kiosk screen at both target sizes, into screenshots/ (gitignored).
screenshots:
	scripts/bootstrap
	xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py
	xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python scripts/screenshots.py
