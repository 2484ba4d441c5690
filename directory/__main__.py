from directory.cli import main

raise SystemExit(main())
