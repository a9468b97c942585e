"""The application around the domain: the ``kiosk`` command (``cli``) and serving the web app
(``serve``: the one place the lookup pool, the scanner thread and the backup timer start and
stop). The domain (``kiosk``) never imports this package, Flask or the printer package.
"""
