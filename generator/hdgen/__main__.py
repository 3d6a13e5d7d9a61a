from hdgen.cli import main

raise SystemExit(main())
