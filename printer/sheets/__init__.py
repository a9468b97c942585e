"""Japanese label sheets converted from published sources into the kiosk's sheet templates
(``python -m printer.sheets.convert``; the sources and their licences are in ``sources/``)."""
