"""The web side: fetching pages politely (HTTP, robots.txt, per-host turns), finding notices on a site
(column discovery, list pages), recognising anomaly pages, decoding and extracting the main text."""
