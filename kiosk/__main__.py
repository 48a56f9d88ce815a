from kiosk.launcher import main

raise SystemExit(main())
